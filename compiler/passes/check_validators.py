"""Compile every schema's validator once, at generation, and warn about what
the server cannot check as written.

jsonschema-rs refuses some patterns real specs use (``^.{0,262144}$`` is too
large for it). The server checks those with a second engine, or not at all
(:mod:`mockc.runtime.schema_validators`); no request fails over them, but the
spec's author should know, so every one is named here with where it is. A
schema no validator can be compiled for at all is named too (the server then
does not validate against it).
"""

from __future__ import annotations

from collections.abc import Iterator

from mockc.compiler import ir
from mockc.compiler.errors import Diagnostic
from mockc.runtime.schema_validators import PatternProblem, SchemaCompileError, portable

from .schemas import ApiSchemas, api_schemas


def run(api: ir.Api, diagnostics: list[Diagnostic]) -> ir.Api:
    schemas = api_schemas(api)
    named_plain = {id(named.schema): schemas.plain_of(named) for named in api.schemas}
    places = []
    for schema, what, source in _schemas(api):
        plain = named_plain[id(schema)] if what is None else ir.thaw(schema)
        if plain is not None:  # no schema: nothing to validate
            places.append((repr(plain), plain, what, source))
    # Real specs repeat schemas (GitHub's 8,007 are 1,865 different ones): each
    # different schema is walked once, and reported at every place. One
    # validator of them all compiles each referenced schema once; only when it
    # fails is each compiled alone, to name the ones at fault (compiled one by
    # one, a spec like Stripe's, whose schemas reach most others, took 25 s).
    distinct = {key: plain for key, plain, _, _ in places}
    together = _compile_error({"anyOf": list(distinct.values())}, schemas) is None
    checked: dict[str, tuple[str | None, list[PatternProblem]]] = {}
    for key, plain, what, source in places:
        found = checked.get(key)
        if found is None:
            error = None if together else _compile_error(plain, schemas)
            found = checked[key] = (error, portable(plain)[1])
        error, problems = found
        if error is not None:
            diagnostics.append(
                Diagnostic.at(
                    source,
                    level="warning",
                    message=f"{what or 'schema'}: no validator can be compiled for this schema "
                    f"({error}); the server does not validate against it",
                )
            )
        for problem in problems:
            if what is None:  # a named schema: the pointer leads to the pattern itself
                diagnostics.append(
                    Diagnostic(
                        level="warning",
                        message=problem.describe(),
                        file=source.file if source else "",
                        pointer=(source.pointer if source else "") + problem.pointer,
                    )
                )
                continue
            diagnostics.append(
                Diagnostic.at(
                    source,
                    level="warning",
                    message=f"{what}, schema at {problem.pointer or '/'}: {problem.describe()}",
                )
            )
    return api


def _compile_error(schema: object, schemas: ApiSchemas) -> str | None:
    """Why no validator can be compiled for ``schema``; None when one can."""
    try:
        schemas.compile(schema)
    except SchemaCompileError as exc:
        return str(exc)
    return None


def _schemas(api: ir.Api) -> Iterator[tuple[ir.JsonValue, str | None, ir.Source | None]]:
    """Every schema of the Api, what it is (None: a named schema) and where."""
    for named in api.schemas:
        yield named.schema, None, named.source
    for operation in api.operations:
        for binding in operation.bindings:
            for parameter in getattr(binding, "parameters", ()):
                yield (
                    parameter.schema,
                    f"{operation.id} {parameter.location.value} parameter {parameter.name!r}",
                    parameter.source or operation.source,
                )
        if operation.input is not None:
            yield from _message_schemas(operation.input, f"{operation.id} request", operation)
        for output in operation.outputs:
            for header in output.headers:
                yield (
                    header.schema,
                    f"{operation.id} {output.key} header {header.name!r}",
                    header.source or output.source or operation.source,
                )
            yield from _message_schemas(
                output.message, f"{operation.id} {output.key}", operation, output.source
            )


def _message_schemas(
    message: ir.Message,
    what: str,
    operation: ir.Operation,
    source: ir.Source | None = None,
) -> Iterator[tuple[ir.JsonValue, str | None, ir.Source | None]]:
    for header in message.headers:
        yield (
            header.schema,
            f"{what} header {header.name!r}",
            header.source or message.source or source or operation.source,
        )
    for content in message.contents:
        yield (
            content.schema,
            f"{what} {content.media_type}",
            message.source or source or operation.source,
        )
