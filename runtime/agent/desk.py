"""The agent desk of one server: where requests wait for an agent's answer.

The serving side awaits :meth:`AgentDesk.answer` (it never blocks the event
loop: the request's future is awaited with the timeout, and the admin API
resolves it from its worker thread); the admin API calls the other methods.
A request the agent does not answer in time gets the fallback: the answer the
server would have given without the agent (``fake``), or a timeout error
(``error``: 504 on HTTP, ``DEADLINE_EXCEEDED`` on gRPC).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from typing import Any

from ..engine import Operation, Reply, Request
from ..mocks import MockError, MockRegistry
from ..settings.table import AGENT_FALLBACKS, AGENT_MODES
from .batches import DEFAULT_LEASE_MS, Batches
from .checking import SchemaChecker, claim_token_of, mock_list, provided_mocks
from .describe import describe_request, response_schemas, run_of
from .errors import BadAgentCall
from .saving import saved_mock

__all__ = ["AGENT_FALLBACKS", "AGENT_MODES", "MAX_LEASE_MS", "AgentDesk", "Waiting"]

MAX_LEASE_MS = 3_600_000
_TIMEOUT_STATUS = {"http": "504", "grpc": "DEADLINE_EXCEEDED"}


@dataclass(frozen=True, slots=True)
class Waiting:
    """What the desk keeps about a queued request (beside what the agent sees)."""

    operation: Operation
    request: Request


class AgentDesk:
    """Batches of requests waiting for an agent, and the admin operations on them."""

    def __init__(
        self,
        *,
        operations: Mapping[str, Operation],
        defs: Mapping[str, Any],
        protocol: str,
        mode: str = "off",
        window_ms: float = 50.0,
        timeout_ms: float = 30_000.0,
        fallback: str = "fake",
        redacted: Collection[str] = (),
        encode: Callable[[Request, Reply], Reply],
        mocks: MockRegistry | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.mode = mode
        self.protocol = protocol
        self.timeout = timeout_ms / 1000.0
        self.fallback = fallback
        self.batches = Batches(window_ms=window_ms, clock=clock)
        self._operations = operations
        self._defs = defs
        self._redacted = frozenset(redacted)
        self._encode = encode
        self._mocks = mocks
        self._checker = SchemaChecker(defs)
        self._schemas: dict[str, dict[str, Any]] = {}

    # -- the serving side --------------------------------------------------

    async def answer(self, request: Request, fallback: Reply) -> Reply:
        """The agent's answer to ``request``, or the fallback after the timeout."""
        operation = self._operations[request.operation_id]
        description = describe_request(
            request,
            operation,
            protocol=self.protocol,
            responses=self._responses(operation),
            redacted=self._redacted,
        )
        pending = self.batches.submit(
            run_of(request), operation.id, description, Waiting(operation, request)
        )
        waiting = asyncio.wrap_future(pending.future)
        try:
            done, _ = await asyncio.wait({waiting}, timeout=self.timeout)
        except asyncio.CancelledError:  # the client went away: nobody waits any more
            self.batches.abandon(pending)
            raise
        if not done and self.batches.abandon(pending):
            return self._fallback(request, fallback)
        answer = await waiting
        reply = Reply(status=answer.status, headers=dict(answer.headers), body=answer.body)
        reply = self._encode(request, reply)
        reply.source = "agent"
        return reply

    def _responses(self, operation: Operation) -> dict[str, Any]:
        found = self._schemas.get(operation.id)
        if found is None:
            found = self._schemas[operation.id] = response_schemas(operation, self._defs)
        return found

    def _fallback(self, request: Request, fallback: Reply) -> Reply:
        if self.fallback != "error":
            if not fallback.source.startswith("agent"):
                fallback.source = f"{fallback.source} (agent timeout)"
            return fallback
        status = _TIMEOUT_STATUS.get(self.protocol, "504")
        detail = f"no agent answered within {self.timeout * 1000:g} ms"
        if status.isdigit():
            body: dict[str, Any] = {"title": "Gateway Timeout", "status": int(status)}
            body["detail"] = detail
            media_type = "application/problem+json"
        else:
            body, media_type = {"message": detail}, "application/json"
        return Reply(status=status, body=body, media_type=media_type, source="agent:timeout")

    # -- the admin API -----------------------------------------------------

    def status(self) -> dict[str, Any]:
        pending, claimed, waiting, runs = self.batches.counts()
        return {
            "mode": self.mode,
            "pending_batches": pending,
            "claimed_batches": claimed,
            "waiting_requests": waiting,
            "runs": runs,
        }

    def runs(self) -> dict[str, Any]:
        return {"runs": self.batches.runs()}

    def claim(self, body: Any) -> dict[str, Any] | None:
        """Claim the next batch (``{"run_id"?, "lease_ms"?}``); None: nothing pending."""
        if body is None:
            body = {}
        if not isinstance(body, dict):
            raise BadAgentCall("the request body must be a JSON object: {run_id?, lease_ms?}")
        unknown = sorted(set(body) - {"run_id", "lease_ms"})
        if unknown:
            raise BadAgentCall(f"unknown key(s) {', '.join(unknown)}; expected run_id, lease_ms")
        run_id = body.get("run_id")
        if run_id is not None and (not isinstance(run_id, str) or not run_id):
            raise BadAgentCall("'run_id' must be a test run id (a non-empty string)")
        lease_ms = body.get("lease_ms", DEFAULT_LEASE_MS)
        if (
            isinstance(lease_ms, bool)
            or not isinstance(lease_ms, int | float)
            or not 1 <= lease_ms <= MAX_LEASE_MS
        ):
            raise BadAgentCall(f"'lease_ms' must be a number of milliseconds, 1-{MAX_LEASE_MS}")
        return self.batches.claim(run_id, float(lease_ms))

    def get_batch(self, batch_id: str) -> dict[str, Any]:
        return self.batches.get(batch_id)

    def provide(self, batch_id: str, body: Any) -> dict[str, Any]:
        """Check the provided mocks and answer the requests; save those asked to be."""
        token = claim_token_of(body)
        mock_list(body)
        live = {request.request_id: request for request in self.batches.claimed(batch_id, token)}
        provided = provided_mocks(body, live, self._checker)
        waiting: dict[str, Waiting] = {key: request.context for key, request in live.items()}
        answers = {item.request_id: item.answer for item in provided}
        answered = self.batches.answer(batch_id, token, answers)
        saved: list[str] = []
        not_saved: list[dict[str, Any]] = []
        for item in provided:
            if not item.save or self._mocks is None:
                continue
            context = waiting[item.request_id]
            document = saved_mock(context.request, item.answer)
            try:
                route = context.request.agent
                scenario = route.scenario if route is not None else None
                folder = context.operation.id
                saved.append(self._mocks.save_mock(document, subfolder=folder, scenario=scenario))
            except MockError as error:
                problems = [problem.render() for problem in error.problems]
                not_saved.append({"request_id": item.request_id, "problems": problems})
            except OSError as error:  # a full disk, a read-only folder: the answer stands
                not_saved.append({"request_id": item.request_id, "problems": [str(error)]})
        result: dict[str, Any] = {"answered": answered, "saved": saved}
        if not_saved:
            result["not_saved"] = not_saved
        return result

    def release(self, batch_id: str, body: Any) -> dict[str, Any]:
        token = claim_token_of(body)
        reason = body.get("reason")
        if reason is not None and not isinstance(reason, str):
            raise BadAgentCall("'reason' must be text")
        return {"state": self.batches.release(batch_id, token)}
