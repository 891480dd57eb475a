"""Read-only helpers over the contract's JSON Schemas: refs, kinds, closures."""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any

from ..schema_refs import DEF_PREFIX, def_name, resolve

__all__ = [
    "DEF_PREFIX",
    "def_name",
    "kind_of",
    "referenced_defs",
    "resolve",
    "strip_read_only_required",
    "with_defs",
]

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


_DATA_KEYWORDS = frozenset({"examples", "example", "default", "const", "enum"})
"""Keywords whose values are instance data, not schemas: a ``$ref`` in them is text."""


def referenced_defs(schema: Any, defs: Mapping[str, Any]) -> dict[str, Any]:
    """The defs ``schema`` refers to, transitively, in a sorted dict. Works on
    plain JSON data and on read-only mappings and tuples alike."""
    found: dict[str, Any] = {}
    pending = [schema]
    while pending:
        node = pending.pop()
        if isinstance(node, Mapping):
            name = def_name(node)
            if name is not None and name not in found and name in defs:
                found[name] = defs[name]
                pending.append(defs[name])
            pending.extend(
                value for key, value in node.items() if key != "$ref" and key not in _DATA_KEYWORDS
            )
        elif isinstance(node, list | tuple):
            pending.extend(node)
    return dict(sorted(found.items()))


def with_defs(schema: Any, defs: Mapping[str, Any]) -> Any:
    """``schema`` with the defs it needs attached under ``$defs``, ready to compile."""
    needed = referenced_defs(schema, defs)
    if not needed:
        return schema
    if not isinstance(schema, Mapping):
        return schema
    return {**schema, "$defs": {**needed, **schema.get("$defs", {})}}


def strip_read_only_required(schema: Any, defs: Mapping[str, Any]) -> tuple[Any, dict[str, Any]]:
    """Copies of ``schema`` and ``defs`` in which ``readOnly`` properties are not required.

    A request body may leave out what only the server sets (an ``id``); this
    is applied to every object schema, following ``$ref``s into the defs.
    """
    new_defs = {name: _strip(copy.deepcopy(value), defs) for name, value in defs.items()}
    return _strip(copy.deepcopy(schema), defs), new_defs


def _strip(node: Any, defs: Mapping[str, Any]) -> Any:
    if isinstance(node, list):
        for item in node:
            _strip(item, defs)
    elif isinstance(node, dict):
        properties = node.get("properties")
        required = node.get("required")
        if isinstance(properties, Mapping) and isinstance(required, list):
            node["required"] = [
                name for name in required if not _is_read_only(properties.get(name), defs)
            ]
        for key, value in node.items():
            if key != "required":
                _strip(value, defs)
    return node


def _is_read_only(schema: Any, defs: Mapping[str, Any]) -> bool:
    if not isinstance(schema, Mapping):
        return False
    if schema.get("readOnly") is True:
        return True
    target = resolve(schema, defs)
    if target is not schema and isinstance(target, Mapping) and target.get("readOnly") is True:
        return True
    return any(
        isinstance(branch, Mapping) and branch.get("readOnly") is True
        for branch in schema.get("allOf", ())
    )
