"""Messages: payload, headers, correlation id, content type, examples, traits.

A message becomes an :class:`ir.Output` (what the mock sends) or the
:class:`ir.Message` of an input (what it receives). Traits are merged first
(:mod:`.traits`). A payload in a schema format other than
JSON Schema / the AsyncAPI schema object is read by :mod:`.avro` when it is
Avro; others (protobuf, RAML) are read as an opaque payload, with a located
warning.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ... import ir
from ..documents import Location
from .avro import avro_media_type, is_avro, read_avro
from .context import Context, json_value, text
from .traits import with_traits

__all__ = ["MessageRead", "read_message"]

DEFAULT_CONTENT_TYPE = "application/json"
_JSON_SCHEMA_FORMATS = ("application/vnd.aai.asyncapi", "application/schema+")


@dataclass(frozen=True)
class MessageRead:
    """One message of an operation, as the IR takes it."""

    key: str
    """The message's name in its channel (3.0) or its ``messageId``/``name`` (2.x)."""
    event: str
    """The event name on the wire when it differs from ``key``; "" otherwise."""
    message: ir.Message
    summary: str
    description: str
    bindings: Mapping[str, Any]
    at: Location


def read_message(ctx: Context, value: Any, at: Location, key: str) -> MessageRead | None:
    """The message at ``at`` (``$ref`` followed), its traits merged."""
    raw, where = ctx.mapping(value, at, "a message")
    if not raw:
        return None
    merged = with_traits(ctx, raw, where, "a message trait")
    if not key or key == "message":
        key = text(merged.get("messageId")) or text(merged.get("name")) or key or "message"
    name = text(merged.get("name"))
    media_type = (
        text(merged.get("contentType"))
        or text(ctx.document.get("defaultContentType"))
        or DEFAULT_CONTENT_TYPE
    )
    schema_format, payload, payload_at = _payload_format(ctx, merged, where)
    if is_avro(schema_format):
        media_type = avro_media_type(text(merged.get("contentType")))
        schema = read_avro(ctx, payload, payload_at)
    else:
        schema = _payload(ctx, schema_format, payload, payload_at)
    examples = tuple(_examples(ctx, merged.get("examples"), where.child("examples")))
    correlation, _ = ctx.mapping(
        merged.get("correlationId"), where.child("correlationId"), "correlationId"
    )
    contents = (ir.Content(media_type=media_type, schema=schema, examples=examples),)
    message = ir.Message(
        contents=contents,
        required=True,
        description=text(merged.get("description")) or text(merged.get("summary")),
        headers=tuple(_headers(ctx, merged.get("headers"), where.child("headers"))),
        correlation_id=text(correlation.get("location")),
        source=ctx.source(where),
    )
    bindings, _ = ctx.mapping(merged.get("bindings"), where.child("bindings"), "bindings")
    return MessageRead(
        key=key,
        event=name if name and name != key else "",
        message=message,
        summary=text(merged.get("summary")),
        description=text(merged.get("description")),
        bindings=bindings,
        at=where,
    )


def _payload_format(
    ctx: Context, message: Mapping[str, Any], at: Location
) -> tuple[str, Any, Location]:
    """The payload's schema format, its schema and where the schema is (3.x's
    multi-format schema object unwrapped)."""
    payload = message.get("payload")
    where = at.child("payload")
    schema_format = text(message.get("schemaFormat"))
    if ctx.major >= 3 and isinstance(payload, Mapping) and "$ref" in payload:
        followed = ctx.follow(payload, where)
        if (
            followed is not None
            and isinstance(followed[0], Mapping)
            and "schemaFormat" in followed[0]
        ):
            payload, where = followed
    if ctx.major >= 3 and isinstance(payload, Mapping) and "schemaFormat" in payload:
        schema_format = text(payload.get("schemaFormat"))
        payload, where = payload.get("schema"), where.child("schema")
    return schema_format, payload, where


def _payload(ctx: Context, schema_format: str, payload: Any, where: Location) -> ir.JsonValue:
    if schema_format and not schema_format.startswith(_JSON_SCHEMA_FORMATS):
        ctx.warn(
            where,
            f"payload schema format {schema_format!r} is not supported yet; "
            "the payload is served as opaque data",
        )
        return None
    if payload is None:
        return None
    return ctx.schema(payload, where)


def _headers(ctx: Context, value: Any, at: Location) -> list[ir.Parameter]:
    if value is None:
        return []
    schema, where = ctx.mapping(value, at, "headers")
    if isinstance(schema.get("schema"), Mapping) and "schemaFormat" in schema:
        schema, where = ctx.mapping(schema["schema"], where.child("schema"), "headers")
    properties, properties_at = ctx.mapping(
        schema.get("properties"), where.child("properties"), "header properties"
    )
    required: list[Any] = _list(schema.get("required"))
    return [
        ir.Parameter(
            name=str(name),
            location=ir.ParameterLocation.METADATA,
            schema=ctx.schema(header, properties_at.child(str(name))),
            required=name in required,
            description=text(header.get("description")) if isinstance(header, Mapping) else "",
            source=ctx.source(properties_at.child(str(name))),
        )
        for name, header in properties.items()
    ]


def _examples(ctx: Context, value: Any, at: Location) -> list[ir.Example]:
    if not isinstance(value, list):
        return []
    found: list[ir.Example] = []
    for index, item in enumerate(value):
        example, where = ctx.mapping(item, at.child(index), "a message example")
        if "payload" not in example:
            continue
        found.append(
            ir.Example(
                name=text(example.get("name")) or f"example{index + 1}",
                value=json_value(example["payload"]),
                summary=text(example.get("summary")),
                source=ctx.source(where),
            )
        )
    return found


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []
