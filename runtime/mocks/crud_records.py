"""What a crud record looks like: its schema's properties, defaults and
server-set (``readOnly``) fields.

The record schema is the one the operation declares for its success answer
(for ``list``, the items of the array). A stored record gets every property
default the client left out, and every ``readOnly`` property (ids,
timestamps) filled by the server: ``date-time`` and ``date`` values are the
current time, ``uuid`` a fresh uuid, anything else schema-valid fake data.
Clients cannot set ``readOnly`` properties: the body's values are dropped.
"""

from __future__ import annotations

import copy
import datetime
import random
import uuid
from collections.abc import Mapping
from typing import Any

from ..engine import Operation
from ..schema_refs import resolve

__all__ = ["RecordShape", "list_wrapper", "record_properties", "record_shape"]

_UPDATED = frozenset({"updated_at", "updatedat", "modified_at", "modifiedat", "last_modified"})
"""readOnly properties refreshed on every replace and patch."""


class RecordShape:
    """The properties of a collection's records, as one operation declares them."""

    __slots__ = ("defaults", "defs", "fake", "properties", "read_only")

    def __init__(self, properties: Mapping[str, Any], defs: Mapping[str, Any], fake: Any) -> None:
        self.defs = defs
        self.fake = fake
        self.properties = dict(properties)
        self.defaults = {
            name: schema["default"]
            for name, schema in self.properties.items()
            if isinstance(schema, Mapping) and "default" in schema
        }
        self.read_only = tuple(
            name
            for name, schema in self.properties.items()
            if isinstance(schema, Mapping) and schema.get("readOnly") is True
        )

    def id_kind(self, id_field: str) -> str | None:
        """``uuid`` or ``text`` when the id property is a string; None otherwise."""
        schema = self.properties.get(id_field)
        if not isinstance(schema, Mapping):
            return None
        kind = schema.get("type")
        if kind == "string" or (isinstance(kind, list) and kind[:1] == ["string"]):
            return "uuid" if schema.get("format") == "uuid" else "text"
        return None

    def incoming(self, body: Mapping[str, Any], id_field: str) -> dict[str, Any]:
        """The body without what only the server sets (the id, readOnly properties)."""
        return {
            name: value
            for name, value in body.items()
            if name != id_field and name not in self.read_only
        }

    def created(
        self, record: dict[str, Any], key: str, id_field: str, rng: random.Random
    ) -> dict[str, Any]:
        """``record`` with defaults and server-set properties filled in."""
        for name, value in self.defaults.items():
            if name not in record:
                record[name] = copy.deepcopy(value)
        for name in self.read_only:
            if name != id_field and name not in record:
                record[name] = self._server_value(name, key, rng)
        return record

    def updated(
        self,
        record: dict[str, Any],
        existing: Mapping[str, Any],
        key: str,
        id_field: str,
        rng: random.Random,
    ) -> dict[str, Any]:
        """A replaced or patched ``record``: server-set properties kept from
        ``existing`` (update timestamps refreshed), defaults filled."""
        for name in self.read_only:
            if name == id_field:
                continue
            if name.lower() in _UPDATED:
                record[name] = self._server_value(name, key, rng)
            elif name in existing:
                record[name] = existing[name]
        return self.created(record, key, id_field, rng)

    def _server_value(self, name: str, key: str, rng: random.Random) -> Any:
        schema = resolve(self.properties[name], self.defs)
        fmt = schema.get("format") if isinstance(schema, Mapping) else None
        now = datetime.datetime.now(datetime.UTC)
        if fmt == "date-time":
            return now.isoformat(timespec="seconds").replace("+00:00", "Z")
        if fmt == "date":
            return now.date().isoformat()
        if fmt == "uuid":
            return str(uuid.UUID(int=rng.getrandbits(128), version=4))
        if self.fake is None:
            return None
        return self.fake.generate(self.properties[name], key=f"crud/{key}/{name}")


def record_shape(
    operation: Operation, status: str, list_action: bool, defs: Mapping[str, Any], fake: Any
) -> RecordShape | None:
    """The record shape the operation declares for ``status``; None without a schema."""
    output = operation.output_for(status)
    if output is None or not output.contents:
        return None
    schema = resolve(output.contents[0].schema, defs)
    if list_action:
        schema = _items(schema, defs)
    properties = _properties(schema, defs, depth=0)
    return RecordShape(properties, defs, fake) if properties else None


def list_wrapper(operation: Operation, status: str, defs: Mapping[str, Any]) -> str | None:
    """The property holding the records when the operation declares its list
    answer as an object with one array property (``{"items": [...]}``)."""
    output = operation.output_for(status)
    if output is None or not output.contents:
        return None
    schema = resolve(output.contents[0].schema, defs)
    if not isinstance(schema, Mapping) or "items" in schema:
        return None
    arrays = [
        name
        for name, prop in _properties(schema, defs, depth=0).items()
        if isinstance(resolve(prop, defs), Mapping)
        and (resolve(prop, defs).get("type") == "array" or "items" in resolve(prop, defs))
    ]
    return arrays[0] if len(arrays) == 1 else None


def _items(schema: Any, defs: Mapping[str, Any]) -> Any:
    """The record schema of a list answer: the array's items, or the items of the
    one array property of a wrapping object (``{"items": [...]}``)."""
    if not isinstance(schema, Mapping):
        return None
    if "items" in schema:
        return resolve(schema["items"], defs)
    arrays = [
        resolve(prop, defs).get("items")
        for prop in _properties(schema, defs, depth=0).values()
        if isinstance(resolve(prop, defs), Mapping) and "items" in resolve(prop, defs)
    ]
    return resolve(arrays[0], defs) if len(arrays) == 1 else None


def record_properties(schema: Any, defs: Mapping[str, Any]) -> dict[str, Any]:
    """Properties of an object schema, through ``$ref`` and ``allOf``."""
    return _properties(schema, defs, depth=0)


def _properties(schema: Any, defs: Mapping[str, Any], depth: int) -> dict[str, Any]:
    """Properties of an object schema, through ``$ref`` and ``allOf``."""
    schema = resolve(schema, defs)
    if not isinstance(schema, Mapping) or depth > 8:
        return {}
    found: dict[str, Any] = {}
    for branch in schema.get("allOf") or ():
        found.update(_properties(branch, defs, depth + 1))
    properties = schema.get("properties")
    if isinstance(properties, Mapping):
        for name, sub in properties.items():
            resolved = resolve(sub, defs)
            merged = (
                {**resolved, **{k: v for k, v in sub.items() if k != "$ref"}}
                if isinstance(sub, Mapping) and isinstance(resolved, Mapping)
                else sub
            )
            found[name] = merged
    return found
