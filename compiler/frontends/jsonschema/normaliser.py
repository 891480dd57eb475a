"""Rewriting one schema of a dialect into JSON Schema 2020-12."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from ...errors import SpecError
from ..documents import Location
from .dialect import (
    ANNOTATIONS,
    BINARY_STRING,
    COUNTS,
    DROPPED,
    ECMA_ONLY,
    MISSING,
    NUMBERS,
    ONE_SCHEMA,
    PASS_THROUGH,
    SCHEMA_LISTS,
    SCHEMA_MAPS,
    TYPE_NAMES,
    SchemaDialect,
)
from .values import contains_ref, is_number, with_null

if TYPE_CHECKING:
    from .registry import SchemaRegistry

__all__ = ["SchemaNormaliser"]


class SchemaNormaliser:
    """Rewrites one schema of a dialect into JSON Schema 2020-12."""

    def __init__(self, dialect: SchemaDialect, registry: SchemaRegistry) -> None:
        self.dialect = dialect
        self.registry = registry
        self.problems = registry.problems

    @property
    def _oas_legacy(self) -> bool:
        return self.dialect in (SchemaDialect.SWAGGER_2, SchemaDialect.OPENAPI_3_0)

    def normalise(self, schema: Any, at: Location) -> Any:
        """Plain JSON data: the 2020-12 form of ``schema`` found at ``at``."""
        return self._schema(schema, at, at)

    def _warn(self, at: Location, message: str) -> None:
        self.problems.warn(at, message)

    def _schema(self, node: Any, at: Location, root: Location) -> Any:
        if isinstance(node, bool):
            return node
        if not isinstance(node, dict):
            self._warn(at, f"a schema must be a mapping, not {type(node).__name__}; ignored")
            return {}
        if "$ref" in node:
            return self._reference(node, at, root)
        out: dict[str, Any] = {}
        for key, value in node.items():
            self._keyword(out, key, value, at, root)
        self._finish(out, at)
        nullable = node.get("nullable", node.get("x-nullable"))
        if nullable is True:
            return with_null(out)
        return out

    def _reference(self, node: Mapping[str, Any], at: Location, root: Location) -> Any:
        try:
            ref: dict[str, Any] = {
                "$ref": self.registry.reference(node["$ref"], at.child("$ref"), root)
            }
        except SpecError as error:
            self.problems.add(error)
            return {}
        siblings = {key: value for key, value in node.items() if key != "$ref"}
        nullable = siblings.pop("nullable", siblings.pop("x-nullable", None)) is True
        if siblings and not self._oas_legacy:
            rest = self._schema(siblings, at, root)
            if isinstance(rest, dict) and set(rest) - ANNOTATIONS:
                ref = {"allOf": [ref], **rest}
            elif isinstance(rest, dict):
                ref.update(rest)
        return with_null(ref) if nullable else ref

    def _keyword(
        self, out: dict[str, Any], key: str, value: Any, at: Location, root: Location
    ) -> None:
        if key in PASS_THROUGH:
            out[key] = value
            return
        if key == "type" and value.__class__ is str and value in TYPE_NAMES:
            out[key] = value
            return
        here = at.child(key)
        if key in ("nullable", "x-nullable"):
            if self.dialect is SchemaDialect.OPENAPI_3_1 and key == "nullable":
                self._warn(here, "'nullable' is not part of OpenAPI 3.1; read as type 'null'")
            return
        if key in DROPPED or key in ("$defs", "definitions"):
            return
        if key in ("$dynamicRef", "$recursiveRef"):
            self._warn(here, f"{key} is not supported; ignored")
            return
        if key in ONE_SCHEMA:
            out[key] = self._schema(value, here, root)
        elif key in SCHEMA_LISTS:
            if isinstance(value, list) and value:
                out[key] = [self._schema(item, here.child(i), root) for i, item in enumerate(value)]
            else:
                self._warn(here, f"{key} must be a non-empty list of schemas; ignored")
        elif key in SCHEMA_MAPS:
            if isinstance(value, Mapping) and isinstance(value.get("$ref"), str):
                value, here = self._referenced_map(value, here)
            if isinstance(value, Mapping):
                out[key] = {
                    name: self._schema(sub, here.child(name), root) for name, sub in value.items()
                }
            else:
                self._warn(here, f"{key} must be a mapping of schemas; ignored")
        elif key == "items":
            self._items(out, value, here, root)
        elif key == "additionalItems":
            if self.dialect is SchemaDialect.DRAFT_7 and isinstance(value, bool | Mapping):
                out["_additionalItems"] = self._schema(value, here, root)
        elif key == "type":
            self._type(out, value, here)
        elif key == "required":
            if isinstance(value, list) and all(isinstance(item, str) for item in value):
                if value:
                    out[key] = list(dict.fromkeys(value))
            else:
                self._warn(here, "required must be a list of property names; ignored")
        elif key in ("exclusiveMinimum", "exclusiveMaximum"):
            if isinstance(value, bool) or is_number(value):
                out[key] = value
            else:
                self._warn(here, f"{key} must be a number; ignored")
        elif key in NUMBERS:
            if is_number(value) and not (key == "multipleOf" and value <= 0):
                out[key] = value
            else:
                self._warn(here, f"invalid {key} {value!r}; ignored")
        elif key in COUNTS:
            if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
                out[key] = value
            elif is_number(value) and float(value).is_integer() and value >= 0:
                out[key] = int(value)
            else:
                self._warn(here, f"invalid {key} {value!r}; ignored")
        elif key == "uniqueItems":
            if isinstance(value, bool):
                out[key] = value
            else:
                self._warn(here, "uniqueItems must be a boolean; ignored")
        elif key == "pattern":
            self._pattern(out, value, here)
        elif key == "enum":
            if isinstance(value, list):
                out[key] = value
            else:
                self._warn(here, "enum must be a list; ignored")
        elif key == "example":
            value = self._example_value(value, here)
            if value is not MISSING:
                out["examples"] = [value, *out.get("examples", [])]
        elif key == "examples":
            self._examples(out, value, here)
        elif key == "discriminator":
            out[key] = self._discriminator(value, here, root)
        elif key.startswith("x-") and contains_ref(value):
            self._warn(here, f"{key} holds a $ref that is not followed; extension dropped")
        else:
            out[key] = value

    def _referenced_map(
        self, value: Mapping[str, Any], at: Location
    ) -> tuple[Mapping[str, Any], Location]:
        """A mapping of schemas written as a ``$ref`` to one (not allowed, but
        seen in split specs): the referenced mapping, where it was found."""
        try:
            target, where = self.registry.store.follow(value, at)
        except SpecError as error:
            self.problems.add(error)
            return {}, at
        self._warn(at, "a $ref in place of a mapping of schemas; followed")
        if not isinstance(target, Mapping):
            return target, where
        return {**target, **{k: v for k, v in value.items() if k != "$ref"}}, where

    def _items(self, out: dict[str, Any], value: Any, at: Location, root: Location) -> None:
        if isinstance(value, bool | Mapping):
            out["items"] = self._schema(value, at, root)
            return
        if not isinstance(value, list) or not value:
            self._warn(at, "items must be a schema; ignored")
            return
        schemas = [self._schema(item, at.child(i), root) for i, item in enumerate(value)]
        if self.dialect is SchemaDialect.DRAFT_7:
            out["prefixItems"] = schemas
            return
        self._warn(at, "items must be a schema, not a list; read as 'any of' the listed schemas")
        out["_items_choice"] = schemas[0] if len(schemas) == 1 else {"anyOf": schemas}

    def _type(self, out: dict[str, Any], value: Any, at: Location) -> None:
        names = value if isinstance(value, list) else [value]
        kept: list[str] = []
        for name in names:
            if name == "file" and self.dialect is not SchemaDialect.DRAFT_7:
                if self.dialect is not SchemaDialect.SWAGGER_2:
                    self._warn(at, "type 'file' is Swagger 2.0 only; read as a binary string")
                out.update({k: v for k, v in BINARY_STRING.items() if k != "type"})
                kept.append("string")
            elif isinstance(name, str) and name in TYPE_NAMES:
                kept.append(name)
            else:
                self._warn(at, f"unknown type {name!r}; ignored")
        kept = list(dict.fromkeys(kept))
        if kept:
            out["type"] = kept if isinstance(value, list) else kept[0]

    def _pattern(self, out: dict[str, Any], value: Any, at: Location) -> None:
        if not isinstance(value, str):
            self._warn(at, "pattern must be a string; ignored")
            return
        try:
            re.compile(ECMA_ONLY.sub(lambda m: "(?P<" if m.group().startswith("(") else ".", value))
        except (re.error, RecursionError) as error:
            self._warn(at, f"pattern is not a valid regular expression ({error}); ignored")
            return
        out["pattern"] = value

    def _example_value(self, value: Any, at: Location) -> Any:
        """An example as written, or the value of an Example object it refers
        to (a ``$ref`` is not allowed there, but is seen)."""
        if not (isinstance(value, dict) and "$ref" in value):
            return value
        try:
            target, _ = self.registry.store.follow(value, at)
        except SpecError:
            target = None
        if isinstance(target, dict) and "value" in target:
            self._warn(at, "example given as a $ref; its value is used")
            return target["value"]
        self._warn(at, "example given as a $ref that holds no value; ignored")
        return MISSING

    def _examples(self, out: dict[str, Any], value: Any, at: Location) -> None:
        if isinstance(value, list):
            found = [self._example_value(item, at.child(i)) for i, item in enumerate(value)]
            value = [item for item in found if item is not MISSING]
            out["examples"] = [*value, *out.get("examples", [])]
        elif isinstance(value, Mapping):
            self._warn(at, "examples in a schema must be a list; the mapping's values are used")
            values = [
                item.get("value", item) if isinstance(item, Mapping) else item
                for item in value.values()
            ]
            out["examples"] = [*values, *out.get("examples", [])]
        else:
            self._warn(at, "examples must be a list; ignored")

    def _discriminator(self, value: Any, at: Location, root: Location) -> Any:
        if not isinstance(value, Mapping) or not isinstance(value.get("mapping"), Mapping):
            return value
        mapping: dict[str, Any] = {}
        for key, target in value["mapping"].items():
            ref = target
            if (
                isinstance(target, str)
                and "/" not in target
                and "#" not in target
                and "." not in target
            ):
                ref = f"#/components/schemas/{target}"
            try:
                mapping[key] = self.registry.reference(ref, at.child("mapping", key), root)
            except SpecError:
                self._warn(
                    at.child("mapping", key),
                    f"discriminator mapping {target!r} not found; kept as written",
                )
                mapping[key] = target
        return {**value, "mapping": mapping}

    def _finish(self, out: dict[str, Any], at: Location) -> None:
        """Repairs that need the whole schema: boolean exclusive bounds, Draft 7
        tuple items, and list-form ``items`` (read as a choice)."""
        for exclusive, bound in (("exclusiveMinimum", "minimum"), ("exclusiveMaximum", "maximum")):
            flag = out.get(exclusive)
            if isinstance(flag, bool):
                del out[exclusive]
                if flag and bound in out:
                    out[exclusive] = out.pop(bound)
                elif flag:
                    self._warn(at.child(exclusive), f"{exclusive} without {bound}; ignored")
        extra_items = out.pop("_additionalItems", None)
        if extra_items is not None and "prefixItems" in out:
            out["items"] = extra_items
        choice = out.pop("_items_choice", None)
        if choice is None:
            return
        kind = out.get("type")
        if kind == "array" or (isinstance(kind, list) and "array" in kind):
            out["items"] = choice
        elif "anyOf" not in out and isinstance(choice, Mapping) and "anyOf" in choice:
            out["anyOf"] = choice["anyOf"]
        else:
            out["allOf"] = [*out.get("allOf", []), choice]
