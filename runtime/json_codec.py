"""Compact JSON for responses, admin documents and the journal: one encoder.

orjson encodes in a fraction of the json module's time. What it refuses
(integers past 64 bits, lone surrogates, nesting past 255 levels, keys that
are not strings, numbers, booleans or null) goes to the json module, which
escapes non-ASCII when the text cannot be UTF-8. Values JSON has no type for
become their ``str()``; NaN and infinities become ``null`` (JSON has none).
"""

from __future__ import annotations

import json
from typing import Any

import orjson

__all__ = ["json_bytes", "json_text"]

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
