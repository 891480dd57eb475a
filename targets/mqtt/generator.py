"""The MQTT target: an IR Api's MQTT channels in, the files of a mock service
that is an MQTT client out."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from mockc.compiler import ir

from ..common import CORE_REQUIREMENTS, GeneratedFile, TargetOptions
from ..common.broker import BROKER_REQUIREMENTS, BrokerServer, broker_contract, broker_server
from ..common.generator import Contract

__all__ = ["PROTOCOLS", "MqttServer", "build_contract", "generate"]

PROTOCOLS = frozenset({"mqtt"})
SCHEMES = frozenset({"mqtt", "mqtts", "secure-mqtt", "tcp", "ssl"})
DEFAULT_URL = "mqtt://127.0.0.1:1883"


def build_contract(api: ir.Api, *, generated_by: str) -> dict[str, Any]:
    contract = broker_contract(
        api, protocol="mqtt", protocols=PROTOCOLS, schemes=SCHEMES, generated_by=generated_by
    )
    server = broker_server(api, SCHEMES)
    if server is not None and server.protocol_version:
        contract["broker"]["protocol_version"] = server.protocol_version
    return contract


class MqttServer(BrokerServer):
    name = "mqtt"
    templates = Path(__file__).parent / "templates"
    requirements = tuple(
        sorted(
            (
                "granian==2.8.7",
                "aiomqtt==2.5.1",
                "paho-mqtt==2.2.0",
                *BROKER_REQUIREMENTS,
                *CORE_REQUIREMENTS,
            )
        )
    )
    build_contract = build_contract

    def context(
        self, api: ir.Api, operations: list[ir.Operation], contract: Contract
    ) -> Mapping[str, object]:
        rows = [self.row(op) for op in operations]
        return {
            "paths": sorted({row["path"] for row in rows}),
            "emit_example": self.first_produced(rows),
            "broker_url": contract["broker"]["url"] or DEFAULT_URL,
        }


def generate(api: ir.Api, options: TargetOptions) -> list[GeneratedFile]:
    return MqttServer().generate(api, options)
