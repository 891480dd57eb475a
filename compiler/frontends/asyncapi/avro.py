"""Avro payload schemas (``schemaFormat: application/vnd.apache.avro…``).

The Avro schema (inline, or a ``$ref`` to a local ``.avsc`` file) is checked
with fastavro's ``parse_schema`` and read as the JSON Schema of the JSON form
of its data, so fake data, validation and mocks work as for JSON payloads:

- records → objects (fields without a default required, no other properties);
- unions → ``anyOf`` (``["null", T]`` → T or null);
- enums → string enums; arrays → arrays; maps → ``additionalProperties``;
- bytes and fixed → base64 strings (fixed: of exactly its size);
- logical types: date, time-*, timestamp-*, uuid → string formats;
  decimal → number.

The Avro schema itself is kept on the JSON Schema, under
:data:`AVRO_SCHEMA_KEYWORD`, for the runtime to encode and decode the wire
form (Avro binary); the content's media type is :data:`AVRO_MEDIA_TYPE`
unless the message declares an Avro one.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from fastavro import parse_schema
from fastavro.schema import SchemaParseException, UnknownType

from ... import ir
from ..documents import Location
from .context import Context, json_value

__all__ = [
    "AVRO_MEDIA_TYPE",
    "AVRO_SCHEMA_KEYWORD",
    "avro_media_type",
    "is_avro",
    "is_avro_schema",
    "json_or_avro_schema",
    "read_avro",
]

AVRO_MEDIA_TYPE = "avro/binary"
AVRO_SCHEMA_KEYWORD = "x-avro-schema"
"""Where the JSON Schema of an Avro payload keeps the Avro schema."""
_AVRO_FORMAT = "application/vnd.apache.avro"

_INT32 = {"type": "integer", "minimum": -(2**31), "maximum": 2**31 - 1}
_INT64 = {"type": "integer", "minimum": -(2**63), "maximum": 2**63 - 1}
_BASE64 = {"type": "string", "format": "byte", "contentEncoding": "base64"}
_PRIMITIVES: Mapping[str, Mapping[str, Any]] = {
    "null": {"type": "null"},
    "boolean": {"type": "boolean"},
    "int": _INT32,
    "long": _INT64,
    "float": {"type": "number"},
    "double": {"type": "number"},
    "bytes": _BASE64,
    "string": {"type": "string"},
}
_LOGICAL_FORMATS = {
    "date": "date",
    "time-millis": "time",
    "time-micros": "time",
    "timestamp-millis": "date-time",
    "timestamp-micros": "date-time",
    "timestamp-nanos": "date-time",
    "local-timestamp-millis": "date-time",
    "local-timestamp-micros": "date-time",
    "local-timestamp-nanos": "date-time",
    "uuid": "uuid",
}
_NAMED = ("record", "error", "enum", "fixed")


def is_avro(schema_format: str) -> bool:
    """Whether ``schema_format`` names an Avro schema (any version, +json/+yaml)."""
    return schema_format.strip().lower().startswith(_AVRO_FORMAT)


def is_avro_schema(value: Any) -> bool:
    """Whether ``value`` is an Avro named type (a record, enum or fixed) rather
    than a JSON Schema: JSON Schema has no such types."""
    return (
        isinstance(value, Mapping)
        and value.get("type") in _NAMED
        and isinstance(value.get("name"), str)
    )


def json_or_avro_schema(ctx: Context, value: Any, at: Location) -> ir.JsonValue:
    """A schema that may be JSON Schema or an Avro named type (a Kafka message
    key's ``.avsc``), read as such."""
    followed = ctx.follow(value, at)
    if followed is None:
        return None
    if is_avro_schema(followed[0]):
        return read_avro(ctx, value, at)
    return ctx.schema(value, at)


def avro_media_type(declared: str) -> str:
    """The media type of an Avro payload: the declared one when it says Avro."""
    return declared if "avro" in declared.lower() else AVRO_MEDIA_TYPE


def read_avro(ctx: Context, value: Any, at: Location) -> ir.JsonValue:
    """The JSON Schema of the Avro schema at ``at`` (its ``$ref`` followed), the
    Avro schema kept on it; None (and a located error) when it is not valid."""
    followed = ctx.follow(value, at)
    if followed is None:
        return None
    schema, where = followed
    plain = ir.thaw(json_value(schema))
    converter = _Converter(ctx, where)
    converted = converter.convert(plain, where, "")
    if converter.failed:
        return None
    try:
        parse_schema(plain)
    except (SchemaParseException, UnknownType, ValueError, TypeError, AttributeError) as error:
        ctx.problems.error(where, f"invalid Avro schema: {error}")
        return None
    if not isinstance(converted, dict):
        converted = {"allOf": [converted]}
    return ir.freeze({**converted, AVRO_SCHEMA_KEYWORD: plain})


class _Converter:
    """One Avro schema to JSON Schema; named types known from their definition on."""

    def __init__(self, ctx: Context, root: Location) -> None:
        self.ctx = ctx
        self.root = root
        self.named: dict[str, Any] = {}
        self.defining: set[str] = set()
        self.failed = False

    def fail(self, at: Location, message: str) -> dict[str, Any]:
        self.ctx.problems.error(at, message)
        self.failed = True
        return {}

    def convert(self, schema: Any, at: Location, namespace: str) -> dict[str, Any]:
        if isinstance(schema, str):
            return self.by_name(schema, at, namespace)
        if isinstance(schema, list):
            return self.union(schema, at, namespace)
        if not isinstance(schema, dict):
            return self.fail(at, "an Avro schema must be a name, a union (list) or an object")
        kind = schema.get("type")
        if isinstance(kind, list | dict):
            return self.convert(kind, at.child("type"), namespace)
        if not isinstance(kind, str):
            return self.fail(at, "an Avro schema object needs a 'type'")
        logical = schema.get("logicalType")
        if kind in _NAMED:
            return self.named_type(schema, kind, at, namespace)
        if kind == "array":
            return {
                "type": "array",
                "items": self.convert(schema.get("items"), at.child("items"), namespace),
            }
        if kind == "map":
            values = self.convert(schema.get("values"), at.child("values"), namespace)
            return {"type": "object", "additionalProperties": values}
        if logical == "decimal" and kind == "bytes":
            return {"type": "number"}
        if isinstance(logical, str) and logical in _LOGICAL_FORMATS:
            return {"type": "string", "format": _LOGICAL_FORMATS[logical]}
        return self.by_name(kind, at, namespace)

    def by_name(self, name: str, at: Location, namespace: str) -> dict[str, Any]:
        if name in _PRIMITIVES:
            return dict(_PRIMITIVES[name])
        full = name if "." in name or not namespace else f"{namespace}.{name}"
        for candidate in (full, name):
            if candidate in self.defining:
                return {}  # recursive: the inner occurrence left unconstrained
            if candidate in self.named:
                return dict(self.named[candidate])
        return self.fail(at, f"Avro type {name!r} is not defined (before this use)")

    def union(self, branches: list[Any], at: Location, namespace: str) -> dict[str, Any]:
        converted = [self.convert(b, at.child(i), namespace) for i, b in enumerate(branches)]
        if not converted:
            return self.fail(at, "an Avro union needs at least one branch")
        return converted[0] if len(converted) == 1 else {"anyOf": converted}

    def named_type(
        self, schema: dict[str, Any], kind: str, at: Location, namespace: str
    ) -> dict[str, Any]:
        name = schema.get("name")
        if not isinstance(name, str) or not name:
            return self.fail(at, f"an Avro {kind} needs a 'name'")
        space = schema.get("namespace")
        inner = (space if isinstance(space, str) else namespace) if "." not in name else ""
        if "." in name:
            inner = name.rpartition(".")[0]
        full = name if "." in name or not inner else f"{inner}.{name}"
        found: dict[str, Any] = {"title": name.rpartition(".")[2]}
        if isinstance(schema.get("doc"), str):
            found["description"] = schema["doc"]
        if kind == "enum":
            symbols = schema.get("symbols")
            if not isinstance(symbols, list):
                return self.fail(at, "an Avro enum needs its 'symbols'")
            found |= {"type": "string", "enum": symbols}
        elif kind == "fixed":
            size = schema.get("size")
            if not isinstance(size, int) or isinstance(size, bool) or size < 0:
                return self.fail(at, "an Avro fixed needs a 'size'")
            if schema.get("logicalType") == "decimal":
                found["type"] = "number"
            else:
                found |= {**_BASE64, "pattern": _base64_of_size(size)}
        else:
            self.defining.add(full)
            found |= self.record(schema, at, inner)
            self.defining.discard(full)
        self.named[full] = found
        return dict(found)

    def record(self, schema: dict[str, Any], at: Location, namespace: str) -> dict[str, Any]:
        fields = schema.get("fields")
        if not isinstance(fields, list):
            self.fail(at, "an Avro record needs its 'fields'")
            return {"type": "object"}
        properties: dict[str, Any] = {}
        required: list[str] = []
        for index, field in enumerate(fields):
            where = at.child("fields", index)
            if not isinstance(field, dict) or not isinstance(field.get("name"), str):
                self.fail(where, "an Avro record field needs a 'name'")
                continue
            name = field["name"]
            prop = self.convert(field.get("type"), where.child("type"), namespace)
            if isinstance(field.get("doc"), str):
                prop = {**prop, "description": field["doc"]}
            if "default" in field:
                prop = {**prop, "default": field["default"]}
            else:
                required.append(name)
            properties[name] = prop
        found: dict[str, Any] = {"type": "object", "properties": properties}
        if required:
            found["required"] = required
        found["additionalProperties"] = False
        return found


def _base64_of_size(size: int) -> str:
    """A pattern of the base64 text of exactly ``size`` bytes."""
    groups, rest = divmod(size, 3)
    tail = {0: "", 1: "[A-Za-z0-9+/]{2}==", 2: "[A-Za-z0-9+/]{3}="}[rest]
    return f"^(?:[A-Za-z0-9+/]{{4}}){{{groups}}}{tail}$"
