"""Compiled expression nodes: a closure over the scope, and what is known about it
at compile time."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .scope import Scope

__all__ = ["Fn", "Node", "constant"]

Fn = Callable[[Scope], Any]
"""A compiled expression: scope in, JSON value out."""


class Node:
    """A compiled (sub)expression. ``constant``: its value is known at compile time
    (``value``); ``boolean``: it always yields True or False."""

    __slots__ = ("boolean", "constant", "fn", "value")

    def __init__(
        self, fn: Fn, *, constant: bool = False, value: Any = None, boolean: bool = False
    ) -> None:
        self.fn = fn
        self.constant = constant
        self.value = value
        self.boolean = boolean


def constant(value: Any) -> Node:
    """The node that always yields ``value``."""

    def fn(scope: Scope) -> Any:
        return value

    return Node(fn, constant=True, value=value, boolean=type(value) is bool)
