"""The contract of a generated SSE server (``contract.json``), from the IR.

The format is ``mockc.runtime.contract``: each channel operation with a
``channel`` binding (protocol, address, served path, action, parameters, the
SSE options), and one output per event type whose ``event`` is its name on
the wire (``mockc.runtime.sse.contract`` documents what the adapter reads).
"""

from __future__ import annotations

from typing import Any

from mockc.compiler import ir

from ..common.contract import (
    contract_document,
    declared_schedules,
    message_spec,
    operation_spec,
    output_spec,
    schema_value,
)

__all__ = ["build_contract"]


def build_contract(api: ir.Api, *, generated_by: str) -> dict[str, Any]:
    operations = [
        operation_spec(
            operation.id,
            shape=operation.shape,
            binding=_binding(operation.binding),
            input=message_spec(operation.input),
            outputs=[_output(output) for output in operation.outputs],
        )
        for operation in api.operations
        if isinstance(operation.binding, ir.ChannelBinding)
    ]
    return contract_document(
        api,
        protocol="sse",
        generated_by=generated_by,
        defs={named.name: ir.thaw(named.schema) for named in api.schemas},
        operations=operations,
        sse={"schedules": declared_schedules(api, (spec["id"] for spec in operations))},
    )


def _binding(binding: ir.Binding) -> dict[str, Any]:
    assert isinstance(binding, ir.ChannelBinding)
    options = binding.options if isinstance(binding.options, ir.SseOptions) else ir.SseOptions()
    return {
        "kind": "channel",
        "protocol": binding.protocol,
        "channel": binding.channel,
        "path": binding.served_path,
        "action": binding.action,
        "parameters": [
            {
                "name": parameter.name,
                "location": parameter.location.value,
                "required": parameter.required,
                "schema": schema_value(parameter.schema),
                "style": "simple" if parameter.location is ir.ParameterLocation.PATH else "form",
                "explode": parameter.location is not ir.ParameterLocation.PATH,
            }
            for parameter in binding.parameters
        ],
        "options": {
            "method": options.method,
            "framing": options.framing,
            "event": options.event,
            "retry_ms": options.retry_ms,
        },
    }


def _output(output: ir.Output) -> dict[str, Any]:
    return {**output_spec(output), "event": output.event or output.key}
