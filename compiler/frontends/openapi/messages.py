"""Request bodies and responses: one Content per media type."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ... import ir
from ..documents import Location
from .context import Context, json_value, text
from .examples import media_example, read_examples
from .parameters import ParameterObject, read_headers, swagger2_schema

DEFAULT_MEDIA_TYPE = "application/json"
FORM_URLENCODED = "application/x-www-form-urlencoded"
MULTIPART_FORM = "multipart/form-data"
_STATUS_PATTERN = frozenset("12345")


# --- OpenAPI 3 ------------------------------------------------------------------


def request_body(ctx: Context, raw: Any, at: Location) -> ir.Message | None:
    """The ``requestBody`` of an OpenAPI 3 operation."""
    followed = ctx.followed_mapping(raw, at, "requestBody") if raw is not None else None
    if followed is None:
        return None
    body, here = followed
    return ir.Message(
        contents=contents(ctx, body.get("content"), here.child("content")),
        required=body.get("required") is True,
        description=text(body.get("description")),
        source=ctx.source(here),
    )


def contents(ctx: Context, raw: Any, at: Location) -> tuple[ir.Content, ...]:
    """One Content per media type of an OpenAPI 3 ``content`` mapping."""
    media_types = ctx.mapping(raw, at, "content")
    if not media_types:
        return ()
    found: list[ir.Content] = []
    for media_type, media in media_types.items():
        here = at.child(media_type)
        if media is None:
            found.append(ir.Content(media_type=str(media_type)))
            continue
        if not isinstance(media, Mapping):
            ctx.problems.error(here, "a media type object must be a mapping")
            continue
        encoding = media.get("encoding")
        found.append(
            ir.Content(
                media_type=str(media_type),
                schema=ctx.schema(media.get("schema"), here.child("schema")),
                examples=read_examples(ctx, media, here),
                encoding=json_value(encoding) if isinstance(encoding, Mapping) else None,  # type: ignore[arg-type]
            )
        )
    return tuple(found)


# --- Swagger 2.0 ----------------------------------------------------------------


def swagger2_body(
    ctx: Context, parameters: list[ParameterObject], consumes: list[str]
) -> ir.Message | None:
    """The request message of a Swagger 2.0 operation: its ``in: body``
    parameter, or an object built from its ``in: formData`` parameters."""
    body = [(value, at) for value, at in parameters if value.get("in") == "body"]
    form = [(value, at) for value, at in parameters if value.get("in") == "formData"]
    if body:
        value, at = body[0]
        if len(body) > 1:
            ctx.warn(body[1][1], "only one body parameter is allowed; the first is used")
        if form:
            ctx.warn(form[0][1], "formData parameters beside a body parameter; ignored")
        schema = ctx.schema(value.get("schema"), at.child("schema"))
        return ir.Message(
            contents=tuple(
                ir.Content(media_type=media_type, schema=schema)
                for media_type in (consumes or [DEFAULT_MEDIA_TYPE])
            ),
            required=value.get("required") is True,
            description=text(value.get("description")),
            source=ctx.source(at),
        )
    if form:
        return _form_body(ctx, form, consumes)
    return None


def _form_body(ctx: Context, form: list[ParameterObject], consumes: list[str]) -> ir.Message:
    properties: dict[str, Any] = {}
    required: list[str] = []
    has_file = False
    for value, at in form:
        name = value.get("name")
        if not isinstance(name, str) or not name:
            ctx.warn(at, "formData parameter without a name; skipped")
            continue
        has_file = has_file or value.get("type") == "file"
        schema = ctx.schemas.normaliser.normalise(swagger2_schema(value), at)
        if isinstance(schema, dict) and value.get("description") and "description" not in schema:
            schema["description"] = text(value.get("description"))
        properties[name] = schema
        if value.get("required") is True:
            required.append(name)
    object_schema: dict[str, Any] = {"type": "object", "properties": properties}
    if required:
        object_schema["required"] = required
    media_types = [media for media in consumes if media in (FORM_URLENCODED, MULTIPART_FORM)]
    if has_file:
        media_types = [MULTIPART_FORM]
    elif not media_types:
        media_types = [FORM_URLENCODED]
    frozen = json_value(object_schema)
    return ir.Message(
        contents=tuple(ir.Content(media_type=media, schema=frozen) for media in media_types),
        required=bool(required),
        source=ctx.source(form[0][1]),
    )


def _swagger2_contents(
    ctx: Context, response: Mapping[str, Any], at: Location, produces: list[str]
) -> tuple[ir.Content, ...]:
    has_schema = response.get("schema") is not None
    schema = ctx.schema(response.get("schema"), at.child("schema")) if has_schema else None
    examples = response.get("examples")
    by_media: dict[str, Any] = dict(examples) if isinstance(examples, Mapping) else {}
    media_types = list(produces or [DEFAULT_MEDIA_TYPE]) if has_schema else []
    media_types += [str(media) for media in by_media if media not in media_types]
    return tuple(
        ir.Content(
            media_type=media_type,
            schema=schema,
            examples=(
                (media_example(ctx, by_media[media_type], at.child("examples", media_type)),)
                if media_type in by_media
                else ()
            ),
        )
        for media_type in media_types
    )


# --- responses (both versions) -----------------------------------------------------


def outputs(ctx: Context, raw: Any, at: Location, produces: list[str]) -> tuple[ir.Output, ...]:
    """One Output per response, in spec order."""
    responses = ctx.mapping(raw, at, "responses")
    if responses is None:
        return ()
    found: list[ir.Output] = []
    for key, item in responses.items():
        key = str(key)
        if key.startswith("x-"):
            continue
        if not _is_response_key(key):
            ctx.warn(at.child(key), f"{key!r} is not a status code, a range or 'default'; skipped")
            continue
        followed = ctx.followed_mapping(item, at.child(key), "a response")
        if followed is None:
            continue
        response, here = followed
        if ctx.is_swagger2:
            media = _swagger2_contents(ctx, response, here, produces)
        else:
            media = contents(ctx, response.get("content"), here.child("content"))
        found.append(
            ir.Output(
                key=key,
                message=ir.Message(
                    contents=media,
                    description=text(response.get("description")),
                    source=ctx.source(here),
                ),
                headers=read_headers(ctx, response.get("headers"), here.child("headers")),
                is_error=key[0] in "45",
                description=text(response.get("description")),
                source=ctx.source(here),
            )
        )
    return tuple(found)


def _is_response_key(key: str) -> bool:
    if key == "default":
        return True
    if len(key) != 3 or key[0] not in _STATUS_PATTERN:
        return False
    return key[1:].isdigit() or key[1:].upper() == "XX"
