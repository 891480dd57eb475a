"""The Api's named schemas, thawed and handed to jsonschema-rs once for every pass.

Checking examples, checking validators and generating mocks all need the
named schemas as plain data and a registry that resolves ``#/$defs/…``;
:func:`api_schemas` builds them once per set of named schemas (passes that
leave the schemas alone keep the same tuple, so they share them).
"""

from __future__ import annotations

import json
from typing import Any

from mockc.compiler import ir
from mockc.runtime.schema_validators import (
    SchemaCompileError,
    compile_validator,
    defs_registry,
    registry_refs,
)

__all__ = ["ApiSchemas", "api_schemas"]


class ApiSchemas:
    """Plain named schemas, one registry of them, validators compiled on demand."""

    def __init__(self, schemas: tuple[ir.NamedSchema, ...]) -> None:
        self.schemas = schemas
        self.plain: dict[str, Any] = {named.name: ir.thaw(named.schema) for named in schemas}
        """Name → the named schema as plain (mutable, never mutated) JSON data."""
        self._registry: Any = None
        self._validators: dict[int, tuple[ir.JsonValue, Any]] = {}
        self._shared: dict[str, Any] = {}

    @property
    def registry(self) -> Any:
        """The jsonschema-rs registry of :attr:`plain` (built when first needed)."""
        if self._registry is None:
            self._registry = defs_registry(self.plain)
        return self._registry

    def plain_of(self, named: ir.NamedSchema) -> Any:
        return self.plain[named.name]

    def compile(self, schema: Any) -> Any:
        """A validator of the plain ``schema``; raises ``SchemaCompileError``."""
        return compile_validator(registry_refs(schema), registry=self.registry)

    def validator(self, schema: ir.JsonValue) -> Any:
        """A validator of the frozen ``schema``, compiled once per schema object;
        None when jsonschema-rs cannot compile it."""
        entry = self._validators.get(id(schema))
        if entry is not None and entry[0] is schema:
            return entry[1]
        plain = ir.thaw(schema)
        text = _text(plain)
        if text is not None and text in self._shared:
            validator = self._shared[text]
        else:
            try:
                validator = self.compile(plain)
            except SchemaCompileError:
                validator = None
            if text is not None:
                self._shared[text] = validator
        self._validators[id(schema)] = (schema, validator)
        return validator


def _text(plain: Any) -> str | None:
    """The sorted JSON of a schema, which equal schemas share their validator
    by (GitHub's 1,331 schemas with examples are 761 different ones); None when
    JSON cannot hold it exactly (then it is compiled alone)."""
    try:
        return json.dumps(plain, sort_keys=True, allow_nan=False)
    except (TypeError, ValueError):
        return None


_last: ApiSchemas | None = None


def api_schemas(api: ir.Api) -> ApiSchemas:
    """The :class:`ApiSchemas` of ``api``: the same object for every Api that
    holds the same tuple of named schemas (the last one is kept)."""
    global _last
    if _last is None or _last.schemas is not api.schemas:
        _last = ApiSchemas(api.schemas)
    return _last
