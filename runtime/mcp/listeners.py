"""The client connections told when a list changes (``notifications/*/list_changed``).

The SDK builds a :class:`ServerSession` per request; what lasts as long as
the client's session is the connection under it. Connections that listed
tools (prompts…) are kept weakly — a closed one drops out by itself — and
told on their own channel (the SSE stream, streamable HTTP's standalone GET
stream, stdout). Sessions of protocol 2026-07-28 hear list changes on their
``subscriptions/listen`` streams instead (the SDK's connection channel drops
them).
"""

from __future__ import annotations

import threading
import weakref

import mcp_types as types
from mcp.server.connection import Connection
from mcp.server.session import ServerSession

__all__ = ["Listeners", "connection_of"]


def connection_of(session: ServerSession) -> Connection | None:
    """The connection a request came on (the SDK keeps it private to the
    per-request session; it lasts as long as the client's session)."""
    connection = getattr(session, "_connection", None)
    return connection if isinstance(connection, Connection) else None


class Listeners:
    def __init__(self) -> None:
        self._connections: weakref.WeakSet[Connection] = weakref.WeakSet()
        self._lock = threading.Lock()

    def add(self, session: ServerSession) -> None:
        """Tell the connection of ``session`` (the one a request came on)."""
        connection = connection_of(session)
        if connection is not None:
            with self._lock:
                self._connections.add(connection)

    async def notify(self, notification: types.ServerNotification) -> None:
        data = notification.model_dump(by_alias=True, mode="json", exclude_none=True)
        with self._lock:
            connections = list(self._connections)
        for connection in connections:
            try:
                await connection.outbound.notify(data["method"], data.get("params"))
            except Exception:  # noqa: BLE001 - a closed connection just drops out
                with self._lock:
                    self._connections.discard(connection)
