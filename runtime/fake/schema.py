"""Schema shaping for fake data: ``$ref`` resolution and deep ``allOf`` merging."""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

__all__ = ["DEFS_PREFIX", "merge", "ref_name", "schema_types"]

DEFS_PREFIX = "#/$defs/"
_TYPES = ("object", "array", "string", "integer", "number", "boolean", "null")

_MAX_KEYS = ("minimum", "exclusiveMinimum", "minLength", "minItems", "minProperties", "minContains")
_MIN_KEYS = ("maximum", "exclusiveMaximum", "maxLength", "maxItems", "maxProperties", "maxContains")
_SCHEMA_MAPS = ("properties", "patternProperties", "dependentSchemas", "$defs")
_SUBSCHEMA_KEYS = (
    "items",
    "additionalProperties",
    "contains",
    "propertyNames",
    "unevaluatedProperties",
    "unevaluatedItems",
)


def ref_name(schema: Mapping[str, Any]) -> str | None:
    """``Pet`` for ``{"$ref": "#/$defs/Pet"}``; None for no or foreign references."""
    ref = schema.get("$ref")
    if isinstance(ref, str) and ref.startswith(DEFS_PREFIX):
        return ref[len(DEFS_PREFIX) :].replace("~1", "/").replace("~0", "~")
    return None


def schema_types(schema: Mapping[str, Any]) -> list[str] | None:
    """The declared ``type`` as a list, or None when the schema declares none."""
    kind = schema.get("type")
    if isinstance(kind, str):
        return [kind] if kind in _TYPES else None
    if isinstance(kind, list):
        return [k for k in kind if k in _TYPES]
    return None


def _intersect_types(left: list[str] | None, right: list[str] | None) -> list[str] | None:
    if left is None:
        return right
    if right is None:
        return left
    out = [k for k in left if k in right]
    out += [
        "integer" for k in left if k == "integer" and "number" in right and "integer" not in out
    ]
    out += [
        "integer" for k in right if k == "integer" and "number" in left and "integer" not in out
    ]
    return out


def _both(left: Any, right: Any) -> Any:
    """A schema requiring both ``left`` and ``right`` (merged lazily by the generator)."""
    if left == right or right is True:
        return left
    if left is True:
        return right
    if left is False or right is False:
        return False
    return {"allOf": [left, right]}


def _lcm_step(left: float, right: float) -> float:
    if float(left).is_integer() and float(right).is_integer():
        return math.lcm(int(left), int(right))
    bigger, smaller = max(left, right), min(left, right)
    quotient = bigger / smaller
    return bigger if quotient == int(quotient) else left


def merge(left: Mapping[str, Any], right: Mapping[str, Any]) -> dict[str, Any]:
    """One schema that asks for everything both (reference-free) schemas ask for.

    Keywords that cannot be combined exactly keep the left value; the
    generator checks its output against the original schema anyway.
    """
    out = dict(left)
    for key, value in right.items():
        if key not in out:
            out[key] = value
            continue
        mine = out[key]
        if key == "type":
            types = _intersect_types(schema_types(left), schema_types(right))
            out[key] = types if types is not None else mine
        elif key == "required":
            out[key] = list(dict.fromkeys([*mine, *value]))
        elif key in _MAX_KEYS and _is_number(mine) and _is_number(value):
            out[key] = max(mine, value)
        elif key in _MIN_KEYS and _is_number(mine) and _is_number(value):
            out[key] = min(mine, value)
        elif key == "multipleOf" and _is_number(mine) and _is_number(value):
            out[key] = _lcm_step(mine, value)
        elif key == "enum" and isinstance(mine, list) and isinstance(value, list):
            common = [item for item in mine if item in value]
            out[key] = common or mine
        elif key in _SCHEMA_MAPS and isinstance(mine, Mapping) and isinstance(value, Mapping):
            combined = dict(mine)
            for name, sub in value.items():
                combined[name] = _both(combined[name], sub) if name in combined else sub
            out[key] = combined
        elif key in _SUBSCHEMA_KEYS:
            out[key] = _both(mine, value)
        elif key == "prefixItems" and isinstance(mine, list) and isinstance(value, list):
            longest = max(len(mine), len(value))
            out[key] = [
                _both(mine[i], value[i]) if i < len(mine) and i < len(value) else
                (mine[i] if i < len(mine) else value[i])
                for i in range(longest)
            ]  # fmt: skip
        elif (
            key == "dependentRequired" and isinstance(mine, Mapping) and isinstance(value, Mapping)
        ):
            out[key] = {
                name: list(dict.fromkeys([*mine.get(name, ()), *value.get(name, ())]))
                for name in {**mine, **value}
            }
        elif key in ("uniqueItems", "readOnly", "writeOnly", "deprecated"):
            out[key] = bool(mine) or bool(value)
        elif key in ("allOf",) and isinstance(mine, list) and isinstance(value, list):
            out[key] = [*mine, *value]
    if "type" in out and isinstance(out["type"], list) and len(out["type"]) == 1:
        out["type"] = out["type"][0]
    return out


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)
