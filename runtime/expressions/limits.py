"""The bounds that keep expressions cheap whatever a mock file or a request holds.

Sizes are measured in characters of JSON text: a string by its length, a list
or object by an estimate of its JSON encoding that is computed with an early
exit, so measuring a huge value costs no more than measuring the bound.
"""

from __future__ import annotations

from typing import Any

from .errors import RenderLimitError

__all__ = [
    "MAX_EXPRESSION_LENGTH",
    "MAX_INT_BITS",
    "MAX_NESTING",
    "MAX_TREE_DEPTH",
    "MAX_VALUE_BYTES",
    "check_int",
    "check_size",
    "weight",
]

MAX_VALUE_BYTES = 1 << 20
"""The largest string, list or object (as JSON text) an operation may produce."""
MAX_EXPRESSION_LENGTH = 4096
"""The longest expression text, in characters."""
MAX_NESTING = 64
"""The deepest nesting of brackets ``( [ {`` in an expression."""
MAX_TREE_DEPTH = 200
"""The deepest nesting of operators (``not not …``, ``a + b + …``) in an expression."""
MAX_INT_BITS = 256
"""The largest integer magnitude, in bits (about 77 decimal digits)."""

_SCALAR_WEIGHT = 8
_FLOAT_WEIGHT = 24


def check_size(size: int) -> None:
    """Raise RenderLimitError when a result of ``size`` characters would be too large."""
    if size > MAX_VALUE_BYTES:
        raise RenderLimitError(
            f"the value would be {size} characters long; the limit is {MAX_VALUE_BYTES}"
        )


def check_int(value: int) -> int:
    """``value``, or RenderLimitError when it has more than MAX_INT_BITS bits."""
    if value.bit_length() > MAX_INT_BITS:
        raise RenderLimitError(f"the number has more than {MAX_INT_BITS} bits")
    return value


def weight(value: Any, budget: int = MAX_VALUE_BYTES) -> int:
    """An estimate of the length of ``value`` as JSON text. Stops counting once the
    total exceeds ``budget`` (the result is then some number above ``budget``)."""
    kind = type(value)
    if kind is str:
        return len(value) + 2
    if kind is not dict and kind is not list and kind is not tuple:
        return _scalar_weight(value)
    total = 0
    stack = [value]
    while stack:
        item = stack.pop()
        kind = type(item)
        if kind is str:
            total += len(item) + 2
        elif kind is dict:
            total += 2 + len(item)
            if total > budget:
                return total
            for key, member in item.items():
                total += (len(key) if type(key) is str else _SCALAR_WEIGHT) + 3
                if total > budget:
                    return total
                stack.append(member)
        elif kind is list or kind is tuple:
            total += 2 + len(item)
            if total > budget:
                return total
            stack.extend(item)
        else:
            total += _scalar_weight(item)
        if total > budget:
            return total
    return total


def _scalar_weight(value: Any) -> int:
    if type(value) is int:
        return value.bit_length() // 3 + 2
    if type(value) is float:
        return _FLOAT_WEIGHT
    if type(value) is bytes:
        return len(value) + 2
    return _SCALAR_WEIGHT
