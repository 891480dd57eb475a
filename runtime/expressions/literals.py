"""Reading the literals of an expression: strings with escapes, and numbers."""

from __future__ import annotations

import math
import re

from ..exceptions import RuntimeFailure
from .limits import MAX_INT_BITS

__all__ = ["LiteralError", "decode_string", "read_float", "read_int"]

_ESCAPE = re.compile(r"\\(u[0-9a-fA-F]{4}|.)", re.DOTALL)
_SIMPLE = {
    "n": "\n",
    "t": "\t",
    "r": "\r",
    "b": "\b",
    "f": "\f",
    "\\": "\\",
    "/": "/",
    '"': '"',
    "'": "'",
}
_MAX_INT_DIGITS = 80


class LiteralError(RuntimeFailure, ValueError):
    """A literal cannot be read; the message says why."""


def _unescape(match: re.Match[str]) -> str:
    escape = match.group(1)
    if len(escape) == 5:
        return chr(int(escape[1:], 16))
    return _SIMPLE.get(escape, match.group(0))


def decode_string(token: str) -> str:
    """The value of a quoted string literal. Escapes: ``\\n \\t \\r \\b \\f \\\\ \\/
    \\" \\' \\uXXXX``; any other backslash is kept as written (so ``"^\\d+$"`` is
    the regular expression it looks like)."""
    body = token[1:-1]
    if "\\" not in body:
        return body
    text = _ESCAPE.sub(_unescape, body)
    if any("\ud800" <= char <= "\udfff" for char in text):
        try:
            text = text.encode("utf-16", "surrogatepass").decode("utf-16")
        except UnicodeDecodeError:
            raise LiteralError("a \\u escape names half of a surrogate pair") from None
    return text


def read_int(token: str) -> int:
    """An integer literal within MAX_INT_BITS."""
    if len(token) > _MAX_INT_DIGITS:
        raise LiteralError(f"the number has more than {_MAX_INT_DIGITS} digits")
    value = int(token)
    if value.bit_length() > MAX_INT_BITS:
        raise LiteralError(f"the number has more than {MAX_INT_BITS} bits")
    return value


def read_float(token: str) -> float:
    """A finite floating-point literal."""
    value = float(token)
    if not math.isfinite(value):
        raise LiteralError("the number is out of range")
    return value
