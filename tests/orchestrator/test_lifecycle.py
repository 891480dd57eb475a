"""The whole life of a server through the orchestrator, for each protocol, over real
HTTP with a real client of the server's own protocol: create → it answers → edit a
mock through the orchestrator → it answers the edit → the orchestrator restarts
(SIGTERM: servers restarted; SIGKILL: servers adopted) → regenerate from a changed
spec (the edit survives, the report says so) → stop → start → delete → gone."""

from __future__ import annotations

import os
import signal
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import grpc
import httpx
import pytest

from tests.support.corpus import CORPUS
from tests.support.grpc_kit import compile_stubs

from .harness import Orchestrator

PETSTORE = CORPUS / "openapi/oai-petstore-expanded-v3/petstore-expanded.yaml"
HELLO = CORPUS / "proto/grpc-helloworld/helloworld.proto"
SWAPI = CORPUS / "graphql/swapi/schema.graphql"


def pid_alive(pid: int) -> bool:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return False
    return "\nState:\tZ" not in status


@dataclass
class Case:
    file: Path
    mock_id: str
    edited_body: dict[str, Any]
    ask: Callable[[dict[str, Any], Path], Any]
    """(server document, scratch folder) → the answer the server gives now."""
    expected: Callable[[Any], bool]
    change: Callable[[str], str]
    """The spec text → a changed spec (one more operation)."""
    new_operation: str


def _ask_http(server: dict[str, Any], _: Path) -> Any:
    response = httpx.get(server["url"] + "/pets", timeout=10)
    assert response.status_code == 200, response.text
    return response.json()


def _ask_grpc(server: dict[str, Any], scratch: Path) -> Any:
    stubs = compile_stubs(scratch / "stubs", HELLO.parent, [HELLO.name])
    pb, pb_grpc = stubs.modules("helloworld")
    with grpc.insecure_channel(f"127.0.0.1:{server['port']}") as channel:
        reply = pb_grpc.GreeterStub(channel).SayHello(pb.HelloRequest(name="ada"), timeout=10)
    return reply.message


def _ask_graphql(server: dict[str, Any], _: Path) -> Any:
    response = httpx.post(
        server["url"] + "/graphql",
        json={"query": '{ film(id: "1") { title } }'},
        timeout=10,
    )
    assert response.status_code == 200, response.text
    return response.json()["data"]["film"]["title"]


CASES = {
    "openapi": Case(
        file=PETSTORE,
        mock_id="findPets",
        edited_body={"status": 200, "body": [{"id": 7, "name": "edited through orchestrator"}]},
        ask=_ask_http,
        expected=lambda answer: answer == [{"id": 7, "name": "edited through orchestrator"}],
        change=lambda text: text.replace(
            "  /pets/{id}:",
            "  /owners:\n    get:\n      operationId: listOwners\n      responses:\n"
            "        '200':\n          description: owners\n          content:\n"
            "            application/json:\n              schema:\n                type: array\n"
            "                items:\n                  type: string\n  /pets/{id}:",
            1,
        ),
        new_operation="listOwners",
    ),
    "grpc": Case(
        file=HELLO,
        mock_id="Greeter_SayHello",
        edited_body={"status": "OK", "body": {"message": "edited through orchestrator"}},
        ask=_ask_grpc,
        expected=lambda answer: answer == "edited through orchestrator",
        change=lambda text: text.replace(
            "  rpc SayHelloAgain",
            "  rpc SayGoodbye (HelloRequest) returns (HelloReply) {}\n  rpc SayHelloAgain",
            1,
        ),
        new_operation="Greeter_SayGoodbye",
    ),
    "graphql": Case(
        file=SWAPI,
        mock_id="query_film",
        edited_body={"body": {"title": "edited through orchestrator"}},
        ask=_ask_graphql,
        expected=lambda answer: answer == "edited through orchestrator",
        change=lambda text: text.replace("type Root {\n", "type Root {\n  greeting: String\n", 1),
        new_operation="query_greeting",
    ),
}


def _wait_running(client: httpx.Client, name: str, timeout: float = 60) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while True:
        found = client.get(f"/servers/{name}")
        assert found.status_code == 200, found.text
        document = found.json()
        if document["status"] == "running" and document["health"] == "ok":
            return document
        assert time.monotonic() < deadline, document
        time.sleep(0.1)


def test_openapi_lifecycle(database: str | None, tmp_path: Path) -> None:
    """On SQLite and on PostgreSQL."""
    _lifecycle("openapi", tmp_path, database)


@pytest.mark.parametrize("protocol", ["grpc", "graphql"])
def test_lifecycle(protocol: str, tmp_path: Path) -> None:
    _lifecycle(protocol, tmp_path, None)


def _lifecycle(protocol: str, tmp_path: Path, database: str | None) -> None:
    case = CASES[protocol]
    spec = case.file.read_text()
    with (
        Orchestrator(tmp_path / "data", db=database) as orch,
        orch.client(orch.admin_token) as client,
    ):
        created = client.post("/servers", json={"name": "api", "files": {case.file.name: spec}})
        assert created.status_code == 201, created.text
        server = created.json()
        assert server["status"] == "running" and server["health"] == "ok"
        assert server["protocol"] == {"openapi": "http"}.get(protocol, protocol)
        assert case.mock_id.split("_")[-1] in " ".join(server["operations"])
        assert pid_alive(server["pid"])
        assert not case.expected(case.ask(server, tmp_path))

        mock = {"id": case.mock_id, "operation": case.mock_id, "response": case.edited_body}
        edited = client.put(f"/servers/api/mocks/{case.mock_id}", json=mock)
        assert edited.status_code == 200, edited.text
        assert case.expected(case.ask(server, tmp_path))  # served at once
        assert client.get(f"/servers/api/mocks/{case.mock_id}").json()["response"] == (
            case.edited_body
        )

        # the orchestrator stops (SIGTERM stops its children) and comes back
        first_pid = server["pid"]
        assert orch.stop(signal.SIGTERM) == 0
        assert not pid_alive(first_pid)
        orch.start()
        server = _wait_running(client, "api")
        assert server["pid"] != first_pid
        assert case.expected(case.ask(server, tmp_path))

        # killed outright, it adopts the servers still running
        second_pid = server["pid"]
        orch.stop(signal.SIGKILL)
        assert pid_alive(second_pid)
        orch.start()
        server = _wait_running(client, "api")
        assert server["pid"] == second_pid
        assert "adopted" in orch.log

        regenerated = client.post(
            "/servers/api/regenerate", json={"files": {case.file.name: case.change(spec)}}
        )
        assert regenerated.status_code == 200, regenerated.text
        report = regenerated.json()["report"]
        kept = [e for e in report["entries"] if e.get("id") == case.mock_id]
        assert any(e["kind"] == "kept-user-edit" for e in kept), report
        assert any(
            e["kind"] == "added" and e.get("id") == case.new_operation for e in report["entries"]
        ) or any(case.new_operation in e["file"] for e in report["entries"]), report
        server = regenerated.json()["server"]
        assert case.new_operation in server["operations"]
        assert case.expected(case.ask(server, tmp_path))

        stopped = client.post("/servers/api/stop")
        assert stopped.status_code == 200 and stopped.json()["status"] == "stopped"
        assert not pid_alive(server["pid"])
        assert client.get("/servers/api/mocks").status_code == 409

        started = client.post("/servers/api/start")
        assert started.status_code == 200, started.text
        server = started.json()
        assert case.expected(case.ask(server, tmp_path))
        logs = client.get("/servers/api/logs", params={"tail": 50})
        assert logs.status_code == 200 and "starting on port" in logs.text

        folder = orch.data / "servers" / "default" / "api"
        assert folder.is_dir()
        assert client.delete("/servers/api").status_code == 204
        assert not pid_alive(server["pid"])
        assert not folder.exists()
        assert client.get("/servers/api").status_code == 404
    assert os.path.exists(orch.data)
