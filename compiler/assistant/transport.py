"""Serving the tools: over stdio (the default), or streamable HTTP at ``/mcp``.

Over HTTP on a loopback address no token is needed (and DNS-rebinding
protection is on, as the MCP specification asks of local servers). On any
other address a bearer token is required: ``--token`` or ``MOCKC_MCP_TOKEN``,
else a new one is made and printed once on stderr, as the admin API does.
"""

from __future__ import annotations

import asyncio
import hmac
import secrets
import signal
import sys
from typing import Any

from mcp.server.mcpserver import MCPServer
from mcp.server.transport_security import TransportSecuritySettings

from mockc.runtime.admin.token import is_loopback
from mockc.runtime.json_codec import json_bytes
from mockc.runtime.startup import check_port, embedded_granian
from mockc.runtime.web.asgi import Receive, Scope, Send
from mockc.runtime.web.responses import send_response

__all__ = ["MCP_PATH", "http_token", "serve_http", "serve_stdio"]

MCP_PATH = "/mcp"
_JSON = b"application/json"


async def serve_stdio(server: MCPServer) -> None:
    await server.run_stdio_async()


def http_token(host: str, token: str | None) -> str | None:
    """The token HTTP callers must send: the one given, else a new one beyond
    loopback (printed once on stderr), else none."""
    if token or is_loopback(host):
        return token or None
    made = secrets.token_urlsafe(32)
    print(
        f"mockc mcp: {host} is not a loopback address and no token was given: "
        f"clients must send 'Authorization: Bearer {made}'",
        file=sys.stderr,
        flush=True,
    )
    return made


class _Guarded:
    """The SDK's app behind the bearer token; ``/health`` stays open."""

    def __init__(self, app: Any, token: str | None) -> None:
        self.app = app
        self.token = token

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            if scope["path"] == "/health":
                await send_response(send, 200, _JSON, b'{"status":"ok"}')
                return
            if self.token is not None and not _bearer_is(scope, self.token):
                body = json_bytes({"error": "a bearer token is required (MOCKC_MCP_TOKEN)"})
                challenge = [(b"www-authenticate", b'Bearer realm="mockc mcp"')]
                await send_response(send, 401, _JSON, body, challenge)
                return
        await self.app(scope, receive, send)


def _bearer_is(scope: Scope, token: str) -> bool:
    for name, value in scope.get("headers", ()):
        if name == b"authorization":
            return hmac.compare_digest(value, b"Bearer " + token.encode("utf-8"))
    return False


def _security(host: str) -> TransportSecuritySettings | None:
    if not is_loopback(host):
        return None
    return TransportSecuritySettings(
        enable_dns_rebinding_protection=True,
        allowed_hosts=["127.0.0.1:*", "localhost:*", "[::1]:*", "127.0.0.1", "localhost"],
        allowed_origins=["http://127.0.0.1:*", "http://localhost:*", "http://[::1]:*"],
    )


async def serve_http(server: MCPServer, host: str, port: int, token: str | None) -> None:
    """Serve streamable HTTP at ``http://HOST:PORT/mcp`` until SIGTERM or SIGINT;
    OSError when the address cannot be bound."""
    check_port(host, port)
    app = server.streamable_http_app(
        streamable_http_path=MCP_PATH, transport_security=_security(host), host=host
    )
    granian = embedded_granian(_Guarded(app, token), host, port, "warning")
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, granian.stop)
    async with server.session_manager.run():
        print(
            f"mockc mcp: serving the mockc tools over MCP (streamable HTTP) on "
            f"http://{host}:{port}{MCP_PATH}",
            file=sys.stderr,
            flush=True,
        )
        await granian.serve()
