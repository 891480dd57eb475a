"""The GraphQL target: an IR Api (from a GraphQL schema) in, the files of a
standalone GraphQL mock server out."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from mockc.compiler import ir

from ..common import CORE_REQUIREMENTS, GeneratedFile, ServerGenerator, TargetOptions
from ..common.generator import Contract
from .contract import SCHEMA_FILE, build_contract
from .sdl import print_sdl

GraphqlOptions = TargetOptions
"""The GraphQL target needs nothing beyond what every target is told."""


class GraphqlServer(ServerGenerator):
    name = "graphql"
    binding = ir.GraphqlBinding
    templates = Path(__file__).parent / "templates"
    requirements = tuple(sorted(("granian==2.8.7", "graphql-core==3.3.2", *CORE_REQUIREMENTS)))
    build_contract = build_contract

    def row(self, operation: ir.Operation) -> dict[str, str]:
        binding = operation.binding
        assert isinstance(binding, ir.GraphqlBinding)
        return {
            "id": operation.id,
            "root": binding.root,
            "field": binding.field,
            "type": binding.return_type.replace("|", "\\|"),
        }

    def hook_doc(self, operation: ir.Operation) -> str:
        binding = operation.binding
        assert isinstance(binding, ir.GraphqlBinding)
        lines = [f"{binding.root} {{ {binding.field} }}: {binding.return_type}"]
        if operation.description:
            lines += ["", operation.description]
        return "\n".join(lines)

    def context(
        self, api: ir.Api, operations: list[ir.Operation], contract: Contract
    ) -> Mapping[str, object]:
        types = [spec["id"] for spec in contract["operations"] if "object_type" in spec["binding"]]
        rows = [self.row(op) for op in operations]
        return {
            "type_count": len(types),
            "type_example": types[0] if types else "",
            "subscription": next((row for row in rows if row["root"] == "subscription"), None),
        }

    def extra_files(self, api: ir.Api, header: str) -> list[GeneratedFile]:
        sdl = f"# {header}\n\n" + print_sdl(api)
        return [GeneratedFile(path=SCHEMA_FILE, content=sdl.encode("utf-8"))]


def generate(api: ir.Api, options: GraphqlOptions) -> list[GeneratedFile]:
    return GraphqlServer().generate(api, options)
