"""The RabbitMQ (AMQP 0-9-1) target: an IR Api's AMQP channels in, the files of
a mock service that is a RabbitMQ client out."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from mockc.compiler import ir

from ..common import CORE_REQUIREMENTS, GeneratedFile, TargetOptions
from ..common.broker import BROKER_REQUIREMENTS, BrokerServer, broker_contract
from ..common.generator import Contract

__all__ = ["PROTOCOLS", "AmqpServer", "build_contract", "generate"]

PROTOCOLS = frozenset({"amqp", "rabbitmq"})
"""``amqp`` from AsyncAPI (servers ``amqp``/``amqps``, ``amqp`` bindings),
``rabbitmq`` from a channel config."""
SCHEMES = frozenset({"amqp", "amqps"})
DEFAULT_URL = "amqp://guest:guest@127.0.0.1:5672/"


def build_contract(api: ir.Api, *, generated_by: str) -> dict[str, Any]:
    return broker_contract(
        api, protocol="amqp", protocols=PROTOCOLS, schemes=SCHEMES, generated_by=generated_by
    )


def _where(binding: ir.ChannelBinding) -> str:
    """Where a channel is on the broker: ``exchange shop (topic), key orders.*``."""
    options = binding.options
    if not isinstance(options, ir.AmqpOptions):
        return f"key `{binding.channel}`"
    parts = []
    if options.exchange:
        kind = options.exchange_type or "topic"
        parts.append(f"exchange `{options.exchange}` ({kind})")
    if options.queue:
        parts.append(f"queue `{options.queue}`")
    elif options.exchange:
        parts.append(f"key `{options.routing_key or binding.channel}`")
    else:
        parts.append(f"queue `{binding.channel}`")
    return ", ".join(parts)


class AmqpServer(BrokerServer):
    name = "amqp"
    templates = Path(__file__).parent / "templates"
    requirements = tuple(
        sorted(("granian==2.8.7", "aio-pika==10.2.1", *BROKER_REQUIREMENTS, *CORE_REQUIREMENTS))
    )
    build_contract = build_contract
    answered = ", answered on `reply_to`"

    def row(self, operation: ir.Operation) -> dict[str, str]:
        binding = operation.binding
        assert isinstance(binding, ir.ChannelBinding)
        return {**super().row(operation), "where": _where(binding)}

    def context(
        self, api: ir.Api, operations: list[ir.Operation], contract: Contract
    ) -> Mapping[str, object]:
        url = str(contract["broker"]["url"] or DEFAULT_URL)
        return {
            "emit_example": self.first_produced([self.row(op) for op in operations]),
            "broker_url": url if "://" in url else f"amqp://{url}",
        }


def generate(api: ir.Api, options: TargetOptions) -> list[GeneratedFile]:
    return AmqpServer().generate(api, options)
