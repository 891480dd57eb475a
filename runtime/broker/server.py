"""The one entry point of the broker mock services (Kafka, RabbitMQ, MQTT).

Each generated ``server.py`` calls :func:`main` with its protocol and a
factory of its broker client. Settings come from the environment, overridden
by flags (the table in ``runtime/settings/table.py``); the admin API listens on
``MOCKC_ADMIN_PORT``. The service runs until SIGTERM or SIGINT; a broker that
cannot be reached is retried with backoff, one line per attempt.
"""

from __future__ import annotations

import asyncio
import signal
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NoReturn

from ..admin.token import secure_admin
from ..contract import Contract, load_contract
from ..engine import load_hooks
from ..settings import ServerSettings, read_settings, server_fields
from ..startup import embedded_granian, malformed_contract, run
from .app import BrokerAdminApp
from .client import BrokerClient
from .service import BrokerOptions, BrokerService

__all__ = ["SWITCH_INTERVAL_S", "BrokerApp", "BrokerSettings", "ClientFactory", "main"]

DEFAULT_ADMIN_PORT = 8081
SWITCH_INTERVAL_S = 0.0005
"""How long a thread may hold the GIL while another waits for it. A broker
service hands every message from one thread to another (the admin API's and
the schedules' threads to the event loop; the loop to the journal's writer);
with Python's default of 5 ms, each hand-over to a busy process could wait
that long (a ``POST /__mockc/emit`` of 1,000 messages took about 18 ms under
publish load, 8 ms with this)."""

ClientFactory = Callable[[Contract, Mapping[str, Any]], BrokerClient]
"""Makes the broker client from the contract and the settings' values."""


@dataclass(frozen=True, slots=True)
class BrokerSettings(ServerSettings):
    admin_port: int | None = DEFAULT_ADMIN_PORT
    broker: BrokerOptions = field(default_factory=BrokerOptions)
    values: Mapping[str, Any] = field(default_factory=dict)
    """Every value read (the client factory reads its protocol's own)."""


@dataclass(slots=True)
class BrokerApp:
    """What :func:`~..startup.run` serves: the broker service and its admin app."""

    broker: BrokerService
    admin: BrokerAdminApp

    @property
    def service(self) -> Any:
        return self.broker.service

    def close(self) -> None:
        self.broker.close()


def parse_settings(protocol: str, argv: list[str] | None, env: Mapping[str, str]) -> BrokerSettings:
    values = read_settings(protocol, argv, env, description="Run the mock broker service.")
    return BrokerSettings(
        **server_fields(values),
        admin_port=values["admin_port"],
        broker=BrokerOptions(max_message_bytes=values["max_message_bytes"]),
        values=values,
    )


def build_app(directory: Path, settings: BrokerSettings, factory: ClientFactory) -> BrokerApp:
    """Load the contract and the hooks in ``directory``; make the client."""
    contract = load_contract(directory)
    try:
        hooks = load_hooks(
            directory / "handlers.py", [spec["id"] for spec in contract["operations"]]
        )
        broker = BrokerService(
            contract,
            directory,
            factory(contract, settings.values),
            settings=secure_admin(
                settings.core, settings.host if settings.admin_port else None, directory
            ),
            options=settings.broker,
            hooks=hooks,
        )
    except (KeyError, TypeError, AttributeError, ValueError) as exc:
        raise malformed_contract(directory, exc) from exc
    return BrokerApp(broker, BrokerAdminApp(broker))


def _ports(settings: BrokerSettings) -> list[tuple[str, int, str]]:
    if settings.admin_port is None:
        return []
    return [(settings.host, settings.admin_port, "admin")]


async def _serve(app: BrokerApp, settings: BrokerSettings) -> None:
    broker = app.broker
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    admin = None
    if settings.admin_port is not None:
        admin = embedded_granian(app.admin, settings.host, settings.admin_port, settings.log_level)
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stop.set)
    consumed = ", ".join(channel.address for channel in broker.consumed) or "none"
    produced = ", ".join(channel.address for channel in broker.produced) or "none"
    side = (
        f"; admin API on http://{settings.host}:{settings.admin_port}/__mockc/"
        if settings.admin_port is not None
        else ""
    )
    print(
        f"mockc: {broker.title} as a client of {broker.client.describe()} "
        f"(consumes: {consumed}; produces: {produced}; "
        f"{broker.service.mocks.active_mock_count} mocks{side})",
        file=sys.stderr,
        flush=True,
    )
    serving = asyncio.create_task(admin.serve()) if admin is not None else None
    try:
        await broker.run(stop)
    finally:
        if admin is not None and serving is not None:
            admin.stop()
            await asyncio.gather(serving, return_exceptions=True)


def main(
    directory: Path,
    argv: list[str] | None = None,
    *,
    protocol: str,
    client_factory: ClientFactory,
) -> NoReturn:
    """Run the mock broker service in ``directory`` until SIGTERM or SIGINT."""
    sys.setswitchinterval(SWITCH_INTERVAL_S)
    run(
        directory,
        argv,
        parse=lambda given, env: parse_settings(protocol, given, env),
        build=lambda folder, settings: build_app(folder, settings, client_factory),
        ports=_ports,
        serve=_serve,
    )
