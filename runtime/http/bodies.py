"""Request body decoding by media type: JSON, forms, multipart, text, bytes.

The result is plain data ready for validation: JSON as parsed; urlencoded and
multipart forms as the object their schema declares, bracket keys nested
(:mod:`.forms`; file parts become strings); XML read by the schema's ``xml``
annotations (:mod:`.xml_bodies`); ``text/*`` as a string; anything else stays
bytes, accepted as sent. An empty body is missing only where the media type
cannot be empty (JSON, XML, multipart) or no Content-Type says what it is.
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
from ..web.negotiation import match_declared, media_type_of
from ..web.problems import Problem
from .forms import FormShaper
from .params import split_query
from .schemas import kind_of
from .xml_bodies import XmlReader, is_xml

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
        self._form_shapers: dict[str, FormShaper] = {}
        self._xml_readers: dict[str, XmlReader] = {}

    def decode(self, content_type: str | None, raw: bytes) -> DecodedBody:
        if not raw and not self._empty_is_a_document(content_type):
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
            return DecodedBody(declared, media_type, self._shape_form(declared, fields), True)
        if media_type == MULTIPART:
            fields = _multipart(content_type, raw)
            return DecodedBody(declared, media_type, self._shape_form(declared, fields), True)
        if is_xml(media_type):
            return DecodedBody(declared, media_type, self._read_xml(declared, raw), True)
        if media_type.startswith("text/"):
            text = raw.decode("utf-8", "replace")
            return DecodedBody(declared, media_type, text, self._text_schema(declared))
        return DecodedBody(declared, media_type, raw, False)

    def _empty_is_a_document(self, content_type: str | None) -> bool:
        """An empty body sent as a form (no fields), text (empty) or opaque media type
        (empty file) is a document, not a missing body; JSON, XML and multipart
        documents cannot be empty."""
        if not content_type:
            return False
        media_type = media_type_of(content_type)
        if match_declared(media_type, self.declared) is None:
            return False
        return not (_is_json(media_type) or is_xml(media_type) or media_type == MULTIPART)

    def _read_xml(self, declared: str, raw: bytes) -> Any:
        reader = self._xml_readers.get(declared)
        if reader is None:
            schema = self._schemas.get(declared, {})
            reader = self._xml_readers[declared] = XmlReader(schema, self._defs)
        return reader.read(raw)

    def _text_schema(self, declared: str) -> bool:
        """Whether a text body is validated: when its schema describes a string (a
        text body is never an object or a number on the wire)."""
        return kind_of(self._schemas.get(declared, {}), self._defs) in (None, "string")

    def _shape_form(self, declared: str, fields: dict[str, list[str]]) -> dict[str, Any]:
        shaper = self._form_shapers.get(declared)
        if shaper is None:
            schema = self._schemas.get(declared, {})
            shaper = self._form_shapers[declared] = FormShaper(schema, self._defs)
        return shaper.shape(fields)


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
