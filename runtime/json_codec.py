"""Compact JSON for responses, admin documents and the journal: one encoder; and
one bounded reader of JSON from clients, mock files and admin bodies.

orjson encodes in a fraction of the json module's time. What it refuses
(integers past 64 bits, lone surrogates, nesting past 255 levels, keys that
are not strings, numbers, booleans or null) goes to the json module, which
escapes non-ASCII when the text cannot be UTF-8. Values JSON has no type for
become their ``str()``; NaN and infinities become ``null`` (JSON has none).
"""

from __future__ import annotations

import json
import re
from typing import Any

import orjson

from .exceptions import RuntimeFailure

__all__ = [
    "DEFAULT_MAX_DEPTH",
    "MAX_DEPTH_CEILING",
    "MAX_INTEGER_DIGITS",
    "JsonLimitError",
    "json_bytes",
    "json_text",
    "parse_json",
]

_OPTIONS = orjson.OPT_NON_STR_KEYS
_utf8 = json.JSONEncoder(separators=(",", ":"), ensure_ascii=False, default=str).encode
_ascii = json.JSONEncoder(separators=(",", ":"), default=str).encode


def json_bytes(value: Any) -> bytes:
    """``value`` as compact UTF-8 JSON."""
    try:
        return orjson.dumps(value, default=str, option=_OPTIONS)
    except TypeError:
        return _fallback(value).encode()


def json_text(value: Any) -> str:
    """``value`` as compact JSON text."""
    try:
        return orjson.dumps(value, default=str, option=_OPTIONS).decode()
    except TypeError:
        return _fallback(value)


def _fallback(value: Any) -> str:
    try:
        text = _utf8(value)
        text.encode()
        return text
    except UnicodeEncodeError:
        return _ascii(value)
    except (TypeError, ValueError, RecursionError):
        pass
    try:
        return _ascii(str(value))
    except RecursionError:
        return _ascii(f"<{type(value).__name__} nested too deeply>")


# --- reading client JSON ------------------------------------------------------------
# orjson parses in C without recursing on the Python stack and refuses nesting past
# 1024 levels; the json module recurses (200,000 ``[`` is a RecursionError) and
# refuses integers past 4,300 digits with a bare ValueError. ``parse_json`` keeps
# orjson as the fast path and bounds both; what orjson cannot read exactly (integers
# past 64 bits, which it would turn into floats) or refuses goes to the json module,
# behind the same bounds.

DEFAULT_MAX_DEPTH = 256
"""The deepest nesting of arrays and objects accepted from clients (``MOCKC_JSON_MAX_DEPTH``)."""
MAX_DEPTH_CEILING = 512
"""The highest depth limit that can be set: the json module (the slow path) recurses
once per level on the Python stack, which holds about 1,000 frames."""
MAX_INTEGER_DIGITS = 4300
"""The longest integer accepted (Python's own limit on converting text to ``int``)."""

_DIGITS_AS_ZERO = bytes.maketrans(b"0123456789", b"0000000000")
_LONG_DIGITS = b"0" * 19
"""Integers of 19 digits or more may be past 64 bits, which orjson reads as floats."""
_ORJSON_MAX_DEPTH = 1024
_SURROGATE = re.compile(r"[\ud800-\udfff]")


class JsonLimitError(RuntimeFailure, ValueError):
    """Client JSON exceeds one of the limits: ``limit`` names it, ``maximum`` is its value."""

    def __init__(self, limit: str, maximum: int, message: str) -> None:
        super().__init__(message)
        self.limit = limit
        self.maximum = maximum


def parse_json(data: bytes | str, *, max_depth: int = DEFAULT_MAX_DEPTH) -> Any:
    """The JSON value of ``data``.

    Raises :class:`JsonLimitError` when arrays and objects nest deeper than
    ``max_depth`` or an integer is longer than :data:`MAX_INTEGER_DIGITS` digits, and
    :class:`json.JSONDecodeError` (with line and column) when ``data`` is not JSON:
    malformed, not UTF-8, ``NaN``/``Infinity``, or a string holding a lone UTF-16
    surrogate escape (``"\\ud800"``: not a character, and unwritable as UTF-8).
    """
    if not 1 <= max_depth <= MAX_DEPTH_CEILING:
        raise ValueError(f"max_depth must be from 1 to {MAX_DEPTH_CEILING}, not {max_depth}")
    raw = data.encode("utf-8", "surrogatepass") if isinstance(data, str) else data
    if _LONG_DIGITS not in raw.translate(_DIGITS_AS_ZERO):
        brackets = raw.count(b"[") + raw.count(b"{")
        if brackets <= max_depth:
            try:
                return orjson.loads(raw)
            except orjson.JSONDecodeError:
                pass
        else:
            return _parse_wrapped(raw, max_depth)
    return _parse_slowly(raw, max_depth)


def _parse_wrapped(raw: bytes, max_depth: int) -> Any:
    """orjson checks the depth itself: it refuses nesting past 1024 levels, so
    ``raw`` inside ``1024 - max_depth`` arrays parses only when it nests at most
    ``max_depth`` deep. The arrays are then taken off."""
    padding = _ORJSON_MAX_DEPTH - max_depth
    try:
        value = orjson.loads(b"[" * padding + raw + b"]" * padding)
    except orjson.JSONDecodeError as error:
        if "depth limit" in str(error):
            raise _too_deep(max_depth) from None
        return _parse_slowly(raw, max_depth)
    for _ in range(padding):
        value = value[0]
    return value


def _parse_slowly(raw: bytes, max_depth: int) -> Any:
    try:
        text = raw.decode("utf-8-sig" if raw.startswith(b"\xef\xbb\xbf") else "utf-8")
    except UnicodeDecodeError as error:
        doc = raw.decode("utf-8", "replace")
        raise json.JSONDecodeError(
            f"not valid UTF-8 (byte {error.start})", doc, len(raw[: error.start].decode("utf-8"))
        ) from None
    if text.count("[") + text.count("{") > max_depth and _text_depth(text) > max_depth:
        raise _too_deep(max_depth)
    try:
        value = json.loads(text, parse_int=_bounded_int, parse_constant=_no_constant(text))
    except RecursionError:
        raise _too_deep(max_depth) from None
    if "\\" in text:
        _refuse_surrogates(value, text)
    return value


def _too_deep(max_depth: int) -> JsonLimitError:
    return JsonLimitError(
        "depth",
        max_depth,
        f"JSON nested deeper than {max_depth} levels of arrays and objects (the limit)",
    )


def _bounded_int(digits: str) -> int:
    if len(digits.lstrip("-")) > MAX_INTEGER_DIGITS:
        raise JsonLimitError(
            "integer digits",
            MAX_INTEGER_DIGITS,
            f"JSON integer of {len(digits.lstrip('-'))} digits; "
            f"the limit is {MAX_INTEGER_DIGITS} digits",
        )
    return int(digits)


def _no_constant(text: str) -> Any:
    def refuse(name: str) -> Any:
        at = max(text.find(name), 0)
        raise json.JSONDecodeError(f"{name} is not a JSON value", text, at)

    return refuse


_STRINGS = re.compile(r'"(?:[^"\\]|\\.)*"', re.DOTALL)
_BRACKETS = re.compile(r"[\[\]{}]")


def _text_depth(text: str) -> int:
    """The deepest nesting of brackets in ``text`` outside strings (of any text: a
    malformed one is refused by the parser afterwards)."""
    depth = deepest = 0
    for bracket in _BRACKETS.findall(_STRINGS.sub("", text)):
        if bracket in "[{":
            depth += 1
            deepest = max(deepest, depth)
        else:
            depth -= 1
    return deepest


def _refuse_surrogates(value: Any, text: str) -> None:
    level = [value]
    while level:
        following: list[Any] = []
        for item in level:
            if isinstance(item, dict):
                following.extend(item.keys())
                following.extend(item.values())
            elif isinstance(item, list):
                following.extend(item)
            elif isinstance(item, str) and (found := _SURROGATE.search(item)) is not None:
                escape = f"\\u{ord(found.group()):04x}"
                raise json.JSONDecodeError(
                    f"lone UTF-16 surrogate {escape} in a string: not a character",
                    text,
                    max(text.lower().find(escape), 0),
                )
        level = following
