"""Operation ids: valid Python identifiers, unique within the Api.

A front end proposes an id per operation from the operation itself (its
declared id, its method and path, its service and method…). This pass makes
each a valid identifier (:func:`~mockc.compiler.naming.python_identifier`)
and resolves clashes (``_2``, ``_3``… in operation order, ignoring case: ids
name mock files), the one rule every protocol shares. A front end with its
own precedence (OpenAPI allocates declared ``operationId``s before derived
ids) allocates before; the ids it hands over then pass unchanged.
"""

from __future__ import annotations

import dataclasses

from mockc.compiler import ir
from mockc.compiler.errors import Diagnostic
from mockc.compiler.naming import NameAllocator, python_identifier


def run(api: ir.Api, diagnostics: list[Diagnostic]) -> ir.Api:
    ids = NameAllocator()
    operations = tuple(
        _named(operation, ids.allocate(python_identifier(operation.id)))
        for operation in api.operations
    )
    if all(new is old for new, old in zip(operations, api.operations, strict=True)):
        return api
    return dataclasses.replace(api, operations=operations)


def _named(operation: ir.Operation, new_id: str) -> ir.Operation:
    if new_id == operation.id:
        return operation
    return dataclasses.replace(operation, id=new_id)
