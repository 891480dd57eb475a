"""The entry point of a generated WebSocket server: settings, start-up checks, granian.

Settings come from the environment and can be overridden by flags; the
table in ``runtime/settings/table.py`` says which apply to WebSocket (its
own: ``MOCKC_WS_MAX_CONNECTIONS``, ``MOCKC_MAX_MESSAGE_BYTES``). Start-up
problems print one line on stderr and exit with code 2.
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
from ..startup import malformed_contract, one_port, run, serve_asgi
from .app import PROTOCOL, WebSocketApp, WebSocketOptions

__all__ = ["Settings", "build_app", "main", "parse_settings"]


@dataclass(frozen=True, slots=True)
class Settings(ServerSettings):
    websocket: WebSocketOptions = field(default_factory=WebSocketOptions)


def parse_settings(argv: list[str] | None, env: Mapping[str, str]) -> Settings:
    """Settings from ``env``, overridden by the flags in ``argv``."""
    values = read_settings(PROTOCOL, argv, env, description="Serve the mock WebSocket API.")
    return Settings(
        **server_fields(values),
        websocket=WebSocketOptions(
            max_connections=values["max_connections"],
            max_message_bytes=values["max_message_bytes"],
        ),
    )


def build_app(directory: Path, settings: Settings) -> WebSocketApp:
    """Load the contract and the hooks in ``directory``."""
    contract = load_contract(directory)
    try:
        hooks = load_hooks(
            directory / "handlers.py", [spec["id"] for spec in contract["operations"]]
        )
        return WebSocketApp(
            contract,
            directory,
            settings=secure_admin(settings.core, settings.host, directory),
            options=settings.websocket,
            hooks=hooks,
        )
    except (KeyError, TypeError, AttributeError, ValueError) as exc:
        raise malformed_contract(directory, exc) from exc


async def _serve(app: WebSocketApp, settings: Settings) -> None:
    paths = ", ".join(channel.path for channel in app.channels)
    await serve_asgi(
        app,
        settings,
        f"mockc: serving {app.title} on ws://{settings.host}:{settings.port} ({paths}; "
        f"{app.operation_count} operations, {app.service.mocks.active_mock_count} mocks; "
        "admin API under /__mockc/)",
        websockets=True,
    )


def main(directory: Path, argv: list[str] | None = None) -> NoReturn:
    """Serve the mock in ``directory`` until SIGTERM or SIGINT, then exit the process."""
    run(directory, argv, parse=parse_settings, build=build_app, ports=one_port, serve=_serve)
