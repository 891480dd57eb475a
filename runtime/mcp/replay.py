"""Resumable streamable-HTTP streams: one session's events, kept for replay.

Every SSE event of a session (the answers and notifications of its requests'
streams and of its ``GET`` stream, and the priming event each stream opens
with) gets an id, numbered from 1 within the session; the last ``capacity``
events are kept (``MOCKC_MCP_REPLAY``). A client that lost a stream reconnects
with ``GET`` and ``Last-Event-ID``: it gets the events of that stream after
the one it names, none twice and none left out. A request's stream goes on
live until its answer and then ends, as its ``POST`` would have; the ``GET``
stream is handed back to the SDK, which follows it live. An id the session
did not give (another session's, or one pushed out of the buffer) replays
nothing.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass

import anyio
from mcp.server.streamable_http import (
    GET_STREAM_KEY,
    EventCallback,
    EventId,
    EventMessage,
    EventStore,
    StreamId,
)
from mcp_types import JSONRPCError, JSONRPCMessage, JSONRPCResponse

__all__ = ["DEFAULT_REPLAY", "RETRY_MS", "SessionEvents"]

DEFAULT_REPLAY = 1000
"""Events kept per session for ``Last-Event-ID`` (``MOCKC_MCP_REPLAY``)."""
RETRY_MS = 500
"""The ``retry`` of every priming event: how long a client waits to reconnect."""


@dataclass(frozen=True, slots=True)
class _Event:
    number: int
    stream: StreamId
    message: JSONRPCMessage | None  # None: a priming event


class SessionEvents(EventStore):
    """The last ``capacity`` events of one session."""

    def __init__(self, capacity: int) -> None:
        self._events: deque[_Event] = deque(maxlen=capacity)
        self._count = 0
        self._stored = anyio.Event()

    async def store_event(self, stream_id: StreamId, message: JSONRPCMessage | None) -> EventId:
        self._count += 1
        self._events.append(_Event(self._count, stream_id, message))
        self._stored.set()
        self._stored = anyio.Event()
        return str(self._count)

    async def replay_events_after(
        self, last_event_id: EventId, send_callback: EventCallback
    ) -> StreamId | None:
        last = self._kept(last_event_id)
        if last is None:
            return None
        stream = last.stream
        after = last.number
        while True:
            stored = self._stored
            events = self._after(after, stream)
            for event in events:
                after = event.number
                if event.message is None:
                    continue
                await send_callback(EventMessage(event.message, str(event.number)))
                if _answers(event.message, stream):
                    return None  # the request's stream is complete: it ends here
            if stream == GET_STREAM_KEY:
                return stream  # the SDK follows the GET stream live from here
            if not events:
                await stored.wait()

    def _kept(self, event_id: EventId) -> _Event | None:
        """The event ``event_id`` names, if this session gave it and still keeps it."""
        if not event_id.isdigit() or not self._events:
            return None
        index = int(event_id) - self._events[0].number
        return self._events[index] if 0 <= index < len(self._events) else None

    def _after(self, number: int, stream: StreamId) -> list[_Event]:
        """The kept events of ``stream`` after event ``number``, oldest first."""
        start = max(number + 1 - self._events[0].number, 0) if self._events else 0
        return [
            event
            for index in range(start, len(self._events))
            if (event := self._events[index]).stream == stream
        ]


def _answers(message: JSONRPCMessage, stream: StreamId) -> bool:
    """Whether ``message`` is the answer of the request whose stream is ``stream``."""
    return isinstance(message, JSONRPCResponse | JSONRPCError) and str(message.id) == stream
