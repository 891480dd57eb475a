"""Proto messages and enums as JSON Schema, by the proto3 JSON mapping.

- Field names are the JSON names (``lowerCamelCase``, protoc's ``json_name``).
- 32-bit integers are numbers with their bounds; 64-bit integers are text (the
  mapping's output) or numbers (which parsers accept); ``bytes`` is base64.
- Enums are their value names; messages are ``$ref`` to a named schema that
  keeps the proto name (``routeguide.Point``); maps are objects.
- A ``oneof`` is a JSON Schema ``oneOf`` whose branches each hold one member
  (and one branch holds none), so that generated data sets at most one.
- The well-known types (``google.protobuf.Timestamp``…) have their special JSON
  forms.
- proto2 ``required`` fields are required; proto2 defaults are ``default``.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from google.protobuf import descriptor_pb2

from ... import ir
from ...naming import schema_name
from .comments import ENUM, FIELD, MESSAGE, NESTED_ENUM, NESTED_MESSAGE, Comments

__all__ = ["Symbol", "SymbolTable", "schema_ref", "wkt_schema"]

FieldProto = descriptor_pb2.FieldDescriptorProto
INT32 = {"type": "integer", "format": "int32", "minimum": -(2**31), "maximum": 2**31 - 1}
UINT32 = {"type": "integer", "format": "uint32", "minimum": 0, "maximum": 2**32 - 1}
INT64 = {"type": ["string", "integer"], "format": "int64", "pattern": "^-?[0-9]+$"}
UINT64 = {"type": ["string", "integer"], "format": "uint64", "pattern": "^[0-9]+$"}
_SCALARS: dict[int, dict[str, Any]] = {
    FieldProto.TYPE_INT32: INT32,
    FieldProto.TYPE_SINT32: INT32,
    FieldProto.TYPE_SFIXED32: INT32,
    FieldProto.TYPE_UINT32: UINT32,
    FieldProto.TYPE_FIXED32: UINT32,
    FieldProto.TYPE_INT64: INT64,
    FieldProto.TYPE_SINT64: INT64,
    FieldProto.TYPE_SFIXED64: INT64,
    FieldProto.TYPE_UINT64: UINT64,
    FieldProto.TYPE_FIXED64: UINT64,
    FieldProto.TYPE_FLOAT: {"type": "number", "format": "float"},
    FieldProto.TYPE_DOUBLE: {"type": "number", "format": "double"},
    FieldProto.TYPE_BOOL: {"type": "boolean"},
    FieldProto.TYPE_STRING: {"type": "string"},
    FieldProto.TYPE_BYTES: {"type": "string", "format": "byte", "contentEncoding": "base64"},
}
_INTEGER_TYPES = frozenset(
    {
        FieldProto.TYPE_INT32,
        FieldProto.TYPE_SINT32,
        FieldProto.TYPE_SFIXED32,
        FieldProto.TYPE_UINT32,
        FieldProto.TYPE_FIXED32,
        FieldProto.TYPE_INT64,
        FieldProto.TYPE_SINT64,
        FieldProto.TYPE_SFIXED64,
        FieldProto.TYPE_UINT64,
        FieldProto.TYPE_FIXED64,
    }
)
_FIELD_PATH = r"[a-z][A-Za-z0-9]*(\.[a-z][A-Za-z0-9]*)*"
_WRAPPED = {
    "DoubleValue": FieldProto.TYPE_DOUBLE,
    "FloatValue": FieldProto.TYPE_FLOAT,
    "Int64Value": FieldProto.TYPE_INT64,
    "UInt64Value": FieldProto.TYPE_UINT64,
    "Int32Value": FieldProto.TYPE_INT32,
    "UInt32Value": FieldProto.TYPE_UINT32,
    "BoolValue": FieldProto.TYPE_BOOL,
    "StringValue": FieldProto.TYPE_STRING,
    "BytesValue": FieldProto.TYPE_BYTES,
}
ANY_EXAMPLE_TYPE = "type.googleapis.com/google.protobuf.Empty"


def wkt_schema(full_name: str) -> dict[str, Any] | None:
    """The JSON form of a well-known type, or None for other messages."""
    package, _, name = full_name.rpartition(".")
    if package != "google.protobuf":
        return None
    if name in _WRAPPED:
        schema = dict(_SCALARS[_WRAPPED[name]])
        kinds = schema["type"] if isinstance(schema["type"], list) else [schema["type"]]
        return {**schema, "type": [*kinds, "null"]}
    special: dict[str, dict[str, Any]] = {
        "Timestamp": {"type": "string", "format": "date-time"},
        "Duration": {"type": "string", "pattern": r"^-?[0-9]+(\.[0-9]{1,9})?s$"},
        "FieldMask": {"type": "string", "pattern": f"^({_FIELD_PATH}(,{_FIELD_PATH})*)?$"},
        "Struct": {"type": "object", "additionalProperties": True},
        "Value": {},
        "ListValue": {"type": "array", "items": {}},
        "Empty": {"type": "object", "additionalProperties": False},
        "Any": {
            "type": "object",
            "required": ["@type"],
            "properties": {
                "@type": {
                    "type": "string",
                    "description": "type.googleapis.com/ and the full name of the packed message",
                    "examples": [ANY_EXAMPLE_TYPE],
                }
            },
            "additionalProperties": True,
        },
    }
    return special.get(name)


def schema_ref(full_name: str) -> dict[str, str]:
    return {"$ref": f"{ir.SCHEMA_REF_PREFIX}{schema_name(full_name)}"}


@dataclass(frozen=True, slots=True)
class Symbol:
    """A message or enum declared somewhere in the descriptor set."""

    full_name: str
    proto: descriptor_pb2.DescriptorProto | descriptor_pb2.EnumDescriptorProto
    file: str
    """The virtual file name it is declared in."""
    path: tuple[int, ...]
    """Its path in the file's SourceCodeInfo."""


class SymbolTable:
    """Every message and enum of a descriptor set, by full name (no leading dot)."""

    def __init__(
        self, files: descriptor_pb2.FileDescriptorSet, comments: dict[str, Comments]
    ) -> None:
        self.symbols: dict[str, Symbol] = {}
        self.comments = comments
        for file in files.file:
            prefix = f"{file.package}." if file.package else ""
            for index, message in enumerate(file.message_type):
                self._add_message(message, prefix, file.name, (MESSAGE, index))
            for index, enum in enumerate(file.enum_type):
                self._add(Symbol(prefix + enum.name, enum, file.name, (ENUM, index)))

    def _add(self, symbol: Symbol) -> None:
        self.symbols.setdefault(symbol.full_name, symbol)

    def _add_message(
        self, message: descriptor_pb2.DescriptorProto, prefix: str, file: str, path: tuple[int, ...]
    ) -> None:
        full_name = prefix + message.name
        self._add(Symbol(full_name, message, file, path))
        for index, nested in enumerate(message.nested_type):
            self._add_message(nested, f"{full_name}.", file, (*path, NESTED_MESSAGE, index))
        for index, enum in enumerate(message.enum_type):
            self._add(Symbol(f"{full_name}.{enum.name}", enum, file, (*path, NESTED_ENUM, index)))

    def find(self, type_name: str) -> Symbol:
        return self.symbols[type_name.lstrip(".")]

    def is_map_entry(self, type_name: str) -> bool:
        proto = self.find(type_name).proto
        return isinstance(proto, descriptor_pb2.DescriptorProto) and proto.options.map_entry

    # -- schemas ----------------------------------------------------------

    def schema(self, symbol: Symbol) -> dict[str, Any]:
        """The named schema of a message or enum."""
        comment = self.comments[symbol.file].comment(symbol.path)
        wkt = wkt_schema(symbol.full_name)
        if wkt is not None:
            schema = dict(wkt)
        elif isinstance(symbol.proto, descriptor_pb2.EnumDescriptorProto):
            schema = _enum_schema(symbol.proto)
        else:
            schema = self._message_schema(symbol)
        if comment:
            schema = {"description": comment, **schema}
        return schema

    def _message_schema(self, symbol: Symbol) -> dict[str, Any]:
        message = symbol.proto
        assert isinstance(message, descriptor_pb2.DescriptorProto)
        properties: dict[str, Any] = {}
        required: list[str] = []
        groups: dict[int, list[tuple[str, Any]]] = {}
        real_oneofs = _real_oneofs(message)
        comments = self.comments[symbol.file]
        for index, field in enumerate(message.field):
            name = field.json_name or field.name
            schema = self.field_schema(field)
            comment = comments.comment((*symbol.path, FIELD, index))
            if comment:
                schema = {"description": comment, **schema}
            if field.options.deprecated:
                schema = {**schema, "deprecated": True}
            if field.HasField("oneof_index") and field.oneof_index in real_oneofs:
                groups.setdefault(field.oneof_index, []).append((name, schema))
                continue
            properties[name] = schema
            if field.label == FieldProto.LABEL_REQUIRED:
                required.append(name)
        out: dict[str, Any] = {"type": "object", "properties": properties}
        if required:
            out["required"] = required
        alternatives = [_one_of(members) for _, members in sorted(groups.items())]
        if len(alternatives) == 1:
            out["oneOf"] = alternatives[0]
        elif alternatives:
            out["allOf"] = [{"oneOf": branches} for branches in alternatives]
        return out

    def field_schema(self, field: descriptor_pb2.FieldDescriptorProto) -> dict[str, Any]:
        """A field's schema: repeated fields are arrays, map fields objects."""
        if field.type == FieldProto.TYPE_MESSAGE and self.is_map_entry(field.type_name):
            entry = self.find(field.type_name).proto
            assert isinstance(entry, descriptor_pb2.DescriptorProto)
            key, value = entry.field[0], entry.field[1]
            schema: dict[str, Any] = {
                "type": "object",
                "additionalProperties": self._single(value),
            }
            if key.type in _INTEGER_TYPES:
                schema["propertyNames"] = {"pattern": "^-?[0-9]+$"}
            elif key.type == FieldProto.TYPE_BOOL:
                schema["propertyNames"] = {"enum": ["true", "false"]}
            return schema
        single = self._single(field)
        if field.label == FieldProto.LABEL_REPEATED:
            return {"type": "array", "items": single}
        default = _default(field)
        if default is not None:
            single = {**single, "default": default}
        return single

    def _single(self, field: descriptor_pb2.FieldDescriptorProto) -> dict[str, Any]:
        if field.type in (FieldProto.TYPE_MESSAGE, FieldProto.TYPE_GROUP, FieldProto.TYPE_ENUM):
            return schema_ref(field.type_name.lstrip("."))
        return dict(_SCALARS[field.type])

    def referenced(self, type_name: str) -> Iterator[str]:
        """The full names of the messages and enums a message's fields use."""
        symbol = self.find(type_name)
        if not isinstance(symbol.proto, descriptor_pb2.DescriptorProto):
            return
        if wkt_schema(symbol.full_name) is not None:
            return
        for field in symbol.proto.field:
            if field.type not in (
                FieldProto.TYPE_MESSAGE,
                FieldProto.TYPE_GROUP,
                FieldProto.TYPE_ENUM,
            ):
                continue
            if field.type == FieldProto.TYPE_MESSAGE and self.is_map_entry(field.type_name):
                entry = self.find(field.type_name).proto
                assert isinstance(entry, descriptor_pb2.DescriptorProto)
                value = entry.field[1]
                if value.type in (FieldProto.TYPE_MESSAGE, FieldProto.TYPE_ENUM):
                    yield value.type_name.lstrip(".")
                continue
            yield field.type_name.lstrip(".")


def _real_oneofs(message: descriptor_pb2.DescriptorProto) -> set[int]:
    """Indexes of the message's oneofs, without proto3 ``optional``'s synthetic ones."""
    synthetic = {
        field.oneof_index
        for field in message.field
        if field.proto3_optional and field.HasField("oneof_index")
    }
    return {index for index in range(len(message.oneof_decl)) if index not in synthetic}


def _one_of(members: list[tuple[str, Any]]) -> list[dict[str, Any]]:
    names = [name for name, _ in members]
    branches: list[dict[str, Any]] = [
        {"properties": {name: schema}, "required": [name]} for name, schema in members
    ]
    branches.append({"not": {"anyOf": [{"required": [name]} for name in names]}})
    return branches


def _enum_schema(enum: descriptor_pb2.EnumDescriptorProto) -> dict[str, Any]:
    if enum.name == "NullValue" and [v.name for v in enum.value] == ["NULL_VALUE"]:
        return {"type": "null"}
    return {"type": "string", "enum": [value.name for value in enum.value]}


def _default(field: descriptor_pb2.FieldDescriptorProto) -> Any:
    """A proto2 ``[default = …]`` as JSON; None when there is none (or no JSON form)."""
    if not field.HasField("default_value"):
        return None
    text = field.default_value
    try:
        if field.type in _INTEGER_TYPES:
            value = int(text)
            return str(value) if _SCALARS[field.type]["format"] in ("int64", "uint64") else value
        if field.type in (FieldProto.TYPE_FLOAT, FieldProto.TYPE_DOUBLE):
            number = float(text)
            return number if math.isfinite(number) else None
    except ValueError:
        return None
    if field.type == FieldProto.TYPE_BOOL:
        return text == "true"
    if field.type == FieldProto.TYPE_STRING:
        return text
    if field.type == FieldProto.TYPE_ENUM:
        return text
    return None
