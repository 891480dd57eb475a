"""The server routes with real clients: uploads (multipart, JSON, paths in the spec
root), bad input answered with clear 4xx, start failures with the log's tail, logs
(tail and follow), scenarios, journal, state, and delete keeping files."""

from __future__ import annotations

import json
import os
import signal
import time
from collections.abc import Iterator

import httpx
import pytest

from tests.support.corpus import CORPUS

from .harness import Orchestrator, cli

PETSTORE = CORPUS / "openapi/oai-petstore-expanded-v3/petstore-expanded.yaml"
HELLO = CORPUS / "proto/grpc-helloworld/helloworld.proto"


@pytest.fixture(scope="module")
def orch(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Orchestrator]:
    root = tmp_path_factory.mktemp("specs")
    (root / "api").mkdir()
    (root / "api" / "petstore.yaml").write_text(PETSTORE.read_text())
    (root.parent / "outside.yaml").write_text(PETSTORE.read_text())
    with Orchestrator(tmp_path_factory.mktemp("orch") / "data", spec_root=root) as running:
        yield running


@pytest.fixture
def client(orch: Orchestrator) -> Iterator[httpx.Client]:
    with orch.client(orch.admin_token) as opened:
        yield opened
        for server in opened.get("/servers").json()["servers"]:
            opened.delete(f"/servers/{server['name']}")


def test_multipart_upload_with_options(client: httpx.Client) -> None:
    created = client.post(
        "/servers",
        data={"name": "hello", "options": json.dumps({"seed": 3, "start": False})},
        files=[("file", ("helloworld.proto", HELLO.read_bytes(), "text/plain"))],
    )
    assert created.status_code == 201, created.text
    server = created.json()
    assert (server["protocol"], server["status"], server["options"]["seed"]) == (
        "grpc",
        "stopped",
        3,
    )
    assert server["spec_files"] == ["helloworld.proto"]


def test_specs_named_by_path_inside_the_spec_root_only(client: httpx.Client) -> None:
    created = client.post(
        "/servers", json={"name": "bypath", "paths": ["api/petstore.yaml"], "start": False}
    )
    assert created.status_code == 201, created.text
    for path in ("../outside.yaml", "api/../../outside.yaml", "/etc/passwd", "%2e%2e/outside.yaml"):
        answer = client.post("/servers", json={"name": "escape", "paths": [path]})
        assert answer.status_code == 400, (path, answer.text)
    missing = client.post("/servers", json={"name": "nothing", "paths": ["api/none.yaml"]})
    assert missing.status_code == 400 and "no such file" in missing.json()["detail"]


def test_a_malformed_spec_is_a_422_naming_file_and_line(client: httpx.Client) -> None:
    answer = client.post(
        "/servers",
        json={"name": "broken", "files": {"api.yaml": "openapi: 3.0.0\npaths: [\n  oops"}},
    )
    assert answer.status_code == 422, answer.text
    problem = answer.json()
    assert problem["errors"] and problem["errors"][0].startswith("api.yaml:")
    assert client.get("/servers/broken").status_code == 404  # nothing left behind


@pytest.mark.parametrize(
    ("body", "status"),
    [
        ({"name": "../x", "files": {"a.yaml": "x"}}, 400),
        ({"name": "Bad_Name", "files": {"a.yaml": "x"}}, 400),
        ({"name": "ok", "files": {"../a.yaml": "x"}}, 400),
        ({"name": "ok", "files": {"/abs.yaml": "x"}}, 400),
        ({"name": "ok", "files": {"%2e%2e/a.yaml": "x"}}, 400),
        ({"name": "ok", "files": {"a.yaml": {"base64": "!!"}}}, 400),
        ({"name": "ok", "files": {}}, 400),
        ({"name": "ok", "files": {"a.yaml": "x"}, "colour": "red"}, 400),
        ({"name": "ok", "files": {"a.yaml": "x"}, "settings": {"MOCKC_ADMIN_TOKEN": "x"}}, 400),
        ({"name": "ok", "files": {"a.yaml": "x"}, "target": "smtp"}, 400),
        ({"name": "ok", "files": {"a.yaml": "x"}, "seed": -1}, 400),
        ([], 400),
    ],
)
def test_bad_requests_are_4xx(client: httpx.Client, body: object, status: int) -> None:
    answer = client.post("/servers", json=body)
    assert answer.status_code == status, answer.text
    assert answer.headers["content-type"] == "application/problem+json"


def test_malformed_bodies(client: httpx.Client, orch: Orchestrator) -> None:
    answer = client.post(
        "/servers", content=b"{not json", headers={"content-type": "application/json"}
    )
    assert answer.status_code == 400
    answer = client.post(
        "/servers",
        content=b"--x\r\nbroken",
        headers={"content-type": "multipart/form-data; boundary=x"},
    )
    assert answer.status_code in (400, 422)
    answer = client.post("/servers", content=b"x" * (51 * 1024 * 1024))
    assert answer.status_code == 413
    assert client.get("/nowhere").status_code == 404
    assert client.patch("/servers").status_code == 405


def test_a_duplicate_name_is_a_conflict(client: httpx.Client) -> None:
    body = {"name": "twice", "files": {"p.yaml": PETSTORE.read_text()}, "start": False}
    assert client.post("/servers", json=body).status_code == 201
    assert client.post("/servers", json=body).status_code == 409


def test_a_server_that_cannot_start_reports_its_log(client: httpx.Client) -> None:
    answer = client.post(
        "/servers",
        json={
            "name": "nostate",
            "files": {"p.yaml": PETSTORE.read_text()},
            "settings": {"MOCKC_STATE": "redis://127.0.0.1:1/0"},
        },
    )
    assert answer.status_code == 502, answer.text
    problem = answer.json()
    assert "did not start" in problem["detail"]
    assert any("127.0.0.1:1" in line or "redis" in line.lower() for line in problem["log_tail"])
    server = client.get("/servers/nostate").json()
    assert server["status"] == "failed" and server["pid"] is None


def test_mocks_scenarios_journal_state_and_logs(client: httpx.Client, orch: Orchestrator) -> None:
    created = client.post(
        "/servers", json={"name": "pets", "files": {"p.yaml": PETSTORE.read_text()}}
    )
    assert created.status_code == 201, created.text
    url = created.json()["url"]
    mock = {"id": "empty", "operation": "findPets", "response": {"status": 200, "body": []}}
    assert client.post("/servers/pets/mocks", json={"operation": "nope"}).status_code == 422
    scenario = client.post("/servers/pets/scenarios", json={"name": "quiet", "mocks": [mock]})
    assert scenario.status_code == 201, scenario.text
    assert client.put("/servers/pets/scenarios/active", json={"name": "quiet"}).status_code == 200
    assert httpx.get(url + "/pets").json() == []
    assert client.get("/servers/pets/scenarios/active").json() == {"name": "quiet"}
    httpx.get(url + "/pets/1")
    journal = client.get("/servers/pets/journal", params={"path": "^/pets"})
    assert journal.status_code == 200 and journal.json()["total"] >= 2
    analysis = client.get("/servers/pets/journal/analysis").json()
    assert analysis["count"] >= 2
    assert client.get("/servers/pets/admin/journal/analysis").json()["count"] >= 2
    assert client.delete("/servers/pets/state").status_code == 204
    assert client.get("/servers/pets/admin/../../tokens").status_code in (400, 404)
    logs = client.get("/servers/pets/logs", params={"tail": 1})
    assert logs.status_code == 200 and len(logs.text.splitlines()) == 1
    lines: list[str] = []
    with client.stream("GET", "/servers/pets/logs", params={"follow": "true", "tail": 0}) as live:
        assert live.status_code == 200
        client.post("/servers/pets/restart")
        deadline = time.monotonic() + 30
        for line in live.iter_lines():
            lines.append(line)
            if "starting on port" in line or time.monotonic() > deadline:
                break
    assert any("starting on port" in line for line in lines)


def test_delete_can_keep_the_files(client: httpx.Client, orch: Orchestrator) -> None:
    body = {"name": "kept", "files": {"p.yaml": PETSTORE.read_text()}, "start": False}
    assert client.post("/servers", json=body).status_code == 201
    assert client.delete("/servers/kept", params={"keep_files": "true"}).status_code == 204
    assert (orch.data / "servers" / "default" / "kept" / "server" / "server.py").is_file()
    assert client.get("/servers/kept").status_code == 404
    again = client.post("/servers", json=body)  # the kept files are never overwritten
    assert again.status_code == 409 and "kept" in again.json()["detail"]


def test_the_servers_admin_api_is_closed_to_callers_without_its_token(
    client: httpx.Client,
) -> None:
    created = client.post(
        "/servers", json={"name": "closed", "files": {"p.yaml": PETSTORE.read_text()}}
    )
    assert created.status_code == 201, created.text
    server = created.json()
    assert httpx.get(server["url"] + "/__mockc/mocks").status_code == 401
    assert httpx.get(server["url"] + "/health").status_code == 200
    assert client.get("/servers/closed/mocks").status_code == 200


def test_a_server_that_dies_is_reported_exited(client: httpx.Client) -> None:
    created = client.post(
        "/servers", json={"name": "mortal", "files": {"p.yaml": PETSTORE.read_text()}}
    )
    assert created.status_code == 201, created.text
    os.kill(created.json()["pid"], signal.SIGKILL)
    deadline = time.monotonic() + 20
    while (server := client.get("/servers/mortal").json())["status"] != "exited":
        assert time.monotonic() < deadline, server
        time.sleep(0.1)
    assert server["pid"] is None and "exited with code" in server["last_error"]
    restarted = client.post("/servers/mortal/start")
    assert restarted.status_code == 200 and restarted.json()["health"] == "ok"


def test_tokens_through_the_api(client: httpx.Client, orch: Orchestrator) -> None:
    made = client.post("/tokens", json={"name": "ci", "scope": "write", "kind": "integration"})
    assert made.status_code == 201, made.text
    token = made.json()
    assert token["token"].startswith("mki_") and token["kind"] == "integration"
    with orch.client(token["token"]) as ci:
        assert ci.get("/servers").status_code == 200
        assert ci.get("/tokens").status_code == 403
        me = ci.get("/whoami").json()
    assert me["id"] == token["id"] and "token" not in me
    listed = client.get("/tokens").json()["tokens"]
    assert token["id"] in [t["id"] for t in listed]
    assert all("token" not in t and "token_hash" not in t for t in listed)
    assert client.get(f"/tokens/{token['id']}").json()["last_used_at"] is not None
    assert client.delete(f"/tokens/{token['id']}").status_code == 204
    with orch.client(token["token"]) as ci:
        assert ci.get("/servers").status_code == 401
    for body in (
        {"name": ""},
        {"name": "x", "scope": "root"},
        {"name": "x", "expires_in": 0},
        {"name": "x", "kind": "robot"},
        {"name": "x", "other": 1},
    ):
        assert client.post("/tokens", json=body).status_code == 400, body


def test_metrics_and_document(client: httpx.Client) -> None:
    metrics = client.get("/metrics")
    assert metrics.status_code == 200
    assert "mockc_orchestrator_requests_total" in metrics.text
    document = client.get("/openapi.json").json()
    assert document["openapi"] == "3.1.0"
    assert "/servers/{name}/regenerate" in document["paths"]


def test_the_token_command_refuses_bad_input(orch: Orchestrator) -> None:
    done = cli("token", "create", "--data", str(orch.data), "--namespace", "Bad/NS")
    assert done.returncode != 0 and "namespace" in done.stderr
    done = cli("token", "create", "--data", str(orch.data), "--admin", "--scope", "read")
    assert done.returncode == 2
    assert cli("token", "create", "--data", str(orch.data), "--integration").stdout.startswith(
        "mki_"
    )


def test_a_failed_regeneration_changes_nothing(client: httpx.Client) -> None:
    spec = PETSTORE.read_text()
    created = client.post("/servers", json={"name": "steady", "files": {"p.yaml": spec}})
    assert created.status_code == 201, created.text
    pid = created.json()["pid"]
    broken = client.post("/servers/steady/regenerate", json={"files": {"p.yaml": "openapi: ["}})
    assert broken.status_code == 422, broken.text
    server = client.get("/servers/steady").json()
    assert server["pid"] == pid and server["health"] == "ok"
    assert server["spec_files"] == ["p.yaml"]
    again = client.post("/servers/steady/regenerate")  # the specs it has: still the good ones
    assert again.status_code == 200, again.text
    assert again.json()["report"]["changed"] is False
    assert client.post("/servers/steady/regenerate", json={"colour": 1}).status_code == 400
