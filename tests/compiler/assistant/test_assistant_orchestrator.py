"""With MOCKC_ORCHESTRATOR_URL and MOCKC_ORCHESTRATOR_TOKEN set, ``mockc mcp``
creates, starts and stops servers on a real orchestrator, and reaches their
admin APIs through its proxy (mocks, journal and analysis)."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import httpx
from mcp import Client

from tests.orchestrator.harness import Orchestrator
from tests.support.mcp_tools import stdio_parameters, structured, text_of

ROOT = Path(__file__).resolve().parents[3]
PETSTORE = ROOT / "tests" / "corpus" / "openapi" / "oai-petstore-v3" / "petstore.yaml"


async def _session(client: Client, orchestrator: Orchestrator) -> dict[str, Any]:
    seen: dict[str, Any] = {}

    async def call(tool: str, arguments: dict[str, Any]) -> Any:
        return await client.call_tool(tool, arguments)

    started = structured(
        await call("start_mock_server", {"name": "pets", "specs": [str(PETSTORE)]})
    )
    seen["started"] = started
    mock = {
        "id": "pet-42",
        "operation": "showPetById",
        "match": {"path": {"petId": "42"}},
        "response": {"status": 200, "body": {"id": 42, "name": "Answer"}},
    }
    create = {"server": "pets", "action": "create_mock", "mock": mock}
    seen["created"] = structured(await call("manage_mock_data", create))
    async with httpx.AsyncClient(base_url=started["url"], trust_env=False) as http:
        seen["pet_42"] = (await http.get("/pets/42")).json()
        await http.get("/pets")
    bad = {"server": "pets", "action": "create_mock", "mock": {"operation": "nope"}}
    seen["bad"] = await call("manage_mock_data", bad)
    seen["logs"] = structured(await call("query_mock_logs", {"server": "pets"}))
    headers = {"authorization": f"Bearer {orchestrator.admin_token}"}
    async with httpx.AsyncClient(base_url=orchestrator.url, headers=headers) as direct:
        seen["analysis"] = (await direct.get("/servers/pets/journal/analysis")).json()
    seen["discovered"] = structured(await call("discover_mock_servers", {"folder": str(ROOT)}))
    seen["stopped"] = structured(await call("stop_mock_server", {"server": "pets"}))
    seen["restarted"] = structured(await call("start_mock_server", {"name": "pets"}))
    seen["stopped_again"] = structured(await call("stop_mock_server", {"server": "pets"}))
    return seen


def test_servers_through_the_orchestrator(tmp_path: Path) -> None:
    with Orchestrator(tmp_path / "data") as orchestrator:
        env = {
            "MOCKC_ORCHESTRATOR_URL": orchestrator.url,
            "MOCKC_ORCHESTRATOR_TOKEN": orchestrator.admin_token,
        }
        parameters = stdio_parameters(tmp_path / "state", tmp_path, env)

        async def run() -> dict[str, Any]:
            async with Client(parameters) as client:
                return await _session(client, orchestrator)

        seen = asyncio.run(run())

    assert seen["started"]["status"] == "running" and seen["started"]["name"] == "pets"
    assert seen["created"]["id"] == "pet-42"
    assert seen["pet_42"] == {"id": 42, "name": "Answer"}
    assert seen["bad"].is_error and "answered 422" in text_of(seen["bad"])
    logs = seen["logs"]
    assert logs["analysis"]["count"] == 2
    assert logs["analysis"] == seen["analysis"]
    listed = seen["discovered"]["orchestrator"]["servers"]
    assert [server["name"] for server in listed] == ["pets"]
    assert seen["stopped"]["status"] == "stopped"
    assert seen["restarted"]["status"] == "running"
    assert seen["stopped_again"]["status"] == "stopped"
