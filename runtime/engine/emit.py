"""The emit path: messages a mock sends on its own, whatever the protocol.

An operation emits a :class:`Message` three ways:

- on a schedule: a mock with an ``emit`` schedule (:class:`~.model.Schedule`)
  sends on its operation after a delay, at an interval, in bursts, or after a
  sequence of delays, from the server's start (and again from each change of
  the mocks);
- on demand: ``POST /__mockc/emit/{operation}`` (``runtime/admin/emit.py``);
- as a reaction: a mock whose ``then`` lists triggers (:class:`~.model.Trigger`)
  makes each named operation emit once it has answered.

A message is either data given as it is, or the engine's answer to the
operation (hooks, mocks, examples, fake data) for a request of method
``emit``. Messages go to the server's event hub; the adapters that stream
(GraphQL subscriptions today; SSE, WebSocket and broker channels later)
deliver them to their subscribers. Schedules run on one daemon thread: the
hub is thread-safe and wakes each subscriber on its own loop.
"""

from __future__ import annotations

import heapq
import itertools
import sys
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from ..events import EventHub, Message
from .model import Reply, Request, Schedule, Trigger

__all__ = ["EMIT_METHOD", "Emitter", "ScheduledEmit", "contract_schedules"]

EMIT_METHOD = "emit"
"""The method of the requests the engine answers for emitted messages."""

Answer = Callable[[Request], Reply]
Fixed = Callable[[str], Reply | None]
"""The reply every request of an operation gets, when it never varies (else None)."""


@dataclass(frozen=True, slots=True)
class ScheduledEmit:
    """One running schedule: the operation, what set it up, and its timing."""

    operation: str
    origin: str
    """What declared it: ``mock:<id>``."""
    schedule: Schedule


def contract_schedules(declared: Mapping[str, Any]) -> list[ScheduledEmit]:
    """The schedules a contract declares (a channel config's ``schedule``s: operation
    id → the mocks' ``emit`` shape, checked at generation)."""
    found = []
    for operation, given in declared.items():
        every, count = given.get("every_ms"), given.get("count")
        schedule = Schedule(
            after_ms=float(given.get("after_ms", 0)),
            every_ms=None if every is None else float(every),
            delays_ms=tuple(float(delay) for delay in given.get("delays_ms", ())),
            count=None if count is None else int(count),
            burst=int(given.get("burst", 1)),
        )
        found.append(ScheduledEmit(operation, "contract", schedule))
    return found


@dataclass(order=True, slots=True)
class _Due:
    at: float
    order: int
    job: Callable[[], float | None] = field(compare=False)
    """Runs the job; returns the delay (seconds) to its next run, or None."""
    token: int = field(compare=False, default=0)
    """The schedule it belongs to (0: a reaction)."""


class Emitter:
    """Sends messages of operations to the event hub: now, later, or on a schedule."""

    def __init__(self, answer: Answer, hub: EventHub, fixed: Fixed | None = None) -> None:
        """``answer`` is the engine's (the service's) request handler; ``fixed`` its
        :meth:`~.engine.Engine.fixed_reply`, which spares asking it per message."""
        self._answer = answer
        self._fixed = fixed
        self.hub = hub
        self._numbers: dict[str, itertools.count[int]] = {}
        self._lock = threading.Condition()
        self._due: list[_Due] = []
        self._order = itertools.count()
        self._tokens = itertools.count(1)
        self._running: dict[ScheduledEmit, int] = {}
        self._live: set[int] = set()
        """Tokens of the running schedules; 0 marks reactions, always live."""
        self._thread: threading.Thread | None = None
        self._closed = False
        self.schedules: tuple[ScheduledEmit, ...] = ()

    # -- sending -----------------------------------------------------------

    def emit(
        self,
        operation: str,
        request: Request | None = None,
        params: Mapping[str, str] | None = None,
    ) -> int:
        """The engine's answer for ``operation`` as a message; how many clients got it.
        ``request`` (a reaction's) lends its parameters and body to the answer;
        ``params`` keeps it to the streams opened with those path parameters."""
        number = self._next_number(operation)
        asked = Request(
            operation,
            path=dict(request.path) if request is not None else dict(params or {}),
            query=dict(request.query) if request is not None else {},
            headers=dict(request.headers) if request is not None else {},
            body=request.body if request is not None else None,
            method=EMIT_METHOD,
            target=request.target if request is not None else "",
            stream_index=number,
        )
        reply = self._answer(asked)
        message = Message(operation, number, reply=reply, params=params or None)
        return self.hub.publish(operation, message)

    def emit_many(self, operation: str, count: int, params: Mapping[str, str] | None = None) -> int:
        """``count`` messages of ``operation``, each as :meth:`emit` makes it; how many
        clients they reached, in all. When the operation's answer never varies
        (:meth:`~.engine.Engine.fixed_reply`), the engine is not asked per message
        and the hub takes them in one go."""
        fixed = self._fixed
        first = fixed(operation) if fixed is not None and count > 1 else None
        if fixed is None or first is None:
            return sum(self.emit(operation, params=params) for _ in range(count))
        wanted = params or None
        numbers = self._numbers_of(operation)
        messages = [Message(operation, next(numbers), first, None, wanted)]
        append = messages.append
        for _ in range(count - 1):
            reply = fixed(operation)
            if reply is None:  # the mocks changed meanwhile: asked for each from here on
                break
            append(Message(operation, next(numbers), reply, None, wanted))
        delivered = self.hub.publish_all(operation, messages)
        return delivered + sum(
            self.emit(operation, params=params) for _ in range(count - len(messages))
        )

    def send(self, operation: str, data: Any, params: Mapping[str, str] | None = None) -> int:
        """``data`` as a message of ``operation``, as it is; how many clients got it.
        ``params`` keeps it to the streams opened with those path parameters."""
        number = self._next_number(operation)
        message = Message(operation, number, data=data, params=params or None)
        return self.hub.publish(operation, message)

    def deliver(self, operation: str, reply: Reply, params: Mapping[str, str] | None = None) -> int:
        """A reply already answered (to a message a client sent) as a message of
        ``operation``; how many clients got it. ``params`` as for :meth:`send`."""
        number = self._next_number(operation)
        message = Message(operation, number, reply=reply, params=params or None)
        return self.hub.publish(operation, message)

    def react(self, triggers: Iterable[Trigger], request: Request) -> None:
        """Emit what a reply's triggers name: now, or after their delay."""
        for trigger in triggers:
            if trigger.after_ms > 0:
                self._later(trigger.after_ms / 1000.0, self._once(trigger, request))
            else:
                self._fire(trigger, request)

    def _fire(self, trigger: Trigger, request: Request) -> None:
        params = dict(trigger.params) or None
        if trigger.has_body:
            self.send(trigger.operation, trigger.body, params)
        else:
            self.emit(trigger.operation, request, params)

    def _once(self, trigger: Trigger, request: Request) -> Callable[[], float | None]:
        def run() -> None:
            self._fire(trigger, request)

        return run

    def _next_number(self, operation: str) -> int:
        return next(self._numbers_of(operation))

    def _numbers_of(self, operation: str) -> itertools.count[int]:
        """The numbers of ``operation``'s messages from here on."""
        numbers = self._numbers.get(operation)
        if numbers is None:
            numbers = self._numbers.setdefault(operation, itertools.count())
        return numbers

    # -- schedules -----------------------------------------------------------

    def schedule(self, schedules: Iterable[ScheduledEmit]) -> None:
        """Run ``schedules``: those already running go on undisturbed, new ones
        start from their beginning, the others stop."""
        wanted = dict.fromkeys(schedules)
        with self._lock:
            running = {scheduled: token for scheduled, token in self._running.items()}
            self._running = {}
            for scheduled in wanted:
                token = running.get(scheduled)
                if token is None:
                    token = next(self._tokens)
                    wait = scheduled.schedule.wait_before(0)
                    if wait is not None:
                        self._push(wait / 1000.0, self._scheduled_job(scheduled), token)
                self._running[scheduled] = token
            self._live = set(self._running.values())
            self.schedules = tuple(wanted)
            self._lock.notify()

    def _scheduled_job(self, scheduled: ScheduledEmit) -> Callable[[], float | None]:
        sends = itertools.count()
        schedule = scheduled.schedule

        def run() -> float | None:
            send = next(sends)
            self.emit_many(scheduled.operation, max(schedule.burst, 1))
            wait = schedule.wait_before(send + 1)
            return None if wait is None else wait / 1000.0

        return run

    def _later(self, delay_s: float, job: Callable[[], float | None]) -> None:
        with self._lock:
            self._push(delay_s, job, 0)
            self._lock.notify()

    def _push(
        self,
        delay_s: float,
        job: Callable[[], float | None],
        token: int,
        since: float | None = None,
    ) -> None:
        """Queue ``job`` (the lock held) ``delay_s`` after ``since`` (default: now);
        starts the thread on first use."""
        if self._closed:
            return
        now = time.monotonic()
        at = now + delay_s if since is None else since + delay_s
        if at < now - delay_s:  # fell behind by more than an interval: no burst to catch up
            at = now
        due = _Due(at, next(self._order), job, token)
        heapq.heappush(self._due, due)
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="mockc-emit", daemon=True)
            self._thread.start()

    def _run(self) -> None:
        while True:
            with self._lock:
                while not self._closed and (not self._due or self._due[0].at > time.monotonic()):
                    timeout = self._due[0].at - time.monotonic() if self._due else None
                    self._lock.wait(timeout)
                if self._closed:
                    return
                due = heapq.heappop(self._due)
                if due.token and due.token not in self._live:
                    continue
            try:
                again = due.job()
            except Exception as error:  # a broken hook or mock must not stop the others
                print(f"mockc: emit failed: {error}", file=sys.stderr, flush=True)
                again = None
            if again is not None:
                with self._lock:
                    if not due.token or due.token in self._live:
                        # from when it was due, not from now: the time the job
                        # took does not add up into a slower schedule
                        self._push(again, due.job, due.token, since=due.at)

    def close(self) -> None:
        """Stop every schedule and pending reaction."""
        with self._lock:
            self._closed = True
            self._due.clear()
            self._lock.notify()
        thread = self._thread
        if thread is not None and thread is not threading.current_thread():
            thread.join(timeout=2.0)
