"""What every part of the AsyncAPI reader shares: the documents, the problems
found so far, the schema registry and the version being read."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ... import ir
from ...errors import SpecError
from ..documents import DocumentStore, Location, Problems
from ..jsonschema import SchemaRegistry

__all__ = ["Context", "json_value", "text"]


@dataclass
class Context:
    store: DocumentStore
    problems: Problems
    schemas: SchemaRegistry
    root: Location
    """The entry document."""
    major: int
    """2 or 3."""

    @property
    def document(self) -> Mapping[str, Any]:
        document: Mapping[str, Any] = self.store.data(self.root.doc)
        return document

    def follow(self, value: Any, at: Location) -> tuple[Any, Location] | None:
        """``value`` with its ``$ref``s followed, or None (and an error kept)."""
        try:
            return self.store.follow(value, at)
        except SpecError as error:
            self.problems.add(error)
            return None

    def mapping(self, value: Any, at: Location, what: str) -> tuple[Mapping[str, Any], Location]:
        """``value`` (``$ref``s followed) when it is a mapping, else ``{}`` (and an
        error kept unless the value is absent)."""
        if value is None:
            return {}, at
        followed = self.follow(value, at)
        if followed is None:
            return {}, at
        found, where = followed
        if not isinstance(found, Mapping):
            self.problems.error(where, f"{what} must be a mapping")
            return {}, where
        return found, where

    def schema(self, value: Any, at: Location) -> ir.JsonValue:
        """A schema of the document, as frozen JSON Schema 2020-12."""
        if value is None:
            return None
        return self.schemas.inline(value, at)

    def warn(self, at: Location, message: str) -> None:
        self.problems.warn(at, message)

    def source(self, at: Location) -> ir.Source:
        line, column = self.store.position(at)
        return ir.Source(file=at.doc, pointer=at.pointer, line=line, column=column)


def text(value: Any) -> str:
    """A string field (descriptions, summaries), "" when absent."""
    if value is None:
        return ""
    return value if isinstance(value, str) else str(value)


def json_value(value: Any) -> ir.JsonValue:
    """``value`` frozen; what YAML may hold but JSON cannot (dates) becomes a string."""
    return ir.freeze(_plain(value))


def _plain(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {str(key): _plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)
