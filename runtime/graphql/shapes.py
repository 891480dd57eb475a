"""A field's type as resolution needs it (:class:`Shape`), and page arguments."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from graphql import (
    GraphQLEnumType,
    GraphQLField,
    GraphQLSchema,
    is_abstract_type,
    is_leaf_type,
    is_list_type,
    is_non_null_type,
)

from .fakes import LeafFakes, Maker

__all__ = ["PAGE_ARGUMENTS", "Shape", "field_shape", "json_kind", "page_length"]

PAGE_ARGUMENTS = ("first", "last", "limit", "take", "pageSize", "perPage")
"""Integer arguments that say how long a faked list is (capped by ``max_list``)."""


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


def field_shape(schema: GraphQLSchema, leaves: LeafFakes, field: GraphQLField) -> Shape:
    """The shape of ``field``'s type (leaf makers from ``leaves``)."""
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
        return Shape(depth, name, leaves.maker(name, values), ())
    if is_abstract_type(type_):
        possible = tuple(member.name for member in schema.get_possible_types(type_))
        return Shape(depth, name, None, possible)
    return Shape(depth, name, None, (name,))


def page_length(args: dict[str, Any], max_list: int) -> int | None:
    """The length a page argument asks for (capped), if the field has one."""
    if not args:
        return None
    for name in PAGE_ARGUMENTS:
        value = args.get(name)
        if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
            return min(value, max_list)
    return None


def json_kind(value: Any) -> str:
    """What a JSON value is, for messages (``a list``, ``an object``…)."""
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
