"""The WebSocket server's ASGI app: channels on their paths (:mod:`.sockets`),
the admin API, ``/health`` and ``/metrics`` on the same port."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from ..admin import AdminApp
from ..contract import Contract, engine_operations
from ..engine import Hook
from ..engine.emit import contract_schedules
from ..service import MockService
from ..settings import CoreSettings
from ..web.asgi import Receive, Scope, Send, lifespan
from .connection import encode_message
from .outputs import OUTPUTS
from .sockets import PROTOCOL, WebSocketChannels, WebSocketOptions

__all__ = ["PROTOCOL", "WebSocketApp", "WebSocketOptions"]


class WebSocketApp:
    def __init__(
        self,
        contract: Contract,
        directory: Path,
        *,
        settings: CoreSettings | None = None,
        options: WebSocketOptions | None = None,
        hooks: Mapping[str, Hook] | None = None,
    ) -> None:
        settings = settings or CoreSettings()
        api = contract["api"]
        self.title = api.get("title") or api.get("name") or "WebSocket API"
        declared = contract.get("websocket", {"schedules": {}})["schedules"]
        self.service = MockService(
            directory,
            engine_operations(contract, OUTPUTS),
            contract.get("defs") or {},
            encoder=encode_message,
            settings=settings,
            protocol=PROTOCOL,
            name=api.get("name") or "api",
            hooks=hooks,
            outputs=OUTPUTS,
            schedules=contract_schedules(declared),
        )
        self.sockets = WebSocketChannels(contract, self.service, options)
        self.options = self.sockets.options
        self.channels = self.sockets.channels
        self.admin = AdminApp(self.service, title=self.title, standalone=True)

    @property
    def open_connections(self) -> int:
        return self.sockets.open_connections

    @property
    def operation_count(self) -> int:
        return len(self.service.operations)

    def close(self) -> None:
        self.service.close()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        kind = scope["type"]
        if kind == "http":
            await self.admin(scope, receive, send)
        elif kind == "websocket":
            await self.sockets.serve(scope, receive, send)
        elif kind == "lifespan":
            await lifespan(receive, send)
