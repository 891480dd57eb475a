"""Deterministic fake data generated from JSON Schema (2020-12).

``FakeData(defs).generate(schema, key=...)`` returns a JSON value valid
against ``schema``. The value depends only on the seed, the key and the
schema, never on the process: randomness comes from a ``random.Random``
seeded with a BLAKE2 digest of the seed and the key.

Generation works on *flattened* schemas (``$ref`` resolved, ``allOf`` merged
deeply; see :mod:`.flattening`), cached per schema object; objects and arrays
are built by :mod:`.containers`. Where a keyword
cannot be honoured by construction (``oneOf`` exclusivity, ``not``,
``if``/``then``/``else``, examples) the result is checked with a cached
validator and other candidates are tried, always within a fixed budget: an
unsatisfiable schema gives a best-effort value, never an exception or a hang.
"""

from __future__ import annotations

import copy
import hashlib
import random
from collections.abc import Mapping
from typing import Any

from .containers import ContainerValues
from .flattening import SchemaFlattener, bounded_put, pin_discriminator
from .numbers import fake_integer, fake_number
from .schema import merge, ref_name, schema_types
from .strings import fake_string
from .validation import ValidatorCache

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
_ORDER = "x-order"
"""An object's wire order (the IR's XML vocabulary): beside ``anyOf``, the
options of an XSD choice, of which seed ``n`` starts at option ``n`` (modulo
their number), so that seeds take every branch in turn."""
_NOT_CANDIDATES: tuple[Any, ...] = ("text", 0, 1.5, True, None, {}, [])


def _rng_for(seed: int, key: str) -> random.Random:
    digest = hashlib.blake2b(f"{seed}\x00{key}".encode(), digest_size=8).digest()
    return random.Random(int.from_bytes(digest, "big"))


class FakeData(ContainerValues):
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
        self._flattener = SchemaFlattener(self._defs)
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
        elif keyword == "anyOf" and _ORDER in flat:  # an XSD choice's options: by the seed
            shift = self._seed % len(order)
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
                tag = self._flattener.discriminator_value(flat.get("discriminator"), branch_name)
                merged = pin_discriminator(merged, tag) or merged
        else:
            merged = base
        bounded_put(self._branches, cache_key, (flat, merged))
        self._flattener.remember(merged)
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
