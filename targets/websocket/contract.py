"""The contract of a generated WebSocket server (``contract.json``), from the IR.

The format is ``mockc.runtime.contract``: each WebSocket channel operation
with a ``channel`` binding (its served path, action, path parameters, the
subprotocol, whether it replies), and a ``websocket`` block holding the
schedules a channel config declares (operation id → the mocks' ``emit``
schedule shape).
"""

from __future__ import annotations

from typing import Any

from mockc.compiler import ir
from mockc.compiler.errors import Diagnostic, GenerationError

from ..common.contract import (
    channel_parameter_spec,
    contract_document,
    declared_schedules,
    message_spec,
    operation_spec,
    output_spec,
    schema_value,
)

__all__ = ["PROTOCOLS", "build_contract", "websocket_operations"]

PROTOCOLS = frozenset({"websocket", "ws"})
"""The channel protocols this target serves (``ws`` is AsyncAPI's binding name)."""


def websocket_operations(api: ir.Api) -> list[ir.Operation]:
    """The Api's WebSocket channel operations; a located error for a channel of
    another protocol (no target serves it from here)."""
    found = []
    for operation in api.operations:
        binding = operation.binding
        if not isinstance(binding, ir.ChannelBinding):
            continue
        if binding.protocol not in PROTOCOLS:
            source = operation.source
            raise GenerationError(
                Diagnostic.at(
                    source,
                    message=f"operation {operation.id!r} is a {binding.protocol} channel: "
                    "not supported yet by the websocket target (targets/websocket/contract.py)",
                )
            )
        found.append(operation)
    return found


def build_contract(api: ir.Api, *, generated_by: str) -> dict[str, Any]:
    operations = [
        operation_spec(
            operation.id,
            shape=operation.shape,
            binding=_binding(operation.binding),
            input=message_spec(operation.input),
            outputs=[output_spec(output) for output in operation.outputs],
        )
        for operation in websocket_operations(api)
    ]
    schedules = declared_schedules(api, (spec["id"] for spec in operations))
    return contract_document(
        api,
        protocol="websocket",
        generated_by=generated_by,
        defs={named.name: schema_value(named.schema) for named in api.schemas},
        operations=operations,
        websocket={"schedules": schedules},
    )


def _binding(binding: ir.Binding) -> dict[str, Any]:
    assert isinstance(binding, ir.ChannelBinding)
    options = binding.options
    return {
        "kind": "channel",
        "protocol": "websocket",
        "path": binding.served_path,
        "action": binding.action,
        "parameters": [channel_parameter_spec(parameter) for parameter in binding.parameters],
        "subprotocol": options.subprotocol if isinstance(options, ir.WebSocketOptions) else "",
        "reply": binding.reply is not None,
    }
