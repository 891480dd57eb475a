"""Names for the schemas a spec reaches by ``$ref``, and their normalised bodies."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import PurePosixPath
from typing import Any

from ...ir import SCHEMA_REF_PREFIX, JsonValue, NamedSchema, Source, freeze
from ...naming import NameAllocator, schema_name
from ..documents import DocumentStore, Location, Problems
from .dialect import SchemaDialect
from .normaliser import SchemaNormaliser

__all__ = ["SchemaRegistry"]


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
