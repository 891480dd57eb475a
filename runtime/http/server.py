"""The entry point of a generated HTTP server: settings, start-up checks, granian.

Settings come from the environment (``PORT``, ``HOST``, ``MOCKC_VALIDATE``,
``MOCKC_MAX_BODY_BYTES``, ``MOCKC_LOG_LEVEL`` and the settings every protocol
shares, see ``runtime/settings.py``) and can be overridden by flags. Start-up
problems (a bad contract, a broken ``handlers.py``, an unreachable state
store, a busy port) print one line on stderr and exit with code 2. Broken mock
files are reported and skipped: the server serves its other mocks.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import errno
import gc
import logging
import os
import signal
import socket
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import NoReturn

from ..contract import ContractError, load_contract
from ..engine import load_hooks
from ..exceptions import HandlersError
from ..settings import CoreSettings, add_core_arguments, core_settings, flag_value
from ..state import StateError
from .app import DEFAULT_MAX_BODY_BYTES, MockApp

__all__ = ["Settings", "build_app", "main", "parse_settings"]

EXIT_STARTUP_FAILED = 2
LOG_LEVELS = ("critical", "error", "warning", "info", "debug")
_EXPERIMENTAL_NOTICE = "Embedded server is experimental"


@dataclass(frozen=True, slots=True)
class Settings:
    host: str = "127.0.0.1"
    port: int = 8080
    core: CoreSettings = CoreSettings()
    validate: bool = True
    max_body_bytes: int = DEFAULT_MAX_BODY_BYTES
    log_level: str = "warning"
    access_log: bool = False


def _non_negative(text: str) -> int:
    value = int(text)
    if value < 0:
        raise ValueError(text)
    return value


def parse_settings(argv: list[str] | None, env: Mapping[str, str]) -> Settings:
    """Settings from ``env``, overridden by the flags in ``argv``."""
    parser = argparse.ArgumentParser(prog="server.py", description="Serve the mock API.")
    parser.add_argument("--host", default=env.get("HOST", "127.0.0.1"))
    parser.add_argument("--port", type=int, default=env.get("PORT", "8080"))
    add_core_arguments(parser, env)
    parser.add_argument(
        "--validate",
        type=flag_value,
        default=env.get("MOCKC_VALIDATE", "1"),
        help="validate requests (1/0)",
    )
    parser.add_argument(
        "--max-body-bytes",
        type=_non_negative,
        default=env.get("MOCKC_MAX_BODY_BYTES", str(DEFAULT_MAX_BODY_BYTES)),
    )
    parser.add_argument(
        "--log-level",
        choices=LOG_LEVELS,
        type=str.lower,
        default=env.get("MOCKC_LOG_LEVEL", "warning"),
    )
    parser.add_argument("--access-log", action="store_true", help="log every request")
    options = parser.parse_args(argv)
    return Settings(
        host=options.host,
        port=options.port,
        core=core_settings(options, env),
        validate=options.validate,
        max_body_bytes=options.max_body_bytes,
        log_level=options.log_level,
        access_log=options.access_log,
    )


def build_app(directory: Path, settings: Settings) -> MockApp:
    """Load the contract and hooks in ``directory``; raises on a broken server folder."""
    contract = load_contract(directory)
    try:
        operation_ids = [operation["id"] for operation in contract["operations"]]
        hooks = load_hooks(directory / "handlers.py", operation_ids)
        return MockApp(
            contract,
            directory,
            settings=settings.core,
            hooks=hooks,
            validate=settings.validate,
            max_body_bytes=settings.max_body_bytes,
        )
    except (KeyError, TypeError, AttributeError, ValueError) as exc:
        raise ContractError(
            f"{directory / 'contract.json'}: malformed contract ({type(exc).__name__}: {exc})"
        ) from exc


def _check_port(host: str, port: int) -> None:
    """Fail early and clearly when the address cannot be bound."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                raise OSError(f"port {port} on {host} is already in use") from None
            raise OSError(f"cannot listen on {host}:{port}: {exc.strerror}") from None


class _HideExperimentalNotice(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return _EXPERIMENTAL_NOTICE not in record.getMessage()


def _configure_logging(level: str) -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("mockc: %(levelname)s: %(message)s"))
    logger = logging.getLogger("mockc")
    logger.handlers[:] = [handler]
    logger.setLevel(level.upper())
    logger.propagate = False


async def _serve(app: MockApp, settings: Settings) -> None:
    from granian.constants import Interfaces
    from granian.log import LogLevels
    from granian.server.embed import Server

    server = Server(
        app,
        address=settings.host,
        port=settings.port,
        interface=Interfaces.ASGINL,
        log_level=LogLevels(settings.log_level),
        log_access=settings.access_log,
    )
    if settings.log_level not in ("info", "debug"):
        logging.getLogger("_granian").addFilter(_HideExperimentalNotice())
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, server.stop)
    print(
        f"mockc: serving {app.title} on http://{settings.host}:{settings.port} "
        f"({app.operation_count} operations, {app.service.mocks.active_mock_count} mocks; "
        f"admin API under /__mockc/)",
        file=sys.stderr,
        flush=True,
    )
    await server.serve()


def _fail(message: str) -> NoReturn:
    print(f"mockc: {message}", file=sys.stderr, flush=True)
    raise SystemExit(EXIT_STARTUP_FAILED)


def main(directory: Path, argv: list[str] | None = None) -> None:
    """Serve the mock in ``directory`` until SIGTERM or SIGINT, then exit the process."""
    settings = parse_settings(argv, os.environ)
    _configure_logging(settings.log_level)
    try:
        app = build_app(Path(directory), settings)
    except (ContractError, HandlersError, StateError) as exc:
        _fail(str(exc))
    for problem in app.service.load_problems:
        print(f"mockc: {problem.render()}", file=sys.stderr, flush=True)
    try:
        _check_port(settings.host, settings.port)
    except OSError as exc:
        _fail(str(exc))
    # What start-up built (contract, validators, compiled mocks) lives as long as
    # the process: keep it out of the garbage collector's scans, so that
    # collections cost the same with 10 mocks or 10,000.
    gc.collect()
    gc.freeze()
    try:
        with contextlib.suppress(KeyboardInterrupt):
            asyncio.run(_serve(app, settings))
    finally:
        app.close()
    # granian's native threads can panic while the interpreter finalises after
    # a busy run; the server has stopped cleanly, so leave without finalising.
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(0)
