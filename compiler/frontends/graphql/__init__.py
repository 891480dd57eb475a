"""GraphQL front end: SDL files (merged into one schema) or an introspection
result to the IR.

Each root field (of the query, mutation and subscription types) becomes an
operation; every named type a JSON Schema (see :mod:`.types`). A schema split
across files is read with all its files at once (:func:`load_all`), so that
``extend type`` works across them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from ... import ir
from ...errors import Diagnostic
from ...naming import snake_case
from .operations import read_operations
from .reading import is_introspection_text, read_schema
from .types import TypeMapper

__all__ = ["SPEC_FORMAT", "is_introspection_text", "load", "load_all"]

SPEC_FORMAT = "graphql"
_GENERIC_STEMS = frozenset({"schema", "index", "api", "graphql", "introspection", "main"})


def load(
    path: Path, *, allow_remote_refs: bool = False, warnings: list[Diagnostic] | None = None
) -> ir.Api:
    """Read the schema in ``path`` (SDL or an introspection result)."""
    return load_all([path], allow_remote_refs=allow_remote_refs, warnings=warnings)


def load_all(
    paths: Sequence[Path],
    *,
    allow_remote_refs: bool = False,
    warnings: list[Diagnostic] | None = None,
) -> ir.Api:
    """Read one schema from every file of ``paths`` (SDL files are merged; an
    introspection result may be extended by SDL files). Raises SpecError with
    located diagnostics; repairs are reported in ``warnings``."""
    found: list[Diagnostic] = []
    read = read_schema([Path(path) for path in paths], found)
    mapper = TypeMapper(read)
    schema = read.schema
    api = ir.Api(
        name=api_name(Path(paths[0])),
        description=schema.description or "",
        spec_format=SPEC_FORMAT,
        sources=read.sources,
        operations=read_operations(mapper),
        schemas=mapper.named_schemas(),
        extensions=_frozen_mapping({"x-graphql": mapper.schema_annotation()}),
    )
    if warnings is not None:
        warnings.extend(found)
    return api


def _frozen_mapping(data: dict[str, Any]) -> Mapping[str, ir.JsonValue]:
    frozen = ir.freeze(data)
    assert isinstance(frozen, Mapping)
    return frozen


def api_name(path: Path) -> str:
    """The file's stem, or its folder's name for generic stems (``swapi/schema.graphql``)."""
    stem = path.stem
    if stem.lower() in _GENERIC_STEMS:
        parent = path.resolve().parent.name
        if any(char.isalnum() and char.isascii() for char in parent):
            stem = parent
    return snake_case(stem) if any(c.isalnum() and c.isascii() for c in stem) else "graphql"
