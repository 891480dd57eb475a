"""OpenAPI ``discriminator`` as JSON Schema, so a plain validator applies it.

A ``oneOf``/``anyOf`` with ``discriminator.propertyName`` chooses its branch by
the value of that property: OpenAPI validates the instance against the schema
the value names (through ``mapping``, or the name of a branch's component
schema), not against every branch. Branches that overlap — they often differ
only in that value — make plain ``oneOf`` refuse every instance ("valid under
more than one"). :func:`discriminated` rewrites such a schema into

    if the instance is an object:
        it holds the property (OpenAPI requires it), and
        when its value names a schema (exactly, else without regard to case:
        real specs map ``Convert`` for the value ``convert``): the instance is
        valid against that one
        when it names none: the original ``oneOf``/``anyOf`` applies
    else:
        the original ``oneOf``/``anyOf``

A value that names no schema (real specs write mapping keys that differ from
the property's enum) falls back to the original composition, so nothing plain
JSON Schema accepts is refused. Where a branch is written inline (it has no
name a value could choose), the schema is left as it is. The rewrite shares
every unchanged node with its input and never mutates it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from typing import Any

__all__ = ["RewrittenDefs", "discriminated", "dispatch_table"]

_DEFS = "#/$defs/"
_COMPOSITIONS = ("oneOf", "anyOf")


def dispatch_table(schema: Mapping[str, Any]) -> tuple[str, dict[str, str]] | None:
    """``(property, {value: "#/$defs/Name"})`` for a discriminated ``oneOf``/``anyOf``;
    None when the schema has none or a branch cannot be chosen by name."""
    discriminator = schema.get("discriminator")
    if not isinstance(discriminator, Mapping):
        return None
    prop = discriminator.get("propertyName")
    branches = next(
        (schema[k] for k in _COMPOSITIONS if isinstance(schema.get(k), list | tuple)), None
    )
    if not isinstance(prop, str) or not prop or not branches:
        return None
    table: dict[str, str] = {}
    mapping = discriminator.get("mapping")
    if isinstance(mapping, Mapping):
        for value, target in mapping.items():
            if isinstance(target, str) and target.startswith(_DEFS):
                table[str(value)] = target
    targets = set(table.values())
    for branch in branches:
        ref = branch.get("$ref") if isinstance(branch, Mapping) else None
        if not isinstance(ref, str) or not ref.startswith(_DEFS) or len(branch) != 1:
            return None
        if ref not in targets:
            name = ref[len(_DEFS) :].replace("~1", "/").replace("~0", "~")
            table.setdefault(name, ref)
    return (prop, table) if table else None


def _dispatch(schema: Mapping[str, Any], prop: str, table: Mapping[str, str]) -> dict[str, Any]:
    keyword = next(k for k in _COMPOSITIONS if isinstance(schema.get(k), list | tuple))
    by_target: dict[str, list[str]] = {}
    for value, target in table.items():
        by_target.setdefault(target, []).append(value)
    branches = list(schema[keyword])
    exact = {"enum": list(table)}
    folded = {"type": "string", "pattern": _folded(list(table))}
    unknown = {"required": [prop], "properties": {prop: {"not": {"anyOf": [exact, folded]}}}}
    choices: list[Any] = [{"if": unknown, "then": {keyword: branches}}]
    for target, values in by_target.items():
        choice = {"const": values[0]} if len(values) == 1 else {"enum": values}
        chosen = {"required": [prop], "properties": {prop: choice}}
        choices.append({"if": chosen, "then": {"$ref": target}})
        loose = {"not": exact, "type": "string", "pattern": _folded(values)}
        loosely = {"required": [prop], "properties": {prop: loose}}
        choices.append({"if": loosely, "then": {"$ref": target}})
    rule = {
        "if": {"type": "object"},
        "then": {"required": [prop], "allOf": choices},
        "else": {keyword: branches},
    }
    out = {k: v for k, v in schema.items() if k not in (keyword, "discriminator")}
    out["allOf"] = [*out.get("allOf", ()), rule]
    return out


def _folded(values: list[str]) -> str:
    """A pattern matching any of ``values`` without regard to case."""
    return "^(?i:" + "|".join(_escaped(value) for value in values) + ")$"


def _escaped(value: str) -> str:
    """``value`` as a regex literal that every regex engine reads alike."""
    return "".join("\\" + char if char in _REGEX_META else char for char in value)


_REGEX_META = frozenset("\\.+*?()|[]{}^$")


def discriminated(node: Any) -> Any:
    """``node`` with every discriminated composition in it rewritten; ``node`` itself
    when nothing changed."""
    if isinstance(node, Mapping):
        changed = False
        out: dict[str, Any] = {}
        for key, value in node.items():
            if key in _DATA_KEYWORDS:
                new = value
            elif key in _SCHEMA_MAPS and isinstance(value, Mapping):
                new = _schema_map(value)
            else:
                new = discriminated(value)
            changed = changed or new is not value
            out[key] = new
        found = dispatch_table(out)
        if found is not None:
            return _dispatch(out, *found)
        return out if changed else node
    if isinstance(node, list | tuple):
        items = [discriminated(item) for item in node]
        if any(new is not old for new, old in zip(items, node, strict=True)):
            return items
        return node
    return node


def _schema_map(node: Mapping[str, Any]) -> Any:
    """A ``properties``-like map of names to schemas, each rewritten."""
    out = {name: discriminated(sub) for name, sub in node.items()}
    return out if any(out[name] is not node[name] for name in node) else node


_DATA_KEYWORDS = frozenset({"examples", "example", "default", "const", "enum", "discriminator"})
_SCHEMA_MAPS = frozenset({"properties", "patternProperties", "$defs", "dependentSchemas"})


class RewrittenDefs(Mapping[str, Any]):
    """``defs`` with each entry passed through ``rewrite`` on first access."""

    def __init__(self, defs: Mapping[str, Any], rewrite: Callable[[Any], Any]) -> None:
        self._defs = defs
        self._rewrite = rewrite
        self._done: dict[str, Any] = {}

    def __getitem__(self, name: str) -> Any:
        found = self._done.get(name)
        if found is None:
            found = self._done[name] = self._rewrite(self._defs[name])
        return found

    def __iter__(self) -> Iterator[str]:
        return iter(self._defs)

    def __len__(self) -> int:
        return len(self._defs)

    def __contains__(self, name: object) -> bool:
        return name in self._defs
