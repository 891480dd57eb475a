"""Compiled expressions: :func:`compile_expression` and :func:`compile_condition`."""

from __future__ import annotations

from typing import Any

from .compiler import Compiler
from .errors import ExpressionError, Origin, RenderLimitError
from .grammar import parse
from .nodes import Fn, Node
from .scope import Scope

__all__ = ["Expression", "compile_condition", "compile_expression", "compile_node"]


class Expression:
    """One compiled expression. ``evaluate`` never raises except RenderLimitError:
    any other problem at evaluation yields None (False for a condition)."""

    __slots__ = ("_fallback", "_fn", "constant_value", "is_constant", "origin", "text")

    def __init__(self, text: str, origin: Origin, node: Node, *, condition: bool = False) -> None:
        self.text = text
        self.origin = origin
        self.is_constant = node.constant
        """True when the value is known without a request (e.g. ``1 + 2``)."""
        fn: Fn = node.fn
        if condition and not node.boolean:
            inner = fn

            def truth(scope: Scope) -> bool:
                return bool(inner(scope))

            fn = truth
        self.constant_value = bool(node.value) if condition else node.value
        """The value, when ``is_constant``."""
        self._fn = fn
        self._fallback: Any = False if condition else None

    def evaluate(self, scope: Scope) -> Any:
        """The value of the expression for ``scope``."""
        try:
            return self._fn(scope)
        except RenderLimitError:
            raise
        except Exception:
            return self._fallback

    def __repr__(self) -> str:
        return f"Expression({self.text!r}, {self.origin!r})"


def compile_node(text: str, origin: Origin) -> Node:
    """The compiled node of expression ``text`` (ExpressionError when invalid)."""
    tree = parse(text, origin)
    compiler = Compiler(text, origin)
    try:
        return compiler.compile(tree)
    except RecursionError:
        raise ExpressionError.at("the expression nests too deeply", origin, text, 0) from None


def compile_expression(text: str, origin: Origin) -> Expression:
    """Compile ``text``, which starts at ``origin`` in its file; ExpressionError
    (naming file, line and column) when it is not a valid expression."""
    return Expression(text, origin, compile_node(text, origin))


def compile_condition(text: str, origin: Origin) -> Expression:
    """Compile ``text`` as a condition: ``evaluate`` returns its truth as a bool."""
    return Expression(text, origin, compile_node(text, origin), condition=True)
