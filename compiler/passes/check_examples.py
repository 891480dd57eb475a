"""Drop spec examples that contradict their own schema, with a warning.

A mock server must answer with valid data; an example the spec's author got
wrong would be served as a valid answer otherwise. The warning names the
example, so the author can fix the spec.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from mockc.compiler import ir
from mockc.compiler.errors import Diagnostic

from .schemas import ApiSchemas, api_schemas

_MAX_REASON = 160


def run(api: ir.Api, diagnostics: list[Diagnostic]) -> ir.Api:
    defs = api_schemas(api)
    operations = tuple(_check_operation(op, defs, diagnostics) for op in api.operations)
    return dataclasses.replace(api, operations=operations)


def _check_operation(
    operation: ir.Operation, defs: ApiSchemas, diagnostics: list[Diagnostic]
) -> ir.Operation:
    outputs = tuple(
        dataclasses.replace(
            output,
            message=_check_message(output.message, operation, output.key, defs, diagnostics),
        )
        for output in operation.outputs
    )
    request = operation.input
    if request is not None:
        request = _check_message(request, operation, "request", defs, diagnostics)
    return dataclasses.replace(operation, outputs=outputs, input=request)


def _check_message(
    message: ir.Message,
    operation: ir.Operation,
    where: str,
    defs: ApiSchemas,
    diagnostics: list[Diagnostic],
) -> ir.Message:
    contents = []
    for content in message.contents:
        if not content.examples or content.schema is None or not is_json(content.media_type):
            contents.append(content)
            continue
        validator = defs.validator(content.schema)
        if validator is None:
            contents.append(content)
            continue
        kept = []
        for example in content.examples:
            reason = first_error(validator, ir.thaw(example.value))
            if reason is None:
                kept.append(example)
                continue
            source = example.source or operation.source
            diagnostics.append(
                Diagnostic(
                    level="warning",
                    code="example-mismatch",
                    message=(
                        f"{operation.id} {where} {content.media_type}: example "
                        f"{example.name!r} does not match its schema ({reason}); "
                        "it is not served"
                    ),
                    file=source.file if source else "",
                    pointer=source.pointer if source else None,
                )
            )
        contents.append(dataclasses.replace(content, examples=tuple(kept)))
    return dataclasses.replace(message, contents=tuple(contents))


def is_json(media_type: str) -> bool:
    essence = media_type.split(";", 1)[0].strip().lower()
    return essence == "application/json" or essence.endswith("+json") or essence == "*/*"


def first_error(validator: Any, value: Any) -> str | None:
    """Why ``value`` is not valid (the first error, with where), or None."""
    if validator.is_valid(value):
        return None
    for error in validator.iter_errors(value):
        path = "/" + "/".join(str(part) for part in error.instance_path)
        return f"at {path}: {error.message}"[:_MAX_REASON]
    return None
