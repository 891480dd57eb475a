"""Resolving a schema's fields: the engine answers root fields and type mocks,
mock data answers the fields it gives, fake data answers the rest.

Every field gets its own resolver, built once at start-up from the field's
type (:class:`Shape`), so a request does no type inspection:

- a root field asks the :class:`~..service.MockService` (hooks, then mocks,
  per operation id ``query_user``); when nothing answers, fake data does;
- any other field reads its value from the object's known data, else fakes it
  from the object's key (:mod:`.fakes`), so answers are stable per path;
- an object of a type that has mocks (``operation: User``) asks the engine for
  it too, and what the mock gives fills fields the parent did not;
- abstract types resolve to a concrete type: the data's ``__typename``, else
  the one possible type whose fields hold the data, else a stable choice;
- ``{"$error": …}`` anywhere in the data is a field error at that place.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from graphql import (
    FragmentSpreadNode,
    GraphQLEnumType,
    GraphQLError,
    GraphQLField,
    GraphQLInterfaceType,
    GraphQLObjectType,
    GraphQLSchema,
    GraphQLUnionType,
    InlineFragmentNode,
    get_named_type,
    is_abstract_type,
    is_leaf_type,
    is_list_type,
    is_non_null_type,
)

from ..engine import Reply, Request
from ..exceptions import HookError
from ..service import MockService
from .contract import RootField
from .fakes import LeafFakes, Maker, stable_index
from .limits import FULL_LIST_LEVELS
from .subscriptions import EventStreams
from .values import (
    ERROR_KEY,
    MISSING,
    Event,
    Execution,
    Node,
    args_key,
    error_from_marker,
    error_from_reply,
    is_success,
)

__all__ = ["PAGE_ARGUMENTS", "Resolvers", "RootField", "Shape"]

PAGE_ARGUMENTS = ("first", "last", "limit", "take", "pageSize", "perPage")
"""Integer arguments that say how long a faked list is (capped by ``max_list``)."""
_DECODED_CACHE = 1024


@dataclass(frozen=True, slots=True)
class Shape:
    """A field's type, as resolution needs it: list depth, then the named type."""

    depth: int
    type_name: str
    maker: Maker | None
    """Leaf types: how fake values are made; None for object and abstract types."""
    possible: tuple[str, ...]
    """Abstract types: the concrete types, in schema order; ``(type_name,)`` for objects."""

    @property
    def is_leaf(self) -> bool:
        return self.maker is not None


class Resolvers:
    """Builds and holds the resolvers of one schema, served by ``service``."""

    def __init__(
        self,
        schema: GraphQLSchema,
        service: MockService,
        roots: Mapping[tuple[str, str], RootField],
        leaves: LeafFakes,
        *,
        list_length: int = 2,
        max_list: int = 100,
        hooked_types: frozenset[str] = frozenset(),
        streams: EventStreams | None = None,
    ) -> None:
        self.schema = schema
        self.hooked_types = hooked_types
        self.streams = streams
        """Object types that ``handlers.py`` answers (a hook named like the type)."""
        self.service = service
        self.leaves = leaves
        self.list_length = list_length
        self.max_list = max_list
        self.roots = dict(roots)
        self._decoded: dict[int, tuple[bytes, Any]] = {}
        self._selections: dict[tuple[int, str], tuple[Any, tuple[str, ...]]] = {}
        self._leaf_fields: dict[str, dict[str, str]] = {}
        self._id_shapes: dict[str, Shape] = {}
        self._fields: dict[str, frozenset[str]] = {}
        for type_ in schema.type_map.values():
            if isinstance(type_, GraphQLObjectType | GraphQLInterfaceType):
                self._fields[type_.name] = frozenset(type_.fields)
                self._leaf_fields[type_.name] = {
                    name: get_named_type(field.type).name
                    for name, field in type_.fields.items()
                    if is_leaf_type(get_named_type(field.type))
                }

    # -- building ------------------------------------------------------------

    def attach(self) -> None:
        """Set the resolver of every field and the type resolver of every abstract type."""
        schema = self.schema
        root_types = {
            "query": schema.query_type,
            "mutation": schema.mutation_type,
            "subscription": schema.subscription_type,
        }
        for type_ in schema.type_map.values():
            if type_.name.startswith("__"):
                continue
            if isinstance(type_, GraphQLObjectType):
                for name, field in type_.fields.items():
                    field.resolve = self._field_resolver(type_, name, field)
                    if name == "id":
                        self._id_shapes[type_.name] = self.shape(field)
            if isinstance(type_, GraphQLInterfaceType | GraphQLUnionType):
                type_.resolve_type = _resolve_type
        for root, root_type in root_types.items():
            if root_type is None:
                continue
            for name, field in root_type.fields.items():
                spec = self.roots.get((root, name))
                if spec is None:
                    continue
                if root == "subscription":
                    field.resolve = self._event_resolver(spec, self.shape(field))
                    if self.streams is not None:
                        field.subscribe = self.streams.subscriber(spec.operation, spec.field)
                else:
                    field.resolve = self._root_resolver(spec, self.shape(field))

    def shape(self, field: GraphQLField) -> Shape:
        type_: Any = field.type
        depth = 0
        while True:
            if is_non_null_type(type_):
                type_ = type_.of_type
            elif is_list_type(type_):
                depth += 1
                type_ = type_.of_type
            else:
                break
        name = type_.name
        if is_leaf_type(type_):
            values = None
            if isinstance(type_, GraphQLEnumType):
                every = list(type_.values)
                live = [v for v in every if type_.values[v].deprecation_reason is None]
                values = live or every
            return Shape(depth, name, self.leaves.maker(name, values), ())
        if is_abstract_type(type_):
            possible = tuple(member.name for member in self.schema.get_possible_types(type_))
            return Shape(depth, name, None, possible)
        return Shape(depth, name, None, (name,))

    def _field_resolver(
        self, owner: GraphQLObjectType, name: str, field: GraphQLField
    ) -> Callable[..., Any]:
        shape = self.shape(field)
        dotted = "." + name
        leaves = self.leaves
        if shape.is_leaf and shape.depth == 0:
            maker = shape.maker
            assert maker is not None

            def resolve_leaf(source: Any, info: Any, **args: Any) -> Any:
                data = source.data
                if data is not None:
                    value = data.get(name, MISSING)
                    if value is not MISSING:
                        if value.__class__ is dict and ERROR_KEY in value:
                            return error_from_marker(value)
                        return value
                key = source.key + dotted
                if args:
                    key += args_key(args)
                return leaves.value(maker, key, name)

            return resolve_leaf

        def resolve(source: Any, info: Any, **args: Any) -> Any:
            key = source.key + dotted
            if args:
                key += args_key(args)
            data = source.data
            if data is not None:
                value = data.get(name, MISSING)
                if value is not MISSING:
                    return self.convert(value, shape, shape.depth, key, args, info, source.weak)
            return self.fake(shape, shape.depth, key, args, info, name, source.length)

        return resolve

    def _root_resolver(self, spec: RootField, shape: Shape) -> Callable[..., Any]:
        operation = spec.operation
        target = f"{spec.root}.{spec.field}"
        service = self.service
        generated = f"mock:{operation}"

        def resolve(source: Any, info: Any, **args: Any) -> Any:
            execution: Execution = info.context
            request = Request(
                operation,
                query=args,
                body=args,
                headers=execution.headers,
                method=spec.root,
                target=target,
            )
            try:
                reply = service.handle(request)
            except HookError as error:
                execution.note(request, None)
                return GraphQLError(str(error), extensions={"code": "HOOK_FAILED"})
            execution.note(request, reply)
            key = operation + args_key(args)
            # the generated mock's data is fake data written down: type mocks and
            # the query's fragments win over it; any other mock or a hook wins over them
            weak = reply.source == generated
            return self.answer(reply, shape, key, args, info, spec.field, weak)

        return resolve

    def _event_resolver(self, spec: RootField, shape: Shape) -> Callable[..., Any]:
        operation = spec.operation
        generated = f"mock:{operation}"

        def resolve(event: Any, info: Any, **args: Any) -> Any:
            if not isinstance(event, Event):
                return GraphQLError("subscriptions are answered over WebSocket")
            key = f"{operation}{args_key(args)}#{event.number}"
            if event.reply is not None:
                weak = event.reply.source == generated
                return self.answer(event.reply, shape, key, args, info, spec.field, weak)
            if event.data is MISSING:
                return self.fake(shape, shape.depth, key, args, info, spec.field)
            return self.convert(event.data, shape, shape.depth, key, args, info)

        return resolve

    # -- answers -------------------------------------------------------------

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
                    f"got {_json_kind(value)}"
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
                f"{info.parent_type.name}.{info.field_name}, got {_json_kind(value)}"
            )
        type_name = self._concrete(shape, value, key, info, weak)
        if type_name is None:
            return GraphQLError(
                f"__typename {value.get('__typename')!r} is not a possible type of "
                f"{shape.type_name} ({', '.join(shape.possible)})"
            )
        if weak and value.get("__typename", type_name) != type_name:
            fields = self._fields.get(type_name, frozenset())
            value = {name: item for name, item in value.items() if name in fields}
        length = self._page(args) if shape.depth == 0 else None
        if args and shape.depth == 0:
            echoed = self._echo(type_name, args, info)
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
            length = self._page(args) if depth == shape.depth else None
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
        possible = self._selected(shape, info) if len(shape.possible) > 1 else shape.possible
        if not possible:
            return None
        type_name = (
            possible[0] if len(possible) == 1 else possible[stable_index(key, len(possible))]
        )
        length = self._page(args) if shape.depth == 0 else None
        return self.node(type_name, self._echo(type_name, args, info), key, args, info, length)

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
            if name in self._leaf_fields.get(type_name, ())
            and not (value.__class__ is dict and ERROR_KEY in value)
        }
        id_shape = self._id_shapes.get(type_name)
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
                f"the mock of {type_name} answered {_json_kind(given)}, not an object"
            )
        return Node(type_name, merged, key, length, weak)

    def _concrete(
        self, shape: Shape, value: dict[str, Any], key: str, info: Any, weak: bool = False
    ) -> str | None:
        """The concrete type of given object data: its ``__typename`` (unless the
        data is ``weak`` and the query's fragments name other types), else the
        possible types whose fields hold all of its keys, else any possible type,
        preferring those the query's fragments name."""
        possible = shape.possible
        named = value.get("__typename")
        if len(possible) > 1:
            selected = self._selected(shape, info)
            if named is not None and weak and named not in selected:
                named = None
            possible = selected
        if named is not None:
            return named if named in shape.possible else None
        if len(possible) == 1:
            return possible[0]
        given = {name for name in value if not name.startswith(("$", "__"))}
        fitting = [name for name in possible if given <= self._fields.get(name, frozenset())]
        pool = fitting if given and fitting else possible
        return pool[stable_index(key, len(pool))] if pool else None

    def _selected(self, shape: Shape, info: Any) -> tuple[str, ...]:
        """The possible types of an abstract field that the query's fragments on it
        name (``... on Droid``, a spread of a fragment on ``Droid``, or an interface
        they implement); all possible types when the fragments name none."""
        nodes = info.field_nodes
        cache_key = (id(nodes[0]), shape.type_name)
        cached = self._selections.get(cache_key)
        if cached is not None and cached[0] is nodes[0]:
            return cached[1]
        named: set[str] = set()
        pending = [node.selection_set for node in nodes if node.selection_set is not None]
        seen: set[str] = set()
        while pending:
            selection_set = pending.pop()
            for selection in selection_set.selections:
                condition = None
                if isinstance(selection, InlineFragmentNode):
                    condition = selection.type_condition
                    pending.append(selection.selection_set)
                elif isinstance(selection, FragmentSpreadNode):
                    fragment = info.fragments.get(selection.name.value)
                    if fragment is None or fragment.name.value in seen:
                        continue
                    seen.add(fragment.name.value)
                    condition = fragment.type_condition
                    pending.append(fragment.selection_set)
                if condition is not None:
                    named.update(self._members(condition.name.value))
        chosen = tuple(name for name in shape.possible if name in named) or shape.possible
        if len(self._selections) >= _DECODED_CACHE:
            self._selections.clear()
        self._selections[cache_key] = (nodes[0], chosen)
        return chosen

    def _members(self, type_name: str) -> tuple[str, ...]:
        """The object types ``type_name`` stands for (itself, or its possible types)."""
        type_ = self.schema.get_type(type_name)
        if type_ is not None and is_abstract_type(type_):
            return tuple(member.name for member in self.schema.get_possible_types(type_))
        return (type_name,)

    def _echo(self, type_name: str, args: dict[str, Any], info: Any) -> dict[str, Any] | None:
        """Arguments named like a leaf field of the object, of the same type,
        answer that field (``user(login: "ada")`` answers ``login: "ada"``)."""
        if not args:
            return None
        fields = self._leaf_fields.get(type_name)
        if not fields:
            return None
        definitions = info.parent_type.fields[info.field_name].args
        echoed = {}
        for name, value in args.items():
            field_type = fields.get(name)
            if field_type is None or value is None or isinstance(value, dict | list):
                continue
            arg_type = get_named_type(definitions[name].type).name
            if arg_type == field_type or (field_type == "ID" and arg_type in ("String", "Int")):
                echoed[name] = value
        return echoed or None

    def _page(self, args: dict[str, Any]) -> int | None:
        """The length a page argument asks for (capped), if the field has one."""
        if not args:
            return None
        for name in PAGE_ARGUMENTS:
            value = args.get(name)
            if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
                return min(value, self.max_list)
        return None


def _resolve_type(value: Any, info: Any, abstract_type: Any) -> Any:
    return value.type if isinstance(value, Node) else None


def _json_kind(value: Any) -> str:
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    return type(value).__name__
