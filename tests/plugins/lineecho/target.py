"""The line-echo target: an Api's line-echo commands in, a standalone server out.

Everything but what is its own comes from the shared skeleton and the base
templates (``mockc.targets.common``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from mockc.compiler import ir
from mockc.targets.common import CORE_REQUIREMENTS, GeneratedFile, ServerGenerator, TargetOptions

from .frontend import PROTOCOL

DEFAULT_ADMIN_PORT = 8082


def build_contract(api: ir.Api, *, generated_by: str) -> dict[str, Any]:
    """What the adapter needs: each command's operation id and declared answer
    (the plug-in's own document, read by its adapter alone)."""
    commands = []
    for operation in api.operations:
        binding = operation.binding
        if not isinstance(binding, ir.ChannelBinding) or binding.protocol != PROTOCOL:
            continue
        content = operation.outputs[0].message.contents[0]
        commands.append(
            {
                "id": operation.id,
                "command": binding.channel,
                "schema": ir.thaw(content.schema),
                "examples": {example.name: ir.thaw(example.value) for example in content.examples},
            }
        )
    return {
        "generated_by": generated_by,
        "api": {"name": api.name, "title": api.title or api.name},
        "operations": commands,
    }


class LineEchoServer(ServerGenerator):
    name = PROTOCOL
    binding = ir.ChannelBinding
    templates = Path(__file__).parent / "templates"
    requirements = tuple(sorted(("granian==2.8.7", *CORE_REQUIREMENTS)))
    port = 7007
    build_contract = build_contract

    def row(self, operation: ir.Operation) -> dict[str, str]:
        binding = operation.binding
        assert isinstance(binding, ir.ChannelBinding)
        return {"id": operation.id, "command": binding.channel}

    def hook_doc(self, operation: ir.Operation) -> str:
        binding = operation.binding
        assert isinstance(binding, ir.ChannelBinding)
        return f"{binding.channel} [argument]"

    def context(
        self, api: ir.Api, operations: list[ir.Operation], contract: Any
    ) -> dict[str, object]:
        return {"admin_port": DEFAULT_ADMIN_PORT}


def generate(api: ir.Api, options: TargetOptions) -> list[GeneratedFile]:
    return LineEchoServer().generate(api, options)
