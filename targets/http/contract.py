"""The contract of a generated HTTP server, from the IR.

The format is ``mockc.runtime.contract`` (documented there); this module only
builds the HTTP binding (method, path, parameters) and fills in parameter
styles and explode flags, so the runtime never has to know OpenAPI's defaults.
SSE channel operations (an AsyncAPI document's, generated with the OpenAPI
one) follow the routes, as the SSE target writes them.
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
from ..common.sse_channels import sse_operation_specs, sse_section
from ..common.websocket_channels import WEBSOCKET_PROTOCOLS, websocket_operation_specs

_DEFAULT_STYLE = {
    ir.ParameterLocation.PATH: "simple",
    ir.ParameterLocation.QUERY: "form",
    ir.ParameterLocation.HEADER: "simple",
    ir.ParameterLocation.COOKIE: "form",
}
_HTTP_LOCATIONS = tuple(_DEFAULT_STYLE)


def build_contract(api: ir.Api, *, generated_by: str) -> dict[str, Any]:
    """The routes; and the SSE and WebSocket channels of an AsyncAPI document
    (or a channel config) generated with the OpenAPI one, when there are any
    (their declared schedules in ``sse`` and ``websocket``)."""
    channels = sse_operation_specs(api, frozenset({"sse"}))
    sockets = websocket_operation_specs(
        operation
        for operation in api.operations
        if isinstance(operation.binding, ir.ChannelBinding)
        and operation.binding.protocol in WEBSOCKET_PROTOCOLS
    )
    return contract_document(
        api,
        protocol="http",
        generated_by=generated_by,
        defs={named.name: ir.thaw(named.schema) for named in api.schemas},
        operations=[
            *(
                _operation(operation, operation.binding)
                for operation in api.operations
                if isinstance(operation.binding, ir.HttpBinding)
            ),
            *channels,
            *sockets,
        ],
        **({"sse": sse_section(api, channels)} if channels else {}),
        **(
            {"websocket": {"schedules": declared_schedules(api, (s["id"] for s in sockets))}}
            if sockets
            else {}
        ),
    )


def _operation(operation: ir.Operation, binding: ir.HttpBinding) -> dict[str, Any]:
    return operation_spec(
        operation.id,
        shape=operation.shape,
        input=message_spec(operation.input),
        outputs=(output_spec(output) for output in operation.outputs),
        binding={
            "kind": "http",
            "method": binding.method.upper(),
            "path": binding.path,
            "parameters": [
                _parameter(parameter)
                for parameter in binding.parameters
                if parameter.location in _HTTP_LOCATIONS
            ],
        },
    )


def _parameter(parameter: ir.Parameter) -> dict[str, Any]:
    style = parameter.style or _DEFAULT_STYLE[parameter.location]
    explode = parameter.explode if parameter.explode is not None else style == "form"
    spec: dict[str, Any] = {
        "name": parameter.name,
        "location": parameter.location.value,
        "required": parameter.required or parameter.location is ir.ParameterLocation.PATH,
        "schema": schema_value(parameter.schema),
        "style": style,
        "explode": explode,
    }
    if parameter.media_type:
        spec["media_type"] = parameter.media_type
    return spec
