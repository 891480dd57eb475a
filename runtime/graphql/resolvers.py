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

What the values are is :mod:`.answers` (over :mod:`.objects` and :mod:`.shapes`);
this module builds the resolvers that ask it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from graphql import (
    GraphQLError,
    GraphQLField,
    GraphQLInterfaceType,
    GraphQLObjectType,
    GraphQLSchema,
    GraphQLUnionType,
)

from ..engine import Request
from ..exceptions import HookError
from ..service import MockService
from .answers import Answers
from .contract import RootField
from .fakes import LeafFakes
from .objects import resolve_type
from .shapes import Shape, field_shape
from .subscriptions import EventStreams
from .values import (
    ERROR_KEY,
    MISSING,
    Event,
    Execution,
    args_key,
    error_from_marker,
)

__all__ = ["Resolvers"]

_DECODED_CACHE = 1024


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
        self.streams = streams
        self.service = service
        self.leaves = leaves
        self.roots = dict(roots)
        self.answers = Answers(
            schema,
            service,
            leaves,
            list_length=list_length,
            max_list=max_list,
            hooked_types=hooked_types,
        )
        """What the fields answer: engine replies, given data, fake data."""

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
                        self.answers.id_shapes[type_.name] = self.shape(field)
            if isinstance(type_, GraphQLInterfaceType | GraphQLUnionType):
                type_.resolve_type = resolve_type
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
        return field_shape(self.schema, self.leaves, field)

    def _field_resolver(
        self, owner: GraphQLObjectType, name: str, field: GraphQLField
    ) -> Callable[..., Any]:
        shape = self.shape(field)
        dotted = "." + name
        leaves = self.leaves
        answers = self.answers
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
                    return answers.convert(value, shape, shape.depth, key, args, info, source.weak)
            return answers.fake(shape, shape.depth, key, args, info, name, source.length)

        return resolve

    def _root_resolver(self, spec: RootField, shape: Shape) -> Callable[..., Any]:
        operation = spec.operation
        target = f"{spec.root}.{spec.field}"
        service = self.service
        answers = self.answers
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
            return answers.answer(reply, shape, key, args, info, spec.field, weak)

        return resolve

    def _event_resolver(self, spec: RootField, shape: Shape) -> Callable[..., Any]:
        operation = spec.operation
        answers = self.answers
        generated = f"mock:{operation}"

        def resolve(event: Any, info: Any, **args: Any) -> Any:
            if not isinstance(event, Event):
                return GraphQLError("subscriptions are answered over WebSocket")
            key = f"{operation}{args_key(args)}#{event.number}"
            if event.reply is not None:
                weak = event.reply.source == generated
                return answers.answer(event.reply, shape, key, args, info, spec.field, weak)
            if event.data is MISSING:
                return answers.fake(shape, shape.depth, key, args, info, spec.field)
            return answers.convert(event.data, shape, shape.depth, key, args, info)

        return resolve
