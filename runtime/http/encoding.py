"""Response body encoding per media type: JSON, text, XML (best effort), bytes.

XML is written from data: keys become element names through :func:`xml_name`,
so a key holding ``<``, ``"``, a space or a colon can neither break the document
nor inject markup; text is escaped.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any
from xml.sax.saxutils import escape

from ..json_codec import json_bytes, json_text
from .schemas import def_name

__all__ = [
    "content_type_header",
    "encode_body",
    "response_media_type",
    "xml_name",
]


def response_media_type(declared: str | None) -> str:
    """The concrete type to answer for a declared one: wildcards answer JSON."""
    if not declared or "*" in declared:
        return "application/json"
    return declared


def content_type_header(media_type: str) -> str:
    if media_type.startswith("text/") and "charset" not in media_type:
        return f"{media_type}; charset=utf-8"
    return media_type


def encode_body(value: Any, media_type: str | None, schema: Any = None) -> bytes:
    """Encode ``value`` for ``media_type``; anything not textual or XML becomes JSON."""
    if isinstance(value, bytes):
        return value
    media = response_media_type(media_type)
    if media.startswith("text/"):
        return (value if isinstance(value, str) else _text(value)).encode()
    if media.endswith("/xml") or media.endswith("+xml"):
        return _xml(value, _root_name(schema)).encode()
    if media == "application/json" or media.endswith("+json"):
        return json_bytes(value)
    if isinstance(value, str):
        return value.encode()
    return json_bytes(value)


def _text(value: Any) -> str:
    return json_text(value)


def _root_name(schema: Any) -> str:
    if isinstance(schema, Mapping):
        xml = schema.get("xml")
        if isinstance(xml, Mapping) and isinstance(xml.get("name"), str):
            return str(xml["name"])
        name = def_name(schema)
        if name:
            return name
    return "root"


_NOT_NAME_CHAR = re.compile(r"[^A-Za-z0-9_.\-]")
"""Outside the ASCII name characters every XML parser agrees on (expat and others
still follow the older, narrower tables for non-ASCII names)."""
_NOT_XML_CHAR = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_ESCAPED = re.compile(r"_x[0-9A-F]{4,6}_")


def xml_name(key: str) -> str:
    """``key`` as an XML element name (without a namespace prefix). Characters a
    name cannot hold become ``_xHHHH_`` (their code point, as XmlConvert.EncodeName
    writes them: ``a b`` is ``a_x0020_b``, ``<`` is ``_x003C_``, ``:`` is
    ``_x003A_``, ``é`` is ``_x00E9_``); a name that cannot start as written gets a
    ``_`` in front; an empty key is ``_``."""
    if not key:
        return "_"
    name = _NOT_NAME_CHAR.sub(_code_point, _ESCAPED.sub(_code_point_of_underscore, key))
    if not (name[0].isascii() and (name[0].isalpha() or name[0] == "_")):
        name = "_" + name
    return name


def _code_point(match: re.Match[str]) -> str:
    return f"_x{ord(match.group()):04X}_"


def _code_point_of_underscore(match: re.Match[str]) -> str:
    # a key that already looks escaped keeps its meaning: its "_" is escaped too
    return "_x005F_" + match.group()[1:]


def _xml_text(value: str) -> str:
    """Character data: markup escaped, characters XML cannot hold (NUL, other C0
    controls, lone surrogates) replaced by U+FFFD."""
    return escape(_NOT_XML_CHAR.sub("\ufffd", value))


def _xml(value: Any, name: str) -> str:
    tag = xml_name(name)
    if isinstance(value, Mapping):
        inner = "".join(_xml(item, str(key)) for key, item in value.items())
        return f"<{tag}>{inner}</{tag}>"
    if isinstance(value, list):
        return f"<{tag}>" + "".join(_xml(item, "item") for item in value) + f"</{tag}>"
    if value is None:
        return f"<{tag}/>"
    if isinstance(value, bool):
        value = "true" if value else "false"
    return f"<{tag}>{_xml_text(str(value))}</{tag}>"
