"""Response body encoding per media type: JSON, text, XML (best effort), bytes."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any
from xml.sax.saxutils import escape

from .schemas import def_name

__all__ = ["content_type_header", "encode_body", "encode_json", "response_media_type"]

_json_encoder = json.JSONEncoder(separators=(",", ":"), ensure_ascii=False, default=str)
_ascii_json_encoder = json.JSONEncoder(separators=(",", ":"), default=str)


def encode_json(value: Any) -> bytes:
    """``value`` as UTF-8 JSON; text that UTF-8 cannot hold (a lone surrogate from
    an undecodable path) is escaped instead of failing the response."""
    try:
        return _json_encoder.encode(value).encode()
    except UnicodeEncodeError:
        return _ascii_json_encoder.encode(value).encode()


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
        return encode_json(value)
    if isinstance(value, str):
        return value.encode()
    return encode_json(value)


def _text(value: Any) -> str:
    return encode_json(value).decode()


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
