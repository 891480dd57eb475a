"""The agent workflow tools against the admin API contract of agent batches
(``/__mockc/agent/…``): what each tool sends, and that the admin API's answers
and refusals (204, 403, 404, 409, 422) reach the assistant unchanged.

The server side of the contract is served here by a small HTTP server that
answers as the contract says, so these tests pin the requests the tools make."""

from __future__ import annotations

import asyncio
import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from mcp import Client

from mockc.compiler.assistant import ToolContext, build_server
from mockc.compiler.assistant.orchestrator import Orchestrator
from tests.support.mcp_tools import structured, text_of

BATCH = {
    "batch_id": "b-1",
    "claim_token": "claim-1",
    "run_id": "run-a",
    "lease_expires_at": "2026-01-01T00:00:30Z",
    "requests": [
        {
            "request_id": "r-1",
            "operation": "showPetById",
            "protocol": "http",
            "request": {
                "method": "GET",
                "path": "/pets/7",
                "query": {},
                "headers": {},
                "body": None,
            },
            "responses": {"200": {"schema": {"type": "object"}, "media_type": "application/json"}},
        }
    ],
}
INVALID = {
    "type": "about:blank",
    "title": "Provided mock data is invalid",
    "status": 422,
    "code": "invalid_mock_data",
    "errors": [{"request_id": "r-1", "pointer": "/body", "message": "12 is not of type 'object'"}],
}


class _AgentApi(BaseHTTPRequestHandler):
    received: list[tuple[str, str, Any, str]] = []
    claims = 0

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def _answer(self, status: int, document: Any = None) -> None:
        body = b"" if document is None else json.dumps(document).encode()
        self.send_response(status)
        problem = status >= 400
        kind = "application/problem+json" if problem else "application/json"
        self.send_header("content-type", kind)
        self.send_header("content-length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _record(self) -> Any:
        length = int(self.headers.get("content-length") or 0)
        body = json.loads(self.rfile.read(length)) if length else None
        auth = self.headers.get("authorization") or ""
        _AgentApi.received.append((self.command, self.path, body, auth))
        return body

    def do_GET(self) -> None:
        self._record()
        if self.path == "/__mockc/agent":
            self._answer(
                200,
                {
                    "mode": "unmatched",
                    "pending_batches": 1,
                    "claimed_batches": 0,
                    "waiting_requests": 1,
                    "runs": ["run-a"],
                },
            )
        elif self.path == "/__mockc/agent/runs":
            run = {"run_id": "run-a", "pending_batches": 1, "claimed_batches": 0}
            self._answer(200, {"runs": [{**run, "waiting_requests": 1}]})
        elif self.path == "/__mockc/agent/batches/b-1":
            self._answer(200, {**BATCH, "state": "claimed"})
        else:
            self._answer(404, {"title": "Not Found", "status": 404, "code": "no_such_batch"})

    def do_POST(self) -> None:
        body = self._record()
        if self.path == "/__mockc/agent/claim":
            _AgentApi.claims += 1
            if _AgentApi.claims == 1:
                self._answer(200, BATCH)
            else:
                self._answer(204)
        elif self.path.startswith("/__mockc/agent/batches/b-1/"):
            if body.get("claim_token") != "claim-1":
                self._answer(
                    403, {"title": "Forbidden", "status": 403, "code": "wrong_claim_token"}
                )
            elif self.path.endswith("/release"):
                self._answer(200, {"state": "pending"})
            elif not isinstance(body["mocks"][0].get("body"), dict):
                self._answer(422, INVALID)
            else:
                self._answer(200, {"answered": 1, "saved": ["mocks/showPetById/r-1.json"]})
        elif self.path.startswith("/__mockc/agent/batches/"):
            self._answer(409, {"title": "Conflict", "status": 409, "code": "claim_expired"})
        else:
            self._answer(404, {"title": "Not Found", "status": 404})


@pytest.fixture(scope="module")
def agent_api() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _AgentApi)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def _run(state: Path, calls: list[tuple[str, dict[str, Any]]]) -> list[Any]:
    context = ToolContext.create(state=state, orchestrator=None)

    async def run() -> list[Any]:
        async with Client(build_server(context)) as client:
            return [await client.call_tool(tool, arguments) for tool, arguments in calls]

    return asyncio.run(run())


def test_the_batch_workflow(agent_api: str, tmp_path: Path) -> None:
    server = {"server": agent_api, "admin_token": "admin-secret"}
    claimed = {**server, "batch_id": "b-1", "claim_token": "claim-1"}
    good = [{"request_id": "r-1", "status": "200", "body": {"id": 7, "name": "Rex"}, "save": True}]
    results = _run(
        tmp_path,
        [
            ("get_status", server),
            ("list_runs", server),
            ("claim_next_batch", {**server, "run_id": "run-a", "lease_ms": 30000}),
            ("get_batch", {**server, "batch_id": "b-1"}),
            ("provide_batch_mock_data", {**claimed, "mocks": [{"request_id": "r-1", "body": 12}]}),
            ("provide_batch_mock_data", {**claimed, "mocks": good}),
            ("release_batch", {**claimed, "reason": "cannot tell"}),
            ("claim_next_batch", server),
            ("release_batch", {**claimed, "claim_token": "stolen"}),
            ("get_batch", {**server, "batch_id": "b-9"}),
            ("release_batch", {**claimed, "batch_id": "b-2"}),
        ],
    )
    status, runs, claim, batch, invalid, provided, released, empty = results[:8]
    wrong_token, unknown, expired = results[8:]
    assert structured(status)["runs"] == ["run-a"]
    assert structured(runs)["runs"][0]["run_id"] == "run-a"
    assert structured(claim) == BATCH
    assert structured(batch)["state"] == "claimed"
    assert invalid.is_error
    text = text_of(invalid)
    assert "answered 422: Provided mock data is invalid" in text
    assert json.loads(text[text.index("{") :]) == INVALID  # the problem, unchanged
    assert structured(provided) == {"answered": 1, "saved": ["mocks/showPetById/r-1.json"]}
    assert structured(released) == {"state": "pending"}
    assert structured(empty) == {"batch": None, "message": "no batch is pending"}
    for result, code in ((wrong_token, 403), (unknown, 404), (expired, 409)):
        assert result.is_error and f"answered {code}" in text_of(result)
    assert '"code": "wrong_claim_token"' in text_of(wrong_token)
    assert '"code": "claim_expired"' in text_of(expired)

    sent = {(method, path): body for method, path, body, _ in _AgentApi.received}
    assert sent[("POST", "/__mockc/agent/claim")] == {}  # the last claim: no filters
    assert sent[("POST", "/__mockc/agent/batches/b-1/provide")] == {
        "claim_token": "claim-1",
        "mocks": good,
    }
    assert sent[("POST", "/__mockc/agent/batches/b-1/release")] == {"claim_token": "stolen"}
    first_claim = next(b for m, p, b, _ in _AgentApi.received if p == "/__mockc/agent/claim")
    assert first_claim == {"run_id": "run-a", "lease_ms": 30000}
    assert {auth for *_, auth in _AgentApi.received} == {"Bearer admin-secret"}


def test_the_orchestrator_proxy_is_used_for_its_servers(agent_api: str, tmp_path: Path) -> None:
    """A server name unknown locally goes through the orchestrator's admin proxy."""
    context = ToolContext.create(state=tmp_path, orchestrator=None)
    context.admin.orchestrator = Orchestrator(url=agent_api, token="orch-token")
    target = context.admin.target("pets")
    assert target.base == f"{agent_api}/servers/pets/admin/"
    assert target.headers["authorization"] == "Bearer orch-token"
