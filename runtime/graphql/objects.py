"""What resolution knows of a schema's object types: their fields, the concrete
type of abstract data, and the arguments a fetched object echoes."""

from __future__ import annotations

from typing import Any

from graphql import (
    FragmentSpreadNode,
    GraphQLInterfaceType,
    GraphQLObjectType,
    GraphQLSchema,
    InlineFragmentNode,
    get_named_type,
    is_abstract_type,
    is_leaf_type,
)

from .fakes import stable_index
from .shapes import Shape
from .values import Node

__all__ = ["ObjectTypes", "resolve_type"]

_SELECTIONS_CACHE = 1024


def resolve_type(value: Any, info: Any, abstract_type: Any) -> Any:
    """graphql-core's type resolver of abstract types: the node's concrete type."""
    return value.type if isinstance(value, Node) else None


class ObjectTypes:
    """The object and interface types of ``schema``: fields, leaf fields, choices."""

    def __init__(self, schema: GraphQLSchema) -> None:
        self.schema = schema
        self.fields: dict[str, frozenset[str]] = {}
        self.leaf_fields: dict[str, dict[str, str]] = {}
        """Type name → leaf field name → the field's named type."""
        self._selections: dict[tuple[int, str], tuple[Any, tuple[str, ...]]] = {}
        for type_ in schema.type_map.values():
            if isinstance(type_, GraphQLObjectType | GraphQLInterfaceType):
                self.fields[type_.name] = frozenset(type_.fields)
                self.leaf_fields[type_.name] = {
                    name: get_named_type(field.type).name
                    for name, field in type_.fields.items()
                    if is_leaf_type(get_named_type(field.type))
                }

    def concrete(
        self, shape: Shape, value: dict[str, Any], key: str, info: Any, weak: bool = False
    ) -> str | None:
        """The concrete type of given object data: its ``__typename`` (unless the
        data is ``weak`` and the query's fragments name other types), else the
        possible types whose fields hold all of its keys, else any possible type,
        preferring those the query's fragments name."""
        possible = shape.possible
        named = value.get("__typename")
        if len(possible) > 1:
            selected = self.selected(shape, info)
            if named is not None and weak and named not in selected:
                named = None
            possible = selected
        if named is not None:
            return named if named in shape.possible else None
        if len(possible) == 1:
            return possible[0]
        given = {name for name in value if not name.startswith(("$", "__"))}
        fitting = [name for name in possible if given <= self.fields.get(name, frozenset())]
        pool = fitting if given and fitting else possible
        return pool[stable_index(key, len(pool))] if pool else None

    def selected(self, shape: Shape, info: Any) -> tuple[str, ...]:
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
                    named.update(self.members(condition.name.value))
        chosen = tuple(name for name in shape.possible if name in named) or shape.possible
        if len(self._selections) >= _SELECTIONS_CACHE:
            self._selections.clear()
        self._selections[cache_key] = (nodes[0], chosen)
        return chosen

    def members(self, type_name: str) -> tuple[str, ...]:
        """The object types ``type_name`` stands for (itself, or its possible types)."""
        type_ = self.schema.get_type(type_name)
        if type_ is not None and is_abstract_type(type_):
            return tuple(member.name for member in self.schema.get_possible_types(type_))
        return (type_name,)

    def echo(self, type_name: str, args: dict[str, Any], info: Any) -> dict[str, Any] | None:
        """Arguments named like a leaf field of the object, of the same type,
        answer that field (``user(login: "ada")`` answers ``login: "ada"``)."""
        if not args:
            return None
        fields = self.leaf_fields.get(type_name)
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
