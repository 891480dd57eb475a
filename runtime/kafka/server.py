"""The entry point of a generated Kafka mock service.

The cluster comes from ``MOCKC_KAFKA_BOOTSTRAP``, else the contract's Kafka
server, else ``127.0.0.1:9092``; security from ``MOCKC_KAFKA_*`` (see
:mod:`.config`); everything else is the broker core's
(``runtime/broker/server.py``).
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any, NoReturn

from ..broker.server import main as broker_main
from ..contract import Contract
from ..exceptions import StartupError
from .client import KafkaClient
from .config import KafkaConfig

__all__ = ["PROTOCOL", "config_of", "make_client", "main"]

PROTOCOL = "kafka"


def config_of(contract: Contract, values: Mapping[str, Any]) -> KafkaConfig:
    """The client's configuration: the settings over the contract's server."""
    block: Mapping[str, Any] = contract.get("broker") or {}
    api: Mapping[str, Any] = contract.get("api") or {}
    try:
        return KafkaConfig.from_values(
            values,
            contract_url=str(block.get("url") or ""),
            title=str(api.get("name") or api.get("title") or ""),
        )
    except ValueError as error:
        raise StartupError(str(error)) from None


def make_client(contract: Contract, values: Mapping[str, Any]) -> KafkaClient:
    return KafkaClient(config_of(contract, values))


def main(directory: Path, argv: list[str] | None = None) -> NoReturn:
    """Run the Kafka mock service in ``directory`` until SIGTERM or SIGINT."""
    broker_main(directory, argv, protocol=PROTOCOL, client_factory=make_client)
