"""Messages between protobuf bytes and the plain data of the engine (proto3 JSON mapping).

The engine and the mocks keep answers as encoded bytes (a static mock is
encoded once, when it loads): :meth:`Codec.encode` is their encoder. For the
gRPC media type it turns JSON data into the message type the schema names
(``{"$ref": "#/$defs/routeguide.Feature"}``) and serialises it; anything else
(problem documents of the engine) becomes JSON text.

The codec remembers the JSON of the messages it encoded last (bounded), so
that the journal can show an answer as JSON without decoding it again.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from google.protobuf import json_format

from ..exceptions import RuntimeFailure
from .descriptors import Protos

__all__ = ["MEDIA_TYPE", "Codec", "CodecError"]

MEDIA_TYPE = "application/grpc+proto"
_REF_PREFIX = "#/$defs/"
REMEMBERED = 4096
"""Encoded messages whose JSON the codec keeps for the journal."""
_json = json.JSONEncoder(separators=(",", ":"), ensure_ascii=False, default=str)


class CodecError(RuntimeFailure, ValueError):
    """Data that does not fit its message type, or bytes that are not a message."""


class Codec:
    """Encodes and decodes the messages of one server's protos."""

    def __init__(self, protos: Protos) -> None:
        self.protos = protos
        self._by_ref: dict[str, type[Any]] = {}
        self._json: dict[bytes, bytes] = {}

    def encode(self, data: Any, media_type: str | None, schema: Any = None) -> bytes:
        """The engine's encoder: a message of the schema's type, or JSON text."""
        if isinstance(data, bytes):
            return data
        if media_type == MEDIA_TYPE:
            encoded = self.to_bytes(data, self.class_for(schema))
            remembered = self._json
            if len(remembered) >= REMEMBERED:
                del remembered[next(iter(remembered))]
            remembered[encoded] = json_bytes(data)
            return encoded
        if isinstance(data, str) and media_type and media_type.startswith("text/"):
            return data.encode()
        return _json.encode(data).encode()

    def json_of(self, encoded: bytes) -> bytes | None:
        """The JSON of a message this codec encoded lately, if it remembers it."""
        return self._json.get(encoded)

    def class_for(self, schema: Any) -> type[Any]:
        """The message class a schema names by ``$ref``; CodecError when it names none."""
        ref = schema.get("$ref") if isinstance(schema, Mapping) else None
        if not isinstance(ref, str) or not ref.startswith(_REF_PREFIX):
            raise CodecError(f"no message type for the schema {schema!r}")
        found = self._by_ref.get(ref)
        if found is None:
            try:
                found = self.protos.message_class(ref[len(_REF_PREFIX) :])
            except KeyError:
                raise CodecError(f"no message type {ref[len(_REF_PREFIX) :]!r}") from None
            self._by_ref[ref] = found
        return found

    def to_bytes(self, data: Any, message_class: type[Any]) -> bytes:
        """``data`` (proto3 JSON mapping) as a serialised message of ``message_class``."""
        if data is None:
            return b""
        pool = self.protos.pool
        try:
            message = json_format.ParseDict(data, message_class(), descriptor_pool=pool)
        except (json_format.ParseError, TypeError, ValueError, AttributeError) as exc:
            try:  # a template's number in a text field, say: fit the scalars, try again
                fitted = fit_scalars(data, message_class.DESCRIPTOR)
                message = json_format.ParseDict(fitted, message_class(), descriptor_pool=pool)
            except (json_format.ParseError, TypeError, ValueError, AttributeError):
                name = message_class.DESCRIPTOR.full_name
                raise CodecError(f"not a valid {name}: {exc}") from exc
        return bytes(message.SerializeToString())

    def to_data(self, raw: bytes, message_class: type[Any]) -> dict[str, Any]:
        """A serialised message as JSON data; CodecError when it cannot be parsed."""
        try:
            message = message_class.FromString(raw)
        except Exception as exc:  # protobuf's DecodeError
            name = message_class.DESCRIPTOR.full_name
            raise CodecError(f"the request is not a valid {name} message: {exc}") from exc
        return self.message_data(message)

    def message_data(self, message: Any) -> dict[str, Any]:
        data: dict[str, Any] = json_format.MessageToDict(
            message,
            always_print_fields_with_no_presence=True,
            descriptor_pool=self.protos.pool,
        )
        return data


def json_bytes(data: Any) -> bytes:
    return _json.encode(data).encode()


def fit_scalars(data: Any, descriptor: Any) -> Any:
    """``data`` with the scalars that JSON templates typed loosely made to fit
    their fields: numbers and booleans in text fields become text. Messages
    with a JSON form of their own (the well-known types) are left as they are."""
    if not isinstance(data, dict) or descriptor.full_name.startswith("google.protobuf."):
        return data
    fields = descriptor.fields_by_camelcase_name
    named = descriptor.fields_by_name
    out = {}
    for key, value in data.items():
        field = fields.get(key) or named.get(key)
        out[key] = value if field is None else _fit_field(value, field)
    return out


def _fit_field(value: Any, field: Any) -> Any:
    if field.message_type is not None and field.message_type.GetOptions().map_entry:
        value_field = field.message_type.fields_by_name["value"]
        if isinstance(value, dict):
            return {key: _fit_value(item, value_field) for key, item in value.items()}
        return value
    if field.is_repeated and isinstance(value, list):
        return [_fit_value(item, field) for item in value]
    return _fit_value(value, field)


def _fit_value(value: Any, field: Any) -> Any:
    if field.message_type is not None:
        return fit_scalars(value, field.message_type)
    if field.type == field.TYPE_STRING and isinstance(value, bool):
        return "true" if value else "false"
    if field.type == field.TYPE_STRING and isinstance(value, int | float):
        return str(value)
    return value
