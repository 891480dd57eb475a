"""The agent workflow tools: a server hands the requests no mock answers (or
mocks saying ``source: agent``) to an agent in batches, per test run; these
tools claim a batch, read it, answer it with mock data, or release it, through
the server's admin API (``/__mockc/agent/…``)."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import Field

from .admin import segment
from .context import ToolContext

__all__ = ["AgentTools"]

_SERVER = Field(description="URL, or name (or folder) from start_mock_server/discover.")
_TOKEN = Field(description="The server's admin token, if it needs one.")
_BATCH = Field(description="The batch's id (from claim_next_batch).")
_CLAIM = Field(description="The claim token claim_next_batch returned.")


class AgentTools:
    def __init__(self, context: ToolContext) -> None:
        self.context = context

    async def _call(
        self,
        server: str,
        admin_token: str | None,
        method: str,
        path: str,
        body: Any = None,
    ) -> tuple[int, Any]:
        api = self.context.admin
        return await api.call(api.target(server, admin_token), method, path, body=body)

    async def get_status(
        self, server: Annotated[str, _SERVER], admin_token: Annotated[str | None, _TOKEN] = None
    ) -> dict[str, Any]:
        """The server's agent mode and queue: pending and claimed batches, waiting
        requests, and the test runs that have some."""
        _, document = await self._call(server, admin_token, "GET", "agent")
        return dict(document or {})

    async def list_runs(
        self, server: Annotated[str, _SERVER], admin_token: Annotated[str | None, _TOKEN] = None
    ) -> dict[str, Any]:
        """The test runs (X-Mockc-Run) with requests waiting for mock data."""
        _, document = await self._call(server, admin_token, "GET", "agent/runs")
        return dict(document or {})

    async def claim_next_batch(
        self,
        server: Annotated[str, _SERVER],
        run_id: Annotated[str | None, Field(description="Only this test run's batches.")] = None,
        lease_ms: Annotated[
            int | None, Field(ge=1, description="How long the claim holds (server default).")
        ] = None,
        admin_token: Annotated[str | None, _TOKEN] = None,
    ) -> dict[str, Any]:
        """Claim the next pending batch of requests waiting for mock data: each
        request with its operation, the request itself and the JSON Schema of each
        response it may get. Answer with provide_batch_mock_data before the lease
        expires, or release_batch. {"batch": null} when nothing is pending."""
        body: dict[str, Any] = {}
        if run_id is not None:
            body["run_id"] = run_id
        if lease_ms is not None:
            body["lease_ms"] = lease_ms
        status, document = await self._call(server, admin_token, "POST", "agent/claim", body)
        if status == 204 or document is None:
            return {"batch": None, "message": "no batch is pending"}
        return dict(document)

    async def get_batch(
        self,
        server: Annotated[str, _SERVER],
        batch_id: Annotated[str, _BATCH],
        admin_token: Annotated[str | None, _TOKEN] = None,
    ) -> dict[str, Any]:
        """A batch: its state (pending, claimed, answered, released, expired), its
        lease and its requests."""
        path = f"agent/batches/{segment(batch_id)}"
        _, document = await self._call(server, admin_token, "GET", path)
        return dict(document or {})

    async def provide_batch_mock_data(
        self,
        server: Annotated[str, _SERVER],
        batch_id: Annotated[str, _BATCH],
        claim_token: Annotated[str, _CLAIM],
        mocks: Annotated[
            list[dict[str, Any]],
            Field(
                description="One answer per request: {request_id, status? ('200'), body, "
                "headers?, save? (true: also saved as a mock file)}."
            ),
        ],
        admin_token: Annotated[str | None, _TOKEN] = None,
    ) -> dict[str, Any]:
        """Answer a claimed batch's requests with mock data. Data that does not fit
        the response schemas is refused with each problem (request, JSON pointer,
        message) and the claim is kept: fix it and call again."""
        path = f"agent/batches/{segment(batch_id)}/provide"
        body = {"claim_token": claim_token, "mocks": mocks}
        _, document = await self._call(server, admin_token, "POST", path, body)
        return dict(document or {})

    async def release_batch(
        self,
        server: Annotated[str, _SERVER],
        batch_id: Annotated[str, _BATCH],
        claim_token: Annotated[str, _CLAIM],
        reason: Annotated[str | None, Field(description="Why (kept in the server's log).")] = None,
        admin_token: Annotated[str | None, _TOKEN] = None,
    ) -> dict[str, Any]:
        """Give a claimed batch back unanswered: it is pending again."""
        path = f"agent/batches/{segment(batch_id)}/release"
        body: dict[str, Any] = {"claim_token": claim_token}
        if reason is not None:
            body["reason"] = reason
        _, document = await self._call(server, admin_token, "POST", path, body)
        return dict(document or {})
