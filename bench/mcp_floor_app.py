"""The floor of the MCP benchmark: the official MCP SDK's low-level server
answering ``tools/call`` with a constant, in the same stack as a generated server.

Same SDK (mcp 2.3's ``Server`` and ``StreamableHTTPSessionManager``, stateful
sessions, DNS-rebinding protection on loopback; its ``SseServerTransport`` at
``/sse`` and ``/messages/`` for the legacy transport), same transport (an ASGI app
served by granian's embedded server, one worker), same tool (``add_note``,
listed with the notes example's input schema, which is also handed to the
SDK for its ``Mcp-Param-*`` header check, as a generated server does). Only the answer differs: here
the handler returns the constant text the example's config gives; a generated
server asks its hooks and mocks, falls back to the config's ``result`` and
journals the call.

    python bench/mcp_floor_app.py PORT
"""

from __future__ import annotations

import asyncio
import signal
import sys
from typing import Any

import mcp_types as types
from mcp.server.context import ServerRequestContext
from mcp.server.lowlevel import Server
from mcp.server.sse import SseServerTransport
from mcp.server.streamable_http_manager import StreamableHTTPSessionManager
from mcp.server.transport_security import TransportSecuritySettings

ANSWER = "Note added."
"""The text the notes example's config answers for ``add_note``."""

TOOL = types.Tool(
    name="add_note",
    description="Add a note.",
    input_schema={
        "type": "object",
        "properties": {"title": {"type": "string"}, "text": {"type": "string"}},
        "required": ["title", "text"],
    },
)
RESULT = types.CallToolResult(content=[types.TextContent(type="text", text=ANSWER)])


async def list_tools(
    ctx: ServerRequestContext[Any], params: types.PaginatedRequestParams | None
) -> types.ListToolsResult:
    return types.ListToolsResult(tools=[TOOL])


async def call_tool(
    ctx: ServerRequestContext[Any], params: types.CallToolRequestParams
) -> types.CallToolResult:
    return RESULT


class FloorApp:
    def __init__(self) -> None:
        self.server: Server[Any] = Server(
            "notes",
            version="1.0.0",
            get_tool_input_schema={TOOL.name: TOOL.input_schema}.get,
            on_list_tools=list_tools,
            on_call_tool=call_tool,
        )
        security = TransportSecuritySettings(
            enable_dns_rebinding_protection=True,
            allowed_hosts=["127.0.0.1:*", "localhost:*", "127.0.0.1", "localhost"],
            allowed_origins=["http://127.0.0.1:*", "http://localhost:*"],
        )
        self.sessions = StreamableHTTPSessionManager(app=self.server, security_settings=security)
        self.sse = SseServerTransport("/messages/", security_settings=security)

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            return
        if scope["path"] == "/health":
            body = b'{"status":"ok"}'
            headers = [(b"content-type", b"application/json"), (b"content-length", b"15")]
            await send({"type": "http.response.start", "status": 200, "headers": headers})
            await send({"type": "http.response.body", "body": body})
            return
        if scope["path"] == "/sse":  # the legacy HTTP+SSE transport, as the SDK's docs serve it
            async with self.sse.connect_sse(scope, receive, send) as (read, write):
                await self.server.run(read, write, self.server.create_initialization_options())
            return
        if scope["path"].startswith("/messages/"):
            await self.sse.handle_post_message(scope, receive, send)
            return
        await self.sessions.handle_request(scope, receive, send)


async def serve(port: int) -> None:
    from granian.constants import Interfaces
    from granian.log import LogLevels
    from granian.server.embed import Server as Granian

    app = FloorApp()
    server = Granian(
        app,
        address="127.0.0.1",
        port=port,
        interface=Interfaces.ASGINL,
        log_level=LogLevels("error"),
    )
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, server.stop)
    async with app.sessions.run():
        await server.serve()


if __name__ == "__main__":
    asyncio.run(serve(int(sys.argv[1])))
