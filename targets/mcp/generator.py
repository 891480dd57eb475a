"""The MCP target: an IR Api (from an MCP config) in, the files of a
standalone MCP mock server out."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from mockc.compiler import ir

from ..common import CORE_REQUIREMENTS, GeneratedFile, ServerGenerator, TargetOptions
from ..common.generator import Contract
from .contract import build_contract

McpOptions = TargetOptions
"""The MCP target needs nothing beyond what every target is told."""

MCP_PATH = "/mcp"
DEFAULT_ADMIN_PORT = 8081


class McpServer(ServerGenerator):
    name = "mcp"
    binding = ir.McpBinding
    templates = Path(__file__).parent / "templates"
    requirements = tuple(
        sorted(("granian==2.8.7", "mcp==2.3.0", "mcp-types==2.3.0", *CORE_REQUIREMENTS))
    )
    build_contract = build_contract

    def row(self, operation: ir.Operation) -> dict[str, str]:
        binding = operation.binding
        assert isinstance(binding, ir.McpBinding)
        return {
            "id": operation.id,
            "primitive": binding.primitive,
            "name": binding.uri_template if binding.primitive == "resource" else binding.name,
        }

    def hook_doc(self, operation: ir.Operation) -> str:
        binding = operation.binding
        assert isinstance(binding, ir.McpBinding)
        derived = any(isinstance(b, ir.HttpBinding) for b in operation.alternate_bindings)
        head = {
            "tool": f"tools/call {binding.name}: "
            + (
                "the arguments as in the HTTP request\n(request.path, request.query, "
                "request.headers; the body argument as request.body)"
                if derived
                else "request.body holds the arguments"
            ),
            "resource": f"resources/read {binding.uri_template}: "
            "request.path holds the URI's variables",
            "prompt": f"prompts/get {binding.name}: request.body holds the arguments",
        }[binding.primitive]
        return head + (f"\n\n{operation.description}" if operation.description else "")

    def context(
        self, api: ir.Api, operations: list[ir.Operation], contract: Contract
    ) -> Mapping[str, object]:
        return {"mcp_path": MCP_PATH, "admin_port": DEFAULT_ADMIN_PORT}


def generate(api: ir.Api, options: McpOptions) -> list[GeneratedFile]:
    return McpServer().generate(api, options)
