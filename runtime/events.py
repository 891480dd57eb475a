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
from collections import deque
from collections.abc import Callable, Mapping, Sequence
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
        self._inboxes: dict[asyncio.AbstractEventLoop, _Inbox] = {}

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
            if subscription.loop not in self._inboxes:
                self._inboxes[subscription.loop] = _Inbox(subscription.loop)
        return subscription

    def publish(self, operation: str, payload: Any) -> int:
        """Hand ``payload`` to every open stream of ``operation``; how many clients
        they reach. Safe from any thread."""
        return self.publish_all(operation, (payload,))

    def publish_all(self, operation: str, payloads: Sequence[Any]) -> int:
        """:meth:`publish` each of ``payloads``, in order, in one go (one wake-up of
        each loop); how many clients they reach, in all. Safe from any thread."""
        with self._lock:
            streams = list(self._streams.get(operation, ()))
            inboxes = self._inboxes
            by_loop: dict[_Inbox, list[Subscription]] = {}
            for stream in streams:
                inbox = inboxes.get(stream.loop)
                if inbox is not None:
                    by_loop.setdefault(inbox, []).append(stream)
        delivered = 0
        for inbox, on_loop in by_loop.items():
            if not inbox.put(on_loop, payloads):  # the loop has closed: its streams are gone
                for stream in on_loop:
                    stream.close()
                continue
            delivered += sum(stream.reach(payload) for payload in payloads for stream in on_loop)
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
            loop = subscription.loop
            if not any(s.loop is loop for each in self._streams.values() for s in each):
                self._inboxes.pop(loop, None)


class _Inbox:
    """The messages on their way to the streams of one loop: a burst published
    from another thread wakes the loop once, not once per message."""

    __slots__ = ("_lock", "_queued", "_woken", "loop")

    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        self.loop = loop
        self._lock = threading.Lock()
        self._queued: deque[tuple[list[Subscription], Any]] = deque()
        self._woken = False

    def put(self, streams: list[Subscription], payloads: Sequence[Any]) -> bool:
        """Queue ``payloads`` for ``streams``, in order; False when the loop has closed."""
        with self._lock:
            if self.loop.is_closed():
                return False
            self._queued.extend((streams, payload) for payload in payloads)
            if self._woken:  # a wake-up is on its way: it takes this one too
                return True
            self._woken = True
        try:
            self.loop.call_soon_threadsafe(self._drain)
        except RuntimeError:
            with self._lock:
                self._queued.clear()
                self._woken = False
            return False
        return True

    def _drain(self) -> None:
        """On the loop: hand every queued payload to its streams, in order."""
        while True:
            with self._lock:
                if not self._queued:
                    self._woken = False
                    return
                batch = list(self._queued)
                self._queued.clear()
            for streams, payload in batch:
                _deliver_each(streams, payload)


def _deliver_each(streams: list[Subscription], payload: Any) -> None:
    """Hand ``payload`` to each stream (on their loop); one failing stream does
    not keep it from the others."""
    for stream in streams:
        try:
            stream.deliver(payload)
        except Exception as error:  # a broken stream must not starve the rest
            print(f"mockc: a stream of {stream.operation} failed: {error}", file=sys.stderr)
