"""Streamable HTTP sessions, each with its own store of events for replay.

The SDK's :class:`StreamableHTTPSessionManager` hands one ``event_store`` to
every session's transport, and an :class:`~mcp.server.streamable_http.EventStore`
is told only a stream id — the request's id, or ``_GET_stream`` — which
sessions share: one store would replay a session's events to another. The
manager reads ``event_store`` when it admits a session (``_admit_session``,
the one place this module relies on beyond the SDK's public API; a test
checks it is still there), so a fresh store is put there just before.
"""

from __future__ import annotations

from typing import Any

from mcp.server.auth.middleware.bearer_auth import AuthorizationContext
from mcp.server.lowlevel import Server
from mcp.server.streamable_http import StreamableHTTPServerTransport
from mcp.server.streamable_http_manager import StreamableHTTPSessionManager
from mcp.server.transport_security import TransportSecuritySettings

from .replay import RETRY_MS, SessionEvents

__all__ = ["ResumableSessions"]


class ResumableSessions(StreamableHTTPSessionManager):
    """Stateful (or stateless) streamable HTTP sessions; with ``replay`` > 0 each
    stateful session keeps its last ``replay`` events for ``Last-Event-ID``."""

    def __init__(
        self,
        app: Server[Any],
        *,
        replay: int,
        stateless: bool,
        security_settings: TransportSecuritySettings | None,
        max_request_body_size: int,
    ) -> None:
        super().__init__(
            app=app,
            stateless=stateless,
            security_settings=security_settings,
            max_request_body_size=max_request_body_size,
            retry_interval=RETRY_MS if replay else None,
        )
        self.replay = replay

    def _admit_session(
        self, requestor: AuthorizationContext | None
    ) -> StreamableHTTPServerTransport | None:
        self.event_store = SessionEvents(self.replay) if self.replay else None
        return super()._admit_session(requestor)
