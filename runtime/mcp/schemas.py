"""The schemas a client is shown: self-contained, within a size budget.

A contract's schemas refer to its named schemas (``#/$defs/<Name>``), kept
once in ``defs``; MCP clients see each tool's ``inputSchema`` and
``outputSchema`` alone, so a listed schema carries the named schemas it
refers to in its own ``$defs``. Deeply linked APIs (Stripe's objects refer to
most others) would list megabytes per tool: the named schemas are taken
nearest first while the schema stays under :data:`LISTED_BUDGET` bytes of
JSON, and references to the rest become ``{}`` (any value), so what the
server answers still validates against what it lists. Arguments are checked
against the whole schema.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from typing import Any

__all__ = ["LISTED_BUDGET", "self_contained"]

LISTED_BUDGET = 32_000
"""Bytes of JSON a listed schema grows to at most with the named schemas it carries."""
_PREFIX = "#/$defs/"


def self_contained(schema: Any, defs: Mapping[str, Any], *, budget: int | None = None) -> Any:
    """``schema`` with the named schemas of ``defs`` it refers to (transitively)
    in its ``$defs``; with a ``budget``, only those that fit, nearest first,
    the references to the others made ``{}``."""
    if not isinstance(schema, dict) or not defs:
        return schema
    given = schema.get("$defs")
    own: dict[str, Any] = given if isinstance(given, dict) else {}
    size = len(json.dumps(schema)) if budget is not None else 0
    included: dict[str, Any] = {}
    left_out: set[str] = set()
    frontier = [name for name in _refs(schema) if name not in own]
    while frontier:
        following: list[str] = []
        for name in frontier:
            if name in included or name in left_out or name not in defs:
                continue
            if budget is not None:
                cost = len(json.dumps(defs[name])) + len(name) + 4
                if size + cost > budget:
                    left_out.add(name)
                    continue
                size += cost
            included[name] = defs[name]
            following.extend(_refs(defs[name]))
        frontier = following
    if not included and not left_out:
        return schema
    if left_out:
        schema = _without(schema, left_out)
        included = {name: _without(value, left_out) for name, value in included.items()}
    return {**schema, "$defs": {**{name: included[name] for name in sorted(included)}, **own}}


def _refs(value: Any) -> Iterator[str]:
    if isinstance(value, dict):
        ref = value.get("$ref")
        if isinstance(ref, str) and ref.startswith(_PREFIX):
            yield ref[len(_PREFIX) :]
        for item in value.values():
            yield from _refs(item)
    elif isinstance(value, list):
        for item in value:
            yield from _refs(item)


def _without(value: Any, names: set[str]) -> Any:
    """``value`` with each reference to one of ``names`` replaced by ``{}``,
    never stricter: a ``oneOf`` with an open branch becomes ``anyOf`` (two
    branches would match), a ``not`` of an open schema is dropped, and so is
    an ``if`` that became open (its ``then`` would always apply)."""
    if isinstance(value, dict):
        ref = value.get("$ref")
        if isinstance(ref, str) and ref.startswith(_PREFIX) and ref[len(_PREFIX) :] in names:
            return {}
        opened = {key: _without(item, names) for key, item in value.items()}
        branches = opened.get("oneOf")
        if isinstance(branches, list) and {} in branches and branches != value["oneOf"]:
            opened["anyOf"] = opened.pop("oneOf")
        if opened.get("not") == {} and value["not"] != {}:
            del opened["not"]
        if opened.get("if") == {} and value["if"] != {}:
            for key in ("if", "then", "else"):
                opened.pop(key, None)
        return opened
    if isinstance(value, list):
        return [_without(item, names) for item in value]
    return value
