"""``mockc mcp`` driven by the official MCP SDK client, over stdio (spawned as a
subprocess) and over streamable HTTP: a server generated from the corpus
petstore, started, sent real HTTP requests, discovered, its journal queried
(the analysis is the admin API's own), a mock changed and a scenario switched
and seen in its answers, then stopped; bad inputs give tool errors."""

from __future__ import annotations

import asyncio
import importlib.util
import json
import socket
import subprocess
import sys
from collections.abc import Awaitable, Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import httpx2
import pytest
from mcp import Client
from mcp.client.streamable_http import streamable_http_client

from mockc.runtime.mocks.schema import MOCK_SCHEMA
from tests.support.mcp_tools import (
    MOCKC_MCP,
    http_server,
    stdio_parameters,
    stop_registered,
    structured,
    text_of,
)

ROOT = Path(__file__).resolve().parents[3]
PETSTORE = ROOT / "tests" / "corpus" / "openapi" / "oai-petstore-v3" / "petstore.yaml"

Call = Callable[[str, dict[str, Any]], Awaitable[Any]]


@pytest.fixture(autouse=True)
def _no_server_left(tmp_path: Path) -> Iterator[None]:
    yield
    stop_registered(tmp_path / "state")


async def _session(client: Client, work: Path, name: str) -> dict[str, Any]:
    """The whole flow; returns what the checks below need."""
    seen: dict[str, Any] = {}

    async def call(tool: str, arguments: dict[str, Any]) -> Any:
        return await client.call_tool(tool, arguments)

    out = work / "petstore"
    tools = {tool.name for tool in (await client.list_tools()).tools}
    seen["tools"] = tools
    generate = {"out": str(out), "specs": [str(PETSTORE)], "link_runtime": True}
    seen["generated"] = structured(await call("generate_mock_server", generate))
    # an edit of the user's survives regeneration, and the merge report says so
    listed = out / "mocks" / "listPets.yaml"
    listed.write_text(listed.read_text().replace("description:", "priority: 1\ndescription:"))
    seen["regenerated"] = structured(await call("generate_mock_server", generate))

    started = structured(await call("start_mock_server", {"folder": str(out), "name": name}))
    seen["started"] = started
    url = started["url"]
    seen["again"] = structured(await call("start_mock_server", {"folder": str(out)}))

    async with httpx.AsyncClient(base_url=url, trust_env=False) as http:
        seen["pets"] = (await http.get("/pets")).json()
        answer = await call(
            "manage_mock_data",
            {
                "server": name,
                "action": "create_mock",
                "mock": {
                    "id": "pet-42",
                    "operation": "showPetById",
                    "match": {"path": {"petId": "42"}},
                    "response": {"status": 200, "body": {"id": 42, "name": "Answer"}},
                },
            },
        )
        seen["created"] = structured(answer)
        seen["pet_42"] = (await http.get("/pets/42")).json()
        deleted = {"server": name, "action": "delete_mock", "mock_id": "showPetById"}
        seen["deleted"] = structured(await call("manage_mock_data", deleted))
        seen["pet_7"] = (await http.get("/pets/7")).status_code  # matches no mock now
        seen["bad_mock"] = await call(
            "manage_mock_data",
            {
                "server": name,
                "action": "create_mock",
                "mock": {"operation": "noSuchOperation", "response": {"status": 200}},
            },
        )
        updated = {
            "id": "listPets",
            "operation": "listPets",
            "response": {"status": 200, "body": [{"id": 1, "name": "Changed"}]},
        }
        update = {"server": name, "action": "update_mock", "mock_id": "listPets", "mock": updated}
        seen["updated"] = structured(await call("manage_mock_data", update))
        seen["pets_changed"] = (await http.get("/pets")).json()
        scenario = {
            "server": name,
            "action": "create_scenario",
            "scenario": "empty",
            "scenario_mocks": [{"operation": "listPets", "response": {"status": 200, "body": []}}],
        }
        seen["scenario"] = structured(await call("manage_mock_data", scenario))
        switch = {"server": name, "action": "switch_scenario", "scenario": "empty"}
        seen["switched"] = structured(await call("manage_mock_data", switch))
        seen["pets_in_scenario"] = (await http.get("/pets")).json()
        seen["scenarios"] = structured(
            await call("manage_mock_data", {"server": name, "action": "list_scenarios"})
        )

        seen["logs"] = structured(await call("query_mock_logs", {"server": name}))
        seen["analysis_direct"] = (await http.get("/__mockc/journal/analysis")).json()
        unmatched = {"server": url, "unmatched": True, "limit": 5}
        seen["unmatched"] = structured(await call("query_mock_logs", unmatched))
        by_path = {"server": str(out), "path": "^/pets/42$", "status": "200"}
        seen["by_path"] = structured(await call("query_mock_logs", by_path))
        seen["reset"] = structured(
            await call("manage_mock_data", {"server": name, "action": "reset_state"})
        )

    seen["discovered"] = structured(await call("discover_mock_servers", {"folder": str(work)}))
    seen["agent_status"] = await call("get_status", {"server": name})
    seen["stopped"] = structured(await call("stop_mock_server", {"server": name}))
    seen["after_stop"] = structured(await call("discover_mock_servers", {"folder": str(work)}))
    seen["stopped_logs"] = await call("query_mock_logs", {"server": url})

    seen["missing_spec"] = await call(
        "generate_mock_server", {"out": str(work / "x"), "specs": [str(work / "nope.yaml")]}
    )
    broken = {"api.yaml": "openapi: 3.0.0\ninfo: {title: t}\npaths: {/a: 12}\n"}
    seen["broken_spec"] = await call(
        "generate_mock_server", {"out": str(work / "y"), "spec_files": broken}
    )
    seen["no_server_py"] = await call("start_mock_server", {"folder": str(work)})
    seen["unknown_server"] = await call("query_mock_logs", {"server": "nobody"})
    seen["bad_arguments"] = await call("manage_mock_data", {"server": name, "action": "explode"})
    schema = await client.read_resource("mockc://schema/mock")
    seen["schema"] = json.loads(schema.contents[0].text)
    seen["resources"] = [str(r.uri) for r in (await client.list_resources()).resources]
    return seen


def _check(seen: dict[str, Any], out: Path, name: str) -> None:
    assert {
        "generate_mock_server",
        "start_mock_server",
        "stop_mock_server",
        "discover_mock_servers",
        "query_mock_logs",
        "manage_mock_data",
        "get_status",
        "list_runs",
        "claim_next_batch",
        "get_batch",
        "provide_batch_mock_data",
        "release_batch",
    } == seen["tools"]

    generated = seen["generated"]
    assert generated["operation_ids"] == ["listPets", "createPets", "showPetById"]
    operations = generated["servers"][0]["operations"]
    assert {"id": "listPets", "kind": "http", "method": "GET", "path": "/pets"} in operations
    assert generated["merge_report"]["counts"]["added"] > 0
    regenerated = seen["regenerated"]
    assert "mocks/listPets.yaml" in regenerated["kept_user_files"]
    kinds = {(e["file"], e["kind"]) for e in regenerated["merge_report"]["entries"]}
    assert ("mocks/listPets.yaml", "kept-user-edit") in kinds

    started = seen["started"]
    assert started["name"] == name and started["protocol"] == "http"
    assert started["admin_token_required"] is False
    assert seen["again"]["already_running"] is True and seen["again"]["pid"] == started["pid"]
    assert isinstance(seen["pets"], list) and seen["pets"]

    assert seen["created"]["id"] == "pet-42"
    assert seen["pet_42"] == {"id": 42, "name": "Answer"}
    assert seen["deleted"] == {"action": "delete_mock", "done": True}
    assert seen["pet_7"] == 200  # the fallback answers what no mock matches
    bad = seen["bad_mock"]
    assert bad.is_error
    assert "answered 422" in text_of(bad) and "the mock is not valid" in text_of(bad)
    assert "noSuchOperation" in text_of(bad)
    assert seen["pets_changed"] == [{"id": 1, "name": "Changed"}]
    assert seen["switched"] == {"name": "empty"}
    assert seen["pets_in_scenario"] == []
    assert seen["scenarios"]["active"] == "empty"

    logs = seen["logs"]
    assert logs["analysis"] == seen["analysis_direct"]
    assert logs["analysis"]["count"] == logs["search"]["total"] == 5
    assert logs["analysis"]["unmatched"]["count"] == 1
    miss = logs["analysis"]["unmatched"]["top"][0]
    assert miss["operation"] == "showPetById" and miss["near_miss"][0]["mock"] == "pet-42"
    insights = " ".join(logs["insights"])
    assert "5 request(s)" in insights and "1 request(s) matched no mock" in insights
    assert "'pet-42'" in insights
    entries = seen["unmatched"]["search"]["entries"]
    assert [entry["target"] for entry in entries] == ["/pets/7"]
    assert [entry["target"] for entry in seen["by_path"]["search"]["entries"]] == ["/pets/42"]
    assert seen["reset"] == {"action": "reset_state", "done": True}

    discovered = seen["discovered"]
    found = next(g for g in discovered["generated"] if g["folder"] == str(out))
    assert found["title"] == "Swagger Petstore" and len(found["operations"]) == 3
    assert [(r["name"], r["health"]) for r in found["running"]] == [(name, "ok")]
    agent = seen["agent_status"]
    if importlib.util.find_spec("mockc.runtime.agent") is None:  # no agent routes: refused
        assert agent.is_error and "answered 404" in text_of(agent)
    else:
        assert structured(agent)["mode"] == "off"
    assert seen["stopped"]["stopped"] == name
    after = next(g for g in seen["after_stop"]["generated"] if g["folder"] == str(out))
    assert after["running"] == [] and seen["after_stop"]["running"] == []
    assert seen["stopped_logs"].is_error and "did not answer" in text_of(seen["stopped_logs"])

    for key, expected in (
        ("missing_spec", "no spec file at"),
        ("broken_spec", "api.yaml"),
        ("no_server_py", "has no server.py"),
        ("unknown_server", "no running server named 'nobody'"),
        ("bad_arguments", "action"),
    ):
        result = seen[key]
        assert result.is_error, key
        assert expected in text_of(result), (key, text_of(result))
        assert "Traceback" not in text_of(result)
    assert seen["schema"] == MOCK_SCHEMA
    assert "mockc://docs/mocks" in seen["resources"]


def test_over_stdio(tmp_path: Path) -> None:
    parameters = stdio_parameters(tmp_path / "state", tmp_path)

    async def run() -> dict[str, Any]:
        async with Client(parameters) as client:
            return await _session(client, tmp_path, "pets-stdio")

    _check(asyncio.run(run()), tmp_path / "petstore", "pets-stdio")


def test_over_streamable_http(tmp_path: Path) -> None:
    with http_server(tmp_path / "state", tmp_path) as server:

        async def run() -> dict[str, Any]:
            async with Client(f"{server.url}/mcp") as client:
                return await _session(client, tmp_path, "pets-http")

        seen = asyncio.run(run())
    _check(seen, tmp_path / "petstore", "pets-http")


@pytest.mark.parametrize("token", ["given", "made"])
def test_http_beyond_loopback_needs_a_token(tmp_path: Path, token: str) -> None:
    extra = ("--token", "s3cret") if token == "given" else ()
    with http_server(tmp_path / "state", tmp_path, *extra, host="0.0.0.0") as server:
        local = f"http://127.0.0.1:{server.port}"
        refused = httpx.post(f"{local}/mcp", json={}, headers={"authorization": "Bearer wrong"})
        assert refused.status_code == 401
        assert httpx.post(f"{local}/mcp", json={}).status_code == 401
        assert httpx.get(f"{local}/health").status_code == 200
        if token == "made":
            stderr = server.stderr
            secret = stderr.split("Authorization: Bearer ", 1)[1].split("'", 1)[0]
        else:
            secret = "s3cret"
        assert asyncio.run(_tool_names(f"{local}/mcp", secret)) >= {"generate_mock_server"}


async def _tool_names(url: str, token: str) -> set[str]:
    http = httpx2.AsyncClient(headers={"authorization": f"Bearer {token}"})
    async with http, Client(streamable_http_client(url, http_client=http)) as client:
        return {tool.name for tool in (await client.list_tools()).tools}


def test_the_cli_starts_without_the_mcp_sdk() -> None:
    """``mockc`` imports the tool server (and the MCP SDK) only for ``mockc mcp``."""
    code = "import sys, mockc.compiler.cli; print(sorted(m for m in sys.modules if m == 'mcp'))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


def test_a_busy_port_is_a_clear_error(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = subprocess.run(
            [*MOCKC_MCP, "--http", "--port", str(port)],
            capture_output=True,
            text=True,
            timeout=60,
        )
    assert done.returncode == 2
    assert f"mockc mcp: port {port} on 127.0.0.1 is already in use" in done.stderr
    assert "Traceback" not in done.stderr
