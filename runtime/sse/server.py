"""The entry point of a generated SSE server: settings, start-up checks, granian.

Settings come from the environment and can be overridden by flags; the
table in ``runtime/settings/table.py`` says which apply to SSE (its own:
``MOCKC_SSE_HEARTBEAT_MS``, ``MOCKC_SSE_REPLAY``). Start-up problems (a bad
contract, a broken ``handlers.py``, a busy port) print one line on stderr
and exit with code 2.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import NoReturn

from ..admin.token import secure_admin
from ..engine import load_hooks
from ..settings import ServerSettings, read_settings, server_fields
from ..startup import malformed_contract, one_port, run, serve_asgi
from .app import SseApp, SseOptions
from .contract import load_sse_contract

__all__ = ["Settings", "build_app", "main", "parse_settings"]

PROTOCOL = "sse"


@dataclass(frozen=True, slots=True)
class Settings(ServerSettings):
    sse: SseOptions = field(default_factory=SseOptions)


def parse_settings(argv: list[str] | None, env: Mapping[str, str]) -> Settings:
    """Settings from ``env``, overridden by the flags in ``argv``."""
    values = read_settings(PROTOCOL, argv, env, description="Serve the mock event streams.")
    return Settings(
        **server_fields(values),
        sse=SseOptions(heartbeat_ms=values["sse_heartbeat_ms"], replay=values["sse_replay"]),
    )


def build_app(directory: Path, settings: Settings) -> SseApp:
    """Load the contract and the hooks in ``directory``."""
    contract = load_sse_contract(directory)
    try:
        hooks = load_hooks(
            directory / "handlers.py", [spec["id"] for spec in contract["operations"]]
        )
        return SseApp(
            contract,
            directory,
            settings=secure_admin(settings.core, settings.host, directory),
            options=settings.sse,
            hooks=dict(hooks),
        )
    except (KeyError, TypeError, AttributeError, ValueError) as exc:
        raise malformed_contract(directory, exc) from exc


async def _serve(app: SseApp, settings: Settings) -> None:
    app.attach()  # on the serving loop, before any client: no event is missed
    paths = ", ".join(sorted({stream.path for stream in app.streams.values()})) or "none"
    await serve_asgi(
        app,
        settings,
        f"mockc: serving {app.title} on http://{settings.host}:{settings.port} "
        f"({app.operation_count} channels: {paths}; admin API under /__mockc/)",
    )


def main(directory: Path, argv: list[str] | None = None) -> NoReturn:
    """Serve the mock in ``directory`` until SIGTERM or SIGINT, then exit the process."""
    run(directory, argv, parse=parse_settings, build=build_app, ports=one_port, serve=_serve)
