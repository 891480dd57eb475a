"""The agent workflow tools end to end on a real generated server: a request no
mock matches waits for the agent; the tools see the run, claim its batch,
have wrong data refused with the admin API's problems, answer it (saved as a
mock), and the waiting request gets that answer."""

from __future__ import annotations

import asyncio
import importlib.util
import threading
import time
from pathlib import Path
from typing import Any

import httpx
import pytest
from mcp import Client

from mockc.compiler.assistant import ToolContext, build_server
from tests.support.mcp_tools import stop_registered, structured, text_of

ROOT = Path(__file__).resolve().parents[3]
PETSTORE = ROOT / "tests" / "corpus" / "openapi" / "oai-petstore-v3" / "petstore.yaml"

pytestmark = pytest.mark.skipif(
    importlib.util.find_spec("mockc.runtime.agent") is None,
    reason="this runtime has no agent workflow (mockc.runtime.agent, MOCKC_AGENT)",
)


async def _session(client: Client, work: Path) -> dict[str, Any]:
    seen: dict[str, Any] = {}

    async def call(tool: str, arguments: dict[str, Any]) -> Any:
        return await client.call_tool(tool, arguments)

    out = work / "petstore"
    generate = {"out": str(out), "specs": [str(PETSTORE)], "link_runtime": True}
    structured(await call("generate_mock_server", generate))
    settings = {"MOCKC_AGENT": "unmatched", "MOCKC_AGENT_TIMEOUT_MS": "20000"}
    start = {"folder": str(out), "name": "agent-pets", "settings": settings}
    started = structured(await call("start_mock_server", start))
    server = {"server": "agent-pets"}

    answers: list[httpx.Response] = []
    waiting = threading.Thread(
        target=lambda: answers.append(
            httpx.get(f"{started['url']}/pets/5", headers={"x-mockc-run": "run-a"}, timeout=30)
        )
    )
    waiting.start()
    deadline = time.monotonic() + 10
    batch: dict[str, Any] = {"batch": None}
    while batch.get("batch_id") is None and time.monotonic() < deadline:
        seen["status"] = structured(await call("get_status", server))
        seen["runs"] = structured(await call("list_runs", server))
        if seen["status"]["pending_batches"]:  # claimable once its window closed
            batch = structured(await call("claim_next_batch", {**server, "run_id": "run-a"}))
        await asyncio.sleep(0.05)
    seen["batch"] = batch
    claim = {**server, "batch_id": batch["batch_id"], "claim_token": batch["claim_token"]}
    request_id = batch["requests"][0]["request_id"]
    seen["claimed"] = structured(await call("get_batch", {**server, "batch_id": batch["batch_id"]}))
    wrong = [{"request_id": request_id, "body": {"id": "five"}}]
    seen["invalid"] = await call("provide_batch_mock_data", {**claim, "mocks": wrong})
    good = [{"request_id": request_id, "body": {"id": 5, "name": "Rex"}, "save": True}]
    seen["provided"] = structured(await call("provide_batch_mock_data", {**claim, "mocks": good}))
    waiting.join(30)
    seen["answer"] = answers[0].status_code, answers[0].json()
    seen["late_release"] = await call("release_batch", claim)
    seen["nothing"] = structured(await call("claim_next_batch", server))
    seen["unknown"] = await call("get_batch", {**server, "batch_id": "no-such-batch"})
    structured(await call("stop_mock_server", server))
    return seen


def test_a_batch_claimed_answered_and_saved(tmp_path: Path) -> None:
    context = ToolContext.create(state=tmp_path / "state" / "mockc")
    context.admin.orchestrator = context.orchestrator = None

    async def run() -> dict[str, Any]:
        async with Client(build_server(context)) as client:
            return await _session(client, tmp_path)

    try:
        seen = asyncio.run(run())
    finally:
        stop_registered(tmp_path / "state")
    assert seen["status"]["mode"] == "unmatched" and seen["status"]["runs"] == ["run-a"]
    assert [run["run_id"] for run in seen["runs"]["runs"]] == ["run-a"]
    batch = seen["batch"]
    assert batch["run_id"] == "run-a"
    [request] = batch["requests"]
    assert request["operation"] == "showPetById" and request["request"]["path"] == "/pets/5"
    assert "200" in request["responses"]
    assert seen["claimed"]["state"] == "claimed"
    invalid = text_of(seen["invalid"])
    assert seen["invalid"].is_error and "answered 422" in invalid
    assert '"code": "invalid_mock_data"' in invalid and '"pointer": "/mocks/0/body' in invalid
    assert seen["provided"]["answered"] == 1 and len(seen["provided"]["saved"]) == 1
    assert seen["answer"] == (200, {"id": 5, "name": "Rex"})
    late = text_of(seen["late_release"])
    assert seen["late_release"].is_error and '"code": "claim_expired"' in late
    assert seen["nothing"] == {"batch": None, "message": "no batch is pending"}
    assert seen["unknown"].is_error and '"code": "no_such_batch"' in text_of(seen["unknown"])
