"""``mockc mcp``: mockc as MCP tools for AI assistants.

One module per tool group (:mod:`.generation`, :mod:`.servers`, :mod:`.logs`,
:mod:`.data`, :mod:`.agent`), the resources (:mod:`.resources`), and the
transports (:mod:`.transport`). The tools call what the commands, the
orchestrator and the admin API already do; they never reimplement it.
"""

from __future__ import annotations

from .context import ToolContext
from .errors import AssistantError
from .server import build_server
from .transport import http_token, serve_http, serve_stdio

__all__ = [
    "AssistantError",
    "ToolContext",
    "build_server",
    "http_token",
    "serve_http",
    "serve_stdio",
]
