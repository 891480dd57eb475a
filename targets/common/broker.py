"""The ``contract.json`` of a broker mock service (Kafka, RabbitMQ, MQTT), from the IR.

Each channel operation of the broker's protocol gets a ``channel`` binding
(what ``runtime/broker/channels.py`` reads): its address, action, parameters,
the protocol's options, the reply, the consumed message's headers and where
it carries its correlation id. The ``broker`` block holds the broker's URL
from the contract's servers (the default of the protocol's URL setting) and
the schedules a channel config declares.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Collection
from typing import Any

from mockc.compiler import ir
from mockc.compiler.errors import Diagnostic, GenerationError

from .contract import (
    contract_document,
    declared_schedules,
    message_spec,
    operation_spec,
    output_spec,
    schema_value,
)
from .generator import ServerGenerator

__all__ = [
    "BROKER_REQUIREMENTS",
    "BrokerServer",
    "broker_contract",
    "broker_operations",
    "broker_server",
    "broker_url",
]

BROKER_REQUIREMENTS = ("fastavro==1.13.1",)
"""What ``runtime/broker`` needs besides the core: fastavro writes and reads
Avro payloads (pinned as in pyproject.toml)."""


def broker_operations(api: ir.Api, protocols: Collection[str], target: str) -> list[ir.Operation]:
    """The Api's channel operations of ``protocols``; a located error for any other."""
    found = []
    for operation in api.operations:
        binding = operation.binding
        if not isinstance(binding, ir.ChannelBinding):
            continue
        if binding.protocol not in protocols:
            raise GenerationError(
                Diagnostic.at(
                    operation.source,
                    message=f"operation {operation.id!r} is a {binding.protocol} channel: "
                    f"not served by the {target} target",
                )
            )
        found.append(operation)
    return found


def broker_server(api: ir.Api, schemes: Collection[str]) -> ir.Server | None:
    """The first server whose protocol is one of ``schemes`` (None if none)."""
    for server in api.servers:
        scheme = server.url.partition("://")[0].lower()
        if server.protocol.lower() in schemes or scheme in schemes:
            return server
    return None


def broker_url(api: ir.Api, schemes: Collection[str]) -> str:
    """The URL of the first server whose protocol is one of ``schemes`` ("" if none)."""
    server = broker_server(api, schemes)
    return server.url if server is not None else ""


def broker_contract(
    api: ir.Api,
    *,
    protocol: str,
    protocols: Collection[str],
    schemes: Collection[str],
    generated_by: str,
) -> dict[str, Any]:
    operations = [
        operation_spec(
            operation.id,
            shape=operation.shape,
            binding=_binding(protocol, operation),
            input=message_spec(operation.input),
            outputs=[output_spec(output) for output in operation.outputs],
        )
        for operation in broker_operations(api, protocols, protocol)
    ]
    schedules = declared_schedules(api, (spec["id"] for spec in operations))
    return contract_document(
        api,
        protocol=protocol,
        generated_by=generated_by,
        defs={named.name: schema_value(named.schema) for named in api.schemas},
        operations=operations,
        broker={"url": broker_url(api, schemes), "schedules": schedules},
    )


def _binding(protocol: str, operation: ir.Operation) -> dict[str, Any]:
    binding = operation.binding
    assert isinstance(binding, ir.ChannelBinding)
    options = binding.options
    reply = binding.reply
    message = operation.input
    return {
        "kind": "channel",
        "protocol": protocol,
        "channel": binding.channel,
        "path": "",
        "address": binding.channel,
        "action": binding.action,
        "parameters": [
            {
                "name": parameter.name,
                "location": "path",
                "required": True,
                "schema": schema_value(parameter.schema),
            }
            for parameter in binding.parameters
        ],
        "options": _options(options),
        "reply": None
        if reply is None
        else {
            "channel": reply.channel,
            "address_location": reply.address_location,
            "operation": reply.operation,
        },
        "headers": [
            {
                "name": header.name,
                "required": header.required,
                "schema": schema_value(header.schema),
            }
            for header in (message.headers if message is not None else ())
        ],
        "correlation_id": message.correlation_id if message is not None else "",
    }


def _options(options: ir.ChannelOptions | None) -> dict[str, Any]:
    """The protocol's options as contract data, without the unset ones."""
    if options is None:
        return {}
    values = {field.name: getattr(options, field.name) for field in dataclasses.fields(options)}
    return {name: ir.thaw(value) for name, value in values.items() if value not in (None, "", ())}


class BrokerServer(ServerGenerator):
    """What the generators of broker mock services share: channel operations,
    the admin API's port, and README rows and hook docs worded for the broker
    (a Kafka *record* is *produced to* a topic, an MQTT *message* *published on*
    one)."""

    binding = ir.ChannelBinding
    port = 8081
    """The admin API's (``MOCKC_ADMIN_PORT``): the service itself listens on none."""
    noun = "message"
    consumes = "consumes on"
    produces = "publishes on"
    produced = "published"
    answered = ", answered"

    def row(self, operation: ir.Operation) -> dict[str, str]:
        binding = _channel_of(operation)
        direction = "consumed" if binding.action == "receive" else self.produced
        if binding.reply is not None:
            direction += self.answered
        return {"id": operation.id, "path": binding.channel, "direction": direction}

    def hook_doc(self, operation: ir.Operation) -> str:
        binding = _channel_of(operation)
        if binding.action == "receive":
            line = f"A {self.noun} the mock {self.consumes} {binding.channel}"
            line += " (return its reply)" if binding.reply is not None else ""
        else:
            line = f"A {self.noun} the mock {self.produces} {binding.channel}"
        return "\n\n".join([line, operation.summary] if operation.summary else [line])

    def first_produced(self, rows: list[dict[str, str]]) -> str:
        """The first operation the mock produces (the README's publish example)."""
        return next((row["id"] for row in rows if row["direction"] == self.produced), "")


def _channel_of(operation: ir.Operation) -> ir.ChannelBinding:
    binding = operation.binding
    assert isinstance(binding, ir.ChannelBinding)
    return binding
