"""The entry point of a generated gRPC server: settings, start-up checks, grpc.aio.

gRPC is served on ``PORT`` (default 50051) with the standard health service
(``grpc.health.v1.Health``) and server reflection; the admin API (mocks,
scenarios, journal, ``/metrics``, ``/health``) on ``MOCKC_ADMIN_PORT``
(default 8081, ``off`` for none), an HTTP side port served by granian in
the same event loop. Settings come from the environment and the flags
(the table in ``runtime/settings/table.py`` says which apply to gRPC;
``MOCKC_VALIDATE`` and ``MOCKC_MAX_BODY_BYTES`` apply to request messages). Start-up
problems print one line on stderr and exit with code 2; broken mock files
are reported and skipped. SIGTERM (or SIGINT) stops both ports, closes the
service (the journal is flushed) and exits 0.
"""

from __future__ import annotations

import asyncio
import contextlib
import signal
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NoReturn

import grpc

from ..admin.token import secure_admin
from ..contract import ContractError, load_contract
from ..engine import load_hooks
from ..settings import ServerSettings, read_settings, server_fields
from ..startup import embedded_granian, malformed_contract, run
from ..web.bodies import DEFAULT_MAX_BODY_BYTES
from .app import DEFAULT_STREAM_COUNT, GrpcApp
from .descriptors import load_protos
from .reflection import V1_SERVICE, V1ALPHA_SERVICE, enable_reflection

__all__ = ["GrpcSettings", "build_app", "main", "parse_settings"]

PROTOCOL = "grpc"
DEFAULT_PORT = 50051
DEFAULT_ADMIN_PORT = 8081
GRACE_SECONDS = 2.0
"""How long calls in progress may go on after SIGTERM."""


@dataclass(frozen=True, slots=True)
class GrpcSettings(ServerSettings):
    port: int = DEFAULT_PORT
    admin_port: int | None = DEFAULT_ADMIN_PORT
    """None: no admin API."""
    stream_count: int = DEFAULT_STREAM_COUNT
    stream_interval_ms: float = 0.0
    reflection: bool = True
    max_message_bytes: int = 4 * 1024 * 1024
    """Largest message sent or received."""
    max_body_bytes: int = DEFAULT_MAX_BODY_BYTES
    """Largest request message received (``MOCKC_MAX_BODY_BYTES``; the smaller of
    the two limits applies); larger ones end with ``RESOURCE_EXHAUSTED``."""
    validate: bool = True
    """Check request messages against the contract (``MOCKC_VALIDATE``)."""


def parse_settings(argv: list[str] | None, env: Mapping[str, str]) -> GrpcSettings:
    """Settings from ``env``, overridden by the flags in ``argv``."""
    values = read_settings(PROTOCOL, argv, env, description="Serve the gRPC mock.")
    return GrpcSettings(
        **server_fields(values),
        admin_port=values["admin_port"],
        stream_count=values["stream_count"],
        stream_interval_ms=values["stream_interval_ms"],
        reflection=values["reflection"],
        max_message_bytes=values["max_message_bytes"],
        max_body_bytes=values["max_body_bytes"],
        validate=values["validate"],
    )


def build_app(directory: Path, settings: GrpcSettings) -> GrpcApp:
    """Load the contract, protos and hooks in ``directory``; raises on a broken folder."""
    contract = load_contract(directory)
    try:
        protos = load_protos(directory)
    except (OSError, ValueError) as exc:
        raise ContractError(f"{directory / 'protos'}: cannot read the protos: {exc}") from exc
    try:
        operation_ids = [operation["id"] for operation in contract["operations"]]
        hooks = load_hooks(directory / "handlers.py", operation_ids)
        return GrpcApp(
            contract,
            directory,
            protos,
            settings=secure_admin(
                settings.core, settings.host if settings.admin_port else None, directory
            ),
            hooks=hooks,
            stream_count=settings.stream_count,
            stream_interval_ms=settings.stream_interval_ms,
            validate=settings.validate,
        )
    except (KeyError, TypeError, AttributeError, ValueError) as exc:
        raise malformed_contract(directory, exc) from exc


def _address(host: str, port: int) -> str:
    return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"


async def build_server(app: GrpcApp, settings: GrpcSettings) -> tuple[grpc.aio.Server, Any]:
    """A grpc.aio server with the app's services, health and reflection (not started)."""
    from grpc_health.v1 import health_pb2, health_pb2_grpc
    from grpc_health.v1._async import HealthServicer

    limit = settings.max_message_bytes
    received = min(settings.max_body_bytes, limit)
    server = grpc.aio.server(
        options=(
            ("grpc.max_receive_message_length", received),
            ("grpc.max_send_message_length", limit),
            ("grpc.so_reuseport", 0),
        )
    )
    services = app.method_handlers()
    for name, handlers in services.items():
        server.add_registered_method_handlers(name, handlers)
    health = HealthServicer()
    health_name = health_pb2.DESCRIPTOR.services_by_name["Health"].full_name
    if health_name not in services:  # else the protos' own Health is mocked
        health_pb2_grpc.add_HealthServicer_to_server(health, server)
        for name in services:
            await health.set(name, health_pb2.HealthCheckResponse.SERVING)
    if settings.reflection and not {V1_SERVICE, V1ALPHA_SERVICE} & set(services):
        # (when the protos declare reflection, it is mocked like any service)
        from grpc_reflection.v1alpha import reflection_pb2

        app.protos.add_file(health_pb2.DESCRIPTOR)
        app.protos.add_file(reflection_pb2.DESCRIPTOR)
        enable_reflection(server, [*services, health_name], app.protos.pool)
    server.add_insecure_port(_address(settings.host, settings.port))
    return server, health


async def _serve(app: GrpcApp, settings: GrpcSettings) -> None:
    server, health = await build_server(app, settings)
    admin = None
    if settings.admin_port is not None:
        admin = embedded_granian(app.admin, settings.host, settings.admin_port, settings.log_level)
    await server.start()
    stopping = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stopping.set)
    admin_task = asyncio.create_task(admin.serve()) if admin is not None else None
    side = f"; admin API on http://{settings.host}:{settings.admin_port}/__mockc/"
    print(
        f"mockc: serving {app.title} over gRPC on {_address(settings.host, settings.port)} "
        f"({app.operation_count} methods, {app.service.mocks.active_mock_count} mocks"
        f"{side if admin is not None else ''})",
        file=sys.stderr,
        flush=True,
    )
    stopped = asyncio.create_task(stopping.wait())
    waiting = [stopped] + ([admin_task] if admin_task is not None else [])
    await asyncio.wait(waiting, return_when=asyncio.FIRST_COMPLETED)
    await health.enter_graceful_shutdown()
    await server.stop(GRACE_SECONDS)
    if admin is not None and admin_task is not None:
        if not admin_task.done():
            admin.stop()
        with contextlib.suppress(Exception):
            await asyncio.wait_for(admin_task, timeout=GRACE_SECONDS)
    stopped.cancel()


def _ports(settings: GrpcSettings) -> list[tuple[str, int, str]]:
    ports = [(settings.host, settings.port, "the gRPC")]
    if settings.admin_port is not None:
        if settings.admin_port == settings.port:
            raise OSError("MOCKC_ADMIN_PORT must differ from PORT")
        ports.append((settings.host, settings.admin_port, "the admin API's"))
    return ports


def main(directory: Path, argv: list[str] | None = None) -> NoReturn:
    """Serve the mock in ``directory`` until SIGTERM or SIGINT, then exit the process."""
    run(directory, argv, parse=parse_settings, build=build_app, ports=_ports, serve=_serve)
