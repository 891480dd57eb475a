"""Small rewrites of schema values shared by the normaliser."""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

__all__ = ["contains_ref", "is_number", "with_null"]


def with_null(schema: dict[str, Any]) -> dict[str, Any]:
    """``schema`` that also accepts null (OpenAPI 3.0 ``nullable``)."""
    composed = any(key in schema for key in ("$ref", "allOf", "anyOf", "oneOf", "not"))
    kind = schema.get("type")
    if composed or kind is None:
        if "enum" in schema and not composed:
            if None not in schema["enum"]:
                schema["enum"] = [*schema["enum"], None]
            return schema
        return {"anyOf": [schema, {"type": "null"}]}
    names = kind if isinstance(kind, list) else [kind]
    if "null" not in names:
        schema["type"] = [*names, "null"]
    if "enum" in schema and None not in schema["enum"]:
        schema["enum"] = [*schema["enum"], None]
    return schema


def is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def contains_ref(value: Any) -> bool:
    if isinstance(value, Mapping):
        return "$ref" in value or any(contains_ref(item) for item in value.values())
    if isinstance(value, list):
        return any(contains_ref(item) for item in value)
    return False
