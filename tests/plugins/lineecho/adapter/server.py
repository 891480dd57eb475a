"""The entry point of a generated line-echo server.

A client sends ``COMMAND [argument]`` on one line over TCP (``PORT``); the
mock answers one line. The admin API (mocks, journal, ``/health``) is served
over HTTP on ``MOCKC_ADMIN_PORT``. Everything around the engine comes from
the runtime's service layer: :class:`MockService` answers and journals,
:func:`run` starts and stops the process.

This module sits in ``mockc_runtime/lineecho/`` of a generated server, so it
imports the runtime relatively, as every adapter does.
"""

from __future__ import annotations

import asyncio
import json
import signal
import sys
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NoReturn

from ..admin import AdminApp
from ..engine import Content, Operation, Output, Request, load_hooks
from ..journal.builder import EntryBuilder
from ..service import MockService, matched_of
from ..settings import CoreSettings
from ..startup import embedded_granian, run

PROTOCOL = "lineecho"


@dataclass(frozen=True, slots=True)
class Settings:
    host: str = "127.0.0.1"
    port: int = 7007
    admin_port: int = 8082
    log_level: str = "warning"
    core: CoreSettings = CoreSettings()


def parse_settings(argv: list[str] | None, env: Mapping[str, str]) -> Settings:
    return Settings(
        host=env.get("HOST") or "127.0.0.1",
        port=int(env.get("PORT") or 7007),
        admin_port=int(env.get("MOCKC_ADMIN_PORT") or 8082),
        log_level=env.get("MOCKC_LOG_LEVEL") or "warning",
        core=CoreSettings(seed=int(env.get("MOCKC_SEED") or 0)),
    )


def _encode(body: Any, media_type: str | None, schema: Any) -> bytes:
    return (body if isinstance(body, str) else json.dumps(body)).encode("utf-8")


class LineEchoApp:
    def __init__(self, directory: Path, settings: Settings) -> None:
        contract = json.loads((directory / "contract.json").read_bytes())
        specs = contract["operations"]
        self.commands = {spec["command"]: spec["id"] for spec in specs}
        # the engine's protocol-neutral operation: one output, "ok", plain text
        operations = [
            Operation(
                id=spec["id"],
                outputs=(
                    Output(
                        status="ok",
                        contents=(Content("text/plain", spec["schema"], spec["examples"]),),
                    ),
                ),
            )
            for spec in specs
        ]
        self.title = contract["api"]["title"]
        self.service = MockService(
            directory,
            operations,
            {},
            encoder=_encode,
            settings=settings.core,
            protocol=PROTOCOL,
            name=contract["api"]["name"],
            hooks=load_hooks(directory / "handlers.py", [spec["id"] for spec in specs]),
        )
        self.admin = AdminApp(self.service, title=self.title, standalone=True)
        self.journal = EntryBuilder(PROTOCOL, settings.core)

    def answer(self, line: bytes) -> bytes:
        """The answer line to one request line; journals the exchange."""
        started, clock = time.time(), time.perf_counter()
        command, _, argument = line.decode("utf-8", "replace").strip().partition(" ")
        operation = self.commands.get(command)
        request = reply = None
        if operation is None:
            answer, status, source = f"ERR unknown command {command!r}", "unknown", "adapter"
        else:
            request = Request(
                operation_id=operation, body=argument, raw_body=argument.encode(), target=command
            )
            reply = self.service.handle(request)
            content = (
                reply.content if reply.content is not None else _encode(reply.body, None, None)
            )
            answer, status, source = content.decode("utf-8"), str(reply.status), reply.source
        out = (answer.replace("\n", " ") + "\n").encode("utf-8")
        self.service.record(
            self.journal.entry(
                time=started,
                duration_ms=(time.perf_counter() - clock) * 1000.0,
                method=command,
                target=command,
                operation=operation,
                status=status,
                source=source,
                matched=matched_of(reply, request),
                request_body=line,
                response_body=out,
            )
        )
        return out

    async def serve_connection(
        self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter
    ) -> None:
        try:
            while line := await reader.readline():
                writer.write(self.answer(line))
                await writer.drain()
        finally:
            writer.close()

    def close(self) -> None:
        self.service.close()


def build_app(directory: Path, settings: Settings) -> LineEchoApp:
    return LineEchoApp(directory, settings)


async def _serve(app: LineEchoApp, settings: Settings) -> None:
    admin = embedded_granian(app.admin, settings.host, settings.admin_port, settings.log_level)
    server = await asyncio.start_server(app.serve_connection, settings.host, settings.port)
    stopping = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stopping.set)
    admin_task = asyncio.create_task(admin.serve())
    print(
        f"mockc: serving {app.title} over line-echo on {settings.host}:{settings.port}; "
        f"admin API on http://{settings.host}:{settings.admin_port}/__mockc/",
        file=sys.stderr,
        flush=True,
    )
    await asyncio.wait(
        [asyncio.create_task(stopping.wait()), admin_task], return_when=asyncio.FIRST_COMPLETED
    )
    server.close()
    admin.stop()
    await asyncio.wait_for(admin_task, timeout=2.0)


def _ports(settings: Settings) -> list[tuple[str, int, str]]:
    return [
        (settings.host, settings.port, "the line"),
        (settings.host, settings.admin_port, "the admin API's"),
    ]


def main(directory: Path, argv: list[str] | None = None) -> NoReturn:
    run(directory, argv, parse=parse_settings, build=build_app, ports=_ports, serve=_serve)
