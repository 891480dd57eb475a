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
import sys
import threading
from collections.abc import Callable, Mapping
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
    params: Mapping[str, str] | None = None
    """The path parameters of the streams it is for (``{"roomId": "a"}``): a
    stream opened with other values skips it. None: every stream."""

    def reaches(self, params: Mapping[str, str]) -> bool:
        """Whether a stream opened with path parameters ``params`` gets it."""
        wanted = self.params
        return not wanted or all(params.get(name) == value for name, value in wanted.items())


class Subscription:
    """One open stream of an operation; ``close()`` when the stream ends."""

    __slots__ = ("_hub", "audience", "deliver", "loop", "operation")

    def __init__(
        self,
        hub: EventHub,
        operation: str,
        deliver: Callable[[Any], None],
        loop: asyncio.AbstractEventLoop,
        audience: Callable[[Any], int] | None = None,
    ) -> None:
        self._hub = hub
        self.operation = operation
        self.deliver = deliver
        self.loop = loop
        self.audience = audience
        """How many clients a payload reaches through this stream (None: one); a
        feed shared by several clients counts those it goes to."""

    def reach(self, payload: Any) -> int:
        return 1 if self.audience is None else self.audience(payload)

    def close(self) -> None:
        self._hub._remove(self)


class EventHub:
    """The open streams of one server, by operation id."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._streams: dict[str, list[Subscription]] = {}

    def subscribe(
        self,
        operation: str,
        deliver: Callable[[Any], None],
        audience: Callable[[Any], int] | None = None,
    ) -> Subscription:
        """Call ``deliver(payload)`` (on the running loop) for each event published to
        ``operation`` until the subscription is closed. Call from the loop.
        ``audience`` says how many clients the stream reaches (one when None)."""
        subscription = Subscription(self, operation, deliver, asyncio.get_running_loop(), audience)
        with self._lock:
            self._streams.setdefault(operation, []).append(subscription)
        return subscription

    def publish(self, operation: str, payload: Any) -> int:
        """Hand ``payload`` to every open stream of ``operation``; how many clients
        they reach. Safe from any thread."""
        with self._lock:
            streams = list(self._streams.get(operation, ()))
        by_loop: dict[asyncio.AbstractEventLoop, list[Subscription]] = {}
        for stream in streams:
            by_loop.setdefault(stream.loop, []).append(stream)
        delivered = 0
        for loop, on_loop in by_loop.items():
            # one wake-up per loop, however many streams it serves
            try:
                loop.call_soon_threadsafe(_deliver_each, on_loop, payload)
            except RuntimeError:  # the loop has closed: its streams are gone
                for stream in on_loop:
                    stream.close()
                continue
            delivered += sum(stream.reach(payload) for stream in on_loop)
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


def _deliver_each(streams: list[Subscription], payload: Any) -> None:
    """Hand ``payload`` to each stream (on their loop); one failing stream does
    not keep it from the others."""
    for stream in streams:
        try:
            stream.deliver(payload)
        except Exception as error:  # a broken stream must not starve the rest
            print(f"mockc: a stream of {stream.operation} failed: {error}", file=sys.stderr)
