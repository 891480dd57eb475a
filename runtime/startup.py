"""How every generated server starts and stops, whatever its protocol.

A protocol's ``server.py`` parses its settings, builds its app and serves it;
:func:`run` does the rest the same way for all of them: logging, one-line
start-up failures (exit code 2), the mock problems found at load, port
checks, keeping start-up objects out of the garbage collector's scans,
closing the service (the journal is flushed) and leaving the process.
"""

from __future__ import annotations

import asyncio
import contextlib
import errno
import gc
import logging
import os
import signal
import socket
import sys
from collections.abc import Awaitable, Callable, Iterable, Mapping
from pathlib import Path
from typing import Any, NoReturn, Protocol, TypeVar

from .contract import ContractError
from .exceptions import HandlersError, StartupError
from .mocks import MockProblem
from .state import StateError

__all__ = [
    "EXIT_STARTUP_FAILED",
    "check_port",
    "embedded_granian",
    "malformed_contract",
    "one_port",
    "run",
    "serve_asgi",
    "serve_until_signalled",
]

EXIT_STARTUP_FAILED = 2
_EXPERIMENTAL_NOTICE = "Embedded server is experimental"


class _Service(Protocol):
    load_problems: list[MockProblem]


class ServedApp(Protocol):
    """What :func:`run` needs of an app: its service's load problems, and close()."""

    @property
    def service(self) -> _Service: ...

    def close(self) -> None: ...


class _HasLogLevel(Protocol):
    @property
    def log_level(self) -> str: ...


class _Listening(Protocol):
    @property
    def host(self) -> str: ...

    @property
    def port(self) -> int: ...

    @property
    def log_level(self) -> str: ...


S = TypeVar("S", bound=_HasLogLevel)
A = TypeVar("A", bound=ServedApp)


def check_port(host: str, port: int, what: str = "") -> None:
    """Fail early and clearly when the address cannot be bound."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                named = f"{what} port" if what else "port"
                raise OSError(f"{named} {port} on {host} is already in use") from None
            raise OSError(f"cannot listen on {host}:{port}: {exc.strerror}") from None


def malformed_contract(directory: Path, exc: Exception) -> ContractError:
    return ContractError(
        f"{directory / 'contract.json'}: malformed contract ({type(exc).__name__}: {exc})"
    )


class _HideExperimentalNotice(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return _EXPERIMENTAL_NOTICE not in record.getMessage()


LISTEN_BACKLOG = 1024
"""Connections the kernel queues before the server accepts them."""
MAX_CONCURRENT = 10_000
"""Requests and open streams one server serves at once. granian's default
(its backlog over its workers: 128) would leave the 129th SSE or WebSocket
client waiting, unanswered, while 128 streams stay open."""


def embedded_granian(app: Any, host: str, port: int, log_level: str, **options: Any) -> Any:
    """granian's embedded ASGI server for ``app`` (not started)."""
    from granian.constants import Interfaces
    from granian.log import LogLevels
    from granian.server.embed import Server

    options.setdefault("backlog", LISTEN_BACKLOG)
    options.setdefault("backpressure", MAX_CONCURRENT)
    server = Server(
        app,
        address=host,
        port=port,
        interface=Interfaces.ASGINL,
        log_level=LogLevels(log_level),
        **options,
    )
    if log_level not in ("info", "debug"):
        logging.getLogger("_granian").addFilter(_HideExperimentalNotice())
    return server


async def serve_until_signalled(server: Any, banner: str) -> None:
    """Serve an :func:`embedded_granian` server until SIGTERM or SIGINT, after
    printing ``banner`` (the one line saying what is served where)."""
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, server.stop)
    print(banner, file=sys.stderr, flush=True)
    await server.serve()


async def serve_asgi(app: Any, settings: _Listening, banner: str, **options: Any) -> None:
    """Serve the ASGI ``app`` on the settings' host and port until SIGTERM or
    SIGINT; ``options`` go to granian (``websockets``, ``log_access``)."""
    server = embedded_granian(app, settings.host, settings.port, settings.log_level, **options)
    await serve_until_signalled(server, banner)


def one_port(settings: _Listening) -> list[tuple[str, int, str]]:
    """The one (host, port, what) a server serving everything on ``PORT`` listens on."""
    return [(settings.host, settings.port, "")]


def _configure_logging(level: str) -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("mockc: %(levelname)s: %(message)s"))
    logger = logging.getLogger("mockc")
    logger.handlers[:] = [handler]
    logger.setLevel(level.upper())
    logger.propagate = False


def _fail(message: str) -> NoReturn:
    print(f"mockc: {message}", file=sys.stderr, flush=True)
    raise SystemExit(EXIT_STARTUP_FAILED)


def run(
    directory: Path,
    argv: list[str] | None,
    *,
    parse: Callable[[list[str] | None, Mapping[str, str]], S],
    build: Callable[[Path, S], A],
    ports: Callable[[S], Iterable[tuple[str, int, str]]],
    serve: Callable[[A, S], Awaitable[None]],
) -> NoReturn:
    """Serve until SIGTERM or SIGINT (``serve`` handles them), then exit the process.

    ``ports(settings)`` lists the (host, port, what) the server will listen on;
    it may raise OSError for settings that cannot work together.
    """
    settings = parse(argv, os.environ)
    _configure_logging(settings.log_level)
    try:
        app = build(Path(directory), settings)
    except (ContractError, HandlersError, StateError, StartupError) as exc:
        _fail(str(exc))
    for problem in app.service.load_problems:
        print(f"mockc: {problem.render()}", file=sys.stderr, flush=True)
    try:
        for host, port, what in ports(settings):
            check_port(host, port, what)
    except OSError as exc:
        app.close()
        _fail(str(exc))
    # What start-up built (contract, validators, compiled mocks) lives as long as
    # the process: keep it out of the garbage collector's scans, so that
    # collections cost the same with 10 mocks or 10,000.
    gc.collect()
    gc.freeze()
    try:
        with contextlib.suppress(KeyboardInterrupt):
            asyncio.run(serve(app, settings))  # type: ignore[arg-type]
    finally:
        app.close()
    # granian's native threads can panic while the interpreter finalises after
    # a busy run; the servers have stopped cleanly, so leave without finalising.
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(0)
