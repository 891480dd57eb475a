"""The Kafka target: an IR Api's Kafka channels in, the files of a mock service
that is a Kafka client out."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from mockc.compiler import ir

from ..common import CORE_REQUIREMENTS, GeneratedFile, TargetOptions
from ..common.broker import BROKER_REQUIREMENTS, BrokerServer, broker_contract
from ..common.generator import Contract

__all__ = ["PROTOCOLS", "REQUIREMENTS", "KafkaServer", "build_contract", "generate"]

PROTOCOLS = frozenset({"kafka"})
SCHEMES = frozenset({"kafka", "kafka-secure"})
DEFAULT_BOOTSTRAP = "127.0.0.1:9092"
REQUIREMENTS = ("granian==2.8.7", "aiokafka==0.14.0")
"""aiokafka: asyncio-native like the rest of the service (see docs/brokers.md)."""


def build_contract(api: ir.Api, *, generated_by: str) -> dict[str, Any]:
    return broker_contract(
        api, protocol="kafka", protocols=PROTOCOLS, schemes=SCHEMES, generated_by=generated_by
    )


def _bootstrap(url: str) -> str:
    """``host:port`` of the contract's server URL ("" when it has none)."""
    return url.partition("://")[2].strip("/") if "://" in url else url


class KafkaServer(BrokerServer):
    name = "kafka"
    templates = Path(__file__).parent / "templates"
    requirements = tuple(sorted((*REQUIREMENTS, *BROKER_REQUIREMENTS, *CORE_REQUIREMENTS)))
    build_contract = build_contract
    noun = "record"
    consumes = "consumes from"
    produces = "produces to"
    produced = "produced"

    def row(self, operation: ir.Operation) -> dict[str, str]:
        binding = operation.binding
        assert isinstance(binding, ir.ChannelBinding)
        options = binding.options
        group = options.group_id if isinstance(options, ir.KafkaOptions) else ""
        return {**super().row(operation), "group": group if binding.action == "receive" else ""}

    def context(
        self, api: ir.Api, operations: list[ir.Operation], contract: Contract
    ) -> Mapping[str, object]:
        rows = [self.row(op) for op in operations]
        return {
            "paths": sorted({row["path"] for row in rows}),
            "emit_example": self.first_produced(rows),
            "bootstrap": _bootstrap(contract["broker"]["url"]) or DEFAULT_BOOTSTRAP,
        }


def generate(api: ir.Api, options: TargetOptions) -> list[GeneratedFile]:
    return KafkaServer().generate(api, options)
