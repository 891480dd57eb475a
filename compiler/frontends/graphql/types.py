"""GraphQL types as JSON Schema, annotated so that the schema can be printed back.

Every named type but the built-in scalars becomes a named schema, named as in
GraphQL (GraphQL names, ``[_A-Za-z][_0-9A-Za-z]*``, are safe in a JSON pointer
and a URL as they are):

- object and interface types: an ``object`` schema of their fields (non-null
  fields ``required``); an interface also lists its possible types in
  ``anyOf``; input objects the same with ``additionalProperties: false``;
- unions: ``anyOf`` of their members; enums: ``enum`` of their value names;
- custom scalars: a schema chosen by name (:mod:`.scalars`).

Nullable types admit ``null``; ``Int`` is ``int32``; ``ID`` is a string. What
JSON Schema cannot say travels in annotations (docs/ir.md, gap 10): on a named
schema ``x-graphql`` (``kind``, ``implements``, enum value details, ``oneOf``,
``specifiedBy``), on a field or argument ``x-graphql-type`` (the SDL type,
``[Film!]!``), ``x-graphql-args`` (the field's arguments, an object schema),
``x-graphql-default`` (a default as a GraphQL literal) and
``x-graphql-deprecated`` (the deprecation reason).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from graphql import (
    GraphQLArgument,
    GraphQLDirective,
    GraphQLEnumType,
    GraphQLField,
    GraphQLInputField,
    GraphQLInputObjectType,
    GraphQLInterfaceType,
    GraphQLNamedType,
    GraphQLObjectType,
    GraphQLScalarType,
    GraphQLSchema,
    GraphQLUnionType,
    is_introspection_type,
    is_list_type,
    is_non_null_type,
    is_specified_directive,
    is_specified_scalar_type,
    print_ast,
    value_from_ast_untyped,
)
from graphql.utilities.get_default_value_ast import get_default_value_ast

from ... import ir
from .reading import ReadSchema, node_location
from .scalars import scalar_schema

__all__ = ["BUILT_IN_SCALARS", "TypeMapper"]

BUILT_IN_SCALARS: Mapping[str, dict[str, Any]] = {
    "Int": {"type": "integer", "format": "int32"},
    "Float": {"type": "number"},
    "String": {"type": "string"},
    "Boolean": {"type": "boolean"},
    "ID": {"type": "string"},
}
"""The JSON Schema of each scalar the GraphQL spec defines (written inline)."""

InputValue = GraphQLArgument | GraphQLInputField


class TypeMapper:
    """Maps the types of one schema; ``source`` locates any of its elements."""

    def __init__(self, read: ReadSchema) -> None:
        self.read = read
        self.schema: GraphQLSchema = read.schema
        self._field_indexes: dict[str, dict[str, int]] = {}

    # -- named schemas -------------------------------------------------------

    def named_schemas(self) -> tuple[ir.NamedSchema, ...]:
        named = []
        for name, type_ in self.schema.type_map.items():
            if is_introspection_type(type_) or is_specified_scalar_type(type_):
                continue
            named.append(
                ir.NamedSchema(
                    name=name,
                    schema=ir.freeze(self._named(type_)),
                    source=self.source(type_),
                )
            )
        return tuple(named)

    def _named(self, type_: GraphQLNamedType) -> dict[str, Any]:
        if isinstance(type_, GraphQLObjectType | GraphQLInterfaceType):
            schema = self._fields_object(type_.fields)
            annotation: dict[str, Any] = {
                "kind": "OBJECT" if isinstance(type_, GraphQLObjectType) else "INTERFACE"
            }
            if type_.interfaces:
                annotation["implements"] = [interface.name for interface in type_.interfaces]
            if isinstance(type_, GraphQLInterfaceType):
                possible = self.schema.get_possible_types(type_)
                if possible:
                    schema["anyOf"] = [_ref(member.name) for member in possible]
        elif isinstance(type_, GraphQLUnionType):
            schema = {"anyOf": [_ref(member.name) for member in type_.types]}
            annotation = {"kind": "UNION"}
        elif isinstance(type_, GraphQLEnumType):
            schema = {"type": "string", "enum": list(type_.values)}
            annotation = {"kind": "ENUM"}
            details = {
                value_name: _documented(value.description, value.deprecation_reason)
                for value_name, value in type_.values.items()
                if value.description is not None or value.deprecation_reason is not None
            }
            if details:
                annotation["values"] = details
        elif isinstance(type_, GraphQLInputObjectType):
            schema = self.input_object(type_.fields)
            annotation = {"kind": "INPUT_OBJECT"}
            if type_.is_one_of:
                annotation["oneOf"] = True
                schema["minProperties"] = schema["maxProperties"] = 1
        else:
            assert isinstance(type_, GraphQLScalarType)
            schema = scalar_schema(type_.name, type_.description)
            annotation = {"kind": "SCALAR"}
            if type_.specified_by_url is not None:
                annotation["specifiedBy"] = type_.specified_by_url
        if type_.description is not None:
            schema = {"description": type_.description, **schema}
        schema["x-graphql"] = annotation
        return schema

    def _fields_object(self, fields: Mapping[str, GraphQLField]) -> dict[str, Any]:
        properties = {name: self._field(field) for name, field in fields.items()}
        required = [name for name, field in fields.items() if is_non_null_type(field.type)]
        schema: dict[str, Any] = {"type": "object", "properties": properties}
        if required:
            schema["required"] = required
        return schema

    def _field(self, field: GraphQLField) -> dict[str, Any]:
        schema = self.type_schema(field.type)
        schema["x-graphql-type"] = str(field.type)
        _annotate(schema, field.description, field.deprecation_reason)
        if field.args:
            schema["x-graphql-args"] = self.input_object(field.args)
        return schema

    def input_object(self, values: Mapping[str, InputValue]) -> dict[str, Any]:
        """An object schema of arguments or input fields; those that must be given
        (non-null without a default) are ``required``."""
        properties = {name: self._input_value(value) for name, value in values.items()}
        required = [
            name
            for name, value in values.items()
            if is_non_null_type(value.type) and get_default_value_ast(value) is None
        ]
        schema: dict[str, Any] = {"type": "object", "properties": properties}
        if required:
            schema["required"] = required
        schema["additionalProperties"] = False
        return schema

    def _input_value(self, value: InputValue) -> dict[str, Any]:
        schema = self.type_schema(value.type)
        schema["x-graphql-type"] = str(value.type)
        default = get_default_value_ast(value)
        if default is not None:
            schema["default"] = value_from_ast_untyped(default)
            schema["x-graphql-default"] = print_ast(default)
        _annotate(schema, value.description, value.deprecation_reason)
        return schema

    def type_schema(self, type_: Any, *, nullable: bool = True) -> dict[str, Any]:
        """The JSON Schema of a (wrapped) GraphQL type reference."""
        if is_non_null_type(type_):
            return self.type_schema(type_.of_type, nullable=False)
        if is_list_type(type_):
            items = self.type_schema(type_.of_type)
            return {"type": ["array", "null"] if nullable else "array", "items": items}
        builtin = BUILT_IN_SCALARS.get(type_.name)
        if builtin is not None:
            schema = dict(builtin)
            if nullable:
                schema["type"] = [schema["type"], "null"]
            return schema
        if nullable:
            return {"anyOf": [_ref(type_.name), {"type": "null"}]}
        return _ref(type_.name)

    # -- the schema as a whole ------------------------------------------------

    def schema_annotation(self) -> dict[str, Any]:
        """Root operation types and custom directives: ``Api.extensions["x-graphql"]``."""
        roots = {
            operation: root.name
            for operation, root in (
                ("query", self.schema.query_type),
                ("mutation", self.schema.mutation_type),
                ("subscription", self.schema.subscription_type),
            )
            if root is not None
        }
        annotation: dict[str, Any] = {"operations": roots}
        directives = [
            self._directive(directive)
            for directive in self.schema.directives
            if not is_specified_directive(directive)
        ]
        if directives:
            annotation["directives"] = directives
        return annotation

    def _directive(self, directive: GraphQLDirective) -> dict[str, Any]:
        found: dict[str, Any] = {"name": directive.name}
        if directive.description is not None:
            found["description"] = directive.description
        found["locations"] = [location.name for location in directive.locations]
        if directive.is_repeatable:
            found["repeatable"] = True
        if directive.args:
            found["args"] = self.input_object(directive.args)
        return found

    # -- sources ---------------------------------------------------------------

    def source(self, type_: GraphQLNamedType, field: str | None = None) -> ir.Source | None:
        """Where ``type_`` (or its ``field``) is defined: file, line and column for
        SDL (pointer ``/Type/field``), a JSON pointer for an introspection result."""
        node: Any = type_.ast_node
        if field is not None:
            element = getattr(type_, "fields", {}).get(field)
            node = getattr(element, "ast_node", None)
        found = node_location(node)
        if found is not None:
            file, line, column = found
            pointer = f"/{type_.name}" + (f"/{field}" if field is not None else "")
            return ir.Source(file=file, pointer=pointer, line=line, column=column)
        return self._introspection_source(type_.name, field)

    def _introspection_source(self, type_name: str, field: str | None) -> ir.Source | None:
        read = self.read
        if read.introspection_file is None or type_name not in read.type_indexes:
            return None
        pointer = f"{read.introspection_root}/types/{read.type_indexes[type_name]}"
        if field is not None:
            index = self._field_index(type_name).get(field)
            if index is None:
                return None
            pointer += f"/fields/{index}"
        return ir.Source(file=read.introspection_file, pointer=pointer)

    def _field_index(self, type_name: str) -> dict[str, int]:
        found = self._field_indexes.get(type_name)
        if found is None:
            found = self._field_indexes[type_name] = {}
            entry = self.read.introspection_types[self.read.type_indexes[type_name]]
            for index, field in enumerate(entry.get("fields") or ()):
                if isinstance(field, dict) and isinstance(field.get("name"), str):
                    found[field["name"]] = index
        return found


def _ref(name: str) -> dict[str, Any]:
    return {"$ref": ir.SCHEMA_REF_PREFIX + name}


def _documented(description: str | None, deprecation: str | None) -> dict[str, Any]:
    found: dict[str, Any] = {}
    _annotate(found, description, deprecation)
    return found


def _annotate(schema: dict[str, Any], description: str | None, deprecation: str | None) -> None:
    if description is not None:
        schema["description"] = description
    if deprecation is not None:
        schema["deprecated"] = True
        schema["x-graphql-deprecated"] = deprecation
