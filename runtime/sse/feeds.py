"""One feed per channel: every event it sent, numbered, and its listeners.

The feed subscribes to the server's event hub once, when the server starts,
so events emitted while no client is connected are kept too. Each event gets
the next id of its channel and goes into a bounded replay buffer, then to
every connected listener. A client reconnecting with ``Last-Event-ID`` gets
the buffered events after that id, then the live ones: :meth:`Feed.listen`
takes the snapshot and registers the listener in one step of the event loop,
so nothing is missed between them and nothing is sent twice.
"""

from __future__ import annotations

import asyncio
import itertools
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass

from ..events import Message, Subscription
from ..service import MockService

__all__ = ["Event", "Feed", "Listener"]


@dataclass(frozen=True, slots=True)
class Event:
    id: int
    name: str
    """The event type on the wire."""
    frame: bytes
    """The encoded event (``id:``, ``event:``, ``data:`` lines)."""


Listener = asyncio.Queue[Event]
Render = Callable[[int, Message], Event]


class Feed:
    """The events of one channel operation."""

    def __init__(self, operation: str, render: Render, *, replay: int) -> None:
        self.operation = operation
        self._render = render
        self._ids = itertools.count(1)
        self._buffer: deque[Event] = deque(maxlen=max(replay, 1))
        self._listeners: set[Listener] = set()
        self._subscription: Subscription | None = None

    def attach(self, service: MockService) -> None:
        """Start receiving the operation's messages (call from the server's loop)."""
        if self._subscription is None:
            self._subscription = service.events.subscribe(
                self.operation, self._deliver, audience=lambda: len(self._listeners)
            )

    def detach(self) -> None:
        if self._subscription is not None:
            self._subscription.close()
            self._subscription = None

    @property
    def listeners(self) -> int:
        return len(self._listeners)

    def listen(self, last_id: int | None) -> tuple[Listener, list[Event], bool]:
        """A new listener, the buffered events after ``last_id`` (none when it is
        None) and whether the buffer still held every event after it."""
        queue: Listener = asyncio.Queue()
        self._listeners.add(queue)
        if last_id is None:
            return queue, [], True
        missed = [event for event in self._buffer if event.id > last_id]
        complete = not self._buffer or self._buffer[0].id <= last_id + 1
        return queue, missed, complete

    def leave(self, queue: Listener) -> None:
        self._listeners.discard(queue)

    def _deliver(self, message: Message) -> None:
        event = self._render(next(self._ids), message)
        self._buffer.append(event)
        for queue in self._listeners:
            queue.put_nowait(event)
