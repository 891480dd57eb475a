"""OpenAPI / Swagger front end: Swagger 2.0, OpenAPI 3.0 and 3.1 to the IR."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ... import ir
from ...errors import Diagnostic, SpecError
from ..documents import DocumentStore, Problems
from ..jsonschema import SchemaRegistry
from .context import Context, json_value, text
from .document import api_name, declare_schemas, dialect_of, info, servers
from .operations import read_operations

__all__ = ["detect", "load"]


def detect(document: Mapping[str, Any]) -> bool:
    """True for a Swagger 2.0 / OpenAPI 3.x document (a version it does not
    support is reported by :func:`load`)."""
    return isinstance(document, Mapping) and ("openapi" in document or "swagger" in document)


def load(
    path: Path, *, allow_remote_refs: bool = False, warnings: list[Diagnostic] | None = None
) -> ir.Api:
    """Read the spec at ``path`` (and every file its ``$ref``s reach) into an Api.

    Raises :class:`~mockc.compiler.errors.SpecError` (or its ``RefError`` and
    ``UnsupportedSpecError`` kinds) with located diagnostics for bad input.
    Problems repaired on the way are appended to ``warnings`` when given.
    """
    store = DocumentStore(allow_remote_refs=allow_remote_refs)
    root = store.load_entry(Path(path))
    document = store.data(root.doc)
    if not isinstance(document, Mapping):
        kind = "a list" if isinstance(document, list) else type(document).__name__
        raise SpecError(
            store.diagnostic(root, f"an OpenAPI document must be a mapping, not {kind}")
        )
    dialect = dialect_of(store, root, document)
    problems = Problems(store)
    ctx = Context(
        store=store,
        problems=problems,
        schemas=SchemaRegistry(store, problems, dialect, freeze=json_value),
        dialect=dialect,
        root=root,
    )
    declare_schemas(ctx)
    operations = read_operations(ctx)
    schemas = ctx.schemas.named_schemas()
    about = info(ctx)
    title = text(about.get("title"))
    api = ir.Api(
        name=api_name(title, Path(path)),
        title=title,
        version=text(about.get("version")),
        description=text(about.get("description")),
        spec_format=str(dialect),
        sources=store.sources,
        operations=operations,
        schemas=schemas,
        servers=servers(ctx),
    )
    problems.flush_warnings(warnings)
    problems.raise_errors()
    return api
