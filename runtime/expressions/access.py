"""Compiling what an expression reads: ``request.*``, ``state.*``, ``fake.*``,
Mockarty aliases (``$.body.a``) and lookups into JSON data.

Request fields are read by explicit code, one accessor per field; everything
below a field is dict/list/str indexing through :func:`~.values.get_item`.
Nothing here ever looks up an attribute of a Python object by name.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, cast

from lark import Token, Tree

from ..engine import Request
from .fake import resolve_fake_name, suggest_fake_name
from .functions import STATE_METHODS
from .nodes import Fn, Node, constant
from .scope import Scope
from .values import get_item

if TYPE_CHECKING:
    from .compiler import Compiler

__all__ = ["ALIAS_ROOTS", "REQUEST_FIELDS", "compile_alias", "compile_chain"]

Step = tuple[Tree[Any] | Token | int, Node, bool]
"""One lookup: where it is written (for errors), the key, and whether it is
written as a member (``.name``) rather than an index (``[key]``)."""


def _request_view(request: Request) -> dict[str, Any]:
    return {
        "path": request.path,
        "query": request.query,
        "headers": request.headers,
        "cookies": request.cookies,
        "body": request.body,
        "method": request.method,
        "operation": request.operation_id,
        "target": request.target,
        "steps": request.steps,
    }


REQUEST_FIELDS: dict[str, Callable[[Request], Any]] = {
    "path": lambda request: request.path,
    "query": lambda request: request.query,
    "headers": lambda request: request.headers,
    "cookies": lambda request: request.cookies,
    "body": lambda request: request.body,
    "method": lambda request: request.method,
    "operation": lambda request: request.operation_id,
    "target": lambda request: request.target,
    "steps": lambda request: request.steps,
}
"""The fields ``request.<field>`` reads, each by explicit code."""

ALIAS_ROOTS: dict[str, str] = {
    "pathParam": "path",
    "queryParam": "query",
    "header": "headers",
    "headers": "headers",
    "cookie": "cookies",
    "cookies": "cookies",
    "body": "body",
    "fake": "",
    "state": "",
}
"""``$.<root>`` → the request field it stands for (``fake`` and ``state`` are special)."""

_ALIAS_SEGMENT = re.compile(r"\.([A-Za-z_][\w-]*)|\[(\d+)\]|\[\"([^\"]*)\"\]|\['([^']*)'\]")
_ROOTS = ("request", "state", "fake")


def compile_chain(compiler: Compiler, tree: Tree[Any], depth: int) -> Node:
    """A member/index chain such as ``request.body.items[0].sku``."""
    steps_trees: list[Tree[Any]] = []
    base = tree
    while isinstance(base, Tree) and base.data in ("member", "index"):
        steps_trees.append(base)
        base = base.children[0]
    steps_trees.reverse()
    steps: list[Step] = [_step(compiler, step, depth) for step in steps_trees]
    if isinstance(base, Tree) and base.data == "name":
        return _root(compiler, cast(Token, base.children[0]), steps)
    if isinstance(base, Tree) and base.data == "alias":
        return compile_alias(compiler, cast(Token, base.children[0]), steps)
    return lookup(compiler.compile(base, depth + 1), steps)


def _step(compiler: Compiler, step: Tree[Any], depth: int) -> Step:
    key = step.children[1]
    if step.data == "member":
        return key, constant(str(key)), True
    return key, compiler.compile(key, depth + 1), False


def _root(compiler: Compiler, token: Token, steps: list[Step]) -> Node:
    name = str(token)
    if name == "request":
        return _request(compiler, token, steps)
    if name == "state":
        return _state(compiler, token, steps)
    if name == "fake":
        return _fake(compiler, token, steps)
    close = difflib.get_close_matches(name, _ROOTS, n=1)
    hint = f"; did you mean {close[0]!r}?" if close else "; names start with request, state or fake"
    raise compiler.error(f"unknown name {name!r}{hint}", token)


def _request(compiler: Compiler, token: Token, steps: list[Step]) -> Node:
    if not steps:
        return Node(lambda scope: _request_view(scope.request))
    where, key, _ = steps[0]
    if not key.constant or type(key.value) is not str or key.value not in REQUEST_FIELDS:
        shown = key.value if key.constant else "…"
        raise compiler.error(
            f"request has no field {shown!r}; fields: {', '.join(REQUEST_FIELDS)}", where
        )
    return _field(key.value, steps[1:])


def _field(field: str, steps: list[Step]) -> Node:
    read = REQUEST_FIELDS[field]
    if field == "headers" and steps:
        steps = [(steps[0][0], _lower(steps[0][1]), steps[0][2]), *steps[1:]]
    if steps and steps[0][1].constant and type(steps[0][1].value) is str:
        first = steps[0][1].value

        def field_item(scope: Scope) -> Any:
            container = read(scope.request)
            if type(container) is dict:
                return container.get(first)
            return get_item(container, first)

        return lookup(Node(field_item), steps[1:])
    return lookup(Node(lambda scope: read(scope.request)), steps)


def _lower(key: Node) -> Node:
    """Header names are matched in lower case."""
    if key.constant:
        return constant(key.value.lower() if type(key.value) is str else key.value)
    fn = key.fn
    return Node(lambda scope: _lower_text(fn(scope)))


def _lower_text(value: Any) -> Any:
    return value.lower() if type(value) is str else value


def _state(compiler: Compiler, token: Token, steps: list[Step]) -> Node:
    if not steps:
        raise compiler.error('state is read with state.get("key")', token)
    where, key, is_member = steps[0]
    if key.constant and is_member and key.value in STATE_METHODS:
        raise compiler.error(f"state.{key.value} is a function: call it with (…)", where)
    get = STATE_METHODS["get"].call
    key_fn = key.fn
    return lookup(Node(lambda scope: get(scope, key_fn(scope))), steps[1:])


def _fake(compiler: Compiler, token: Token, steps: list[Step]) -> Node:
    if not steps or not steps[0][1].constant or type(steps[0][1].value) is not str:
        raise compiler.error("fake needs a name, such as fake.first_name", token)
    where, key, _ = steps[0]
    resolved = resolve_fake_name(key.value)
    if resolved is None:
        close = suggest_fake_name(key.value)
        hint = f"; did you mean fake.{close}?" if close else ""
        raise compiler.error(f"unknown fake data name {key.value!r}{hint}", where)

    def fake_value(scope: Scope) -> Any:
        return scope.fake_provider().generate(resolved)

    return lookup(Node(fake_value), steps[1:])


def compile_alias(compiler: Compiler, token: Token, steps: list[Step]) -> Node:
    """A Mockarty alias such as ``$.pathParam.id`` or ``$.fake.FirstName``."""
    text = str(token)
    start = token.start_pos or 0
    segments: list[Step] = []
    for match in _ALIAS_SEGMENT.finditer(text, 1):
        name, number, double, single = match.groups()
        key = int(number) if number else (name or double or single)
        segments.append((start + match.start() + 1, constant(key), False))
    root = segments[0][1].value
    if root not in ALIAS_ROOTS:
        raise compiler.error(
            f"unknown alias root '$.{root}'; known: "
            + ", ".join(f"$.{name}" for name in ALIAS_ROOTS),
            segments[0][0],
        )
    rest = segments[1:] + steps
    field = ALIAS_ROOTS[root]
    if root == "fake":
        return _fake(compiler, token, rest)
    if root == "state":
        return _state(compiler, token, rest)
    return _field(field, rest)


def lookup(base: Node, steps: list[Step]) -> Node:
    """``base`` followed by ``steps`` of indexing; a missing key gives None."""
    node = base
    index = 0
    while index < len(steps):
        if steps[index][1].constant:
            end = index
            while end < len(steps) and steps[end][1].constant:
                end += 1
            node = _constant_path(node, tuple(key.value for _, key, _ in steps[index:end]))
            index = end
        else:
            node = _dynamic_item(node, steps[index][1].fn)
            index += 1
    return node


def _constant_path(base: Node, keys: tuple[Any, ...]) -> Node:
    fn = base.fn
    if base.constant:
        value = base.value
        for key in keys:
            value = get_item(value, key)
        return constant(value)
    if len(keys) == 1:
        (key,) = keys

        def one(scope: Scope) -> Any:
            return get_item(fn(scope), key)

        return Node(one)

    def path(scope: Scope) -> Any:
        value = fn(scope)
        for key in keys:
            value = get_item(value, key)
            if value is None:
                return None
        return value

    return Node(path)


def _dynamic_item(base: Node, key_fn: Fn) -> Node:
    fn = base.fn
    return Node(lambda scope: get_item(fn(scope), key_fn(scope)))
