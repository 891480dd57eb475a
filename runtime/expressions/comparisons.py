"""Compiled comparisons: ``== != < <= > >= in``, ``not in`` and ``=~``.

Common shapes get specialised closures: an order against a number literal
(``request.query.limit > 10``) and equality with a string literal.
"""

from __future__ import annotations

import operator
from collections.abc import Callable
from typing import Any

import regex

from ..exceptions import RuntimeFailure
from .nodes import Node
from .regexes import compile_pattern, dynamic_search, search
from .scope import Scope
from .values import contains, equal, is_number, less, less_equal

__all__ = ["PatternError", "comparison", "regex_match"]


class PatternError(RuntimeFailure, ValueError):
    """The literal pattern of ``=~`` is not a valid regular expression."""


_ORDER: dict[str, Callable[[Any, Any], bool]] = {
    "<": less,
    "<=": less_equal,
    ">": lambda left, right: less(right, left),
    ">=": lambda left, right: less_equal(right, left),
}
_NUMBER_ORDER: dict[str, Callable[[Any, Any], bool]] = {
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
}


def comparison(op: str, left: Node, right: Node) -> Callable[[Scope], bool]:
    """The closure comparing ``left`` and ``right`` with ``op``."""
    first, second = left.fn, right.fn
    if op in _ORDER:
        if right.constant and is_number(right.value):
            compare, bound = _NUMBER_ORDER[op], right.value

            def against_number(scope: Scope) -> bool:
                value = first(scope)
                kind = type(value)
                return (kind is int or kind is float) and compare(value, bound)

            return against_number
        order = _ORDER[op]
        return lambda scope: order(first(scope), second(scope))
    if op in ("==", "!="):
        same = op == "=="
        if right.constant and type(right.value) is str:
            text = right.value
            return lambda scope: (first(scope) == text) is same
        return lambda scope: equal(first(scope), second(scope)) is same
    if op == "in":
        return lambda scope: contains(second(scope), first(scope))
    return lambda scope: not contains(second(scope), first(scope))


def regex_match(left: Node, right: Node) -> Node:
    """``left =~ right``; a literal pattern is compiled now (PatternError if invalid)."""
    value = left.fn
    if not right.constant:
        pattern_fn = right.fn
        return Node(lambda scope: dynamic_search(pattern_fn(scope), value(scope)), boolean=True)
    if type(right.value) is not str:
        raise PatternError("the right side of =~ must be a regular expression string")
    try:
        pattern = compile_pattern(right.value)
    except (regex.error, ValueError, OverflowError, RecursionError) as exc:
        raise PatternError(f"invalid regular expression: {exc}") from None
    return Node(lambda scope: search(pattern, value(scope)), boolean=True)
