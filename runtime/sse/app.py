"""The ASGI application of a generated SSE server.

The channels themselves — streams at ``GET`` on their paths, messages clients
``POST`` — are :class:`~.channels.SseChannels`; this app gives them their
mock service (the operations of ``contract.json``, their mocks, hooks and
emit schedules) and serves beside them what every server has: ``/health``,
``/metrics`` and the admin API under ``/__mockc/``. Events come from the emit
path (``runtime/engine/emit.py``): a mock's ``emit`` schedule, the admin
API's ``POST /__mockc/emit/{operation}``, or another mock's ``then`` reaction.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..admin import ADMIN_PREFIX, METRICS_PATH, AdminApp
from ..contract import Contract, engine_operations
from ..engine import Hook
from ..engine.emit import contract_schedules
from ..json_codec import json_bytes
from ..service import MockService
from ..settings import CoreSettings
from ..web.asgi import Receive, Scope, Send
from ..web.health import Health
from ..web.problems import Problem, send_problem
from ..web.responses import send_response
from ..web.router import Match, MethodNotAllowed
from .channels import PROTOCOL, SseChannels, SseOptions
from .outputs import OUTPUTS

__all__ = ["SseApp", "SseOptions", "encode_event_data"]

HEALTH_PATH = "/health"


def encode_event_data(data: Any, media_type: str | None, schema: Any = None) -> bytes:
    """The bytes of an event's data: text as it is for a non-JSON type, else JSON."""
    if isinstance(data, bytes):
        return data
    if isinstance(data, str) and media_type is not None and "json" not in media_type:
        return data.encode("utf-8")
    return json_bytes(data)


class SseApp:
    def __init__(
        self,
        contract: Contract,
        directory: Path,
        *,
        settings: CoreSettings | None = None,
        options: SseOptions | None = None,
        hooks: dict[str, Hook] | None = None,
    ) -> None:
        api = contract["api"]
        self.title = api.get("title") or api.get("name") or "SSE API"
        self.service = MockService(
            directory,
            engine_operations(contract, OUTPUTS),
            {},
            encoder=encode_event_data,
            settings=settings or CoreSettings(),
            protocol=PROTOCOL,
            name=api.get("name") or "api",
            hooks=hooks or {},
            outputs=OUTPUTS,
            schedules=contract_schedules(contract.get("sse", {"schedules": {}})["schedules"]),
        )
        self.channels = SseChannels(contract, self.service, options)
        self.streams = self.channels.streams
        self.admin = AdminApp(self.service, title=self.title)
        self._health = Health()

    @property
    def operation_count(self) -> int:
        return len(self.streams)

    def attach(self) -> None:
        """Start the feeds (from the server's event loop)."""
        self.channels.attach()

    def close(self) -> None:
        self.channels.detach()
        self.service.close()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        kind = scope["type"]
        if kind == "lifespan":
            await self._lifespan(receive, send)
        elif kind == "http":
            await self._http(scope, receive, send)
        elif kind == "websocket":
            await receive()
            await send({"type": "websocket.close", "code": 4404, "reason": "Not found"})

    async def _lifespan(self, receive: Receive, send: Send) -> None:
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                self.attach()
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                await send({"type": "lifespan.shutdown.complete"})
                return

    async def _http(self, scope: Scope, receive: Receive, send: Send) -> None:
        path: str = scope["path"]
        if path.startswith(ADMIN_PREFIX) or path == METRICS_PATH:
            await self.admin(scope, receive, send)
            return
        if path == HEALTH_PATH:
            await send_response(send, 200, b"application/json", self._health.body())
            return
        found = self.channels.router.match(scope["method"], path)
        if isinstance(found, MethodNotAllowed):
            problem = Problem(405, f"{path} answers {', '.join(found.allowed)}")
            await send_problem(send, problem)
        elif not isinstance(found, Match):
            await send_problem(send, Problem(404, f"no stream at {path}"))
        else:
            await self.channels.serve(scope, receive, send, found)
