"""The WebSocket channels of a server, served for a mock service it is given:
a WebSocket server's own (``runtime/websocket/app.py``), or an HTTP server's
that serves channels beside its routes (``runtime/http/app.py``), whose
mocks' ``then`` reactions then reach these sockets."""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

from ..contract import Contract
from ..events import Message
from ..journal.builder import EntryBuilder
from ..service import MockService
from ..web.asgi import Receive, Scope, Send
from ..web.router import Match, Router
from .channels import Channel, channels_of
from .connection import Connection, frame_of

__all__ = ["CLOSE_TRY_AGAIN_LATER", "PROTOCOL", "WebSocketChannels", "WebSocketOptions"]

PROTOCOL = "websocket"
CLOSE_TRY_AGAIN_LATER = 1013


@dataclass(frozen=True, slots=True)
class WebSocketOptions:
    max_connections: int = 1000
    """Open sockets at most (0: no limit)."""
    max_message_bytes: int = 4 * 1024 * 1024
    """Largest frame a client may send."""


class WebSocketChannels:
    """The channels of ``contract`` (WebSocket ``channel`` operations), served for ``service``."""

    def __init__(
        self, contract: Contract, service: MockService, options: WebSocketOptions | None = None
    ) -> None:
        self.service = service
        self.options = options or WebSocketOptions()
        self.journal = EntryBuilder(PROTOCOL, service.settings)
        self.channels = channels_of(list(contract["operations"]), contract.get("defs") or {})
        self.router: Router[Channel] = Router(
            [("GET", channel.path, channel) for channel in self.channels]
        )
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

    async def serve(self, scope: Scope, receive: Receive, send: Send) -> None:
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
