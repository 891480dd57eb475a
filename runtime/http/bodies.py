"""Request body decoding by media type: JSON, forms, multipart, text, bytes.

The result is plain data ready for validation: JSON as parsed; urlencoded and
multipart forms as objects coerced by the schema like query parameters (file
parts become strings); ``text/*`` as a string; anything else stays bytes.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from email.message import Message
from email.parser import BytesParser
from email.policy import HTTP
from typing import Any

from ..json_codec import DEFAULT_MAX_DEPTH, JsonLimitError, parse_json
from .negotiation import match_declared, media_type_of
from .params import coercer, object_properties, split_query
from .problems import Problem
from .schemas import kind_of

__all__ = ["BodyDecoder", "DecodedBody"]

FORM = "application/x-www-form-urlencoded"
MULTIPART = "multipart/form-data"


@dataclass(frozen=True, slots=True)
class DecodedBody:
    declared: str | None
    """The declared media type (maybe a wildcard) the body was matched to."""
    media_type: str | None
    """The media type the client sent."""
    data: Any
    validate: bool
    """False for opaque bodies (bytes) that are only checked for presence."""


def _is_json(media_type: str) -> bool:
    return media_type == "application/json" or media_type.endswith("+json")


class BodyDecoder:
    """Decodes the request bodies of one operation."""

    def __init__(
        self,
        body: Mapping[str, Any],
        defs: Mapping[str, Any],
        *,
        json_max_depth: int = DEFAULT_MAX_DEPTH,
    ) -> None:
        self.required = bool(body.get("required"))
        contents: Mapping[str, Any] = body.get("contents", {})
        self.declared = tuple(contents)
        self._schemas = {
            media: (content.get("schema") or {}) for media, content in contents.items()
        }
        self._defs = defs
        self._json_max_depth = json_max_depth
        self._form_fields: dict[str, tuple[Any, dict[str, bool]]] = {}

    def decode(self, content_type: str | None, raw: bytes) -> DecodedBody:
        if not raw:
            if self.required:
                raise Problem(400, "the request body is required", title="Missing request body")
            return DecodedBody(None, None, None, False)
        accepted = ", ".join(self.declared)
        if not content_type:
            raise Problem(
                415,
                f"the request has no Content-Type; accepted: {accepted}",
                accepted=list(self.declared),
            )
        media_type = media_type_of(content_type)
        declared = match_declared(media_type, self.declared)
        if declared is None:
            raise Problem(
                415,
                f"Content-Type {media_type} is not accepted; accepted: {accepted}",
                accepted=list(self.declared),
            )
        if _is_json(media_type):
            return DecodedBody(declared, media_type, _json(raw, self._json_max_depth), True)
        if media_type == FORM:
            fields = _pairs(split_query(_utf8(raw, "form")), raw)
            return DecodedBody(declared, media_type, self._coerce_form(declared, fields), True)
        if media_type == MULTIPART:
            fields = _multipart(content_type, raw)
            return DecodedBody(declared, media_type, self._coerce_form(declared, fields), True)
        if media_type.startswith("text/"):
            return DecodedBody(declared, media_type, raw.decode("utf-8", "replace"), True)
        return DecodedBody(declared, media_type, raw, False)

    def _coerce_form(self, declared: str, fields: dict[str, list[str]]) -> dict[str, Any]:
        compiled = self._form_fields.get(declared)
        if compiled is None:
            schema = self._schemas.get(declared, {})
            properties = object_properties(schema, self._defs)
            arrays = {name: kind_of(sub, self._defs) == "array" for name, sub in properties.items()}
            compiled = self._form_fields[declared] = (coercer(schema, self._defs), arrays)
        coerce, arrays = compiled
        flat = {name: values if arrays.get(name) else values[0] for name, values in fields.items()}
        return dict(coerce(flat))


def _utf8(raw: bytes, what: str) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise Problem(
            400,
            f"the {what} body is not valid UTF-8 (byte {exc.start})",
            title="Malformed request body",
        ) from None


def _json(raw: bytes, max_depth: int) -> Any:
    _utf8(raw, "JSON")
    try:
        return parse_json(raw, max_depth=max_depth)
    except JsonLimitError as exc:
        raise Problem(
            400, f"the JSON body is refused: {exc}", title="Request body too complex"
        ) from None
    except json.JSONDecodeError as exc:
        raise Problem(
            400,
            f"malformed JSON at line {exc.lineno} column {exc.colno}: {exc.msg}",
            title="Malformed request body",
        ) from None


def _pairs(fields: dict[str, list[str]], raw: bytes) -> dict[str, list[str]]:
    for position, pair in enumerate(raw.split(b"&"), start=1):
        if pair and b"=" not in pair:
            raise Problem(
                400,
                f"malformed form body: field {position} has no '='",
                title="Malformed request body",
            )
    return fields


def _multipart(content_type: str, raw: bytes) -> dict[str, list[str]]:
    if "boundary=" not in content_type:
        raise Problem(
            400,
            "malformed multipart body: no boundary in Content-Type",
            title="Malformed request body",
        )
    head = f"Content-Type: {content_type}\r\nMIME-Version: 1.0\r\n\r\n".encode("latin-1", "replace")
    message = BytesParser(policy=HTTP).parsebytes(head + raw)
    if not message.is_multipart() or message.defects:
        raise Problem(
            400,
            "malformed multipart body: cannot find the parts",
            title="Malformed request body",
        )
    fields: dict[str, list[str]] = {}
    for part in message.iter_parts() if hasattr(message, "iter_parts") else ():
        name = _part_name(part)
        if name is None:
            raise Problem(
                400,
                "malformed multipart body: a part has no Content-Disposition name",
                title="Malformed request body",
            )
        payload = part.get_payload(decode=True)
        data = payload if isinstance(payload, bytes) else b""
        fields.setdefault(name, []).append(data.decode("utf-8", "replace"))
    return fields


def _part_name(part: Message) -> str | None:
    name = part.get_param("name", header="content-disposition")
    if isinstance(name, tuple):
        name = name[2]
    return str(name) if name is not None else None
