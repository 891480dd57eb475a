"""Schemas flattened for generation: ``$ref`` resolved and ``allOf`` merged in
deeply (see :mod:`.schema`), a base's ``oneOf`` that lists the subtype being
built dropped and its discriminator pinned; cached per schema object."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .schema import merge, ref_name

__all__ = ["SchemaFlattener", "bounded_put", "pin_discriminator"]

MAX_CACHED_SHAPES = 20_000
"""Flattened schemas and branches kept per cache: schemas built per value
(``if``/``then`` options, extra properties) would otherwise accumulate."""


def bounded_put(cache: dict[Any, Any], key: Any, value: Any) -> None:
    """``cache[key] = value``, emptying ``cache`` first when it is full (its
    entries are pure functions of their keys: recomputed, they are equal)."""
    if len(cache) >= MAX_CACHED_SHAPES and key not in cache:
        cache.clear()
    cache[key] = value


class SchemaFlattener:
    """Flattens schemas that refer to the named schemas ``defs``."""

    def __init__(self, defs: Mapping[str, Any]) -> None:
        self._defs = defs
        self._def_names = {id(sub): name for name, sub in defs.items()}
        self._flat: dict[int, tuple[Any, dict[str, Any]]] = {}
        self._named: dict[tuple[str, ...], dict[str, Any]] = {}

    def remember(self, flat: dict[str, Any]) -> None:
        """Record ``flat`` (already flat) as its own flattening."""
        bounded_put(self._flat, id(flat), (flat, flat))

    def flatten(self, schema: Mapping[str, Any]) -> dict[str, Any]:
        """``schema`` with ``$ref`` resolved and ``allOf`` merged in, cached per object."""
        entry = self._flat.get(id(schema))
        if entry is not None and entry[0] is schema:
            return entry[1]
        name = self._def_names.get(id(schema))
        flat = self._within(schema, (name,) if name is not None else ())
        bounded_put(self._flat, id(schema), (schema, flat))
        return flat

    def _within(self, schema: Mapping[str, Any], within: tuple[str, ...]) -> dict[str, Any]:
        own = {k: v for k, v in schema.items() if k not in ("$ref", "allOf")}
        if "$ref" in schema:
            name = ref_name(schema)
            target = self._named_flat(name, within) if name is not None else {}
            if not own and "allOf" not in schema:
                return target  # a bare reference: share the cached flattening
            own = merge(target, own)
        parts = schema.get("allOf")
        for part in parts if isinstance(parts, list) else ():
            if isinstance(part, Mapping):
                own = merge(own, self._without_cycle(self._within(part, within), within))
        return own

    def _named_flat(self, name: str, within: tuple[str, ...]) -> dict[str, Any]:
        target = self._defs.get(name)
        if name in within or not isinstance(target, Mapping):
            return {}
        cache_key = (*within, name)
        flat = self._named.get(cache_key)
        if flat is None:
            flat = self._within(target, cache_key)
            self._named[cache_key] = flat
        return flat

    def _without_cycle(self, flat: dict[str, Any], within: tuple[str, ...]) -> dict[str, Any]:
        """Drop a base's ``oneOf`` listing the subtype being built, pinning its discriminator."""
        for keyword in ("oneOf", "anyOf"):
            branches = flat.get(keyword)
            if not isinstance(branches, list):
                continue
            names = [ref_name(b) if isinstance(b, Mapping) else None for b in branches]
            inside = [n for n in names if n is not None and n in within]
            if not inside:
                continue
            tag = self.discriminator_value(flat.get("discriminator"), inside[-1])
            flat = {k: v for k, v in flat.items() if k not in (keyword, "discriminator")}
            pinned = pin_discriminator(flat, tag)
            if pinned is not None:
                flat = pinned
        return flat

    def discriminator_value(self, discriminator: Any, name: str) -> tuple[str, str] | None:
        if not isinstance(discriminator, Mapping):
            return None
        prop = discriminator.get("propertyName")
        if not isinstance(prop, str):
            return None
        mapping = discriminator.get("mapping")
        if isinstance(mapping, Mapping):
            for tag, target in mapping.items():
                if isinstance(target, str) and (target == name or target.endswith(f"/{name}")):
                    return prop, str(tag)
        return prop, name


def pin_discriminator(flat: dict[str, Any], tag: tuple[str, str] | None) -> dict[str, Any] | None:
    if tag is None:
        return None
    prop, value = tag
    pinned = merge(flat, {"properties": {prop: {"const": value}}, "required": [prop]})
    return pinned
