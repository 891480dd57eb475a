"""Operations on JSON values: lookups, text, comparison and bounded arithmetic.

Every function here accepts any value and answers ``None`` (or ``False`` for a
comparison) when the operation makes no sense for the types it was given. Only
size bounds raise: :class:`RenderLimitError`, before the large value is built.
Booleans are not numbers: ``true + 1`` is ``null`` and ``true == 1`` is false.
"""

from __future__ import annotations

import json
import math
from typing import Any, cast

from .limits import MAX_INT_BITS, MAX_VALUE_BYTES, check_int, check_size, weight

__all__ = [
    "add",
    "contains",
    "divide",
    "equal",
    "get_item",
    "is_number",
    "less",
    "less_equal",
    "modulo",
    "multiply",
    "negate",
    "plus",
    "subtract",
    "to_json_text",
    "to_text",
]


def is_number(value: Any) -> bool:
    """True for ints and floats, false for booleans."""
    kind = type(value)
    return kind is int or kind is float


def get_item(container: Any, key: Any) -> Any:
    """``container[key]`` for JSON data, or None when absent or not indexable."""
    kind = type(container)
    if kind is dict:
        if type(key) is str:
            return container.get(key)
        if is_number(key):
            return container.get(to_text(key))
        return None
    if kind is list or kind is tuple or kind is str:
        if type(key) is not int:
            return None
        try:
            return container[key]
        except IndexError:
            return None
    return None


def to_text(value: Any) -> str:
    """How a value reads in text: null is empty, booleans are true/false, lists
    and objects are JSON."""
    kind = type(value)
    if kind is str:
        return cast(str, value)
    if value is None:
        return ""
    if kind is bool:
        return "true" if value else "false"
    if kind is int:
        try:
            return str(value)
        except ValueError:
            return ""
    if kind is float:
        return repr(value) if math.isfinite(value) else ""
    if kind is dict or kind is list or kind is tuple:
        return to_json_text(value)
    if kind is bytes:
        check_size(len(value))
        return cast(bytes, value).decode("utf-8", "replace")
    return ""


def to_json_text(value: Any) -> str:
    """``value`` as compact JSON text; RenderLimitError when it would be too long."""
    check_size(weight(value, MAX_VALUE_BYTES))
    try:
        text = json.dumps(
            value,
            ensure_ascii=False,
            separators=(",", ":"),
            allow_nan=False,
            default=_non_json,
        )
    except (ValueError, TypeError, RecursionError):
        return ""
    check_size(len(text))
    return text


def _non_json(value: Any) -> Any:
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    return None


def equal(left: Any, right: Any) -> bool:
    """JSON equality, deep: 1 == 1.0, but true != 1 and "1" != 1."""
    try:
        return _equal(left, right)
    except RecursionError:
        return False


def _equal(left: Any, right: Any) -> bool:
    left_kind, right_kind = type(left), type(right)
    if left_kind is str or left_kind is bool or left is None:
        return left_kind is right_kind and left == right
    if left_kind is int or left_kind is float:
        return (right_kind is int or right_kind is float) and left == right
    if left_kind is list or left_kind is tuple:
        return (
            (right_kind is list or right_kind is tuple)
            and len(left) == len(right)
            and all(map(_equal, left, right))
        )
    if left_kind is dict:
        return (
            right_kind is dict
            and len(left) == len(right)
            and all(key in right and _equal(item, right[key]) for key, item in left.items())
        )
    return left_kind is right_kind and bool(left == right)


def less(left: Any, right: Any) -> bool:
    """``left < right`` for two numbers or two strings; false otherwise."""
    if (is_number(left) and is_number(right)) or (type(left) is str and type(right) is str):
        return bool(left < right)
    return False


def less_equal(left: Any, right: Any) -> bool:
    """``left <= right`` for two numbers or two strings; false otherwise."""
    if (is_number(left) and is_number(right)) or (type(left) is str and type(right) is str):
        return bool(left <= right)
    return False


def contains(container: Any, item: Any) -> bool:
    """``item in container``: a substring, a list element, or an object key."""
    kind = type(container)
    if kind is str:
        return type(item) is str and item in container
    if kind is list or kind is tuple:
        if type(item) is str:
            return item in container
        return any(equal(item, element) for element in container)
    if kind is dict:
        return type(item) is str and item in container
    return False


def _finite(value: float) -> float | None:
    return value if math.isfinite(value) else None


def add(left: Any, right: Any) -> Any:
    """Numbers add; strings join (a number joined to a string reads as text); lists join."""
    left_kind, right_kind = type(left), type(right)
    if left_kind is int and right_kind is int:
        return check_int(left + right)
    if is_number(left) and is_number(right):
        try:
            return _finite(left + right)
        except OverflowError:
            return None
    if left_kind is str or right_kind is str:
        if not (left_kind is str or is_number(left)) or not (right_kind is str or is_number(right)):
            return None
        left_text, right_text = to_text(left), to_text(right)
        check_size(len(left_text) + len(right_text))
        return left_text + right_text
    if left_kind in (list, tuple) and right_kind in (list, tuple):
        size = weight(left, MAX_VALUE_BYTES)
        check_size(size + weight(right, MAX_VALUE_BYTES - size))
        return [*left, *right]
    return None


def subtract(left: Any, right: Any) -> Any:
    if type(left) is int and type(right) is int:
        return check_int(left - right)
    if is_number(left) and is_number(right):
        try:
            return _finite(left - right)
        except OverflowError:
            return None
    return None


def multiply(left: Any, right: Any) -> Any:
    """Numbers multiply; a string or list times an int repeats it."""
    left_kind, right_kind = type(left), type(right)
    if left_kind is int and right_kind is int:
        if left.bit_length() + right.bit_length() > MAX_INT_BITS + 1:
            check_int(1 << (MAX_INT_BITS + 1))
        return check_int(left * right)
    if is_number(left) and is_number(right):
        try:
            return _finite(left * right)
        except OverflowError:
            return None
    if right_kind is int and left_kind in (str, list, tuple):
        return _repeat(left, right)
    if left_kind is int and right_kind in (str, list, tuple):
        return _repeat(right, left)
    return None


def _repeat(value: str | list[Any] | tuple[Any, ...], times: int) -> Any:
    empty: str | list[Any] = "" if type(value) is str else []
    if times <= 0 or not value:
        return empty
    unit = len(value) if type(value) is str else weight(value, MAX_VALUE_BYTES)
    if times > MAX_VALUE_BYTES:
        check_size(MAX_VALUE_BYTES + 1)
    check_size(unit * times)
    if type(value) is str:
        return value * times
    return list(value) * times


def divide(left: Any, right: Any) -> Any:
    """Division; exact int division stays an int; by zero it is null."""
    if not (is_number(left) and is_number(right)) or right == 0:
        return None
    if type(left) is int and type(right) is int and left % right == 0:
        return check_int(left // right)
    try:
        return _finite(left / right)
    except OverflowError:
        return None


def modulo(left: Any, right: Any) -> Any:
    """The remainder, with the sign of the divisor; by zero it is null."""
    if not (is_number(left) and is_number(right)) or right == 0:
        return None
    if type(left) is int and type(right) is int:
        return left % right
    try:
        return _finite(left % right)
    except OverflowError:
        return None


def negate(value: Any) -> Any:
    if type(value) is int:
        return -value
    if type(value) is float:
        return -value
    return None


def plus(value: Any) -> Any:
    return value if is_number(value) else None
