"""The ``$defs`` of a tool's schemas made the Api's named schemas.

MCP servers list each tool's ``inputSchema`` and ``outputSchema`` whole, their
shared parts in the schema's own ``$defs`` (or ``definitions``, of older JSON
Schema drafts). In the IR a ``#/$defs/<Name>`` reference names a schema of the
Api, so each schema's definitions move there: one named schema per distinct
definition, a name taken twice with different contents numbered (``Pet_2``),
and the references rewritten to match. The server lists every schema
self-contained again.
"""

from __future__ import annotations

from typing import Any

from mockc.compiler import ir

__all__ = ["NamedSchemas"]

_KEYWORDS = {"$defs": "#/$defs/", "definitions": "#/definitions/"}


class NamedSchemas:
    def __init__(self) -> None:
        self._named: dict[str, Any] = {}
        self._sources: dict[str, ir.Source | None] = {}

    def hoisted(self, schema: Any, source: ir.Source | None) -> Any:
        """``schema`` without its own definitions, its references naming the
        Api's named schemas they became."""
        if not isinstance(schema, dict) or not any(key in schema for key in _KEYWORDS):
            return schema
        renamed: dict[str, str] = {}
        found: dict[str, Any] = {}
        for keyword, prefix in _KEYWORDS.items():
            for name, definition in (schema.get(keyword) or {}).items():
                found[prefix + name] = definition
                renamed[prefix + name] = self._name_for(str(name), definition)
        rest = {key: value for key, value in schema.items() if key not in _KEYWORDS}
        for ref, definition in found.items():
            name = renamed[ref]
            if name not in self._named:
                self._named[name] = _rewritten(definition, renamed)
                self._sources[name] = source
        return _rewritten(rest, renamed)

    def _name_for(self, name: str, definition: Any) -> str:
        candidate, number = name, 1
        while candidate in self._named and self._named[candidate] != definition:
            number += 1
            candidate = f"{name}_{number}"
        return candidate

    def named(self) -> tuple[ir.NamedSchema, ...]:
        return tuple(
            ir.NamedSchema(
                name=name, schema=ir.freeze(self._named[name]), source=self._sources[name]
            )
            for name in sorted(self._named)
        )


def _rewritten(value: Any, renamed: dict[str, str]) -> Any:
    if isinstance(value, dict):
        ref = value.get("$ref")
        out = {key: _rewritten(item, renamed) for key, item in value.items()}
        if isinstance(ref, str) and ref in renamed:
            out["$ref"] = ir.SCHEMA_REF_PREFIX + renamed[ref]
        return out
    if isinstance(value, list):
        return [_rewritten(item, renamed) for item in value]
    return value
