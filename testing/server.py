"""A generated mock server, running: :func:`start_server` and :class:`MockServer`."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from mockc.runtime.settings.setting import BROKER_PROTOCOLS

from .admin import AdminClient
from .generation import generate_server
from .options import ServerOptions
from .process import ServerProcess, free_port

__all__ = ["MockServer", "start_server", "running_server"]

HOST = "127.0.0.1"


class MockServer:
    """A running server: its addresses, its admin API and its log.

    ``url`` is where clients send requests (``http://host:port``; for gRPC the
    same address, ``target`` is the ``host:port`` form a channel takes);
    ``graphql_url`` is the GraphQL endpoint; ``admin`` is a client for the
    admin API (on the gRPC server's admin port)."""

    def __init__(
        self,
        options: ServerOptions,
        protocol: str,
        operations: tuple[str, ...],
        folder: Path,
        port: int,
        admin_port: int,
        process: ServerProcess,
        admin: AdminClient,
    ) -> None:
        self.options = options
        self.protocol = protocol
        self.operations = operations
        self.folder = folder
        self.port = port
        self.admin_port = admin_port
        self.process = process
        self.admin = admin

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.port}"

    @property
    def target(self) -> str:
        """``host:port``, as a gRPC channel takes it."""
        return f"{HOST}:{self.port}"

    @property
    def graphql_url(self) -> str:
        return self.url + "/graphql"

    @property
    def admin_url(self) -> str:
        return f"http://{HOST}:{self.admin_port}"

    def log(self) -> str:
        """What the server wrote so far."""
        return self.process.log()

    def stop(self) -> int | None:
        """Stop the server (SIGTERM, then kill); its exit code."""
        self.admin.close()
        return self.process.stop()

    def __repr__(self) -> str:
        return f"<MockServer {self.protocol} {self.url} from {self.options.label}>"


def start_server(options: ServerOptions, folder: Path) -> MockServer:
    """Generate the server of ``options`` into the new folder ``folder`` and
    start it on free ports; returns once it answers its health check."""
    generated = generate_server(options, folder)
    port = free_port(HOST)
    env: dict[str, str] = {
        "HOST": HOST,
        "PORT": str(port),
        "MOCKC_SEED": str(options.seed),
        "MOCKC_DATA_DIR": str(folder / ".mockc-data"),
    }
    admin_port = port
    if generated.protocol == "grpc":
        admin_port = free_port(HOST)
        env["MOCKC_ADMIN_PORT"] = str(admin_port)
    elif generated.protocol in BROKER_PROTOCOLS:  # a broker's client: only the admin API listens
        env["MOCKC_ADMIN_PORT"] = str(admin_port)
    if options.admin_token:
        env["MOCKC_ADMIN_TOKEN"] = options.admin_token
    env.update(dict(options.env))
    admin_url = f"http://{HOST}:{admin_port}"
    process = ServerProcess(folder, env, admin_url + "/health", start_timeout=options.start_timeout)
    process.start()
    return MockServer(
        options,
        generated.protocol,
        generated.operations,
        folder,
        port,
        admin_port,
        process,
        AdminClient(admin_url, token=options.admin_token),
    )


@contextmanager
def running_server(options: ServerOptions | None = None, **kwargs: Any) -> Iterator[MockServer]:
    """A server for the duration of a ``with`` block, generated in a
    temporary folder removed afterwards::

        with running_server(spec="specs/petstore.yaml") as server:
            httpx.get(server.url + "/pets/1")
            server.admin.assert_called("showPetById")

    ``kwargs`` are those of :meth:`ServerOptions.make` when no ``options``."""
    chosen = options if options is not None else ServerOptions.make(**kwargs)
    temp = Path(tempfile.mkdtemp(prefix="mockc-test-"))
    try:
        server = start_server(chosen, temp / "server")
        try:
            yield server
        finally:
            server.stop()
    finally:
        shutil.rmtree(temp, ignore_errors=True)
