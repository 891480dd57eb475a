"""Response body encoding per media type: JSON, text, XML (best effort), bytes."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from xml.sax.saxutils import escape

from ..json_codec import json_bytes, json_text
from .schemas import def_name

__all__ = ["content_type_header", "encode_body", "response_media_type"]


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


def _xml(value: Any, name: str) -> str:
    tag = name if name and (name[0].isalpha() or name[0] == "_") else f"_{name}"
    if isinstance(value, Mapping):
        inner = "".join(_xml(item, str(key)) for key, item in value.items())
        return f"<{tag}>{inner}</{tag}>"
    if isinstance(value, list):
        return f"<{tag}>" + "".join(_xml(item, "item") for item in value) + f"</{tag}>"
    if value is None:
        return f"<{tag}/>"
    if isinstance(value, bool):
        value = "true" if value else "false"
    return f"<{tag}>{escape(str(value))}</{tag}>"
