"""``logging/setLevel`` of the initialize handshake (protocol versions before
2026-07-28): the lowest level of log notifications a client wants, kept per
connection. Without it every level is sent, as the SDK does; sessions of
2026-07-28 opt in per request instead (the SDK filters those itself).
"""

from __future__ import annotations

from typing import Any, get_args

import mcp_types as types
from mcp.server.context import ServerRequestContext
from mcp.server.session import ServerSession

from .listeners import connection_of

__all__ = ["set_log_level", "wants_log"]

_LEVELS: tuple[str, ...] = get_args(types.LoggingLevel)
_STATE_KEY = "mockc.log_level"


async def set_log_level(
    ctx: ServerRequestContext[Any], params: types.SetLevelRequestParams
) -> types.EmptyResult:
    connection = connection_of(ctx.session)
    if connection is not None:
        connection.state[_STATE_KEY] = params.level
    return types.EmptyResult()


def wants_log(session: ServerSession, level: str) -> bool:
    """Whether the client of ``session`` wants a log notification of ``level``."""
    connection = connection_of(session)
    wanted = connection.state.get(_STATE_KEY) if connection is not None else None
    if wanted not in _LEVELS:
        return True
    return _LEVELS.index(level) >= _LEVELS.index(wanted)
