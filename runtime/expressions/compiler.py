"""From a parse tree to a closure: the expression compiler.

Each tree node becomes a :class:`~.nodes.Node` whose ``fn`` evaluates it. Pure
operations on constants are computed at compile time, and common shapes
(``x > 10``, ``x == "a"``) get specialised closures, so evaluation does little
more than the lookups and the comparison themselves.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Sequence
from typing import Any, cast

from lark import Token, Tree

from .access import compile_chain
from .comparisons import PatternError, comparison, regex_match
from .errors import ExpressionError, Origin, RenderLimitError
from .functions import FILTERS, FUNCTIONS, STATE_METHODS, Callee
from .limits import MAX_TREE_DEPTH, check_size, weight
from .literals import LiteralError, decode_string, read_float, read_int
from .nodes import Node, constant
from .scope import Scope
from .values import add, divide, modulo, multiply, negate, plus, subtract

__all__ = ["Compiler"]

_ARITHMETIC: dict[str, Callable[[Any, Any], Any]] = {
    "add": add,
    "sub": subtract,
    "mul": multiply,
    "div": divide,
    "mod": modulo,
}
_NO_SCOPE = cast(Scope, None)


class Compiler:
    """Compiles the parse tree of one expression ``text`` found at ``origin``."""

    def __init__(self, text: str, origin: Origin) -> None:
        self.text = text
        self.origin = origin

    def error(self, message: str, where: Tree[Any] | Token | int) -> ExpressionError:
        """An ExpressionError at a tree, token or character offset of the text."""
        if isinstance(where, Token):
            offset = where.start_pos or 0
        elif isinstance(where, Tree):
            offset = 0 if where.meta.empty else where.meta.start_pos
        else:
            offset = where
        return ExpressionError.at(message, self.origin, self.text, offset)

    def compile(self, tree: Tree[Any], depth: int = 0) -> Node:
        """The node for ``tree``; ``depth`` is its nesting level in the expression."""
        if depth > MAX_TREE_DEPTH:
            raise self.error(f"the expression nests more than {MAX_TREE_DEPTH} deep", tree)
        handler = _HANDLERS.get(tree.data)
        if handler is None:
            raise self.error(f"unsupported construct {tree.data!r}", tree)
        return handler(self, tree, depth + 1)

    def fold(self, node: Node, operands: Sequence[Node], where: Tree[Any]) -> Node:
        """``node`` computed now when every operand is a constant."""
        if not all(operand.constant for operand in operands):
            return node
        try:
            value = node.fn(_NO_SCOPE)
        except RenderLimitError as exc:
            raise self.error(str(exc), where) from None
        except Exception:
            value = None
        return constant(value)

    def operands(self, tree: Tree[Any] | None, depth: int) -> list[Node]:
        """The compiled expressions of an ``args`` subtree (None: no arguments)."""
        if tree is None:
            return []
        return [self.compile(child, depth) for child in tree.children if isinstance(child, Tree)]

    # -- logic -------------------------------------------------------------------

    def _or(self, tree: Tree[Any], depth: int) -> Node:
        left, right = (self.compile(child, depth) for child in tree.children)
        first, second = left.fn, right.fn

        def either(scope: Scope) -> Any:
            value = first(scope)
            return value if value else second(scope)

        node = Node(either, boolean=left.boolean and right.boolean)
        return self.fold(node, (left, right), tree)

    def _and(self, tree: Tree[Any], depth: int) -> Node:
        left, right = (self.compile(child, depth) for child in tree.children)
        first, second = left.fn, right.fn

        def both(scope: Scope) -> Any:
            value = first(scope)
            return second(scope) if value else value

        node = Node(both, boolean=left.boolean and right.boolean)
        return self.fold(node, (left, right), tree)

    def _not(self, tree: Tree[Any], depth: int) -> Node:
        operand = self.compile(tree.children[0], depth)
        fn = operand.fn
        return self.fold(Node(lambda scope: not fn(scope), boolean=True), (operand,), tree)

    def _compare(self, tree: Tree[Any], depth: int) -> Node:
        left_tree, op_tree, right_tree = tree.children
        op = " ".join(str(token) for token in op_tree.children)
        left, right = self.compile(left_tree, depth), self.compile(right_tree, depth)
        if op == "=~":
            try:
                return regex_match(left, right)
            except PatternError as exc:
                raise self.error(str(exc), right_tree) from None
        node = Node(comparison(op, left, right), boolean=True)
        return self.fold(node, (left, right), tree)

    # -- arithmetic --------------------------------------------------------------

    def _arithmetic(self, tree: Tree[Any], depth: int) -> Node:
        op = _ARITHMETIC[tree.data]
        left, right = (self.compile(child, depth) for child in tree.children)
        first, second = left.fn, right.fn
        node = Node(lambda scope: op(first(scope), second(scope)))
        return self.fold(node, (left, right), tree)

    def _unary(self, tree: Tree[Any], depth: int) -> Node:
        op = negate if tree.data == "neg" else plus
        operand = self.compile(tree.children[0], depth)
        fn = operand.fn
        return self.fold(Node(lambda scope: op(fn(scope))), (operand,), tree)

    # -- calls and filters -------------------------------------------------------

    def _call(self, tree: Tree[Any], depth: int) -> Node:
        name_token, args = cast(Token, tree.children[0]), tree.children[1]
        name = str(name_token)
        callee = FUNCTIONS.get(name)
        if callee is None:
            raise self.error(_unknown("function", name, FUNCTIONS), name_token)
        return self._invoke(callee, name, self.operands(args, depth), tree, name_token)

    def _method(self, tree: Tree[Any], depth: int) -> Node:
        base, name_token, args = tree.children[0], cast(Token, tree.children[1]), tree.children[2]
        name = str(name_token)
        is_state = isinstance(base, Tree) and base.data == "name" and base.children[0] == "state"
        if not is_state:
            raise self.error(
                f"{name}() cannot be called here; only state.get/put/incr/delete/has are methods",
                name_token,
            )
        callee = STATE_METHODS.get(name)
        if callee is None:
            raise self.error(_unknown("state function", name, STATE_METHODS), name_token)
        return self._invoke(callee, f"state.{name}", self.operands(args, depth), tree, name_token)

    def _invoke(
        self, callee: Callee, name: str, args: list[Node], tree: Tree[Any], where: Token
    ) -> Node:
        if not callee.min_args <= len(args) <= callee.max_args:
            raise self.error(f"{name}() takes {callee.arity()}, not {len(args)}", where)
        call = callee.call
        fns = [arg.fn for arg in args]
        if not fns:
            node = Node(lambda scope: call(scope))
        elif len(fns) == 1:
            (only,) = fns
            node = Node(lambda scope: call(scope, only(scope)))
        else:
            node = Node(lambda scope: call(scope, *[fn(scope) for fn in fns]))
        return self.fold(node, args, tree) if callee.pure else node

    def _filter(self, tree: Tree[Any], depth: int) -> Node:
        operand_tree, name_token, *rest = tree.children
        name = str(name_token)
        callee = FILTERS.get(name)
        if callee is None:
            raise self.error(_unknown("filter", name, FILTERS), name_token)
        args = self.operands(rest[0] if rest else None, depth)
        if not callee.min_args <= len(args) <= callee.max_args:
            raise self.error(f"filter {name} takes {callee.arity()}, not {len(args)}", name_token)
        operand = self.compile(operand_tree, depth)
        call, value = callee.call, operand.fn
        fns = [arg.fn for arg in args]
        if not fns:
            node = Node(lambda scope: call(value(scope)))
        else:
            node = Node(lambda scope: call(value(scope), *[fn(scope) for fn in fns]))
        return self.fold(node, [operand, *args], tree)

    # -- data --------------------------------------------------------------------

    def _chain(self, tree: Tree[Any], depth: int) -> Node:
        return compile_chain(self, tree, depth)

    def _literal(self, tree: Tree[Any], depth: int) -> Node:
        kind = tree.data
        if kind in ("true", "false", "null"):
            return constant({"true": True, "false": False, "null": None}[kind])
        token = tree.children[0]
        try:
            if kind == "integer":
                return constant(read_int(str(token)))
            if kind == "floating":
                return constant(read_float(str(token)))
            return constant(decode_string(str(token)))
        except LiteralError as exc:
            raise self.error(str(exc), token) from None

    def _list(self, tree: Tree[Any], depth: int) -> Node:
        items = self.operands(tree.children[0], depth)
        if all(item.constant for item in items):
            return constant([item.value for item in items])
        fns = [item.fn for item in items]

        def build(scope: Scope) -> Any:
            value = [fn(scope) for fn in fns]
            check_size(weight(value))
            return value

        return Node(build)

    def _object(self, tree: Tree[Any], depth: int) -> Node:
        pairs = tree.children[0]
        entries: list[tuple[str, Node]] = []
        for pair in pairs.children if pairs is not None else ():
            if not isinstance(pair, Tree):
                continue
            key_token, value_tree = cast(Token, pair.children[0]), pair.children[1]
            key = str(key_token)
            if key_token.type == "STRING":
                try:
                    key = decode_string(key)
                except LiteralError as exc:
                    raise self.error(str(exc), key_token) from None
            entries.append((key, self.compile(value_tree, depth)))
        if all(node.constant for _, node in entries):
            return constant({key: node.value for key, node in entries})
        fns = [(key, node.fn) for key, node in entries]

        def build(scope: Scope) -> Any:
            value = {key: fn(scope) for key, fn in fns}
            check_size(weight(value))
            return value

        return Node(build)


def _unknown(kind: str, name: str, known: dict[str, Callee]) -> str:
    close = difflib.get_close_matches(name, known, n=1)
    hint = f"did you mean {close[0]!r}? " if close else ""
    return f"unknown {kind} {name!r}; {hint}known: {', '.join(sorted(known))}"


_HANDLERS: dict[str, Callable[[Compiler, Tree[Any], int], Node]] = {
    "or_": Compiler._or,
    "and_": Compiler._and,
    "not_": Compiler._not,
    "compare": Compiler._compare,
    "add": Compiler._arithmetic,
    "sub": Compiler._arithmetic,
    "mul": Compiler._arithmetic,
    "div": Compiler._arithmetic,
    "mod": Compiler._arithmetic,
    "neg": Compiler._unary,
    "pos": Compiler._unary,
    "call": Compiler._call,
    "method": Compiler._method,
    "filter": Compiler._filter,
    "name": Compiler._chain,
    "alias": Compiler._chain,
    "member": Compiler._chain,
    "index": Compiler._chain,
    "integer": Compiler._literal,
    "floating": Compiler._literal,
    "string": Compiler._literal,
    "true": Compiler._literal,
    "false": Compiler._literal,
    "null": Compiler._literal,
    "list": Compiler._list,
    "object": Compiler._object,
}
