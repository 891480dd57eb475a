"""JSON Schemas for custom scalars, chosen by the scalar's name.

GraphQL says nothing about what a custom scalar holds, but names do:
``DateTime`` is an RFC 3339 date-time, ``URL`` a URI, ``JSON`` any JSON.
Fake data and validation of the scalar follow the schema chosen here; an
unknown name is a string, the representation most custom scalars have.
"""

from __future__ import annotations

import re
from typing import Any

__all__ = ["scalar_schema"]

_DATE_TIME = {"type": "string", "format": "date-time"}
_DATE = {"type": "string", "format": "date"}
_TIME = {"type": "string", "format": "time"}
_URI = {"type": "string", "format": "uri"}
_EMAIL = {"type": "string", "format": "email"}
_UUID = {"type": "string", "format": "uuid"}
_ANY_OBJECT = {"type": "object", "additionalProperties": {"type": "string"}}
_JSON_TEXT = {"type": "string", "examples": ['{"key": "value"}']}
_HTML = {"type": "string", "examples": ["<p>Hello, world</p>"]}
_DECIMAL = {"type": "number"}
_INTEGER = {"type": "integer"}
_DIGITS = {"type": "string", "pattern": "^[1-9][0-9]{0,11}$"}
_BASE64 = {"type": "string", "format": "byte"}
_GIT_OBJECT_ID = {"type": "string", "pattern": "^[0-9a-f]{40}$"}

_EXACT: dict[str, dict[str, Any]] = {
    **dict.fromkeys(
        (
            "datetime",
            "timestamp",
            "instant",
            "precisedatetime",
            "gittimestamp",
            "offsetdatetime",
            "zoneddatetime",
            "localdatetime",
        ),
        _DATE_TIME,
    ),
    **dict.fromkeys(("date", "localdate", "naivedate"), _DATE),
    **dict.fromkeys(("time", "localtime", "localendtime"), _TIME),
    **dict.fromkeys(("url", "uri", "link", "href", "gitsshremote"), _URI),
    **dict.fromkeys(("email", "emailaddress"), _EMAIL),
    **dict.fromkeys(("uuid", "guid"), _UUID),
    **dict.fromkeys(
        ("json", "jsonobject", "jsonvalue", "genericscalar", "object", "any", "map"), _ANY_OBJECT
    ),
    "jsonstring": _JSON_TEXT,
    "html": _HTML,
    **dict.fromkeys(
        ("decimal", "bigdecimal", "float", "double", "number", "positivedecimal"), _DECIMAL
    ),
    **dict.fromkeys(("long", "int64", "bigint", "int", "integer", "short"), _INTEGER),
    "positiveint": {"type": "integer", "minimum": 1},
    "nonnegativeint": {"type": "integer", "minimum": 0},
    **dict.fromkeys(("base64", "base64string", "bytes", "binary"), _BASE64),
    "gitobjectid": _GIT_OBJECT_ID,
    "upload": {"type": "string", "contentMediaType": "application/octet-stream"},
    **dict.fromkeys(("void", "null"), {"type": "null"}),
}
_CONTAINS: tuple[tuple[str, dict[str, Any]], ...] = (
    ("datetime", _DATE_TIME),
    ("timestamp", _DATE_TIME),
    ("date", _DATE),
    ("time", _TIME),
    ("email", _EMAIL),
    ("uuid", _UUID),
    ("url", _URI),
    ("uri", _URI),
    ("jsonstring", _JSON_TEXT),
    ("json", _ANY_OBJECT),
    ("html", _HTML),
    ("decimal", _DECIMAL),
    ("float", _DECIMAL),
)
_AS_TEXT = re.compile(r"\b(encoded|serialized|represented) as a string\b", re.IGNORECASE)


def scalar_schema(name: str, description: str | None = None) -> dict[str, Any]:
    """The JSON Schema of the custom scalar ``name`` (a fresh dict)."""
    key = re.sub(r"[^a-z0-9]", "", name.lower())
    schema = _EXACT.get(key)
    if schema is None:
        schema = next((found for needle, found in _CONTAINS if needle in key), None)
    if schema is None:
        return {"type": "string"}
    if schema is _INTEGER and description and _AS_TEXT.search(description):
        schema = _DIGITS  # e.g. GitHub's BigInt: "encoded as a string"
    return dict(schema)
