"""Traits: fields shared by messages or operations, merged into each.

In 2.x a trait is a JSON Merge Patch over the object (the trait wins); in
3.0 the object's own fields win over its traits'.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..documents import Location
from .context import Context

__all__ = ["with_traits"]


def with_traits(ctx: Context, raw: Mapping[str, Any], at: Location, what: str) -> Mapping[str, Any]:
    """``raw`` with its ``traits`` merged (and the ``traits`` key gone)."""
    traits = raw.get("traits")
    if not isinstance(traits, list) or not traits:
        return raw
    merged: dict[str, Any] = {} if ctx.major >= 3 else dict(raw)
    for index, trait in enumerate(traits):
        if isinstance(trait, list):  # 2.x allows [trait, overrides]
            trait = trait[0] if trait else None
        found, _ = ctx.mapping(trait, at.child("traits", index), what)
        merged = _merge_patch(merged, found)
    if ctx.major >= 3:
        merged = _merge_patch(merged, raw)
    merged.pop("traits", None)
    return merged


def _merge_patch(target: Mapping[str, Any], patch: Mapping[str, Any]) -> dict[str, Any]:
    out = dict(target)
    for key, value in patch.items():
        if value is None:
            out.pop(key, None)
        elif isinstance(value, Mapping) and isinstance(out.get(key), Mapping):
            out[key] = _merge_patch(out[key], value)
        else:
            out[key] = value
    return out
