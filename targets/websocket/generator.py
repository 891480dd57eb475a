"""The WebSocket target: an IR Api's WebSocket channels in, the files of a
standalone WebSocket mock server out."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from mockc.compiler import ir

from ..common import CORE_REQUIREMENTS, GeneratedFile, ServerGenerator, TargetOptions
from ..common.generator import Contract
from .contract import build_contract

__all__ = ["WebSocketServer", "generate"]


class WebSocketServer(ServerGenerator):
    name = "websocket"
    binding = ir.ChannelBinding
    templates = Path(__file__).parent / "templates"
    requirements = tuple(sorted(("granian==2.8.7", *CORE_REQUIREMENTS)))
    build_contract = build_contract

    def row(self, operation: ir.Operation) -> dict[str, str]:
        binding = operation.binding
        assert isinstance(binding, ir.ChannelBinding)
        direction = "client sends" if binding.action == "receive" else "server sends"
        if binding.reply is not None:
            direction += ", server replies"
        return {"id": operation.id, "path": binding.served_path, "direction": direction}

    def hook_doc(self, operation: ir.Operation) -> str:
        binding = operation.binding
        assert isinstance(binding, ir.ChannelBinding)
        if binding.action == "receive":
            line = f"A message a client sends on {binding.served_path}"
            line += " (return its reply)" if binding.reply is not None else ""
        else:
            line = f"A message the server sends on {binding.served_path} (emit)"
        lines = [line]
        if operation.summary:
            lines += ["", operation.summary]
        return "\n".join(lines)

    def context(
        self, api: ir.Api, operations: list[ir.Operation], contract: Contract
    ) -> Mapping[str, object]:
        rows = [self.row(op) for op in operations]
        sends = [row for row in rows if row["direction"] == "server sends"]
        replies = [row for row in rows if row["direction"].endswith("replies")]
        paths = sorted({row["path"] for row in rows})
        return {
            "paths": paths,
            "first_path": paths[0] if paths else "/",
            "emit_example": sends[0]["id"] if sends else "",
            "reply_example": replies[0]["id"] if replies else "",
        }


def generate(api: ir.Api, options: TargetOptions) -> list[GeneratedFile]:
    return WebSocketServer().generate(api, options)
