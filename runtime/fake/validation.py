"""Cached validators for the schemas fake data is generated from.

The named schemas are handed to jsonschema-rs once, as a registry every
validator shares (:mod:`.schema_validators`); each schema is compiled once.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from ..openapi_view import openapi_view
from ..schema_validators import (
    SchemaCompileError,
    compile_validator,
    defs_registry,
    registry_refs,
)

__all__ = ["ValidatorCache"]

_MAX_ENTRIES = 20_000


class ValidatorCache:
    """``is_valid(schema, value)`` with one compiled validator per schema object.

    Entries are keyed by ``id(schema)`` and keep the schema alive, so an id is
    never reused for a different object while its entry exists.
    """

    def __init__(self, defs: Mapping[str, Any]) -> None:
        self._source_defs = dict(defs)
        self._defs = {name: openapi_view(_response_view(sub, defs)) for name, sub in defs.items()}
        self._registry: Any = None
        self._entries: dict[int, tuple[Any, Any]] = {}
        self._by_text: dict[str, Any] = {}

    def is_valid(self, schema: Any, value: Any) -> bool:
        """True when ``value`` validates, or when ``schema`` cannot be compiled at all."""
        validator = self._validator(schema)
        if validator is None:
            return True
        try:
            return bool(validator.is_valid(value))
        except Exception:  # a validator error is no reason to fail generation
            return True

    def _validator(self, schema: Any) -> Any:
        entry = self._entries.get(id(schema))
        if entry is not None and entry[0] is schema:
            return entry[1]
        if len(self._entries) >= _MAX_ENTRIES:
            self._entries.clear()
            self._by_text.clear()
        try:  # equal schemas built afresh (e.g. a bare ``$ref``) share one validator
            text = json.dumps(schema, sort_keys=True)
        except (TypeError, ValueError):
            text = None
        validator = self._by_text.get(text) if text is not None else None
        if validator is None:
            validator = self._compile(schema)
            if text is not None:
                self._by_text[text] = validator
        self._entries[id(schema)] = (schema, validator)
        return validator

    def _compile(self, schema: Any) -> Any:
        document: Any = openapi_view(_response_view(schema, self._source_defs))
        if isinstance(document, Mapping):
            document = {k: v for k, v in document.items() if k not in ("$schema", "$id")}
            if isinstance(document.get("$defs"), Mapping):  # its own defs: compiled alone
                document["$defs"] = {**self._defs, **document["$defs"]}
                return self._compiled(document, None)
        if self._registry is None:
            self._registry = defs_registry(self._defs)
        return self._compiled(registry_refs(document), self._registry)

    @staticmethod
    def _compiled(document: Any, registry: Any) -> Any:
        try:
            return compile_validator(document, registry=registry)
        except SchemaCompileError:  # malformed schema: nothing to check against
            return None


def _response_view(node: Any, defs: Mapping[str, Any]) -> Any:
    """``node`` with ``writeOnly`` properties not required: fake data answers
    responses, where OpenAPI applies ``required`` to writeOnly properties only in
    requests (the generator leaves them out)."""
    if isinstance(node, list):
        return [_response_view(item, defs) for item in node]
    if not isinstance(node, Mapping):
        return node
    out = {key: _response_view(value, defs) for key, value in node.items()}
    properties, required = node.get("properties"), node.get("required")
    if isinstance(properties, Mapping) and isinstance(required, list):
        out["required"] = [name for name in required if not _write_only(properties.get(name), defs)]
    return out


def _write_only(schema: Any, defs: Mapping[str, Any]) -> bool:
    if not isinstance(schema, Mapping):
        return False
    parts = [schema, *(schema.get("allOf") or ())]
    ref = schema.get("$ref")
    if isinstance(ref, str) and ref.startswith("#/$defs/"):
        parts.append(defs.get(ref[len("#/$defs/") :]))
    return any(isinstance(part, Mapping) and part.get("writeOnly") is True for part in parts)
