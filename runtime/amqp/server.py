"""The entry point of a generated RabbitMQ (AMQP 0-9-1) mock service.

The broker comes from ``MOCKC_AMQP_URL`` (``--amqp-url``), else the
contract's server, else ``amqp://guest:guest@127.0.0.1:5672/``; everything
else is the broker core's (``runtime/broker/server.py``).
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any, NoReturn

from yarl import URL

from ..broker.server import main as broker_main
from ..contract import Contract
from ..exceptions import StartupError
from .client import AmqpClient

__all__ = ["DEFAULT_URL", "PROTOCOL", "broker_url", "make_client", "main"]

PROTOCOL = "amqp"
DEFAULT_URL = "amqp://guest:guest@127.0.0.1:5672/"
_SCHEMES = frozenset({"amqp", "amqps"})


def broker_url(contract: Contract, values: Mapping[str, Any]) -> str:
    """The broker's URL: the setting, else the contract's server, else the default.

    A contract's server without a scheme (``rabbitmq.example.org:5672``) is
    read as ``amqp://``."""
    given = str(values.get("amqp_url") or "")
    if given:
        return given
    block: Mapping[str, Any] = contract.get("broker") or {}
    server = str(block.get("url") or "")
    if not server:
        return DEFAULT_URL
    return server if "://" in server else f"amqp://{server}"


def make_client(contract: Contract, values: Mapping[str, Any]) -> AmqpClient:
    url = broker_url(contract, values)
    try:
        parsed = URL(url)
    except ValueError:
        raise StartupError("MOCKC_AMQP_URL: not a URL") from None
    if parsed.scheme not in _SCHEMES or not parsed.host:
        raise StartupError(
            "MOCKC_AMQP_URL: expected amqp://[user:password@]host[:port][/vhost] (amqps:// for TLS)"
        )
    return AmqpClient(url)


def main(directory: Path, argv: list[str] | None = None) -> NoReturn:
    """Run the RabbitMQ mock service in ``directory`` until SIGTERM or SIGINT."""
    broker_main(directory, argv, protocol=PROTOCOL, client_factory=make_client)
