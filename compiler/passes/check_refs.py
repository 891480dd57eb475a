"""Every ``$ref`` in the Api must name one of its schemas (``#/$defs/<Name>``)."""

from __future__ import annotations

from collections.abc import Iterator

from mockc.compiler import ir
from mockc.compiler.errors import Diagnostic, RefError

from .schema_refs import def_name, refs_in


def run(api: ir.Api, diagnostics: list[Diagnostic]) -> ir.Api:
    names = {named.name for named in api.schemas}
    faults = [
        Diagnostic(
            message=f"$ref {ref!r} does not name a schema of the API",
            file=source.file if source else "",
            pointer=source.pointer if source else None,
        )
        for schema, source in _schemas(api)
        for ref in refs_in(schema)
        if def_name(ref) not in names
    ]
    if faults:
        raise RefError(faults)
    return api


def _schemas(api: ir.Api) -> Iterator[tuple[ir.JsonValue, ir.Source | None]]:
    for named in api.schemas:
        yield named.schema, named.source
    for operation in api.operations:
        parameters = getattr(operation.binding, "parameters", ())
        for parameter in parameters:
            yield parameter.schema, parameter.source
        messages = [operation.input] if operation.input else []
        for output in operation.outputs:
            messages.append(output.message)
            for header in output.headers:
                yield header.schema, header.source or output.source
        for message in messages:
            for content in message.contents:
                yield content.schema, message.source or operation.source
