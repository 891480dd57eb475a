"""The HTTP target: an IR Api in, the files of a standalone mock server out."""

from __future__ import annotations

from mockc.compiler import ir

from ..common import CORE_REQUIREMENTS, GeneratedFile, ServerGenerator, TargetOptions
from .contract import build_contract

HttpOptions = TargetOptions
"""The HTTP target needs nothing beyond what every target is told."""


class HttpServer(ServerGenerator):
    name = "http"
    binding = (ir.HttpBinding, ir.ChannelBinding)
    requirements = tuple(sorted(("defusedxml==0.7.1", "granian==2.8.7", *CORE_REQUIREMENTS)))
    build_contract = build_contract

    def row(self, operation: ir.Operation) -> dict[str, str]:
        method, path = _route(operation.binding)
        return {"id": operation.id, "method": method, "path": path.replace("|", "\\|")}

    def hook_doc(self, operation: ir.Operation) -> str:
        method, path = _route(operation.binding)
        stream = isinstance(operation.binding, ir.ChannelBinding) and method == "GET"
        lines = [f"{method} {path}" + (" (an event stream)" if stream else "")]
        if operation.summary:
            lines += ["", operation.summary]
        return "\n".join(lines)


def _route(binding: ir.Binding) -> tuple[str, str]:
    """The method and path of an operation: a route's, or an SSE channel's
    (``GET`` for a stream, ``POST`` for a channel clients send on)."""
    if isinstance(binding, ir.ChannelBinding) and binding.protocol != "sse":
        return "WebSocket", binding.served_path
    if isinstance(binding, ir.ChannelBinding):
        return ("GET" if binding.action == "send" else "POST"), binding.served_path
    assert isinstance(binding, ir.HttpBinding)
    return binding.method, binding.path


def generate(api: ir.Api, options: HttpOptions) -> list[GeneratedFile]:
    return HttpServer().generate(api, options)
