"""The JSON type a parameter or form value is read as (its schema's ``kind``)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..schema_refs import def_name, resolve

__all__ = ["def_name", "kind_of", "resolve"]

_SCALARS = ("integer", "number", "boolean", "string", "array", "object")


def kind_of(schema: Any, defs: Mapping[str, Any]) -> str | None:
    """The JSON type a parameter value should be coerced to, or None if unknown."""
    schema = resolve(schema, defs)
    if not isinstance(schema, Mapping):
        return None
    declared = schema.get("type")
    if isinstance(declared, str):
        return declared if declared in _SCALARS else None
    if isinstance(declared, list):
        for option in declared:
            if option in _SCALARS:
                return str(option)
    for keyword in ("allOf", "oneOf", "anyOf"):
        branches = schema.get(keyword)
        if isinstance(branches, list):
            for branch in branches:
                kind = kind_of(branch, defs)
                if kind is not None:
                    return kind
    if "properties" in schema:
        return "object"
    if "items" in schema:
        return "array"
    if "enum" in schema and schema["enum"]:
        first = schema["enum"][0]
        return _kind_of_value(first)
    return None


def _kind_of_value(value: Any) -> str | None:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    return None
