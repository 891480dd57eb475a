"""The contract entries of SSE channel operations, for every target serving them.

The SSE target writes them into its own contract; the HTTP target too, when
it serves an AsyncAPI document's SSE channels beside its routes. The format
is ``mockc.runtime.sse.contract``'s: a ``channel`` binding (protocol,
address, served path, action, parameters, the SSE options) and one output per
event type whose ``event`` is its name on the wire.
"""

from __future__ import annotations

from typing import Any

from mockc.compiler import ir

from .contract import (
    channel_operation_spec,
    channel_parameter_spec,
    declared_schedules,
    output_spec,
)

__all__ = ["sse_operation_specs", "sse_section"]


def sse_operation_specs(
    api: ir.Api, protocols: frozenset[str] | None = None
) -> list[dict[str, Any]]:
    """The contract entries of ``api``'s channel operations (of ``protocols``
    only, when given), served as SSE channels."""
    return [
        channel_operation_spec(operation, _binding, _output)
        for operation in api.operations
        if isinstance(operation.binding, ir.ChannelBinding)
        and (protocols is None or operation.binding.protocol in protocols)
    ]


def sse_section(api: ir.Api, operations: list[dict[str, Any]]) -> dict[str, Any]:
    """The contract's ``sse`` section: the schedules its channels declare."""
    return {"schedules": declared_schedules(api, (spec["id"] for spec in operations))}


def _binding(binding: ir.Binding) -> dict[str, Any]:
    assert isinstance(binding, ir.ChannelBinding)
    options = binding.options if isinstance(binding.options, ir.SseOptions) else ir.SseOptions()
    reply = binding.reply
    replies = reply is not None and bool(reply.channel or reply.address_location)
    return {
        "kind": "channel",
        "protocol": binding.protocol,
        "channel": binding.channel,
        "path": binding.served_path,
        "action": binding.action,
        "parameters": [
            {
                **channel_parameter_spec(parameter),
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
        **(
            {"reply": {"path": reply.channel, "address_location": reply.address_location}}
            if reply is not None and replies
            else {}
        ),
    }


def _output(output: ir.Output) -> dict[str, Any]:
    return {**output_spec(output), "event": output.event or output.key}
