"""The WebSocket server's ASGI app: channels on their paths, the admin API,
``/health`` and ``/metrics`` on the same port."""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..admin import AdminApp
from ..contract import Contract, engine_operations
from ..engine import Hook
from ..engine.emit import contract_schedules
from ..events import Message
from ..journal.builder import EntryBuilder
from ..service import MockService
from ..settings import CoreSettings
from ..web.asgi import Receive, Scope, Send, lifespan
from ..web.router import Match, Router
from .channels import Channel, channels_of
from .connection import Connection, encode_message, frame_of
from .outputs import OUTPUTS

__all__ = ["PROTOCOL", "WebSocketApp", "WebSocketOptions"]

PROTOCOL = "websocket"
CLOSE_TRY_AGAIN_LATER = 1013


@dataclass(frozen=True, slots=True)
class WebSocketOptions:
    max_connections: int = 1000
    """Open sockets at most (0: no limit)."""
    max_message_bytes: int = 4 * 1024 * 1024
    """Largest frame a client may send."""


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
        self.options = options or WebSocketOptions()
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
        self.journal = EntryBuilder(PROTOCOL, self.service.settings)
        self.channels = channels_of(list(contract["operations"]), contract.get("defs") or {})
        self.router: Router[Channel] = Router(
            [("GET", channel.path, channel) for channel in self.channels]
        )
        self.admin = AdminApp(self.service, title=self.title, standalone=True)
        self.open_connections = 0
        self._last_frame: tuple[Message | None, bytes] = (None, b"")

    def frame_of(self, message: Message) -> bytes:
        """The frame of an emitted message, encoded once for every socket it goes to
        (they are handed it one after the other, on this loop)."""
        last, frame = self._last_frame
        if last is not message:
            frame = frame_of(message)
            self._last_frame = (message, frame)
        return frame

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
            await self._websocket(scope, receive, send)
        elif kind == "lifespan":
            await lifespan(receive, send)

    async def _websocket(self, scope: Scope, receive: Receive, send: Send) -> None:
        message = await receive()
        if message["type"] != "websocket.connect":
            return
        found = self.router.match(
            "GET", scope.get("raw_path", b"").decode("latin-1") or scope["path"]
        )
        if not isinstance(found, Match):
            await send({"type": "websocket.close", "code": 4404, "reason": "no channel here"})
            return
        channel = found.target
        offered = scope.get("subprotocols") or ()
        if channel.subprotocol and channel.subprotocol not in offered:
            # refused in the handshake: the channel speaks only its subprotocol
            await send(
                {
                    "type": "websocket.close",
                    "code": 1002,
                    "reason": f"subprotocol {channel.subprotocol!r} required",
                }
            )
            return
        accept: dict[str, Any] = {"type": "websocket.accept"}
        if channel.subprotocol:
            accept["subprotocol"] = channel.subprotocol
        await send(accept)
        limit = self.options.max_connections
        if limit and self.open_connections >= limit:
            await send(
                {
                    "type": "websocket.close",
                    "code": CLOSE_TRY_AGAIN_LATER,
                    "reason": f"connection limit reached ({limit} open)",
                }
            )
            return
        self.open_connections += 1
        try:
            connection = Connection(self, channel, found.params, scope, send, time.time())
            await connection.run(receive)
        finally:
            self.open_connections -= 1
