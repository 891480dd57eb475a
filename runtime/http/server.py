"""The entry point of a generated HTTP server: settings, start-up checks, granian.

Settings come from the environment and can be overridden by flags; the
table in ``runtime/settings/table.py`` says which apply to HTTP. Start-up
problems (a bad contract, a broken ``handlers.py``, an unreachable state
store, a busy port) print one line on stderr and exit with code 2. Broken mock
files are reported and skipped: the server serves its other mocks.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import NoReturn

from ..admin.token import secure_admin
from ..contract import load_contract
from ..engine import load_hooks
from ..settings import ServerSettings, read_settings, server_fields
from ..sse.channels import SseOptions
from ..startup import malformed_contract, one_port, run, serve_asgi
from .app import DEFAULT_MAX_BODY_BYTES, MockApp

__all__ = ["Settings", "build_app", "main", "parse_settings"]

PROTOCOL = "http"


@dataclass(frozen=True, slots=True)
class Settings(ServerSettings):
    validate: bool = True
    max_body_bytes: int = DEFAULT_MAX_BODY_BYTES
    access_log: bool = False
    channels: SseOptions = field(default_factory=SseOptions)
    """For the SSE channels served beside the routes (an AsyncAPI document's)."""


def parse_settings(argv: list[str] | None, env: Mapping[str, str]) -> Settings:
    """Settings from ``env``, overridden by the flags in ``argv`` (``runtime/settings``)."""
    values = read_settings(PROTOCOL, argv, env, description="Serve the mock API.")
    return Settings(
        **server_fields(values),
        validate=values["validate"],
        max_body_bytes=values["max_body_bytes"],
        access_log=values["access_log"],
        channels=SseOptions(heartbeat_ms=values["sse_heartbeat_ms"], replay=values["sse_replay"]),
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
            settings=secure_admin(settings.core, settings.host, directory),
            hooks=hooks,
            validate=settings.validate,
            max_body_bytes=settings.max_body_bytes,
            channel_options=settings.channels,
        )
    except (KeyError, TypeError, AttributeError, ValueError) as exc:
        raise malformed_contract(directory, exc) from exc


async def _serve(app: MockApp, settings: Settings) -> None:
    app.attach()  # on the serving loop, before any client: no event is missed
    await serve_asgi(
        app,
        settings,
        f"mockc: serving {app.title} on http://{settings.host}:{settings.port} "
        f"({app.operation_count} operations, {app.service.mocks.active_mock_count} mocks; "
        f"admin API under /__mockc/)",
        log_access=settings.access_log,
        websockets=app.sockets is not None,
    )


def main(directory: Path, argv: list[str] | None = None) -> NoReturn:
    """Serve the mock in ``directory`` until SIGTERM or SIGINT, then exit the process."""
    run(directory, argv, parse=parse_settings, build=build_app, ports=one_port, serve=_serve)
