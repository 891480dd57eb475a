"""What a field answers: the engine's reply, data it is given, or fake data.

Data (a mock's, a hook's, pushed) is converted to the field's :class:`~.shapes.Shape`:
lists item by item, objects as :class:`~.values.Node` of their concrete type,
whose missing fields fake themselves from the object's key, so answers are
stable per path; an object of a type that has mocks asks the engine for it too.
``{"$error": …}`` anywhere in the data is a field error at that place.
"""

from __future__ import annotations

import json
from typing import Any

from graphql import GraphQLError, GraphQLSchema

from ..engine import Reply, Request
from ..exceptions import HookError
from ..service import MockService
from .fakes import LeafFakes, stable_index
from .limits import FULL_LIST_LEVELS
from .objects import ObjectTypes
from .shapes import Shape, json_kind, page_length
from .values import (
    ERROR_KEY,
    MISSING,
    Execution,
    Node,
    error_from_marker,
    error_from_reply,
    is_success,
)

__all__ = ["Answers"]

_DECODED_CACHE = 1024


class Answers:
    """The values of fields of one schema, served by ``service``."""

    def __init__(
        self,
        schema: GraphQLSchema,
        service: MockService,
        leaves: LeafFakes,
        *,
        list_length: int = 2,
        max_list: int = 100,
        hooked_types: frozenset[str] = frozenset(),
    ) -> None:
        self.schema = schema
        self.service = service
        self.leaves = leaves
        self.list_length = list_length
        self.max_list = max_list
        self.hooked_types = hooked_types
        """Object types that ``handlers.py`` answers (a hook named like the type)."""
        self.types = ObjectTypes(schema)
        self.id_shapes: dict[str, Shape] = {}
        """The shape of each object type's ``id`` field (type mocks are asked with it)."""
        self._decoded: dict[int, tuple[bytes, Any]] = {}

    def answer(
        self,
        reply: Reply,
        shape: Shape,
        key: str,
        args: dict[str, Any],
        info: Any,
        name: str,
        weak: bool = False,
    ) -> Any:
        """The value of a field an engine reply answers."""
        data = self.decoded(reply)
        status = str(reply.status)
        if not is_success(status):
            return error_from_reply(status, None if data is MISSING else data, name)
        if data is MISSING:
            return self.fake(shape, shape.depth, key, args, info, name)
        return self.convert(data, shape, shape.depth, key, args, info, weak)

    def decoded(self, reply: Reply) -> Any:
        """The reply's body as data; MISSING when it has none."""
        content = reply.content
        if content is None:
            return MISSING if reply.body is None else reply.body
        cached = self._decoded.get(id(content))
        if cached is not None and cached[0] is content:
            return cached[1]
        try:
            value = json.loads(content)
        except ValueError:
            value = content.decode("utf-8", "replace")
        if len(self._decoded) >= _DECODED_CACHE:
            self._decoded.clear()
        self._decoded[id(content)] = (content, value)
        return value

    def convert(
        self,
        value: Any,
        shape: Shape,
        depth: int,
        key: str,
        args: dict[str, Any],
        info: Any,
        weak: bool = False,
    ) -> Any:
        """Given data (a mock's, a hook's, pushed) as the value of a field of ``shape``."""
        if value is None:
            return None
        if value.__class__ is dict and ERROR_KEY in value:
            return error_from_marker(value)
        if depth:
            if not isinstance(value, list):
                return GraphQLError(
                    f"expected a list for {info.parent_type.name}.{info.field_name}, "
                    f"got {json_kind(value)}"
                )
            return [
                self.convert(item, shape, depth - 1, f"{key}[{index}]", args, info, weak)
                for index, item in enumerate(value)
            ]
        if shape.is_leaf:
            return value
        if not isinstance(value, dict):
            return GraphQLError(
                f"expected an object ({shape.type_name}) for "
                f"{info.parent_type.name}.{info.field_name}, got {json_kind(value)}"
            )
        type_name = self.types.concrete(shape, value, key, info, weak)
        if type_name is None:
            return GraphQLError(
                f"__typename {value.get('__typename')!r} is not a possible type of "
                f"{shape.type_name} ({', '.join(shape.possible)})"
            )
        if weak and value.get("__typename", type_name) != type_name:
            fields = self.types.fields.get(type_name, frozenset())
            value = {name: item for name, item in value.items() if name in fields}
        length = page_length(args, self.max_list) if shape.depth == 0 else None
        if args and shape.depth == 0:
            echoed = self.types.echo(type_name, args, info)
            if echoed:
                value = {**echoed, **value}
        return self.node(type_name, value, key, args, info, length, weak)

    def fake(
        self,
        shape: Shape,
        depth: int,
        key: str,
        args: dict[str, Any],
        info: Any,
        name: str,
        inherited: int | None = None,
    ) -> Any:
        """A fake value of ``shape`` (never null: every field answers something).
        A list is as long as the field's page argument says, else as its parent
        object's (``inherited``), else ``list_length``."""
        if depth:
            length = page_length(args, self.max_list) if depth == shape.depth else None
            if length is None:
                length = inherited if inherited is not None and depth == shape.depth else None
            if length is None:
                # lists of lists: one item past the second level (the size stays linear)
                length = self.list_length if shape.depth - depth < FULL_LIST_LEVELS else 1
            return [
                self.fake(shape, depth - 1, f"{key}[{index}]", args, info, name)
                for index in range(length)
            ]
        if shape.maker is not None:
            return self.leaves.value(shape.maker, key, name)
        possible = self.types.selected(shape, info) if len(shape.possible) > 1 else shape.possible
        if not possible:
            return None
        type_name = (
            possible[0] if len(possible) == 1 else possible[stable_index(key, len(possible))]
        )
        length = page_length(args, self.max_list) if shape.depth == 0 else None
        return self.node(type_name, self.types.echo(type_name, args, info), key, args, info, length)

    def node(
        self,
        type_name: str,
        data: dict[str, Any] | None,
        key: str,
        args: dict[str, Any],
        info: Any,
        length: int | None = None,
        weak: bool = False,
    ) -> Any:
        """The object ``type_name`` at ``key``; a type mock, when there is one, adds
        the fields it gives (the parent's data wins, unless it is ``weak``: from a
        generated mock). ``length``: of its faked lists."""
        if type_name in self.hooked_types or self.service.mocks.has_mocks(type_name):
            return self._type_mock(type_name, data, key, args, info, length, weak)
        return Node(type_name, data, key, length, weak)

    def _type_mock(
        self,
        type_name: str,
        data: dict[str, Any] | None,
        key: str,
        args: dict[str, Any],
        info: Any,
        length: int | None,
        weak: bool = False,
    ) -> Any:
        known = {
            name: value
            for name, value in (data or {}).items()
            if name in self.types.leaf_fields.get(type_name, ())
            and not (value.__class__ is dict and ERROR_KEY in value)
        }
        id_shape = self.id_shapes.get(type_name)
        if "id" not in known and id_shape is not None and id_shape.maker is not None:
            known["id"] = self.leaves.value(id_shape.maker, key + ".id", "id")
        execution: Execution = info.context
        request = Request(
            type_name,
            path=known,
            query=args,
            body=args,
            headers=execution.headers,
            method=execution.method,
            target=".".join(str(part) for part in info.path.as_list()),
        )
        try:
            reply = self.service.handle(request)
        except HookError as error:
            return GraphQLError(str(error), extensions={"code": "HOOK_FAILED"})
        if reply.delay_ms > execution.delay_ms:
            execution.delay_ms = reply.delay_ms
        given = self.decoded(reply)
        status = str(reply.status)
        if not is_success(status):
            return error_from_reply(status, None if given is MISSING else given, type_name)
        if given is MISSING:
            merged = {**known, **(data or {})}
        elif isinstance(given, dict):
            if ERROR_KEY in given:
                return error_from_marker(given)
            if weak:
                merged = {**known, **(data or {}), **given}
            else:
                merged = {**known, **given, **(data or {})}
        else:
            return GraphQLError(
                f"the mock of {type_name} answered {json_kind(given)}, not an object"
            )
        return Node(type_name, merged, key, length, weak)
