"""Cached validators for the schemas fake data is generated from, in bounded memory.

Every named schema is compiled once, into one shared validator
(:class:`.schema_validators.NamedSchemas`); a value for a bare ``$ref`` is
checked there directly. Any other schema is compiled on its own, with its
references to named schemas asking the shared validator, so it costs about
its own size — not the size of every schema its references reach, which is
megabytes per schema on a large, tightly linked spec (Stripe's).

Those small validators are kept in a least-recently-used cache bounded by an
estimate of their bytes (:data:`VALIDATOR_BUDGET`): memory stays bounded
however many schemas the traffic reaches, and a schema evicted and met again
is compiled again, with the same verdicts.
"""

from __future__ import annotations

import json
from collections import OrderedDict
from collections.abc import Iterator, Mapping
from typing import Any

from ..openapi_view import openapi_view
from ..schema_validators import (
    NamedSchemas,
    SchemaCompileError,
    defs_registry,
    named_refs,
    registry_refs,
)

__all__ = ["VALIDATOR_BUDGET", "ValidatorCache"]

VALIDATOR_BUDGET = 32 * 1024 * 1024
"""Estimated bytes the cached per-schema validators may hold together."""
_BYTES_PER_SCHEMA_BYTE = 16
"""Compiled validator bytes per byte of schema JSON (jsonschema-rs 0.60 measures ~14)."""
_ENTRY_OVERHEAD = 4096
"""Estimated bytes of one cached validator beyond its schema's share."""
_MAX_SCHEMA_IDS = 4096
"""Schema objects remembered by identity (each kept alive while remembered):
past this many, the memory of them starts again."""


class ValidatorCache:
    """``is_valid(schema, value)`` with validators compiled once and kept within a budget.

    Schema objects are remembered by ``id`` and kept alive while remembered,
    so an id is never taken for a different object; validators are shared by
    equal schemas (their sorted JSON text).
    """

    def __init__(self, defs: Mapping[str, Any], *, budget: int = VALIDATOR_BUDGET) -> None:
        self._source_defs = dict(defs)
        self._defs = _ResponseViews(self._source_defs)
        self._named = NamedSchemas(self._defs)
        self._budget = budget
        self._registry: Any = None
        self._defs_bytes: int | None = None
        self._routes: dict[int, tuple[Any, str | None, str | None]] = {}
        self._validators: OrderedDict[str, tuple[Any, int]] = OrderedDict()
        self._bytes = 0

    @property
    def cached_bytes(self) -> int:
        """The estimated bytes of the cached per-schema validators: within the
        budget, unless the one validator kept is larger on its own."""
        return self._bytes

    def is_valid(self, schema: Any, value: Any) -> bool:
        """True when ``value`` validates, or when ``schema`` cannot be compiled at all."""
        route = self._routes.get(id(schema))
        if route is None or route[0] is not schema:
            route = self._route(schema)
        name, text = route[1], route[2]
        if name is not None:
            return self._named.is_valid(name, value)
        validator = self._validator(schema, text)
        if validator is None:
            return True
        try:
            return bool(validator.is_valid(value))
        except Exception:  # a validator error is no reason to fail generation
            return True

    def _route(self, schema: Any) -> tuple[Any, str | None, str | None]:
        """``(schema, name, text)``: the named schema a bare ``$ref`` names, else
        the sorted JSON text validators are shared by (None: not JSON)."""
        name = _bare_ref(schema)
        text: str | None = None
        if name is None or name not in self._named:
            name = None
            try:  # values JSON lacks (a YAML date) are told apart by their repr
                text = json.dumps(schema, sort_keys=True, default=repr)
            except (TypeError, ValueError):  # keys that do not sort
                text = None
        if len(self._routes) >= _MAX_SCHEMA_IDS:
            self._routes.clear()
        route = self._routes[id(schema)] = (schema, name, text)
        return route

    def _validator(self, schema: Any, text: str | None) -> Any:
        if text is None:  # not JSON: compiled for this check alone
            return self._compile(schema)[0]
        entry = self._validators.get(text)
        if entry is not None:
            self._validators.move_to_end(text)
            return entry[0]
        validator, cost = self._compile(schema)
        self._validators[text] = (validator, cost)
        self._bytes += cost
        while self._bytes > self._budget and len(self._validators) > 1:
            _, (_, evicted) = self._validators.popitem(last=False)
            self._bytes -= evicted
        return validator

    def _compile(self, schema: Any) -> tuple[Any, int]:
        """A validator of ``schema`` (None when it cannot be compiled) and its estimated bytes."""
        document: Any = openapi_view(_response_view(schema, self._source_defs))
        if isinstance(document, Mapping):
            document = {k: v for k, v in document.items() if k not in ("$schema", "$id")}
            if isinstance(document.get("$defs"), Mapping):  # its own defs: compiled alone
                document["$defs"] = {**self._defs, **document["$defs"]}
                return self._compiled(document, None), self._cost(document, everything=True)
        document, unnamed = named_refs(document, self._defs)
        if not unnamed:
            return self._compiled(document, None), self._cost(document, everything=False)
        if self._registry is None:  # a reference into a named schema's inside
            self._registry = defs_registry(self._defs)
        compiled = self._compiled(registry_refs(document), self._registry)
        return compiled, self._cost(document, everything=True)

    def _compiled(self, document: Any, registry: Any) -> Any:
        try:
            return self._named.compile(document, registry=registry)
        except SchemaCompileError:  # malformed schema: nothing to check against
            return None

    def _cost(self, document: Any, *, everything: bool) -> int:
        """Estimated bytes of a validator of ``document``; ``everything``: it
        holds its own copy of the named schemas too."""
        size = len(json.dumps(document, default=str))
        if everything:
            if self._defs_bytes is None:
                self._defs_bytes = len(json.dumps(dict(self._defs), default=str))
            size += self._defs_bytes
        return size * _BYTES_PER_SCHEMA_BYTE + _ENTRY_OVERHEAD


class _ResponseViews(Mapping[str, Any]):
    """Name → the response view of that named schema, made when first read (a
    large spec's 969 views took a second; a server writing one mock when first
    asked for needs few of them, or none)."""

    def __init__(self, defs: Mapping[str, Any]) -> None:
        self._source = defs
        self._views: dict[str, Any] = {}

    def __getitem__(self, name: str) -> Any:
        view = self._views.get(name, _MISSING)
        if view is _MISSING:
            view = self._views[name] = openapi_view(
                _response_view(self._source[name], self._source)
            )
        return view

    def __contains__(self, name: object) -> bool:
        return name in self._source

    def __iter__(self) -> Iterator[str]:
        return iter(self._source)

    def __len__(self) -> int:
        return len(self._source)


_MISSING = object()


def _bare_ref(schema: Any) -> str | None:
    """``Pet`` for exactly ``{"$ref": "#/$defs/Pet"}``."""
    if not isinstance(schema, Mapping) or len(schema) != 1:
        return None
    ref = schema.get("$ref")
    if isinstance(ref, str) and ref.startswith("#/$defs/"):
        return ref[len("#/$defs/") :].replace("~1", "/").replace("~0", "~")
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
