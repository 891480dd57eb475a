"""The one event hub: messages of operations, delivered to live streams.

A streaming adapter (GraphQL subscriptions today; SSE, WebSocket and broker
channels later) subscribes each open stream to its operation id; the emit
path (``runtime/engine/emit.py``: schedules, the admin API's
``POST /__mockc/emit/{operation}`` and ``/__mockc/events/{operation}``,
reactions to other operations) publishes a :class:`Message` to every stream
of an operation. Publishing is thread-safe: the admin API runs its handlers
off the event loop, schedules run on their own thread, and each stream is
woken on its own loop.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .engine import Reply

__all__ = ["EventHub", "Message", "Subscription"]


@dataclass(frozen=True, slots=True)
class Message:
    """One message an operation emits: the engine's answer, or data given as it is."""

    operation: str
    number: int
    """Counts the operation's messages from 0 (stable per server run)."""
    reply: Reply | None = None
    """The engine's answer (status, encoded content…); None when ``data`` was given."""
    data: Any = None


class Subscription:
    """One open stream of an operation; ``close()`` when the stream ends."""

    __slots__ = ("_hub", "deliver", "loop", "operation")

    def __init__(
        self,
        hub: EventHub,
        operation: str,
        deliver: Callable[[Any], None],
        loop: asyncio.AbstractEventLoop,
    ) -> None:
        self._hub = hub
        self.operation = operation
        self.deliver = deliver
        self.loop = loop

    def close(self) -> None:
        self._hub._remove(self)


class EventHub:
    """The open streams of one server, by operation id."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._streams: dict[str, list[Subscription]] = {}

    def subscribe(self, operation: str, deliver: Callable[[Any], None]) -> Subscription:
        """Call ``deliver(payload)`` (on the running loop) for each event published to
        ``operation`` until the subscription is closed. Call from the loop."""
        subscription = Subscription(self, operation, deliver, asyncio.get_running_loop())
        with self._lock:
            self._streams.setdefault(operation, []).append(subscription)
        return subscription

    def publish(self, operation: str, payload: Any) -> int:
        """Hand ``payload`` to every open stream of ``operation``; how many there were.
        Safe from any thread."""
        with self._lock:
            streams = list(self._streams.get(operation, ()))
        delivered = 0
        for stream in streams:
            try:
                stream.loop.call_soon_threadsafe(stream.deliver, payload)
            except RuntimeError:  # its loop has closed: the stream is gone
                stream.close()
                continue
            delivered += 1
        return delivered

    def counts(self) -> dict[str, int]:
        """Open streams per operation."""
        with self._lock:
            return {operation: len(streams) for operation, streams in self._streams.items()}

    def _remove(self, subscription: Subscription) -> None:
        with self._lock:
            streams = self._streams.get(subscription.operation)
            if streams is None:
                return
            try:
                streams.remove(subscription)
            except ValueError:
                return
            if not streams:
                del self._streams[subscription.operation]
