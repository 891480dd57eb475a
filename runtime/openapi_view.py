"""Schemas as OpenAPI means them, rewritten into plain JSON Schema for a validator.

Two OpenAPI rules that a JSON Schema validator does not know:

* ``discriminator`` chooses the branch of a ``oneOf``/``anyOf``
  (:mod:`.discriminator`);
* the integer formats ``int32`` and ``int64`` bound the value to the signed
  32- and 64-bit ranges (OpenAPI's data type formats); the bounds are added
  as ``minimum``/``maximum`` where the schema sets none tighter.

Unchanged nodes are shared with the input, which is never mutated.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .discriminator import RewrittenDefs, discriminated

__all__ = ["INTEGER_FORMAT_RANGES", "openapi_view", "with_openapi_view"]

INTEGER_FORMAT_RANGES: Mapping[str, tuple[int, int]] = {
    "int32": (-(2**31), 2**31 - 1),
    "int64": (-(2**63), 2**63 - 1),
}
_DATA_KEYWORDS = frozenset({"examples", "example", "default", "const", "enum", "discriminator"})
_SCHEMA_MAPS = frozenset({"properties", "patternProperties", "$defs", "dependentSchemas"})


def _bounded(node: Any) -> Any:
    if isinstance(node, Mapping):
        changed = False
        out: dict[str, Any] = {}
        for key, value in node.items():
            if key in _DATA_KEYWORDS:
                new = value
            elif key in _SCHEMA_MAPS and isinstance(value, Mapping):
                mapped = {name: _bounded(sub) for name, sub in value.items()}
                new = mapped if any(mapped[n] is not value[n] for n in value) else value
            else:
                new = _bounded(value)
            changed = changed or new is not value
            out[key] = new
        form = out.get("format")
        limits = INTEGER_FORMAT_RANGES.get(form) if isinstance(form, str) else None
        if limits is not None:
            low, high = limits
            if not _number(out.get("minimum")) and not _number(out.get("exclusiveMinimum")):
                out["minimum"], changed = low, True
            if not _number(out.get("maximum")) and not _number(out.get("exclusiveMaximum")):
                out["maximum"], changed = high, True
        return out if changed else node
    if isinstance(node, list | tuple):
        items = [_bounded(item) for item in node]
        return items if any(a is not b for a, b in zip(items, node, strict=True)) else node
    return node


def _number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def openapi_view(schema: Any) -> Any:
    """``schema`` with discriminators applied and integer formats bounded."""
    return _bounded(discriminated(schema))


def with_openapi_view(schema: Any, defs: Mapping[str, Any]) -> tuple[Any, Mapping[str, Any]]:
    """:func:`openapi_view` of ``schema`` and of every def (lazily, on first access)."""
    return openapi_view(schema), RewrittenDefs(defs, openapi_view)
