"""Fake strings: by ``format``, by ``pattern``, by property name, then plain words."""

from __future__ import annotations

import base64
import random
import re
import string
from collections.abc import Callable, Mapping
from typing import Any

from .pattern import string_matching
from .words import NOUNS, email, string_for_name, words

__all__ = ["FORMATS", "fake_string"]

_DAY_SPAN = 6 * 365
_BASE_ORDINAL = 737425  # 2020-01-01


def _date(rng: random.Random) -> str:
    from datetime import date

    return date.fromordinal(_BASE_ORDINAL + rng.randrange(_DAY_SPAN)).isoformat()


def _time(rng: random.Random) -> str:
    return f"{rng.randrange(24):02d}:{rng.randrange(60):02d}:{rng.randrange(60):02d}Z"


def _date_time(rng: random.Random) -> str:
    return f"{_date(rng)}T{_time(rng)}"


def _duration(rng: random.Random) -> str:
    return rng.choice((f"P{rng.randint(1, 30)}D", f"PT{rng.randint(1, 59)}M", "P1DT2H"))


def _uuid(rng: random.Random) -> str:
    bits = f"{rng.getrandbits(128):032x}"
    variant = "89ab"[rng.randrange(4)]
    return f"{bits[:8]}-{bits[8:12]}-4{bits[13:16]}-{variant}{bits[17:20]}-{bits[20:32]}"


def _hostname(rng: random.Random) -> str:
    return f"{rng.choice(NOUNS)}.example.com"


def _uri(rng: random.Random) -> str:
    return f"https://{_hostname(rng)}/{rng.choice(NOUNS)}/{rng.randint(1, 999)}"


def _uri_reference(rng: random.Random) -> str:
    return f"/{rng.choice(NOUNS)}/{rng.randint(1, 999)}"


def _ipv4(rng: random.Random) -> str:
    return f"192.0.2.{rng.randint(1, 254)}"


def _ipv6(rng: random.Random) -> str:
    return f"2001:db8::{rng.randint(1, 0xFFFF):x}"


def _byte(rng: random.Random) -> str:
    return base64.b64encode(bytes(rng.randrange(256) for _ in range(12))).decode("ascii")


def _binary(rng: random.Random) -> str:
    return "".join(rng.choice(string.ascii_letters + string.digits) for _ in range(16))


def _password(rng: random.Random) -> str:
    return f"{rng.choice(NOUNS).capitalize()}-{rng.randint(1000, 9999)}!"


FORMATS: Mapping[str, Callable[[random.Random], str]] = {
    "date-time": _date_time,
    "date": _date,
    "time": _time,
    "duration": _duration,
    "uuid": _uuid,
    "email": email,
    "idn-email": email,
    "uri": _uri,
    "url": _uri,
    "iri": _uri,
    "uri-reference": _uri_reference,
    "iri-reference": _uri_reference,
    "uri-template": lambda rng: f"https://{_hostname(rng)}/{{id}}",
    "hostname": _hostname,
    "idn-hostname": _hostname,
    "ipv4": _ipv4,
    "ipv6": _ipv6,
    "byte": _byte,
    "base64": _byte,
    "binary": _binary,
    "password": _password,
    "int32": lambda rng: str(rng.randint(1, 1000)),
    "int64": lambda rng: str(rng.randint(1, 1000)),
    "regex": lambda rng: rng.choice(("^[a-z]+$", "^\\d{3}$", "[A-Z][a-z]*")),
    "json-pointer": lambda rng: f"/{rng.choice(NOUNS)}/{rng.randint(0, 9)}",
    "relative-json-pointer": lambda rng: f"{rng.randint(0, 3)}/{rng.choice(NOUNS)}",
}


def _within(text: str, low: int, high: int | None) -> bool:
    return len(text) >= low and (high is None or len(text) <= high)


def _fit_plain(text: str, rng: random.Random, low: int, high: int | None) -> str:
    """``text`` cut or padded with words to a length in ``[low, high]``."""
    while len(text) < low:
        text = f"{text} {rng.choice(NOUNS)}" if text else rng.choice(NOUNS)
    if high is not None and len(text) > high:
        text = text[:high].rstrip() if high > 0 else ""
        while len(text) < low:  # stripping spaces may undershoot
            text += "x"
    return text


def fake_string(schema: Mapping[str, Any], rng: random.Random, name: str = "") -> str:
    """A string meeting ``format``, ``pattern`` and length bounds of ``schema`` when it can."""
    low = _as_count(schema.get("minLength"), 0)
    high_value = schema.get("maxLength")
    high = _as_count(high_value, 0) if high_value is not None else None
    if high is not None and high < low:
        high = low
    pattern = schema.get("pattern")
    fmt = schema.get("format")
    maker = FORMATS.get(fmt) if isinstance(fmt, str) else None
    if maker is not None:
        for _ in range(3):
            text = maker(rng)
            if _within(text, low, high) and _matches(pattern, text):
                return text
    if isinstance(pattern, str):
        text_or_none = string_matching(pattern, rng, min_length=low, max_length=high)
        if text_or_none is not None:
            return text_or_none
    if maker is None and name:
        by_name = string_for_name(name, rng)
        if by_name is not None and _within(by_name, low, high):
            return by_name
    return _fit_plain(words(rng, rng.randint(1, 3)), rng, low, high)


def _matches(pattern: Any, text: str) -> bool:
    if not isinstance(pattern, str):
        return True
    try:
        return re.search(pattern, text) is not None
    except re.error:
        return True


def _as_count(value: Any, fallback: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return fallback
    return max(int(value), 0)
