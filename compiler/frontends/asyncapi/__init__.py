"""AsyncAPI front end: AsyncAPI 2.0–2.6 and 3.0 (3.1) documents to the IR.

- :mod:`.document` — the version, servers and declared schemas;
- :mod:`.operations` — channels and operations (2.x ``publish``/``subscribe``
  inverted to ``receive``/``send``), parameters, replies;
- :mod:`.messages` — payloads, headers, correlation ids, examples, traits;
- :mod:`.bindings` — the protocol of each channel and its typed options.

Documents and ``$ref``s across files are read by the shared document store;
schemas (the AsyncAPI schema object is a superset of Draft 7) by the shared
JSON Schema normaliser.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from ... import ir
from ...errors import Diagnostic, SpecError
from ...naming import python_identifier, snake_case
from ..documents import DocumentStore, Problems
from ..jsonschema import SchemaDialect, SchemaRegistry
from .context import Context, json_value, text
from .document import declare_schemas, major_version, servers
from .operations import read_operations

__all__ = ["load"]


def load(
    path: Path, *, allow_remote_refs: bool = False, warnings: list[Diagnostic] | None = None
) -> ir.Api:
    """Read the AsyncAPI document at ``path`` (and every file its ``$ref``s reach).

    Raises :class:`~mockc.compiler.errors.SpecError` with located diagnostics
    (file, line, pointer) for bad input; repaired problems go to ``warnings``.
    """
    store = DocumentStore(allow_remote_refs=allow_remote_refs)
    root = store.load_entry(Path(path))
    document = store.data(root.doc)
    if not isinstance(document, Mapping):
        raise SpecError(store.diagnostic(root, "an AsyncAPI document must be a mapping"))
    major = major_version(store, root, document)
    problems = Problems(store)
    ctx = Context(
        store=store,
        problems=problems,
        schemas=SchemaRegistry(store, problems, SchemaDialect.DRAFT_7, freeze=json_value),
        root=root,
        major=major,
    )
    declare_schemas(ctx)
    by_name = servers(ctx)
    operations = read_operations(ctx, by_name)
    about, _ = ctx.mapping(document.get("info"), root.child("info"), "info")
    title = text(about.get("title"))
    api = ir.Api(
        name=_api_name(title, Path(path)),
        title=title,
        version=text(about.get("version")),
        description=text(about.get("description")),
        spec_format=f"asyncapi-{text(document.get('asyncapi'))}",
        sources=store.sources,
        operations=operations,
        schemas=ctx.schemas.named_schemas(),
        servers=tuple(by_name.values()),
    )
    problems.flush_warnings(warnings)
    problems.raise_errors()
    return api


def _api_name(title: str, path: Path) -> str:
    for candidate in (title, path.stem):
        if any(char.isalnum() and char.isascii() for char in candidate):
            return snake_case(candidate)
    return python_identifier("", fallback="api")
