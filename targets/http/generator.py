"""The HTTP target: an IR Api in, the files of a standalone mock server out."""

from __future__ import annotations

from mockc.compiler import ir

from ..common import CORE_REQUIREMENTS, GeneratedFile, ServerGenerator, TargetOptions
from .contract import build_contract

HttpOptions = TargetOptions
"""The HTTP target needs nothing beyond what every target is told."""


class HttpServer(ServerGenerator):
    name = "http"
    binding = ir.HttpBinding
    requirements = tuple(sorted(("defusedxml==0.7.1", "granian==2.8.7", *CORE_REQUIREMENTS)))
    build_contract = build_contract

    def row(self, operation: ir.Operation) -> dict[str, str]:
        binding = operation.binding
        assert isinstance(binding, ir.HttpBinding)
        path = binding.path.replace("|", "\\|")
        return {"id": operation.id, "method": binding.method, "path": path}

    def hook_doc(self, operation: ir.Operation) -> str:
        binding = operation.binding
        assert isinstance(binding, ir.HttpBinding)
        lines = [f"{binding.method} {binding.path}"]
        if operation.summary:
            lines += ["", operation.summary]
        return "\n".join(lines)


def generate(api: ir.Api, options: HttpOptions) -> list[GeneratedFile]:
    return HttpServer().generate(api, options)
