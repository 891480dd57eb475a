"""``logging/setLevel``: the least severe log level each session hears.

Protocol versions before 2026-07-28 set it once per session; the log
entries of mock steps below it are not sent. A session that never set one
hears every level (a client that does not want logs does not ask). From
2026-07-28 on, a request carries its own level and the SDK filters.
"""

from __future__ import annotations

from collections import OrderedDict
from typing import Any, get_args

import mcp_types as types
from mcp.server.context import ServerRequestContext

__all__ = ["LogLevels"]

Context = ServerRequestContext[Any]
_ORDER: tuple[str, ...] = get_args(types.LoggingLevel)
"""debug, info, notice, warning, error, critical, alert, emergency."""
_MOST_SESSIONS = 10_000
"""Sessions remembered; the oldest is forgotten (it hears every level again)."""
_SESSION_HEADER = "mcp-session-id"


def _session_of(ctx: Context) -> str:
    """The streamable HTTP session id of the request ("" over stdio: one session)."""
    headers = getattr(ctx.request, "headers", None)
    if headers is None:
        return ""
    return str(headers.get(_SESSION_HEADER, ""))


class LogLevels:
    def __init__(self) -> None:
        self._levels: OrderedDict[str, str] = OrderedDict()

    async def set_level(
        self, ctx: Context, params: types.SetLevelRequestParams
    ) -> types.EmptyResult:
        session = _session_of(ctx)
        self._levels[session] = params.level
        self._levels.move_to_end(session)
        while len(self._levels) > _MOST_SESSIONS:
            self._levels.popitem(last=False)
        return types.EmptyResult()

    def heard(self, ctx: Context, level: str) -> bool:
        """Whether the request's session hears entries of ``level``."""
        least = self._levels.get(_session_of(ctx))
        return least is None or _ORDER.index(level) >= _ORDER.index(least)
