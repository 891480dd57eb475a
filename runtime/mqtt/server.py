"""The entry point of a generated MQTT mock service.

The broker comes from ``MOCKC_MQTT_URL``, else the contract's server, else
``mqtt://127.0.0.1:1883``; the MQTT version from ``MOCKC_MQTT_VERSION``, else
the server's ``protocolVersion``, else 5; the CA certificates of an
``mqtts://`` broker from ``MOCKC_MQTT_CA_FILE``, else the system's;
everything else is the broker core's (``runtime/broker/server.py``).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any, NoReturn

from ..broker.server import main as broker_main
from ..contract import Contract
from ..exceptions import StartupError
from .client import DEFAULT_URL, MQTT_5, MQTT_311, MqttClient

__all__ = ["PROTOCOL", "broker_url", "make_client", "main", "mqtt_version"]

PROTOCOL = "mqtt"


def broker_url(contract: Contract, values: Mapping[str, Any]) -> str:
    """The broker's URL: the setting, else the contract's server, else the default."""
    block: Mapping[str, Any] = contract.get("broker") or {}
    return str(values.get("mqtt_url") or block.get("url") or DEFAULT_URL)


def mqtt_version(contract: Contract, values: Mapping[str, Any]) -> str:
    """The MQTT version to speak: the setting, else the contract's server's
    ``protocolVersion`` (any 3.x is 3.1.1), else 5."""
    chosen = values.get("mqtt_version")
    if chosen:
        return str(chosen)
    block: Mapping[str, Any] = contract.get("broker") or {}
    declared = str(block.get("protocol_version") or "").strip()
    return MQTT_311 if declared.startswith("3") or declared == "4" else MQTT_5


def make_client(contract: Contract, values: Mapping[str, Any]) -> MqttClient:
    url = broker_url(contract, values)
    ca_file = str(values.get("mqtt_ca_file") or "")
    if ca_file and not os.path.isfile(ca_file):
        raise StartupError(f"MOCKC_MQTT_CA_FILE: {ca_file!r} is not a file")
    try:
        return MqttClient(url, version=mqtt_version(contract, values), ca_file=ca_file)
    except ValueError as error:
        raise StartupError(f"MOCKC_MQTT_URL: {error}") from None


def main(directory: Path, argv: list[str] | None = None) -> NoReturn:
    """Run the MQTT mock service in ``directory`` until SIGTERM or SIGINT."""
    broker_main(directory, argv, protocol=PROTOCOL, client_factory=make_client)
