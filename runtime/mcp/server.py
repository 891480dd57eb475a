"""The entry point of a generated MCP server: settings, start-up checks, transports.

``python server.py`` serves streamable HTTP on ``PORT`` at ``/mcp``, with the
admin API, ``/health`` and metrics on the same port; ``python server.py
--stdio`` speaks MCP over stdin/stdout and serves the admin API on
``MOCKC_ADMIN_PORT`` (``off``: none). The table in
``runtime/settings/table.py`` says which settings apply to MCP.

Start-up problems (a bad contract, a broken ``handlers.py``, a busy port)
print one line on stderr and exit with code 2.
"""

from __future__ import annotations

import asyncio
import signal
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import NoReturn

from ..admin.token import secure_admin
from ..contract import load_contract
from ..engine import load_hooks
from ..settings import ServerSettings, read_settings, server_fields
from ..startup import embedded_granian, malformed_contract, run, serve_until_signalled
from ..web.bodies import DEFAULT_MAX_BODY_BYTES
from .app import PROTOCOL, McpApp
from .replay import DEFAULT_REPLAY

__all__ = ["Settings", "build_app", "main", "parse_settings"]


@dataclass(frozen=True, slots=True)
class Settings(ServerSettings):
    stdio: bool = False
    admin_port: int | None = 8081
    validate: bool = True
    stateless: bool = False
    token: str | None = None
    max_body_bytes: int = DEFAULT_MAX_BODY_BYTES
    page_size: int = 0
    sse: str = "on"
    replay: int = DEFAULT_REPLAY


def parse_settings(argv: list[str] | None, env: Mapping[str, str]) -> Settings:
    """Settings from ``env``, overridden by the flags in ``argv``."""
    values = read_settings(PROTOCOL, argv, env, description="Serve the mock MCP server.")
    return Settings(
        **server_fields(values),
        stdio=values["stdio"],
        admin_port=values["admin_port"],
        validate=values["validate"],
        stateless=values["stateless"],
        token=values["mcp_token"],
        max_body_bytes=values["max_body_bytes"],
        page_size=values["mcp_page_size"],
        sse=values["mcp_sse"],
        replay=values["mcp_replay"],
    )


def build_app(directory: Path, settings: Settings) -> McpApp:
    """Load the contract and the hooks in ``directory``."""
    contract = load_contract(directory)
    try:
        hooks = load_hooks(
            directory / "handlers.py", [spec["id"] for spec in contract["operations"]]
        )
        return McpApp(
            contract,
            directory,
            settings=secure_admin(settings.core, settings.host, directory),
            hooks=hooks,
            host=settings.host,
            validate=settings.validate,
            stateless=settings.stateless,
            token=settings.token,
            max_body_bytes=settings.max_body_bytes,
            page_size=settings.page_size,
            sse=settings.sse,
            replay=settings.replay,
        )
    except (KeyError, TypeError, AttributeError, ValueError) as exc:
        raise malformed_contract(directory, exc) from exc


def _ports(settings: Settings) -> list[tuple[str, int, str]]:
    if not settings.stdio:
        return [(settings.host, settings.port, "")]
    if settings.admin_port is None:
        return []
    return [(settings.host, settings.admin_port, "the admin API's")]


async def _serve(app: McpApp, settings: Settings) -> None:
    if settings.stdio:
        await _serve_stdio(app, settings)
        return
    server = embedded_granian(app, settings.host, settings.port, settings.log_level)
    async with app.running():
        await serve_until_signalled(
            server,
            f"mockc: serving {app.title} over MCP on http://{settings.host}:{settings.port} "
            f"at {app.where} ({app.operation_count} tools, "
            "resources and prompts; admin API under /__mockc/)",
        )


async def _serve_stdio(app: McpApp, settings: Settings) -> None:
    """MCP over stdin/stdout until stdin closes (or SIGTERM/SIGINT), the admin
    API on its own port meanwhile."""
    from mcp.server.stdio import stdio_server

    admin = None
    admin_task = None
    where = "no admin API"
    if settings.admin_port is not None:
        admin = embedded_granian(
            app.standalone_admin, settings.host, settings.admin_port, settings.log_level
        )
        admin_task = asyncio.create_task(admin.serve())
        where = f"admin API on http://{settings.host}:{settings.admin_port}/__mockc/"
    print(f"mockc: serving {app.title} over MCP (stdio); {where}", file=sys.stderr, flush=True)

    async def session() -> None:
        async with stdio_server() as (read_stream, write_stream):
            await app.server.run(
                read_stream, write_stream, app.server.create_initialization_options()
            )

    async with app.running(http=False):
        serving = asyncio.create_task(session())
        stopping = asyncio.Event()
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(signum, stopping.set)
        stop = asyncio.create_task(stopping.wait())
        await asyncio.wait([serving, stop], return_when=asyncio.FIRST_COMPLETED)
        for task in (serving, stop):
            task.cancel()
    if admin is not None and admin_task is not None:
        admin.stop()
        await asyncio.wait_for(admin_task, timeout=2.0)


def main(directory: Path, argv: list[str] | None = None) -> NoReturn:
    """Serve the mock in ``directory`` until SIGTERM or SIGINT, then exit the process."""
    run(directory, argv, parse=parse_settings, build=build_app, ports=_ports, serve=_serve)
