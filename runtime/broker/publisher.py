"""The messages a broker mock service produces, on their way to the broker.

:class:`Publisher` keeps them in order: queued (a delayed one later), sent up
to the client's ``publish_window`` at a time with their mock's fault applied
(drop, duplicate, malformed payload, disconnect), journaled, and, when the
connection drops before the broker confirmed them, put back in front of the
queue for the next connection.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import sys
from collections import deque
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from ..exceptions import RuntimeFailure
from .channels import BrokerChannel
from .client import BrokerClient
from .exceptions import MessageRefused
from .message import BrokerMessage
from .metrics import SENT, BrokerMetrics

__all__ = ["MAX_PENDING", "InjectedDisconnect", "Outgoing", "Publisher"]

MAX_PENDING = 100_000
"""Messages waiting for the broker at most; older ones are dropped past it."""
DROP_FAULTS = frozenset({"empty", "drop"})
DISCONNECT_FAULTS = frozenset({"reset", "disconnect"})

Begin = Callable[[BrokerChannel | None, BrokerMessage], Awaitable["asyncio.Future[Any]"]]
"""A client's ``begin_publish``: hands a message to its producer; the future is
done once the broker confirmed it."""
BeginMany = Callable[[Sequence[BrokerMessage]], Awaitable[list["asyncio.Future[Any]"]]]
"""A client's ``begin_publish_many``: hands messages to its producer at once, a
future for each (a failure of one is its future's: :data:`Confirm` raises it)."""
Confirm = Callable[["asyncio.Future[Any]"], None]
"""A client's ``confirm``: raises :class:`MessageRefused` or a lost connection
of a done acknowledgement that failed."""


@dataclass(slots=True)
class Outgoing:
    """A message on its way to the broker, with what the journal says of it."""

    channel: BrokerChannel | None
    message: BrokerMessage
    operation: str
    status: str = "ok"
    source: str = "emit"
    fault: str | None = None
    delay_ms: float = 0.0
    done: concurrent.futures.Future[str] | None = field(default=None, repr=False)
    """Set to what became of it once sent (the admin API waits on it)."""


class InjectedDisconnect(RuntimeFailure):
    """A fault asked for the broker connection to drop."""


class Publisher:
    """The produced messages of one service, in order, to its broker client."""

    def __init__(
        self,
        client: BrokerClient,
        metrics: BrokerMetrics,
        journal: Callable[[Sequence[Outgoing]], None],
        connected: Callable[[], bool],
    ) -> None:
        self._client = client
        self._metrics = metrics
        self._journal = journal
        self._connected = connected
        self.pending: deque[Outgoing] = deque()
        self.wake: asyncio.Event | None = None
        self.drop_connection: asyncio.Event | None = None
        """Set by a disconnect fault: the service's session ends."""
        self.loop: asyncio.AbstractEventLoop | None = None

    def start(self) -> None:
        """Bind to the running loop (the service's ``run``)."""
        self.loop = asyncio.get_running_loop()
        self.wake = asyncio.Event()
        self.drop_connection = asyncio.Event()
        if self.pending:
            self.wake.set()

    def enqueue(self, outgoing: Outgoing) -> None:
        """Queue ``outgoing`` for the broker (on the loop); a delayed one is queued later."""
        if outgoing.delay_ms > 0 and self.loop is not None:
            later = replace(outgoing, delay_ms=0.0)
            self.loop.call_later(outgoing.delay_ms / 1000.0, self.enqueue, later)
            return
        if len(self.pending) >= MAX_PENDING:
            dropped = self.pending.popleft()
            self._journal((replace(dropped, status="dropped:queue-full"),))
        self.pending.append(outgoing)
        if self.wake is not None:
            self.wake.set()

    def publish_now(self, outgoing: Outgoing, timeout_s: float = 5.0) -> str:
        """From another thread (the admin API): queue ``outgoing`` and wait until it
        is sent. What became of it: ``published``, ``dropped`` or ``disconnected``
        (a fault), ``refused`` (see the log), or ``pending`` (the broker is down:
        it goes out once the connection is back)."""
        loop = self.loop
        done: concurrent.futures.Future[str] = concurrent.futures.Future()
        outgoing.done = done
        if loop is None or loop.is_closed():
            self.pending.append(outgoing)
            return "pending"
        loop.call_soon_threadsafe(self.enqueue, outgoing)
        if not self._connected():  # no waiting for a broker that is away
            return "pending"
        try:
            return done.result(timeout=timeout_s)
        except concurrent.futures.TimeoutError:
            return "pending"

    async def run(self) -> None:
        """Send the queued messages in order, up to the client's ``publish_window``
        at a time (default 1: one after the other). Messages not confirmed when
        the connection drops go back, in order, to the front of the queue.

        A client with ``begin_publish`` and ``confirm`` (Kafka) takes each message
        without a fault straight to its producer, which batches them; the others
        are each sent by a task."""
        wake = self.wake
        assert wake is not None
        pending = self.pending
        window = max(1, int(getattr(self._client, "publish_window", 1)))
        begin: Begin | None = getattr(self._client, "begin_publish", None)
        confirm: Confirm | None = getattr(self._client, "confirm", None)
        staged = begin is not None and confirm is not None
        begin_many: BeginMany | None = (
            getattr(self._client, "begin_publish_many", None) if staged else None
        )
        in_flight: deque[tuple[Outgoing, asyncio.Future[Any]]] = deque()
        watched: asyncio.Future[Any] | None = None

        def woken(_: object) -> None:
            wake.set()

        try:
            confirmed: list[Outgoing] = []
            """Confirmed by the broker: counted and journaled together, once the window
            is filled again (the next messages need not wait for that)."""
            while True:
                try:
                    while pending and len(in_flight) < window:
                        if begin_many is not None and pending[0].fault is None:
                            # the messages without a fault up to the window, at once
                            run = [pending.popleft()]
                            room = window - len(in_flight)
                            while pending and len(run) < room and pending[0].fault is None:
                                run.append(pending.popleft())
                            try:
                                acks = await begin_many([outgoing.message for outgoing in run])
                            except BaseException:
                                pending.extendleft(reversed(run))
                                raise
                            in_flight.extend(zip(run, acks, strict=True))
                            continue
                        outgoing = pending.popleft()
                        if staged and outgoing.fault is None:
                            assert begin is not None
                            try:
                                ack = await begin(outgoing.channel, outgoing.message)
                            except MessageRefused as refused:
                                self._refused(outgoing, refused)
                                continue
                            except BaseException:
                                pending.appendleft(outgoing)
                                raise
                            flying: asyncio.Future[Any] = ack
                        else:
                            flying = asyncio.ensure_future(self.send(outgoing))
                        in_flight.append((outgoing, flying))
                finally:
                    self._sent_all(confirmed)
                    confirmed = []
                wake.clear()
                # the oldest confirmed, in order (a failure ends the session; it goes back)
                good: asyncio.Future[Any] | None = None
                """The acknowledgement last confirmed (the messages of a batch share one)."""
                try:
                    while in_flight and in_flight[0][1].done():
                        outgoing, flying = in_flight[0]
                        if flying is good:
                            confirmed.append(outgoing)
                        elif isinstance(flying, asyncio.Task):
                            flying.result()
                        else:
                            assert confirm is not None
                            try:
                                confirm(flying)
                            except MessageRefused as refused:
                                self._sent_all(confirmed)
                                confirmed = []
                                self._refused(outgoing, refused)
                            else:
                                confirmed.append(outgoing)
                                good = flying
                        in_flight.popleft()
                except BaseException:
                    self._sent_all(confirmed)
                    raise
                if pending and len(in_flight) < window:
                    continue
                self._sent_all(confirmed)
                confirmed = []
                if not in_flight or not in_flight[0][1].done():
                    # woken by a new message, or by the oldest one in flight once it
                    # is done (they are taken in order: the others need no callback)
                    oldest = in_flight[0][1] if in_flight else None
                    if oldest is not None and oldest is not watched:
                        oldest.add_done_callback(woken)
                        watched = oldest
                    await wake.wait()
        finally:
            unsent: list[Outgoing] = []
            for _, flying in in_flight:
                if isinstance(flying, asyncio.Task):
                    flying.cancel()
            for outgoing, flying in in_flight:
                if isinstance(flying, asyncio.Task):
                    with contextlib.suppress(BaseException):
                        await flying
                    if flying.cancelled() or not isinstance(
                        flying.exception(), InjectedDisconnect | None
                    ):
                        unsent.append(outgoing)
                elif flying.done() and not flying.cancelled() and flying.exception() is None:
                    self._sent(outgoing)  # the broker has it: not sent again
                else:
                    flying.add_done_callback(_retrieved)
                    unsent.append(outgoing)
            pending.extendleft(reversed(unsent))

    async def send(self, outgoing: Outgoing) -> None:
        """Publish ``outgoing`` with its fault applied, and journal it."""
        fault = outgoing.fault
        if fault in DISCONNECT_FAULTS:
            self._journal((replace(outgoing, status="fault:disconnect"),))
            _resolve(outgoing, "disconnected")
            assert self.drop_connection is not None
            self.drop_connection.set()
            raise InjectedDisconnect("injected fault")
        if fault in DROP_FAULTS:
            self._journal((replace(outgoing, status="fault:drop"),))
            _resolve(outgoing, "dropped")
            return
        message = outgoing.message
        copies = 1
        if fault == "malformed":
            half = message.payload[: len(message.payload) // 2]
            message = replace(message, payload=half + b"\xff\xfe")
            outgoing = replace(outgoing, message=message, status="fault:malformed")
        elif fault == "duplicate":
            copies = 2
            outgoing = replace(outgoing, status="fault:duplicate")
        for _ in range(copies):
            try:
                await self._client.publish(outgoing.channel, message)
            except MessageRefused as refused:
                self._refused(outgoing, refused)
                return
            self._counted((outgoing,))
        _resolve(outgoing, "published")

    def _sent(self, outgoing: Outgoing) -> None:
        """``outgoing`` (one copy) is confirmed by the broker."""
        self._sent_all((outgoing,))

    def _sent_all(self, confirmed: Sequence[Outgoing]) -> None:
        """Each of ``confirmed`` (one copy) is confirmed by the broker."""
        if not confirmed:
            return
        self._counted(confirmed)
        for outgoing in confirmed:
            if outgoing.done is not None:
                _resolve(outgoing, "published")

    def _counted(self, sent: Sequence[Outgoing]) -> None:
        """Each of ``sent`` counted in the metrics and journaled."""
        self._metrics.count_each(
            SENT,
            (
                (
                    outgoing.operation,
                    outgoing.channel.address if outgoing.channel else outgoing.message.address,
                )
                for outgoing in sent
            ),
        )
        self._journal(sent)

    def _refused(self, outgoing: Outgoing, refused: MessageRefused) -> None:
        _say(f"{outgoing.operation}: not published to {outgoing.message.address!r}: {refused}")
        self._journal((replace(outgoing, status="refused"),))
        _resolve(outgoing, "refused")


def _retrieved(future: asyncio.Future[Any]) -> None:
    """Mark a failure nobody waits for any more as seen (no "never retrieved" log)."""
    if not future.cancelled():
        future.exception()


def _resolve(outgoing: Outgoing, outcome: str) -> None:
    done = outgoing.done
    if done is not None and not done.done():
        done.set_result(outcome)


def _say(line: str) -> None:
    print(f"mockc: {line}", file=sys.stderr, flush=True)
