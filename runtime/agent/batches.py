"""Pending requests in batches, claimed under a lease: the agent workflow's state.

A request handed to the agent joins the open batch of its test run (the one
created less than the window ago), else opens a new one. Once its window has
closed, a batch can be claimed: the claimer gets a token and a lease; the
lease running out, or a release, puts the batch back in the queue and retires
the token (a retired token is told apart from a wrong one). Answering resolves
the requests' futures, which the serving side awaits.

Every method takes one lock: the serving side calls in from the event loop,
the admin API from worker threads. Time comes from ``clock`` (seconds since
the epoch), so tests can move it.
"""

from __future__ import annotations

import itertools
import secrets
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from concurrent.futures import Future, InvalidStateError
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from .errors import ClaimExpired, NoSuchBatch, WrongClaimToken

__all__ = [
    "ANSWERED",
    "CLAIMED",
    "DEFAULT_LEASE_MS",
    "EXPIRED",
    "PENDING",
    "Answer",
    "Batch",
    "Batches",
    "PendingRequest",
]

PENDING = "pending"
CLAIMED = "claimed"
ANSWERED = "answered"
EXPIRED = "expired"
"""Every request of the batch timed out before an answer (each got the fallback)."""

DEFAULT_LEASE_MS = 60_000
KEPT_FINISHED = 1000
"""How many answered or expired batches stay readable (``get_batch``)."""


@dataclass(frozen=True, slots=True)
class Answer:
    """What the agent provided for one request (already checked)."""

    status: str
    body: Any
    headers: dict[str, str] = field(default_factory=dict)


@dataclass(slots=True)
class PendingRequest:
    """One request waiting for the agent."""

    request_id: str
    run_id: str
    operation: str
    batch_id: str
    description: dict[str, Any]
    """What the agent is shown: the operation, the request, the response schemas."""
    context: Any = None
    """What the serving side needs to check and save answers (not shown)."""
    future: Future[Answer] = field(default_factory=Future)
    done: bool = False


@dataclass(slots=True)
class Batch:
    batch_id: str
    run_id: str
    closes_at: float
    """When its window closes: no request joins it after, and it can be claimed."""
    requests: list[PendingRequest] = field(default_factory=list)
    state: str = PENDING
    token: str | None = None
    lease_expires_at: float | None = None
    retired: set[str] = field(default_factory=set)
    """Tokens this batch handed out whose claim is over."""

    def live(self) -> list[PendingRequest]:
        return [request for request in self.requests if not request.done]

    def document(self) -> dict[str, Any]:
        """The batch as ``get_batch`` shows it."""
        shown: dict[str, Any] = {
            "batch_id": self.batch_id,
            "run_id": self.run_id,
            "state": self.state,
        }
        if self.state == CLAIMED and self.lease_expires_at is not None:
            shown["lease_expires_at"] = iso_time(self.lease_expires_at)
        shown["requests"] = [request.description for request in self.live()]
        return shown


def iso_time(seconds: float) -> str:
    """``seconds`` since the epoch as ISO 8601 UTC, to the millisecond."""
    moment = datetime.fromtimestamp(seconds, UTC)
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")


class Batches:
    """The batches of one server."""

    def __init__(
        self,
        *,
        window_ms: float = 50.0,
        clock: Callable[[], float] = time.time,
        token: Callable[[], str] = lambda: secrets.token_urlsafe(24),
    ) -> None:
        self.window = window_ms / 1000.0
        self.clock = clock
        self._token = token
        self._lock = threading.Lock()
        self._open: dict[str, Batch] = {}
        """Batches not finished, by id, oldest first."""
        self._finished: OrderedDict[str, Batch] = OrderedDict()
        self._ids = itertools.count(1)
        self._request_ids = itertools.count(1)

    # -- the serving side --------------------------------------------------

    def submit(
        self, run_id: str, operation: str, description: dict[str, Any], context: Any = None
    ) -> PendingRequest:
        """Queue a request; the returned request's ``future`` gets the answer."""
        with self._lock:
            now = self.clock()
            batch = self._joinable(run_id, now)
            if batch is None:
                batch_id = f"b{next(self._ids)}"
                batch = Batch(batch_id, run_id, closes_at=now + self.window)
                self._open[batch_id] = batch
            request_id = f"r{next(self._request_ids)}"
            pending = PendingRequest(
                request_id,
                run_id,
                operation,
                batch.batch_id,
                {"request_id": request_id, **description},
                context,
            )
            batch.requests.append(pending)
            return pending

    def _joinable(self, run_id: str, now: float) -> Batch | None:
        for batch in self._open.values():
            if batch.run_id == run_id and batch.state == PENDING and now < batch.closes_at:
                return batch
        return None

    def abandon(self, pending: PendingRequest) -> bool:
        """The request stops waiting (it timed out); False when it was answered
        meanwhile (its future holds the answer)."""
        with self._lock:
            if pending.done:
                return False
            pending.done = True
            pending.future.cancel()
            batch = self._open.get(pending.batch_id)
            if batch is not None and not batch.live():
                self._finish(batch, EXPIRED)
            return True

    # -- the agent's side --------------------------------------------------

    def claim(self, run_id: str | None, lease_ms: float) -> dict[str, Any] | None:
        """Claim the oldest batch whose window has closed (of ``run_id``, when
        given): its document with ``claim_token``; None when there is none."""
        with self._lock:
            now = self.clock()
            self._expire_leases(now)
            for batch in self._open.values():
                if batch.state != PENDING or now < batch.closes_at or not batch.live():
                    continue
                if run_id is not None and batch.run_id != run_id:
                    continue
                batch.state = CLAIMED
                batch.token = self._token()
                batch.lease_expires_at = now + lease_ms / 1000.0
                document = batch.document()
                return {
                    "batch_id": batch.batch_id,
                    "claim_token": batch.token,
                    "run_id": batch.run_id,
                    "lease_expires_at": document["lease_expires_at"],
                    "requests": document["requests"],
                }
            return None

    def get(self, batch_id: str) -> dict[str, Any]:
        with self._lock:
            self._expire_leases(self.clock())
            return self._find(batch_id).document()

    def claimed(self, batch_id: str, token: Any) -> list[PendingRequest]:
        """The live requests of the batch ``token`` claims; NoSuchBatch,
        WrongClaimToken or ClaimExpired otherwise."""
        with self._lock:
            return self._check(batch_id, token).live()

    def answer(self, batch_id: str, token: Any, answers: dict[str, Answer]) -> int:
        """Resolve the requests named in ``answers`` (the claim checked again:
        it may have ended while the answers were checked); how many were
        answered. The batch is answered once no request of it waits."""
        with self._lock:
            batch = self._check(batch_id, token)
            answered = 0
            for request in batch.live():
                answer = answers.get(request.request_id)
                if answer is None:
                    continue
                request.done = True
                try:
                    request.future.set_result(answer)
                    answered += 1
                except InvalidStateError:  # cancelled as it timed out
                    pass
            if not batch.live():
                self._finish(batch, ANSWERED)
            return answered

    def release(self, batch_id: str, token: Any) -> str:
        """Put the claimed batch back in the queue; its new state."""
        with self._lock:
            batch = self._check(batch_id, token)
            self._requeue(batch)
            return batch.state

    # -- overview ----------------------------------------------------------

    def runs(self) -> list[dict[str, Any]]:
        """Per test run with batches: pending and claimed batches, waiting requests."""
        with self._lock:
            now = self.clock()
            self._expire_leases(now)
            rows: dict[str, dict[str, Any]] = {}
            for batch in self._open.values():
                live = len(batch.live())
                if not live:
                    continue
                row = rows.setdefault(
                    batch.run_id,
                    {
                        "run_id": batch.run_id,
                        "pending_batches": 0,
                        "claimed_batches": 0,
                        "waiting_requests": 0,
                    },
                )
                row["claimed_batches" if batch.state == CLAIMED else "pending_batches"] += 1
                row["waiting_requests"] += live
            return [rows[run] for run in sorted(rows)]

    def counts(self) -> tuple[int, int, int, list[str]]:
        """Pending batches, claimed batches, waiting requests, runs with any."""
        rows = self.runs()
        return (
            sum(row["pending_batches"] for row in rows),
            sum(row["claimed_batches"] for row in rows),
            sum(row["waiting_requests"] for row in rows),
            [row["run_id"] for row in rows],
        )

    # -- inside the lock ---------------------------------------------------

    def _find(self, batch_id: str) -> Batch:
        batch = self._open.get(batch_id) or self._finished.get(batch_id)
        if batch is None:
            raise NoSuchBatch(f"no batch {batch_id!r} (finished batches are kept a while only)")
        return batch

    def _check(self, batch_id: str, token: Any) -> Batch:
        self._expire_leases(self.clock())
        batch = self._find(batch_id)
        if batch.state == CLAIMED and isinstance(token, str) and token == batch.token:
            return batch
        if isinstance(token, str) and (token in batch.retired or token == batch.token):
            reason = {
                ANSWERED: "the batch has been answered",
                EXPIRED: "its requests timed out and got the fallback answer",
            }.get(batch.state, "the lease ran out or the batch was released; claim it again")
            raise ClaimExpired(
                f"the claim on batch {batch_id} is over: {reason}", state=batch.state
            )
        raise WrongClaimToken(f"that is not the claim token of batch {batch_id}")

    def _expire_leases(self, now: float) -> None:
        for batch in self._open.values():
            expires = batch.lease_expires_at
            if batch.state == CLAIMED and expires is not None and now >= expires:
                self._requeue(batch)

    def _requeue(self, batch: Batch) -> None:
        if batch.token is not None:
            batch.retired.add(batch.token)
        batch.token = None
        batch.lease_expires_at = None
        batch.state = PENDING
        batch.closes_at = min(batch.closes_at, self.clock())  # no request joins it again

    def _finish(self, batch: Batch, state: str) -> None:
        if batch.token is not None:
            batch.retired.add(batch.token)
        batch.token = None
        batch.lease_expires_at = None
        batch.state = state
        batch.requests = []  # nothing waits any more: let the requests go
        self._open.pop(batch.batch_id, None)
        self._finished[batch.batch_id] = batch
        while len(self._finished) > KEPT_FINISHED:
            self._finished.popitem(last=False)
