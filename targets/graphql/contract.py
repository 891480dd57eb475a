"""The contract of a generated GraphQL server (``contract.json``), from the IR.

The format is ``mockc.runtime.contract`` (documented there): root fields as
operations with a ``graphql`` binding (root, field, return type), then the
object types that mocks may target (binding ``object_type``), and a
``graphql`` block: the SDL file beside it and the JSON Schema each custom
scalar's fake values follow.
"""

from __future__ import annotations

from typing import Any

from mockc.compiler import ir

from ..common.contract import contract_document, operation_spec
from .sdl import graphql_annotation

SCHEMA_FILE = "schema.graphql"
_ANNOTATIONS = ("x-graphql", "description")


def build_contract(api: ir.Api, *, generated_by: str) -> dict[str, Any]:
    roots = set((graphql_annotation(api).get("operations") or {}).values())
    operations: list[dict[str, Any]] = []
    taken: set[str] = set()
    for operation in api.operations:
        binding = operation.binding
        if isinstance(binding, ir.GraphqlBinding):
            operations.append(
                operation_spec(
                    operation.id,
                    shape=operation.shape,
                    binding={
                        "kind": "graphql",
                        "root": binding.root,
                        "field": binding.field,
                        "return_type": binding.return_type,
                    },
                )
            )
            taken.add(operation.id.lower())
    scalars: dict[str, Any] = {}
    for named in api.schemas:
        schema = ir.thaw(named.schema)
        kind = (schema.get("x-graphql") or {}).get("kind") if isinstance(schema, dict) else None
        if kind == "OBJECT" and named.name not in roots and named.name.lower() not in taken:
            operations.append(
                operation_spec(
                    named.name,
                    shape=ir.Shape.UNARY,
                    binding={"kind": "graphql", "object_type": named.name},
                )
            )
        elif kind == "SCALAR":
            scalars[named.name] = {k: v for k, v in schema.items() if k not in _ANNOTATIONS}
    return contract_document(
        api,
        protocol="graphql",
        generated_by=generated_by,
        defs={},
        operations=operations,
        graphql={"schema": SCHEMA_FILE, "scalars": scalars},
    )
