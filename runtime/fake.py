"""Deterministic fake data generated from JSON Schema (2020-12).

``FakeData(defs).generate(schema, key=...)`` returns a JSON value valid
against ``schema``. The value depends only on the seed, the key and the
schema, never on the process: randomness comes from a ``random.Random``
seeded with a BLAKE2 digest of the seed and the key.

Generation works on *flattened* schemas (``$ref`` resolved, ``allOf`` merged
deeply; see ``fake_schema``), cached per schema object. Where a keyword
cannot be honoured by construction (``oneOf`` exclusivity, ``not``,
``if``/``then``/``else``, examples) the result is checked with a cached
validator and other candidates are tried, always within a fixed budget: an
unsatisfiable schema gives a best-effort value, never an exception or a hang.
"""

from __future__ import annotations

import copy
import hashlib
import json
import random
import re
from collections.abc import Mapping
from typing import Any

from .fake_numbers import fake_integer, fake_number
from .fake_pattern import string_matching
from .fake_schema import merge, ref_name, schema_types
from .fake_strings import fake_string
from .fake_validation import ValidatorCache
from .fake_words import NOUNS

__all__ = ["FakeData"]

_RETRIES = 3
"""Extra attempts (with derived randomness) for a value that failed validation."""
_HARD_DEPTH_MARGIN = 8
"""Nesting beyond ``max_depth`` at which even required parts are given up."""
_OBJECT_KEYWORDS = (
    "properties",
    "additionalProperties",
    "patternProperties",
    "required",
    "minProperties",
    "maxProperties",
    "propertyNames",
)
_NOT_CANDIDATES: tuple[Any, ...] = ("text", 0, 1.5, True, None, {}, [])
_MAX_CACHED_SHAPES = 20_000
"""Flattened schemas and branches kept per cache: schemas built per value
(``if``/``then`` options, extra properties) would otherwise accumulate."""


def _rng_for(seed: int, key: str) -> random.Random:
    digest = hashlib.blake2b(f"{seed}\x00{key}".encode(), digest_size=8).digest()
    return random.Random(int.from_bytes(digest, "big"))


def _singular(name: str) -> str:
    if name.endswith("ies") and len(name) > 3:
        return name[:-3] + "y"
    if name.endswith("s") and not name.endswith("ss") and len(name) > 1:
        return name[:-1]
    return name


class FakeData:
    """Generates JSON values valid against schemas that refer to ``defs``."""

    def __init__(
        self,
        defs: Mapping[str, Any],
        *,
        seed: int = 0,
        max_depth: int = 5,
        list_length: int = 2,
        use_examples: bool = True,
    ) -> None:
        """defs: named schemas, referenced from schemas as {"$ref": "#/$defs/<Name>"};
        ``use_examples``: a schema's ``examples``/``default`` is its value (else
        every value is made up)."""
        self._defs = dict(defs)
        self._use_examples = use_examples
        self._seed = seed
        self._max_depth = max_depth
        self._list_length = list_length
        self._validators = ValidatorCache(self._defs)
        self._def_names = {id(sub): name for name, sub in self._defs.items()}
        self._flat: dict[int, tuple[Any, dict[str, Any]]] = {}
        self._named: dict[tuple[str, ...], dict[str, Any]] = {}
        self._branches: dict[tuple[int, int], tuple[dict[str, Any], dict[str, Any]]] = {}

    def generate(self, schema: Any, *, key: str = "") -> Any:
        """A JSON value (dict/list/str/int/float/bool/None) valid against ``schema``.

        Deterministic: the same (seed, key, schema) always gives the same value;
        different keys give different values.
        """
        rng = _rng_for(self._seed, key)
        first = value = self._value(schema, rng, 0, "")
        for _ in range(_RETRIES):
            if self._validators.is_valid(schema, value):
                return value
            value = self._value(schema, random.Random(rng.getrandbits(64)), 0, "")
        return value if self._validators.is_valid(schema, value) else first

    # -- schema shaping ---------------------------------------------------

    def _flatten(self, schema: Mapping[str, Any]) -> dict[str, Any]:
        """``schema`` with ``$ref`` resolved and ``allOf`` merged in, cached per object."""
        entry = self._flat.get(id(schema))
        if entry is not None and entry[0] is schema:
            return entry[1]
        name = self._def_names.get(id(schema))
        flat = self._flatten_within(schema, (name,) if name is not None else ())
        _bounded_put(self._flat, id(schema), (schema, flat))
        return flat

    def _flatten_within(self, schema: Mapping[str, Any], within: tuple[str, ...]) -> dict[str, Any]:
        own = {k: v for k, v in schema.items() if k not in ("$ref", "allOf")}
        if "$ref" in schema:
            name = ref_name(schema)
            target = self._flatten_named(name, within) if name is not None else {}
            if not own and "allOf" not in schema:
                return target  # a bare reference: share the cached flattening
            own = merge(target, own)
        parts = schema.get("allOf")
        for part in parts if isinstance(parts, list) else ():
            if isinstance(part, Mapping):
                own = merge(own, self._without_cycle(self._flatten_within(part, within), within))
        return own

    def _flatten_named(self, name: str, within: tuple[str, ...]) -> dict[str, Any]:
        target = self._defs.get(name)
        if name in within or not isinstance(target, Mapping):
            return {}
        cache_key = (*within, name)
        flat = self._named.get(cache_key)
        if flat is None:
            flat = self._flatten_within(target, cache_key)
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
            tag = self._discriminator_value(flat.get("discriminator"), inside[-1])
            flat = {k: v for k, v in flat.items() if k not in (keyword, "discriminator")}
            pinned = _pin_discriminator(flat, tag)
            if pinned is not None:
                flat = pinned
        return flat

    def _discriminator_value(self, discriminator: Any, name: str) -> tuple[str, str] | None:
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

    # -- values -----------------------------------------------------------

    def _value(self, schema: Any, rng: random.Random, depth: int, name: str) -> Any:
        if schema is True or not isinstance(schema, Mapping):
            return None if schema is False else self._untyped(rng, name)
        if depth > self._max_depth + _HARD_DEPTH_MARGIN:
            return None
        flat = self._flatten(schema)
        found, example = self._example(schema, flat)
        if found:
            return example
        if "const" in flat:
            return copy.deepcopy(flat["const"])
        enum = flat.get("enum")
        if isinstance(enum, list) and enum:
            return copy.deepcopy(self._choose_enum(enum, flat, rng, depth))
        if isinstance(flat.get("oneOf"), list) or isinstance(flat.get("anyOf"), list):
            return self._composite(schema, flat, rng, depth, name)
        if "if" in flat:
            return self._conditional(schema, flat, rng, depth, name)
        if "not" in flat:
            return self._negated(schema, flat, rng, depth, name)
        return self._typed(flat, rng, depth, name)

    def is_valid(self, schema: Any, value: Any) -> bool:
        """True when ``value`` is valid against ``schema`` (or ``schema`` cannot be compiled)."""
        return self._validators.is_valid(schema, value)

    def _example(self, schema: Mapping[str, Any], flat: Mapping[str, Any]) -> tuple[bool, Any]:
        if not self._use_examples:
            return False, None
        candidates: list[Any] = []
        examples = flat.get("examples")
        if isinstance(examples, list) and examples:
            candidates.append(examples[0])
        if "default" in flat:
            candidates.append(flat["default"])
        for candidate in candidates:
            if self._validators.is_valid(schema, candidate):
                return True, copy.deepcopy(candidate)
        return False, None

    def _choose_enum(
        self, enum: list[Any], flat: Mapping[str, Any], rng: random.Random, depth: int
    ) -> Any:
        types = schema_types(flat)
        fitting = [v for v in enum if types is None or _json_type(v) in types or
                   (_json_type(v) == "integer" and "number" in types)]  # fmt: skip
        pool = fitting or enum
        if None in pool and (depth >= self._max_depth or len(pool) == 1):
            return None
        return rng.choice([value for value in pool if value is not None])

    def _typed(self, flat: Mapping[str, Any], rng: random.Random, depth: int, name: str) -> Any:
        types = schema_types(flat)
        if not types:
            types = [_inferred_type(flat)] if types is None else ["null"]
        if "null" in types and (depth >= self._max_depth or len(types) == 1):
            return None
        kind = next(t for t in types if t != "null")
        if kind == "object":
            return self._object(flat, rng, depth, name)
        if kind == "array":
            return self._array(flat, rng, depth, name)
        if kind == "integer":
            return fake_integer(flat, rng, name)
        if kind == "number":
            return fake_number(flat, rng, name)
        if kind == "boolean":
            return rng.random() < 0.5
        if kind == "string":
            return fake_string(flat, rng, name)
        return None

    def _untyped(self, rng: random.Random, name: str) -> Any:
        return fake_string({}, rng, name)

    # -- composition ------------------------------------------------------

    def _composite(
        self, schema: Any, flat: dict[str, Any], rng: random.Random, depth: int, name: str
    ) -> Any:
        keyword = "oneOf" if isinstance(flat.get("oneOf"), list) else "anyOf"
        branches: list[Any] = flat[keyword]
        if not branches:
            return self._typed({k: v for k, v in flat.items() if k != keyword}, rng, depth, name)
        order = list(range(len(branches)))
        if isinstance(flat.get("discriminator"), Mapping):
            shift = rng.randrange(len(order))
            order = order[shift:] + order[:shift]
        nulls = [i for i in order if _is_null_schema(branches[i])]
        rest = [i for i in order if i not in nulls]
        order = nulls + rest if depth >= self._max_depth else rest + nulls
        best: Any = None
        found_best = False
        for attempt in range(_RETRIES):
            for index in order:
                merged = self._branch(flat, keyword, index)
                use = rng if attempt == 0 else random.Random(rng.getrandbits(64))
                value = self._value(merged, use, depth, name)
                if self._validators.is_valid(schema, value):
                    return value
                if not found_best:
                    best, found_best = value, True
        return best

    def _branch(self, flat: dict[str, Any], keyword: str, index: int) -> dict[str, Any]:
        """``flat`` without its ``keyword`` list, merged with branch ``index``; cached."""
        cache_key = (id(flat), index if keyword == "oneOf" else -1 - index)
        entry = self._branches.get(cache_key)
        if entry is not None and entry[0] is flat:
            return entry[1]
        branches = flat[keyword]
        branch = branches[index]
        base = {k: v for k, v in flat.items() if k not in (keyword, "discriminator")}
        if isinstance(branch, Mapping):
            branch_flat = self._flatten(branch)
            if branch_flat.get(keyword) is branches:  # the branch inherited this very list
                branch_flat = {k: v for k, v in branch_flat.items() if k != keyword}
            merged = merge(base, branch_flat)
            branch_name = ref_name(branch)
            if branch_name is not None:
                tag = self._discriminator_value(flat.get("discriminator"), branch_name)
                merged = _pin_discriminator(merged, tag) or merged
        else:
            merged = base
        _bounded_put(self._branches, cache_key, (flat, merged))
        _bounded_put(self._flat, id(merged), (merged, merged))
        return merged

    def _conditional(
        self, schema: Any, flat: dict[str, Any], rng: random.Random, depth: int, name: str
    ) -> Any:
        base = {k: v for k, v in flat.items() if k not in ("if", "then", "else")}
        options = []
        for condition, branch in ((flat.get("if"), flat.get("then")), (None, flat.get("else"))):
            option = base
            for part in (condition, branch):
                if isinstance(part, Mapping):
                    option = merge(option, self._flatten(part))
            options.append(option)
        options.append(base)
        first: Any = None
        for number, option in enumerate(options):
            value = self._value(option, rng, depth, name)
            if self._validators.is_valid(schema, value):
                return value
            first = value if number == 0 else first
        return first

    def _negated(
        self, schema: Any, flat: dict[str, Any], rng: random.Random, depth: int, name: str
    ) -> Any:
        base = {k: v for k, v in flat.items() if k != "not"}
        first = self._value(base, rng, depth, name)
        for candidate in (first, self._value(base, rng, depth, name), *_NOT_CANDIDATES):
            if self._validators.is_valid(schema, candidate):
                return candidate
        return first

    # -- containers -------------------------------------------------------

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


def _bounded_put(cache: dict[Any, Any], key: Any, value: Any) -> None:
    """``cache[key] = value``, emptying ``cache`` first when it is full (its
    entries are pure functions of their keys: recomputed, they are equal)."""
    if len(cache) >= _MAX_CACHED_SHAPES and key not in cache:
        cache.clear()
    cache[key] = value


def _pin_discriminator(flat: dict[str, Any], tag: tuple[str, str] | None) -> dict[str, Any] | None:
    if tag is None:
        return None
    prop, value = tag
    pinned = merge(flat, {"properties": {prop: {"const": value}}, "required": [prop]})
    return pinned


def _inferred_type(flat: Mapping[str, Any]) -> str:
    if any(k in flat for k in _OBJECT_KEYWORDS):
        return "object"
    if any(
        k in flat
        for k in ("items", "prefixItems", "minItems", "maxItems", "contains", "uniqueItems")
    ):
        return "array"
    if any(
        k in flat
        for k in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf")
    ):
        return "number"
    return "string"


def _is_null_schema(schema: Any) -> bool:
    return isinstance(schema, Mapping) and schema_types(schema) == ["null"]


def _json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "integer" if value.is_integer() else "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    return "object"


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
