"""One feed per channel: every event it sent, numbered, and its listeners.

The feed subscribes to the server's event hub once, when the server starts,
so events emitted while no client is connected are kept too. Each event gets
the next id of its channel and goes into a bounded replay buffer, then to
every connected listener that wants it: a listener opened the stream with
path parameters (an event emitted for other ones skips it) and may have asked
for some event types only. A client reconnecting with ``Last-Event-ID`` gets
the buffered events after that id, then the live ones: :meth:`Feed.listen`
takes the snapshot and registers the listener in one step of the event loop,
so nothing is missed between them and nothing is sent twice. Each event
handed to listeners is reported once, with the listeners it went to
(``on_sent``: one journal entry per event, however many clients).
"""

from __future__ import annotations

import asyncio
import itertools
from collections import deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from ..events import Message, Subscription
from ..service import MockService

__all__ = ["CUT", "Event", "Feed", "Listener"]


@dataclass(frozen=True, slots=True)
class Event:
    id: int
    name: str
    """The event type on the wire."""
    frame: bytes
    """The encoded event (``id:``, ``event:``, ``data:`` lines)."""
    message: Message | None = None
    """What the emit path sent (says which streams it is for)."""


@dataclass(eq=False, slots=True)
class Listener:
    """One client's stream: its queue and what it listens to."""

    params: Mapping[str, str] = field(default_factory=dict)
    """The path parameters it opened the stream with."""
    names: frozenset[str] = frozenset()
    """The event types it asked for (empty: every one)."""
    queue: asyncio.Queue[Event] = field(default_factory=asyncio.Queue)
    client: str = ""
    """The connection's id in the journal."""
    target: str = ""
    """The path (and query) the client opened the stream with."""

    def wants(self, name: str, message: Message | None) -> bool:
        if self.names and name not in self.names:
            return False
        return message is None or message.reaches(self.params)


CUT = Event(0, "", b"")
"""Queued instead of an event when a mock's ``reset`` fault cuts the streams."""

Render = Callable[[int, Message], Event]
NameOf = Callable[[Message], str]
OnSent = Callable[[Event, list[Listener]], None]


class Feed:
    """The events of one channel operation."""

    def __init__(
        self,
        operation: str,
        render: Render,
        name_of: NameOf,
        *,
        replay: int,
        on_sent: OnSent | None = None,
    ) -> None:
        self.operation = operation
        self._render = render
        self._name_of = name_of
        self._on_sent = on_sent
        self._ids = itertools.count(1)
        self._buffer: deque[Event] = deque(maxlen=max(replay, 1))
        self._listeners: set[Listener] = set()
        self._subscription: Subscription | None = None

    def attach(self, service: MockService) -> None:
        """Start receiving the operation's messages (call from the server's loop)."""
        if self._subscription is None:
            self._subscription = service.events.subscribe(
                self.operation, self._deliver, audience=self._audience
            )

    def detach(self) -> None:
        if self._subscription is not None:
            self._subscription.close()
            self._subscription = None

    @property
    def listeners(self) -> int:
        return len(self._listeners)

    def listen(
        self,
        last_id: int | None,
        params: Mapping[str, str] | None = None,
        names: frozenset[str] = frozenset(),
        *,
        client: str = "",
        target: str = "",
    ) -> tuple[Listener, list[Event], bool]:
        """A new listener, the buffered events after ``last_id`` it wants (none when
        it is None) and whether the buffer still held every event after it."""
        listener = Listener(dict(params or {}), names, client=client, target=target)
        self._listeners.add(listener)
        if last_id is None:
            return listener, [], True
        missed = [
            event
            for event in self._buffer
            if event.id > last_id and listener.wants(event.name, event.message)
        ]
        complete = not self._buffer or self._buffer[0].id <= last_id + 1
        return listener, missed, complete

    def leave(self, listener: Listener) -> None:
        self._listeners.discard(listener)

    def _audience(self, message: object) -> int:
        """How many listeners ``message`` goes to (the emit path's count; any thread)."""
        if not isinstance(message, Message):
            return 0
        name = self._name_of(message)
        return sum(listener.wants(name, message) for listener in list(self._listeners))

    def _deliver(self, message: Message) -> None:
        fault = message.reply.fault if message.reply is not None else None
        if fault == "empty":  # the event is never sent
            return
        if fault == "reset":  # the streams it was for end; clients resume from their last id
            name = self._name_of(message)
            for listener in self._listeners:
                if listener.wants(name, message):
                    listener.queue.put_nowait(CUT)
            return
        event = self._render(next(self._ids), message)
        self._buffer.append(event)
        name = event.name
        reached = [listener for listener in self._listeners if listener.wants(name, message)]
        for listener in reached:
            listener.queue.put_nowait(event)
        if reached and self._on_sent is not None:
            self._on_sent(event, reached)
