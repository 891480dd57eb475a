"""Normalising a spec's schema dialect to JSON Schema 2020-12.

The source dialects are Swagger 2.0 schema objects, OpenAPI 3.0 schema
objects, OpenAPI 3.1 schemas (already 2020-12) and Draft 7 (AsyncAPI 2).
Every ``$ref`` is rewritten to ``#/$defs/<Name>``: the :class:`SchemaRegistry`
gives one name to each distinct target and normalises the target once, so
cyclic schemas simply refer to themselves by name. Keyword values that are
invalid are dropped or repaired with a warning; the structure of the schema
(``allOf`` and friends) is kept as written.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping
from enum import StrEnum
from pathlib import PurePosixPath
from typing import Any

from ..errors import SpecError
from ..ir import SCHEMA_REF_PREFIX, JsonValue, NamedSchema, Source, freeze
from ..naming import NameAllocator, schema_name
from .documents import DocumentStore, Location, Problems

__all__ = ["SchemaDialect", "SchemaNormaliser", "SchemaRegistry"]


class SchemaDialect(StrEnum):
    SWAGGER_2 = "swagger-2.0"
    OPENAPI_3_0 = "openapi-3.0"
    OPENAPI_3_1 = "openapi-3.1"
    """JSON Schema 2020-12 with the OpenAPI vocabulary."""
    DRAFT_7 = "draft-07"


TYPE_NAMES = frozenset({"null", "boolean", "object", "array", "number", "string", "integer"})
BINARY_STRING: dict[str, Any] = {"type": "string", "contentMediaType": "application/octet-stream"}

_ONE_SCHEMA = frozenset(
    {
        "additionalProperties",
        "not",
        "contains",
        "propertyNames",
        "if",
        "then",
        "else",
        "unevaluatedItems",
        "unevaluatedProperties",
        "contentSchema",
    }
)
_SCHEMA_LISTS = frozenset({"allOf", "anyOf", "oneOf", "prefixItems"})
_SCHEMA_MAPS = frozenset({"properties", "patternProperties", "dependentSchemas"})
_NUMBERS = frozenset({"minimum", "maximum", "multipleOf"})
_COUNTS = frozenset(
    {"minLength", "maxLength", "minItems", "maxItems", "minProperties", "maxProperties"}
)
_DROPPED = frozenset({"$id", "$schema", "$anchor", "$dynamicAnchor", "$vocabulary"})
_ANNOTATIONS = frozenset(
    {
        "title",
        "description",
        "default",
        "examples",
        "deprecated",
        "readOnly",
        "writeOnly",
        "externalDocs",
        "xml",
        "$comment",
    }
)
# Keywords whose value is kept as written, whatever it is.
_PASS_THROUGH = frozenset(
    {
        "title",
        "description",
        "format",
        "default",
        "const",
        "readOnly",
        "writeOnly",
        "deprecated",
        "xml",
        "externalDocs",
        "$comment",
        "contentMediaType",
        "contentEncoding",
    }
)
_MISSING = object()
_ECMA_ONLY = re.compile(r"\\[pP]\{[^}]*\}|\(\?<(?=[A-Za-z])")


class SchemaRegistry:
    """Names for schemas reached by ``$ref``, and their normalised bodies."""

    def __init__(
        self,
        store: DocumentStore,
        problems: Problems,
        dialect: SchemaDialect,
        freeze: Callable[[Any], JsonValue] = freeze,
    ) -> None:
        self.freeze = freeze
        """How normalised schemas are frozen (:func:`ir.freeze` or an equivalent)."""
        self.store = store
        self.problems = problems
        self.normaliser = SchemaNormaliser(dialect, self)
        self._allocator = NameAllocator()
        self._names: dict[Location, str] = {}
        self._pending: list[Location] = []
        self._done: dict[str, NamedSchema] = {}

    def declare(self, location: Location, wanted: str) -> str:
        """Name the schema at ``location`` (a declared schema such as
        ``components/schemas/Pet``) before any reference reaches it."""
        if location not in self._names:
            self._names[location] = self._allocator.allocate(schema_name(wanted))
            self._pending.append(location)
        return self._names[location]

    def inline(self, schema: Any, at: Location) -> Any:
        """A schema written in place, normalised (a frozen JSON value)."""
        return self.freeze(self.normaliser.normalise(schema, at))

    def reference(self, ref: Any, at: Location, schema_root: Location) -> str:
        """``#/$defs/<Name>`` for the ``$ref`` value found at ``at``."""
        target = self._local_defs_target(ref, at, schema_root) or self.store.target(ref, at)
        if target not in self._names:
            self.declare(target, self._wanted_name(target))
        return SCHEMA_REF_PREFIX + self._names[target]

    def _local_defs_target(self, ref: Any, at: Location, root: Location) -> Location | None:
        """``#/$defs/X`` written inside a schema that carries its own ``$defs``:
        resolved against that schema when the document root has no such place."""
        if not isinstance(ref, str) or not ref.startswith(("#/$defs/", "#/definitions/")):
            return None
        if not root.pointer or self.store.exists(Location(at.doc, ref[1:])):
            return None
        candidate = Location(root.doc, root.pointer + ref[1:])
        return candidate if self.store.exists(candidate) else None

    def _wanted_name(self, target: Location) -> str:
        if target.pointer:
            return target.last_segment
        path = PurePosixPath(target.doc.split("?")[0].replace("\\", "/"))
        return path.stem or "Schema"

    def named_schemas(self) -> tuple[NamedSchema, ...]:
        """Every named schema, normalised (following references as they appear),
        sorted by name."""
        while self._pending:
            location = self._pending.pop(0)
            name = self._names[location]
            try:
                raw = self.store.value(location)
            except KeyError:
                self.problems.error(location, "schema not found", is_ref=True)
                continue
            body = self.normaliser.normalise(raw, location)
            source = Source(file=location.doc, pointer=location.pointer)
            self._done[name] = NamedSchema(name=name, schema=self.freeze(body), source=source)
        return tuple(self._done[name] for name in sorted(self._done))


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
            return _with_null(out)
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
            if isinstance(rest, dict) and set(rest) - _ANNOTATIONS:
                ref = {"allOf": [ref], **rest}
            elif isinstance(rest, dict):
                ref.update(rest)
        return _with_null(ref) if nullable else ref

    def _keyword(
        self, out: dict[str, Any], key: str, value: Any, at: Location, root: Location
    ) -> None:
        if key in _PASS_THROUGH:
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
        if key in _DROPPED or key in ("$defs", "definitions"):
            return
        if key in ("$dynamicRef", "$recursiveRef"):
            self._warn(here, f"{key} is not supported; ignored")
            return
        if key in _ONE_SCHEMA:
            out[key] = self._schema(value, here, root)
        elif key in _SCHEMA_LISTS:
            if isinstance(value, list) and value:
                out[key] = [self._schema(item, here.child(i), root) for i, item in enumerate(value)]
            else:
                self._warn(here, f"{key} must be a non-empty list of schemas; ignored")
        elif key in _SCHEMA_MAPS:
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
            if isinstance(value, bool) or _is_number(value):
                out[key] = value
            else:
                self._warn(here, f"{key} must be a number; ignored")
        elif key in _NUMBERS:
            if _is_number(value) and not (key == "multipleOf" and value <= 0):
                out[key] = value
            else:
                self._warn(here, f"invalid {key} {value!r}; ignored")
        elif key in _COUNTS:
            if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
                out[key] = value
            elif _is_number(value) and float(value).is_integer() and value >= 0:
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
            if value is not _MISSING:
                out["examples"] = [value, *out.get("examples", [])]
        elif key == "examples":
            self._examples(out, value, here)
        elif key == "discriminator":
            out[key] = self._discriminator(value, here, root)
        elif key.startswith("x-") and _contains_ref(value):
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
            re.compile(
                _ECMA_ONLY.sub(lambda m: "(?P<" if m.group().startswith("(") else ".", value)
            )
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
        return _MISSING

    def _examples(self, out: dict[str, Any], value: Any, at: Location) -> None:
        if isinstance(value, list):
            found = [self._example_value(item, at.child(i)) for i, item in enumerate(value)]
            value = [item for item in found if item is not _MISSING]
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


def _with_null(schema: dict[str, Any]) -> dict[str, Any]:
    """``schema`` that also accepts null (OpenAPI 3.0 ``nullable``)."""
    composed = any(key in schema for key in ("$ref", "allOf", "anyOf", "oneOf", "not"))
    kind = schema.get("type")
    if composed or kind is None:
        if "enum" in schema and not composed:
            if None not in schema["enum"]:
                schema["enum"] = [*schema["enum"], None]
            return schema
        return {"anyOf": [schema, {"type": "null"}]}
    names = kind if isinstance(kind, list) else [kind]
    if "null" not in names:
        schema["type"] = [*names, "null"]
    if "enum" in schema and None not in schema["enum"]:
        schema["enum"] = [*schema["enum"], None]
    return schema


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def _contains_ref(value: Any) -> bool:
    if isinstance(value, Mapping):
        return "$ref" in value or any(_contains_ref(item) for item in value.values())
    if isinstance(value, list):
        return any(_contains_ref(item) for item in value)
    return False
