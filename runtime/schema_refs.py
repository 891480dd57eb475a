"""``$ref`` helpers over the contract's named schemas (``#/$defs/Name``), for
every part of the runtime: protocol-neutral, no adapter's helpers."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

__all__ = ["DEF_PREFIX", "def_name", "resolve", "with_defs"]

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
    needed: dict[str, Any] = {}
    pending = [schema]
    while pending:
        node = pending.pop()
        if isinstance(node, Mapping):
            name = def_name(node)
            if name is not None and name not in needed and name in defs:
                needed[name] = defs[name]
                pending.append(defs[name])
            pending.extend(
                value for key, value in node.items() if key != "$ref" and key not in _DATA_KEYWORDS
            )
        elif isinstance(node, list | tuple):
            pending.extend(node)
    if not needed:
        return schema
    return {**schema, "$defs": {**dict(sorted(needed.items())), **schema.get("$defs", {})}}
