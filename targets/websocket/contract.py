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

from ..common.contract import contract_document, declared_schedules, schema_value
from ..common.websocket_channels import WEBSOCKET_PROTOCOLS, websocket_operation_specs

__all__ = ["PROTOCOLS", "build_contract", "websocket_operations"]

PROTOCOLS = WEBSOCKET_PROTOCOLS
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
    operations = websocket_operation_specs(websocket_operations(api))
    schedules = declared_schedules(api, (spec["id"] for spec in operations))
    return contract_document(
        api,
        protocol="websocket",
        generated_by=generated_by,
        defs={named.name: schema_value(named.schema) for named in api.schemas},
        operations=operations,
        websocket={"schedules": schedules},
    )
