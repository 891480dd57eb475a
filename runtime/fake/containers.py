"""Objects and arrays made up from their schemas: required and optional
properties (within ``maxProperties``), dependencies, pattern and additional
properties; items, tuples, unique items and ``contains``."""

from __future__ import annotations

import json
import random
import re
from abc import ABC, abstractmethod
from collections.abc import Mapping
from typing import Any

from .flattening import SchemaFlattener
from .pattern import string_matching
from .schema import merge
from .strings import fake_string
from .validation import ValidatorCache
from .words import NOUNS

__all__ = ["ContainerValues"]


class ContainerValues(ABC):
    """Object and array values; the value of each member comes from :meth:`_value`."""

    _flattener: SchemaFlattener
    _validators: ValidatorCache
    _max_depth: int
    _list_length: int

    @abstractmethod
    def _value(self, schema: Any, rng: random.Random, depth: int, name: str) -> Any:
        """A value for ``schema`` at nesting ``depth``, for a member called ``name``."""

    def _flatten(self, schema: Mapping[str, Any]) -> dict[str, Any]:
        return self._flattener.flatten(schema)

    def _object(
        self, flat: Mapping[str, Any], rng: random.Random, depth: int, name: str
    ) -> dict[str, Any]:
        props = _mapping(flat.get("properties"))
        required = [r for r in _list(flat.get("required")) if isinstance(r, str)]
        limit = depth >= self._max_depth
        maximum = _count(flat.get("maxProperties"))
        out: dict[str, Any] = {}
        optional_budget = None if maximum is None else max(maximum - len(set(required)), 0)
        for prop, sub in props.items():
            if self._write_only(sub):
                continue  # request-only: even when required (OpenAPI: writeOnly)
            if prop not in required:
                if limit:
                    continue
                if optional_budget is not None:
                    if optional_budget == 0:
                        continue
                    optional_budget -= 1
            out[prop] = self._value(sub, rng, depth + 1, prop)
        for prop in required:
            if prop not in out and not (prop in props and self._write_only(props[prop])):
                out[prop] = self._value(self._extra_schema(flat, prop), rng, depth + 1, prop)
        self._add_dependencies(flat, out, rng, depth)
        wanted = _count(flat.get("minProperties")) or 0
        if not props and not limit and flat.get("additionalProperties") not in (None, False):
            wanted = max(wanted, 1)
        if not props and not limit and _mapping(flat.get("patternProperties")):
            wanted = max(wanted, 1)
        if maximum is not None:
            wanted = min(wanted, maximum)
        self._add_extras(flat, out, wanted, rng, depth)
        return out

    def _write_only(self, sub: Any) -> bool:
        return isinstance(sub, Mapping) and bool(self._flatten(sub).get("writeOnly"))

    def _extra_schema(self, flat: Mapping[str, Any], prop: str) -> Any:
        """The schema of a property not listed in ``properties``."""
        for pattern, sub in _mapping(flat.get("patternProperties")).items():
            try:
                if re.search(pattern, prop):
                    return sub
            except re.error:
                continue
        extra = flat.get("additionalProperties")
        return extra if isinstance(extra, Mapping) else {}

    def _add_dependencies(
        self, flat: Mapping[str, Any], out: dict[str, Any], rng: random.Random, depth: int
    ) -> None:
        dependencies = _mapping(flat.get("dependentRequired"))
        props = _mapping(flat.get("properties"))
        for _ in range(len(dependencies) + 1):
            missing = [
                need
                for trigger, needs in dependencies.items()
                if trigger in out
                for need in _list(needs)
                if isinstance(need, str) and need not in out
            ]
            if not missing:
                return
            for need in missing:
                sub = props.get(need, self._extra_schema(flat, need))
                out[need] = self._value(sub, rng, depth + 1, need)

    def _add_extras(
        self,
        flat: Mapping[str, Any],
        out: dict[str, Any],
        wanted: int,
        rng: random.Random,
        depth: int,
    ) -> None:
        """Add properties beyond ``properties`` until ``out`` has ``wanted`` keys."""
        patterns = list(_mapping(flat.get("patternProperties")).items())
        extra = flat.get("additionalProperties")
        names = flat.get("propertyNames")
        for _ in range(wanted * 4 + 4):
            if len(out) >= wanted:
                return
            key: str | None = None
            sub: Any = {}
            if patterns:
                pattern, sub = patterns[rng.randrange(len(patterns))]
                key = string_matching(pattern, rng)
            elif extra is not False:
                sub = extra if isinstance(extra, Mapping) else {}
                if isinstance(names, Mapping):
                    key = fake_string(self._flatten(names), rng)
                else:
                    key = f"{rng.choice(NOUNS)}{rng.randint(1, 99)}"
            if key is None:
                return
            if key not in out:
                out[key] = self._value(sub, rng, depth + 1, key)

    def _array(
        self, flat: Mapping[str, Any], rng: random.Random, depth: int, name: str
    ) -> list[Any]:
        low = _count(flat.get("minItems")) or 0
        high = _count(flat.get("maxItems"))
        prefix = _list(flat.get("prefixItems"))
        items = flat.get("items")
        if isinstance(items, list):  # the pre-2020 tuple form
            prefix, items = prefix or items, flat.get("additionalItems")
        length = low if depth >= self._max_depth else max(low, self._list_length)
        if high is not None:
            length = min(length, max(high, low) if high < low else high)
        if items is False:
            length = min(length, len(prefix))
        item_name = _singular(name)
        unique = bool(flat.get("uniqueItems"))
        out: list[Any] = []
        seen: set[str] = set()
        for index in range(length):
            sub = prefix[index] if index < len(prefix) else (items if items is not None else {})
            for attempt in range(6 if unique else 1):
                use = rng if attempt == 0 else random.Random(rng.getrandbits(64))
                value = self._value(sub, use, depth + 1, item_name)
                fingerprint = _fingerprint(value) if unique else ""
                if not unique or fingerprint not in seen:
                    seen.add(fingerprint)
                    out.append(value)
                    break
            else:
                if len(out) >= low:
                    break
                out.append(value)
        self._ensure_contains(flat, out, rng, depth, item_name, high)
        return out

    def _ensure_contains(
        self,
        flat: Mapping[str, Any],
        out: list[Any],
        rng: random.Random,
        depth: int,
        item_name: str,
        high: int | None,
    ) -> None:
        contains = flat.get("contains")
        if not isinstance(contains, Mapping):
            return
        need = _count(flat.get("minContains"))
        need = 1 if need is None else need
        have = sum(1 for value in out if self._validators.is_valid(contains, value))
        items = flat.get("items")
        target = merge(self._flatten(items), self._flatten(contains)) if isinstance(
            items, Mapping
        ) else contains  # fmt: skip
        position = len(out) - 1
        while have < need:
            value = self._value(target, rng, depth + 1, item_name)
            if high is None or len(out) < high:
                out.append(value)
            elif position >= 0:
                out[position] = value
                position -= 1
            else:
                return
            have += 1


def _singular(name: str) -> str:
    if name.endswith("ies") and len(name) > 3:
        return name[:-3] + "y"
    if name.endswith("s") and not name.endswith("ss") and len(name) > 1:
        return name[:-1]
    return name


def _fingerprint(value: Any) -> str:
    return json.dumps(value, sort_keys=True, default=str)


def _mapping(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _count(value: Any) -> int | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return max(int(value), 0)
