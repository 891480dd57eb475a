"""The contract of a generated GraphQL server (``contract.json``), from the IR.

Its format is ``mockc.runtime.graphql.contract`` (documented there): root
fields and the object types that mocks may target, as operations, and the
JSON Schema of each custom scalar for fake data.
"""

from __future__ import annotations

from typing import Any

from mockc.compiler import ir

from .sdl import graphql_annotation

CONTRACT_FORMAT = 1
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
                {"id": operation.id, "root": binding.root, "field": binding.field, "responses": []}
            )
            taken.add(operation.id.lower())
    scalars: dict[str, Any] = {}
    for named in api.schemas:
        schema = ir.thaw(named.schema)
        kind = (schema.get("x-graphql") or {}).get("kind") if isinstance(schema, dict) else None
        if kind == "OBJECT" and named.name not in roots and named.name.lower() not in taken:
            operations.append({"id": named.name, "type": named.name, "responses": []})
        elif kind == "SCALAR":
            scalars[named.name] = {k: v for k, v in schema.items() if k not in _ANNOTATIONS}
    return {
        "format": CONTRACT_FORMAT,
        "generated_by": generated_by,
        "protocol": "graphql",
        "api": {"name": api.name, "title": api.title or api.name, "version": api.version},
        "defs": {},
        "schema": SCHEMA_FILE,
        "operations": operations,
        "scalars": scalars,
    }
