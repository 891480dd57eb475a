"""The SSE target: an IR Api's SSE channels in, a standalone event-stream server out."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from mockc.compiler import ir

from ..common import CORE_REQUIREMENTS, GeneratedFile, ServerGenerator, TargetOptions
from ..common.generator import Contract
from .contract import build_contract

__all__ = ["SseServer", "generate"]


class SseServer(ServerGenerator):
    name = "sse"
    binding = ir.ChannelBinding
    templates = Path(__file__).parent / "templates"
    requirements = tuple(sorted(("granian==2.8.7", *CORE_REQUIREMENTS)))
    build_contract = build_contract

    def row(self, operation: ir.Operation) -> dict[str, str]:
        binding = operation.binding
        assert isinstance(binding, ir.ChannelBinding)
        method = "GET" if binding.action == "send" else "POST"
        events = ", ".join(f"`{o.event or o.key}`" for o in operation.outputs) or "—"
        return {
            "id": operation.id,
            "method": method,
            "path": binding.served_path,
            "action": binding.action,
            "events": events,
        }

    def hook_doc(self, operation: ir.Operation) -> str:
        binding = operation.binding
        assert isinstance(binding, ir.ChannelBinding)
        events = ", ".join(o.key for o in operation.outputs)
        lines = [
            f"{binding.action} on {binding.served_path}"
            + (f" (events: {events})" if events else "")
        ]
        if operation.summary:
            lines += ["", operation.summary]
        return "\n".join(lines)

    def context(
        self, api: ir.Api, operations: list[ir.Operation], contract: Contract
    ) -> Mapping[str, object]:
        streams = [
            op
            for op in operations
            if isinstance(op.binding, ir.ChannelBinding) and op.binding.action == "send"
        ]
        first = streams[0] if streams else None
        return {
            "first_stream": self.row(first) if first else None,
            "first_event": first.outputs[0].key if first and first.outputs else "",
        }


def generate(api: ir.Api, options: TargetOptions) -> list[GeneratedFile]:
    return SseServer().generate(api, options)
