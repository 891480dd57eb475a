"""Avro payloads: the JSON form of a message's data to Avro binary and back.

A contract's Avro payload keeps its Avro schema on its JSON Schema, under
:data:`AVRO_SCHEMA_KEYWORD`. Messages are written with fastavro's schemaless
writer (Avro binary, no container, no Confluent framing) and read with its
schemaless reader; the data the engine sees is the JSON form the contract's
JSON Schema describes: bytes and fixed as base64 text, dates, times and
timestamps as ISO 8601 text, decimals as numbers, uuids as text.

A Kafka record key whose schema (the channel's ``key`` option, from the message
binding) is Avro is written and read the same way (:func:`key_codec_of`,
:func:`encode_key`, :func:`key_text`); any other key is text.
"""

from __future__ import annotations

import base64
import binascii
import datetime
import decimal
import io
import json
import uuid
from collections.abc import Mapping
from typing import Any

from fastavro import parse_schema, schemaless_reader, schemaless_writer
from fastavro.validation import ValidationError, validate

from ..exceptions import RuntimeFailure

__all__ = [
    "AVRO_SCHEMA_KEYWORD",
    "AvroCodec",
    "AvroError",
    "avro_codec_of",
    "encode_key",
    "key_codec_of",
    "key_text",
]

AVRO_SCHEMA_KEYWORD = "x-avro-schema"

_PRIMITIVES = frozenset({"null", "boolean", "int", "long", "float", "double", "bytes", "string"})
_TIMESTAMPS = frozenset(
    {
        "timestamp-millis",
        "timestamp-micros",
        "timestamp-nanos",
        "local-timestamp-millis",
        "local-timestamp-micros",
        "local-timestamp-nanos",
    }
)


_PYTHON_TYPES: Mapping[str, type | tuple[type, ...]] = {
    "null": type(None),
    "boolean": bool,
    "int": int,
    "long": int,
    "float": (int, float),
    "double": (int, float),
    "bytes": bytes,
    "fixed": bytes,
    "string": str,
    "array": list,
    "map": dict,
}


class AvroError(RuntimeFailure, ValueError):
    """Data that cannot be written as, or bytes that cannot be read as, the schema."""


class AvroCodec:
    """One Avro schema's writer and reader."""

    def __init__(self, schema: Any) -> None:
        self.source: Any = schema
        """The schema as the contract declares it (the JSON form of Avro's)."""
        self.named: dict[str, Any] = {}
        self.schema: Any = parse_schema(schema, named_schemas=self.named)
        self._fields: dict[int, dict[str, Any]] = {}
        """Each record's field types by name, by the record schema's id (the
        parsed schema lives as long as the codec)."""

    def encode(self, data: Any) -> bytes:
        """``data`` (the JSON form) as Avro binary."""
        out = io.BytesIO()
        try:
            datum = self._to_avro(self.schema, data)
        except (ValueError, TypeError, ArithmeticError) as error:
            raise AvroError(f"not writable as Avro: {_short(error)}") from error
        try:
            schemaless_writer(out, self.schema, datum)
        except (ValueError, TypeError, KeyError, AttributeError, OverflowError) as error:
            raise AvroError(f"not writable as Avro: {self._why(datum, error)}") from error
        return out.getvalue()

    def _why(self, datum: Any, error: BaseException) -> str:
        """What fastavro's validation says of ``datum`` (which field, which
        type), else the writer's own error."""
        try:
            validate(datum, self.schema, raise_errors=True)
        except ValidationError as invalid:
            problems = [
                f"{found.field or 'the payload'} is {_brief(found.datum)}, "
                f"not {_type_name(found.schema)}"
                for found in invalid.errors
            ]
            return "; ".join(problems[:3]) or _short(error)
        except Exception:  # the validation cannot say more: the writer's error
            return _short(error)
        return _short(error)

    def decode(self, raw: bytes, writer: Any = None) -> Any:
        """Avro binary ``raw`` as the JSON form of its data; written with the parsed
        schema ``writer`` when it is not this codec's (then resolved to this one)."""
        source = io.BytesIO(raw)
        try:
            if writer is None:
                value = schemaless_reader(source, self.schema, None)
            else:
                value = schemaless_reader(source, writer, self.schema)
        except Exception as error:  # any reading failure is a problem of the bytes
            raise AvroError(f"payload is not Avro of its schema: {_short(error)}") from error
        if source.tell() != len(raw):
            raise AvroError(
                f"payload is not Avro of its schema: {len(raw) - source.tell()} bytes left over"
            )
        return json_form(value)

    # -- the JSON form to the values fastavro writes ----------------------------------

    def _to_avro(self, schema: Any, value: Any) -> Any:
        if isinstance(schema, str):
            if schema in _PRIMITIVES:
                return _bytes(value) if schema == "bytes" else value
            return self._to_avro(self.named.get(schema, schema), value)
        if isinstance(schema, list):
            return self._union(schema, value)
        if not isinstance(schema, Mapping):
            return value
        kind = schema.get("type")
        logical = schema.get("logicalType")
        if kind == "record" or kind == "error":
            if not isinstance(value, Mapping):
                return value
            fields = self._fields.get(id(schema))
            if fields is None:
                fields = {field["name"]: field["type"] for field in schema.get("fields") or ()}
                self._fields[id(schema)] = fields
            return {
                name: self._to_avro(fields[name], item) if name in fields else item
                for name, item in value.items()
            }
        if kind == "array":
            items = schema.get("items")
            return (
                [self._to_avro(items, item) for item in value] if isinstance(value, list) else value
            )
        if kind == "map":
            values = schema.get("values")
            if isinstance(value, Mapping):
                return {key: self._to_avro(values, item) for key, item in value.items()}
            return value
        if logical == "decimal" and isinstance(value, int | float | str):
            scale = int(schema.get("scale") or 0)
            return decimal.Decimal(str(value)).quantize(decimal.Decimal(1).scaleb(-scale))
        if isinstance(value, str):
            return _logical(logical, kind, value)
        return value

    def _union(self, branches: list[Any], value: Any) -> Any:
        if value is None and "null" in branches:
            return None
        for branch in branches:
            if branch == "null":
                continue
            try:
                converted = self._to_avro(branch, value)
            except (ValueError, TypeError, ArithmeticError):
                continue
            if self._fits(branch, converted):
                return converted
        return value

    def _fits(self, schema: Any, value: Any) -> bool:
        """Whether ``value`` (converted) is of the union branch ``schema``, at its top."""
        if isinstance(schema, str) and schema in self.named:
            schema = self.named[schema]
        kind = schema.get("type") if isinstance(schema, Mapping) else schema
        if isinstance(schema, Mapping) and schema.get("logicalType") is not None:
            return not isinstance(value, str) or kind == "string"
        if kind in ("record", "error"):
            names = {field["name"] for field in schema.get("fields") or ()}
            return isinstance(value, Mapping) and set(value) <= names
        if kind == "enum":
            return value in (schema.get("symbols") or ())
        return isinstance(value, _PYTHON_TYPES.get(str(kind), object))


def _logical(logical: Any, kind: Any, value: str) -> Any:
    """A string of the JSON form as the value a logical (or bytes/fixed) type takes."""
    if kind in ("bytes", "fixed"):
        return _bytes(value)
    if logical == "date":
        return datetime.date.fromisoformat(value)
    if logical in ("time-millis", "time-micros"):
        return datetime.time.fromisoformat(value)
    if logical in _TIMESTAMPS:
        moment = datetime.datetime.fromisoformat(value)
        if logical.startswith("local-"):
            return moment.replace(tzinfo=None)
        return moment if moment.tzinfo else moment.replace(tzinfo=datetime.UTC)
    if logical == "uuid":
        return str(uuid.UUID(value))
    return value


def _bytes(value: Any) -> Any:
    if not isinstance(value, str):
        return value
    try:
        return base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError) as error:
        raise ValueError(f"{value[:40]!r} is not base64") from error


def json_form(value: Any) -> Any:
    """A value fastavro read, as JSON data (the form the contract's JSON Schema describes)."""
    if isinstance(value, dict):
        return {str(key): json_form(item) for key, item in value.items()}
    if isinstance(value, list):
        return [json_form(item) for item in value]
    if isinstance(value, bytes):
        return base64.b64encode(value).decode("ascii")
    if isinstance(value, decimal.Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, uuid.UUID):
        return str(value)
    return value


def avro_codec_of(content: Mapping[str, Any] | None) -> AvroCodec | None:
    """The codec of a contract content whose schema carries an Avro schema."""
    schema = (content or {}).get("schema")
    if not isinstance(schema, Mapping) or AVRO_SCHEMA_KEYWORD not in schema:
        return None
    return AvroCodec(schema[AVRO_SCHEMA_KEYWORD])


def key_codec_of(options: Mapping[str, Any]) -> AvroCodec | None:
    """The codec of a channel's record keys when their schema (the ``key`` option)
    carries an Avro schema; None when keys are text."""
    schema = options.get("key")
    if not isinstance(schema, Mapping) or AVRO_SCHEMA_KEYWORD not in schema:
        return None
    return AvroCodec(schema[AVRO_SCHEMA_KEYWORD])


def encode_key(codec: AvroCodec | None, key: Any) -> bytes | None:
    """A record key given in its JSON form (the admin API's ``key``) as bytes: Avro
    binary when ``codec`` is the key's (an object for a record key, a symbol
    for an enum); else UTF-8 text. None stays None; :class:`AvroError` when the
    key is not of the Avro schema, ValueError when a text key is not text."""
    if key is None:
        return None
    if codec is not None:
        try:
            return codec.encode(key)
        except AvroError as error:
            raise AvroError(f"key {error}") from None
    if not isinstance(key, str):
        raise ValueError("'key' must be a string")
    return key.encode("utf-8")


def key_text(codec: AvroCodec | None, raw: bytes) -> str:
    """A consumed record's key as the journal shows it: the JSON text of its Avro
    datum when ``codec`` is the key's and the bytes are one; else the bytes as text."""
    if codec is not None:
        try:
            return json.dumps(codec.decode(raw), separators=(",", ":"), ensure_ascii=False)
        except AvroError:
            pass
    return raw.decode("utf-8", "replace")


def _type_name(schema: Any) -> str:
    """An Avro type as a message names it: a named type's name, else its type."""
    if isinstance(schema, Mapping):
        return str(schema.get("name") or schema.get("logicalType") or schema.get("type"))
    return _brief(schema)


def _brief(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _short(error: BaseException) -> str:
    text = str(error).splitlines()[0] if str(error) else type(error).__name__
    return text[:160]
