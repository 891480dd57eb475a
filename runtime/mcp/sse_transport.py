"""The legacy HTTP+SSE transport of MCP (protocol 2024-11-05), beside streamable HTTP.

A client opens ``GET /sse``, an event stream whose first event, ``endpoint``,
names where it posts its messages (``/messages/?session_id=…``); the
server's answers and notifications come back on the stream. The SDK's
:class:`SseServerTransport` does the wire work, with the same DNS-rebinding
protection and body limit as streamable HTTP; each stream is one session of
the server, served until the client goes away.
"""

from __future__ import annotations

from typing import Any, cast

from mcp.server.lowlevel import Server
from mcp.server.sse import SseServerTransport
from mcp.server.transport_security import TransportSecuritySettings

from ..web.asgi import Receive, Scope, Send
from ..web.responses import send_response

__all__ = ["MESSAGES_PATH", "SSE_MODES", "SSE_PATH", "LegacySse"]

SSE_PATH = "/sse"
MESSAGES_PATH = "/messages/"
SSE_MODES = ("on", "off", "only")
"""``MOCKC_MCP_SSE``: served beside streamable HTTP, not served, or served alone."""


class LegacySse:
    """``GET /sse`` and ``POST /messages/`` for one server."""

    def __init__(
        self,
        server: Server[Any],
        security: TransportSecuritySettings | None,
        max_body_bytes: int,
    ) -> None:
        self._server = server
        self._transport = SseServerTransport(
            MESSAGES_PATH, security_settings=security, max_request_body_size=max_body_bytes
        )

    @staticmethod
    def serves(path: str) -> bool:
        return path == SSE_PATH or path.startswith(MESSAGES_PATH) or path == MESSAGES_PATH[:-1]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["path"] == SSE_PATH:
            await self._stream(scope, receive, send)
        else:
            await self._transport.handle_post_message(scope, cast(Any, receive), cast(Any, send))

    async def _stream(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["method"] != "GET":
            allow = [(b"allow", b"GET")]
            await send_response(send, 405, b"text/plain", b"GET opens the event stream", allow)
            return
        try:
            async with self._transport.connect_sse(scope, cast(Any, receive), cast(Any, send)) as (
                read_stream,
                write_stream,
            ):
                await self._server.run(
                    read_stream, write_stream, self._server.create_initialization_options()
                )
        except ValueError:
            return  # refused (a foreign Host or Origin): the transport has answered
