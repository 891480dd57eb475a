"""``$ref`` helpers over the contract's named schemas (``#/$defs/Name``), for
every part of the runtime: protocol-neutral, no adapter's helpers."""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any

__all__ = [
    "DEF_PREFIX",
    "def_name",
    "referenced_defs",
    "resolve",
    "strip_read_only_required",
    "with_defs",
]

DEF_PREFIX = "#/$defs/"
_DATA_KEYWORDS = frozenset({"examples", "example", "default", "const", "enum"})
"""Keywords whose values are instance data, not schemas: a ``$ref`` in them is text."""


def def_name(schema: Any) -> str | None:
    """The def a ``{"$ref": "#/$defs/Name"}`` schema points at, if it is one."""
    if isinstance(schema, Mapping):
        ref = schema.get("$ref")
        if isinstance(ref, str) and ref.startswith(DEF_PREFIX):
            return ref[len(DEF_PREFIX) :]
    return None


def resolve(schema: Any, defs: Mapping[str, Any]) -> Any:
    """Follow ``{"$ref": "#/$defs/Name"}`` chains to a schema that is not one."""
    seen: set[str] = set()
    while True:
        name = def_name(schema)
        if name is None or name in seen or name not in defs:
            return schema
        seen.add(name)
        schema = defs[name]


def with_defs(schema: Any, defs: Mapping[str, Any]) -> Any:
    """``schema`` with the defs it refers to (transitively) under ``$defs``."""
    if not isinstance(schema, Mapping):
        return schema
    needed = referenced_defs(schema, defs)
    if not needed:
        return schema
    return {**schema, "$defs": {**needed, **schema.get("$defs", {})}}


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
