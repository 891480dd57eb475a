"""What every part of the OpenAPI reader shares: the documents, the problems
found so far, the schema registry and the version being read."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

from ... import ir
from ...errors import SpecError
from ..documents import DocumentStore, Location, Problems
from ..jsonschema import SchemaDialect, SchemaRegistry


@dataclass
class Context:
    store: DocumentStore
    problems: Problems
    schemas: SchemaRegistry
    dialect: SchemaDialect
    root: Location
    """The entry document."""

    @property
    def is_swagger2(self) -> bool:
        return self.dialect is SchemaDialect.SWAGGER_2

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

    def mapping(self, value: Any, at: Location, what: str) -> Mapping[str, Any] | None:
        """``value`` when it is a mapping; otherwise an error is kept and None returned.
        ``$ref``s are followed first; a missing value (None) is no error."""
        if value is None:
            return None
        followed = self.followed_mapping(value, at, what)
        return followed[0] if followed else None

    def followed_mapping(
        self, value: Any, at: Location, what: str
    ) -> tuple[Mapping[str, Any], Location] | None:
        """Like :meth:`mapping`, with the location the value was found at."""
        followed = self.follow(value, at)
        if followed is None:
            return None
        value, at = followed
        if not isinstance(value, Mapping):
            self.problems.error(at, f"{what} must be a mapping, not {_kind(value)}")
            return None
        return value, at

    def schema(self, value: Any, at: Location) -> ir.JsonValue:
        """A schema of the spec, as frozen JSON Schema 2020-12."""
        if value is None:
            return None
        return self.schemas.inline(value, at)

    def warn(self, at: Location, message: str) -> None:
        self.problems.warn(at, message)

    @staticmethod
    def source(at: Location) -> ir.Source:
        return ir.Source(file=at.doc, pointer=at.pointer)


def text(value: Any) -> str:
    """A string field of the spec (descriptions, summaries), "" when absent."""
    if value is None:
        return ""
    return value if isinstance(value, str) else str(value)


def json_value(value: Any) -> ir.JsonValue:
    """``value`` frozen as :func:`ir.freeze` does (read-only mappings, tuples),
    with a fast path for the plain data parsers give; values YAML may hold but
    JSON cannot become strings."""
    try:
        return _freeze(value)
    except TypeError:
        return ir.freeze(_plain(value))


_SCALARS = frozenset({str, int, float, bool, type(None)})


def _freeze(value: Any) -> ir.JsonValue:
    # Scalars, most of the leaves, are taken as they are without a call.
    kind = value.__class__
    if kind is dict:
        return MappingProxyType(
            {
                key if key.__class__ is str else str(key): item
                if item.__class__ in _SCALARS
                else _freeze(item)
                for key, item in value.items()
            }
        )
    if kind is list:
        return tuple([item if item.__class__ in _SCALARS else _freeze(item) for item in value])
    if kind in _SCALARS:
        return value  # type: ignore[no-any-return]
    return ir.freeze(value)


def _plain(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {str(key): _plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [_plain(item) for item in value]
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


def kind_of_value(value: Any) -> str:
    """What ``value`` is, for messages: ``a mapping``, ``a list``, ``a string``…"""
    return "a mapping" if isinstance(value, Mapping) else _kind(value)


def _kind(value: Any) -> str:
    names = {list: "a list", str: "a string", bool: "a boolean", int: "a number", float: "a number"}
    if value is None:
        return "null"
    return names.get(type(value), type(value).__name__)
