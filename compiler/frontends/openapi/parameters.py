"""Parameters (path, query, header, cookie) and response headers."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ... import ir
from ..documents import Location
from .context import Context, text
from .examples import read_examples

LOCATIONS = frozenset({"path", "query", "header", "cookie"})
SWAGGER2_BODY_LOCATIONS = frozenset({"body", "formData"})

# Swagger 2.0 parameters, headers and items carry their schema as siblings.
_SWAGGER2_SCHEMA_KEYS = (
    "type",
    "format",
    "items",
    "enum",
    "default",
    "minimum",
    "maximum",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "minLength",
    "maxLength",
    "pattern",
    "minItems",
    "maxItems",
    "uniqueItems",
    "multipleOf",
    "x-nullable",
    "example",
)

# Swagger 2.0 collectionFormat -> (style, explode); csv depends on the location.
_COLLECTION_FORMATS: dict[str, tuple[str, bool]] = {
    "ssv": ("spaceDelimited", False),
    "pipes": ("pipeDelimited", False),
    "multi": ("form", True),
}

ParameterObject = tuple[Mapping[str, Any], Location]


def parameter_objects(ctx: Context, raw: Any, at: Location) -> list[ParameterObject]:
    """The Parameter objects of a ``parameters`` list, ``$ref``s followed."""
    if raw is None:
        return []
    if not isinstance(raw, list):
        ctx.problems.error(at, "parameters must be a list")
        return []
    found: list[ParameterObject] = []
    for index, item in enumerate(raw):
        followed = ctx.followed_mapping(item, at.child(index), "a parameter")
        if followed is not None:
            found.append(followed)
    return found


def merge_parameters(
    path_level: list[ParameterObject], operation_level: list[ParameterObject]
) -> list[ParameterObject]:
    """Path-item parameters overridden by the operation's, by (name, in)."""
    merged: dict[tuple[Any, Any], ParameterObject] = {}
    for value, at in [*path_level, *operation_level]:
        merged[(_identity(value.get("name"), at), _identity(value.get("in"), at))] = (value, at)
    return list(merged.values())


def _identity(part: Any, at: Location) -> Any:
    """A ``name`` or ``in`` as a key: itself when it is a string; otherwise (the
    parameter is refused later) something only this parameter has."""
    return part if isinstance(part, str) else at


def read_parameter(ctx: Context, value: Mapping[str, Any], at: Location) -> ir.Parameter | None:
    """One path/query/header/cookie parameter; None (with a warning) when it
    cannot be one."""
    name, location = value.get("name"), value.get("in")
    if not isinstance(name, str) or not name:
        ctx.warn(at, "parameter without a name; skipped")
        return None
    if not isinstance(location, str) or location not in LOCATIONS:
        ctx.warn(at.child("in"), f"parameter {name!r} has an invalid 'in' {location!r}; skipped")
        return None
    if ctx.is_swagger2:
        return _swagger2_parameter(ctx, name, location, value, at)
    return _oas3_parameter(ctx, name, location, value, at)


def _oas3_parameter(
    ctx: Context, name: str, location: str, value: Mapping[str, Any], at: Location
) -> ir.Parameter:
    schema, media_type, examples = _oas3_schema(ctx, value, at)
    explode = value.get("explode")
    return ir.Parameter(
        name=name,
        location=ir.ParameterLocation(location),
        schema=schema,
        required=location == "path" or value.get("required") is True,
        description=text(value.get("description")),
        deprecated=value.get("deprecated") is True,
        style=value["style"] if isinstance(value.get("style"), str) else "",
        explode=explode if isinstance(explode, bool) else None,
        allow_reserved=value.get("allowReserved") is True,
        media_type=media_type,
        examples=examples,
        source=ctx.source(at),
    )


def _oas3_schema(
    ctx: Context, value: Mapping[str, Any], at: Location
) -> tuple[ir.JsonValue, str, tuple[ir.Example, ...]]:
    """Schema, media type ("" unless ``content`` is used) and examples of an
    OpenAPI 3 parameter or header."""
    content = value.get("content")
    if isinstance(content, Mapping) and content:
        if len(content) > 1:
            ctx.warn(at.child("content"), "content must hold one media type; the first is used")
        media_type, media = next(iter(content.items()))
        here = at.child("content", media_type)
        if not isinstance(media, Mapping):
            ctx.problems.error(here, "a media type object must be a mapping")
            return None, str(media_type), ()
        schema = ctx.schema(media.get("schema"), here.child("schema"))
        return (
            schema,
            str(media_type),
            read_examples(ctx, media, here) + read_examples(ctx, value, at),
        )
    return ctx.schema(value.get("schema"), at.child("schema")), "", read_examples(ctx, value, at)


def _swagger2_parameter(
    ctx: Context, name: str, location: str, value: Mapping[str, Any], at: Location
) -> ir.Parameter:
    style, explode = "", None
    collection_format = value.get("collectionFormat")
    if value.get("type") == "array" and collection_format is not None:
        style, explode = _collection_style(ctx, collection_format, location, at)
    return ir.Parameter(
        name=name,
        location=ir.ParameterLocation(location),
        schema=ctx.schema(swagger2_schema(value), at),
        required=location == "path" or value.get("required") is True,
        description=text(value.get("description")),
        style=style,
        explode=explode,
        source=ctx.source(at),
    )


def _collection_style(
    ctx: Context, collection_format: Any, location: str, at: Location
) -> tuple[str, bool | None]:
    if collection_format == "csv":
        return ("form" if location in ("query", "cookie") else "simple"), False
    if collection_format == "tsv":
        ctx.warn(at.child("collectionFormat"), "tsv has no OpenAPI 3 style; read as csv")
        return ("form" if location in ("query", "cookie") else "simple"), False
    if isinstance(collection_format, str) and collection_format in _COLLECTION_FORMATS:
        return _COLLECTION_FORMATS[collection_format]
    ctx.warn(
        at.child("collectionFormat"), f"unknown collectionFormat {collection_format!r}; ignored"
    )
    return "", None


def swagger2_schema(value: Mapping[str, Any]) -> dict[str, Any]:
    """The schema carried by a Swagger 2.0 parameter, header or items object."""
    schema = {key: value[key] for key in _SWAGGER2_SCHEMA_KEYS if key in value}
    items = schema.get("items")
    if isinstance(items, Mapping) and "$ref" not in items:
        schema["items"] = swagger2_schema(items)
    return schema


def read_headers(ctx: Context, raw: Any, at: Location) -> tuple[ir.Parameter, ...]:
    """The headers of a response, as header parameters (``Content-Type`` is
    ignored, as the OpenAPI specification says)."""
    headers = ctx.mapping(raw, at, "headers")
    if not headers:
        return ()
    found: list[ir.Parameter] = []
    for name, item in headers.items():
        if str(name).lower() == "content-type":
            continue
        followed = ctx.followed_mapping(item, at.child(name), "a header")
        if followed is None:
            continue
        value, here = followed
        examples: tuple[ir.Example, ...] = ()
        if ctx.is_swagger2:
            schema, media_type = ctx.schema(swagger2_schema(value), here), ""
        else:
            schema, media_type, examples = _oas3_schema(ctx, value, here)
        found.append(
            ir.Parameter(
                name=str(name),
                location=ir.ParameterLocation.HEADER,
                schema=schema,
                required=value.get("required") is True,
                description=text(value.get("description")),
                deprecated=value.get("deprecated") is True,
                media_type=media_type,
                examples=examples,
                source=ctx.source(here),
            )
        )
    return tuple(found)
