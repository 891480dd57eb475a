"""The pytest plug-in used by test suites of temporary projects, each run by
``pytest`` in a subprocess: servers start and stop with the suite, real
clients call them, ``assert_called`` passes and fails with its report."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

PETS = """\
openapi: 3.0.3
info: {title: Pets, version: "1.0"}
paths:
  /pets/{petId}:
    get:
      operationId: getPet
      parameters:
        - {name: petId, in: path, required: true, schema: {type: integer}}
      responses:
        "200":
          description: a pet
          content:
            application/json:
              schema:
                type: object
                required: [id, name]
                properties:
                  id: {type: integer}
                  name: {type: string}
        "404": {description: no such pet}
  /pets:
    post:
      operationId: createPet
      requestBody:
        content:
          application/json:
            schema: {type: object, properties: {name: {type: string}}}
      responses:
        "201": {description: created}
"""

USERS = """\
type User { id: ID!  name: String! }
type Query { user(id: ID!): User }
type Mutation { rename(id: ID!, name: String!): User }
"""

BROKEN = """\
openapi: 3.0.3
info: {title: Broken, version: "1.0"}
paths:
  /pets:
    get:
      operationId: listPets
      responses:
        "200":
          description: pets
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Nope"}
"""

PIDS = """\
import os

import pytest


@pytest.fixture(autouse=True)
def _record_server_pid(request):
    if "mock_server" in request.fixturenames:
        server = request.getfixturevalue("mock_server")
        with open(os.environ["PIDS_FILE"], "a") as pids:
            pids.write(f"{server.server.process.process.pid}\\n")
"""


def run_suite(project: Path, files: dict[str, str]) -> tuple[str, list[int]]:
    """Write ``files`` into ``project``, run pytest there; its output and the
    pids of the servers its tests used."""
    for name, text in files.items():
        (project / name).write_text(textwrap.dedent(text))
    (project / "conftest.py").write_text(PIDS)
    pids_file = project / "pids.txt"
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-v", "-p", "no:cacheprovider", "-p", "no:randomly"],
        cwd=project,
        env={**os.environ, "PIDS_FILE": str(pids_file)},
        capture_output=True,
        text=True,
        timeout=240,
        check=False,
    )
    written = pids_file.read_text() if pids_file.exists() else ""
    pids = sorted({int(line) for line in written.split()})
    return done.stdout + done.stderr, pids


def assert_stopped(pids: list[int]) -> None:
    for pid in pids:
        with pytest.raises(ProcessLookupError):
            os.kill(pid, 0)


def test_http_suite(tmp_path: Path) -> None:
    output, pids = run_suite(
        tmp_path,
        {
            "pets.yaml": PETS,
            "users.graphql": USERS,
            "pytest.ini": "[pytest]\nmockc_spec = pets.yaml\n",
            "test_pets.py": """\
                import os

                import httpx


                def test_a_real_client_gets_an_answer(mock_server):
                    answer = httpx.get(mock_server.url + "/pets/3")
                    assert answer.status_code == 200
                    assert answer.json()["id"] == 3
                    mock_server.assert_called("getPet", status=200, path="/pets/3", times=1)
                    mock_server.assert_not_called("createPet")


                def test_a_mock_for_this_test(mock_server):
                    mock_server.add_mock(
                        operation="getPet",
                        match={"path": {"petId": 9}},
                        response={"status": 404, "body": {"detail": "gone"}},
                    )
                    assert httpx.get(mock_server.url + "/pets/9").status_code == 404
                    mock_server.assert_called("getPet", status=404)


                def test_the_mock_is_gone_and_the_journal_is_this_tests(mock_server):
                    assert httpx.get(mock_server.url + "/pets/9").status_code == 200
                    assert [call.operation for call in mock_server.calls()] == ["getPet"]


                def test_assert_called_fails_with_what_was_called(mock_server):
                    httpx.post(mock_server.url + "/pets", json={"name": "Rex"})
                    httpx.get(mock_server.url + "/pets/1")
                    mock_server.assert_called("createPet", body={"name": "Rexy"})


                def test_assert_not_called_fails(mock_server):
                    httpx.post(mock_server.url + "/pets", json={"name": "Rex"})
                    mock_server.assert_not_called("createPet", body={"name": "Rex"})


                def test_a_scenario_for_this_test(mock_server):
                    mock_server.admin.add_scenario(
                        "outage",
                        [{"operation": "getPet", "response": {"status": 503}}],
                    )
                    mock_server.use_scenario("outage")
                    assert httpx.get(mock_server.url + "/pets/1").status_code == 503


                def test_a_second_server(mock_server, start_mock_server):
                    users = start_mock_server(spec="users.graphql")
                    assert users.url != mock_server.url
                    with open(os.environ["PIDS_FILE"], "a") as pids:
                        pids.write(f"{users.server.process.process.pid}\\n")
                    query = {"query": '{ user(id: "2") { id } }'}
                    assert httpx.post(users.graphql_url, json=query).status_code == 200
                    users.assert_called("query_user", method="POST")
                    mock_server.assert_not_called("getPet")


                def test_the_scenario_is_switched_back(mock_server):
                    assert mock_server.admin.info()["active_scenario"] is None
                    assert httpx.get(mock_server.url + "/pets/1").status_code == 200
                    mock_server.reset()
            """,
        },
    )
    assert "6 passed, 2 failed" in output or "2 failed, 6 passed" in output, output
    assert "expected a call of createPet with body={'name': 'Rexy'}, got 0\n" in output, output
    assert "calls of createPet (1):\n" in output
    assert 'POST /pets → 201 (createPet): body.name is "Rex", not "Rexy"' in output
    assert "other calls: getPet ×1" in output
    assert "expected no call of createPet with body={'name': 'Rex'}, got 1" in output
    assert len(pids) == 2, "the tests share one session server; one test starts another"
    assert_stopped(pids)


def test_graphql_suite_with_markers_and_module_scope(tmp_path: Path) -> None:
    output, pids = run_suite(
        tmp_path,
        {
            "users.graphql": USERS,
            "pets.yaml": PETS,
            "test_users.py": """\
                import httpx
                import pytest

                pytestmark = pytest.mark.mockc(spec="users.graphql", seed=3, scope="module")
                QUERY = '{ user(id: "4") { id name } }'


                def test_query(mock_server):
                    assert mock_server.protocol == "graphql"
                    answer = httpx.post(mock_server.graphql_url, json={"query": QUERY})
                    assert answer.json()["data"]["user"]["id"] == "4"
                    mock_server.assert_called("query_user", body={"query": QUERY})


                def test_a_mock_of_a_root_field(mock_server):
                    mock_server.add_mock(
                        operation="query_user", response={"body": {"name": "Ada"}}, priority=5
                    )
                    answer = httpx.post(mock_server.graphql_url, json={"query": QUERY})
                    assert answer.json()["data"]["user"]["name"] == "Ada"


                def test_the_root_mock_is_gone(mock_server):
                    answer = httpx.post(mock_server.graphql_url, json={"query": QUERY})
                    assert answer.json()["data"]["user"]["name"] != "Ada"
                    mock_server.assert_called("mutation_rename")
            """,
            "mockc.toml": """\
                [[servers]]
                name = "users"
                spec = "users.graphql"
                out = "mock-servers/users"
            """,
            "test_config.py": """\
                import httpx
                import pytest


                @pytest.mark.mockc(config="mockc.toml", server="users")
                def test_a_server_of_the_config_file(mock_server):
                    query = "{ user(id: 1) { id } }"
                    answer = httpx.post(mock_server.graphql_url, json={"query": query})
                    assert answer.json()["data"]["user"]["id"] == "1"
            """,
            "test_parametrized.py": """\
                import httpx
                import pytest


                @pytest.mark.parametrize(
                    "mockc_options", ["pets.yaml", {"spec": "users.graphql"}]
                )
                def test_each_server(mock_server):
                    assert mock_server.protocol in ("http", "graphql")
                    assert httpx.get(mock_server.url + "/health").status_code == 200
            """,
        },
    )
    assert "5 passed, 1 failed" in output or "1 failed, 5 passed" in output, output
    assert "expected a call of mutation_rename, got 0" in output
    assert "mutation_rename was not called" in output
    assert "other calls: query_user ×1" in output
    assert len(pids) == 4, "the config's server, a module's, then two parametrized servers"
    assert not (tmp_path / "mock-servers").exists(), "the config's output folder is left alone"
    assert_stopped(pids)


def test_errors_say_where(tmp_path: Path) -> None:
    output, pids = run_suite(
        tmp_path,
        {
            "pets.yaml": PETS,
            "broken.yaml": BROKEN,
            "test_errors.py": """\
                import httpx
                import pytest


                @pytest.mark.mockc(spec="missing.yaml")
                def test_missing_spec(mock_server):
                    pass


                @pytest.mark.mockc(spec="broken.yaml")
                def test_broken_spec(mock_server):
                    pass


                @pytest.mark.mockc(spec="pets.yaml", env={"MOCKC_SEED": "many"})
                def test_server_does_not_start(mock_server):
                    pass


                def test_no_server_named(mock_server):
                    pass


                @pytest.mark.mockc(spec="pets.yaml", seed=5)
                def test_the_server_dies(mock_server):
                    mock_server.server.process.process.kill()
                    mock_server.server.process.process.wait()


                @pytest.mark.mockc(spec="pets.yaml", seed=5)
                def test_after_the_server_died(mock_server):
                    pass


                @pytest.mark.mockc(spec="pets.yaml", admin_token="s3cret")
                def test_an_admin_token(mock_server):
                    assert httpx.get(mock_server.admin_url + "/__mockc/info").status_code == 401
                    assert mock_server.admin.info()["protocol"] == "http"
            """,
        },
    )
    assert "SpecNotFound:" in output and "missing.yaml" in output, output
    assert "GenerationFailed: mockc could not generate a server from" in output
    assert "broken.yaml:12:24:" in output and "points to nothing" in output
    assert "ServerDidNotStart:" in output and "exited with code" in output
    assert "  | " in output and "MOCKC_SEED" in output
    assert "mock_server needs a server: mark the test @pytest.mark.mockc(spec=…)" in output
    assert "the mock server of" in output and "no longer answers" in output
    assert "2 passed, 5 errors" in output, output
    assert len(pids) == 2
    assert_stopped(pids)


USERS_PROTO = """\
syntax = "proto3";
package demo;
message GetUserRequest { string id = 1; }
message User { string id = 1; string name = 2; }
service Users { rpc GetUser(GetUserRequest) returns (User); }
"""


def test_grpc_suite(tmp_path: Path) -> None:
    output, pids = run_suite(
        tmp_path,
        {
            "users.proto": USERS_PROTO,
            "pytest.ini": "[pytest]\nmockc_spec = users.proto\n",
            "test_users.py": """\
                import grpc
                import httpx
                import pytest

                GET_USER_7 = b"\\x0a\\x017"  # GetUserRequest{id: "7"}, encoded


                @pytest.fixture
                def get_user(mock_server):
                    with grpc.insecure_channel(mock_server.target) as channel:
                        yield channel.unary_unary("/demo.Users/GetUser")


                def test_a_mock_on_the_admin_port(mock_server, get_user):
                    assert mock_server.admin_url != mock_server.url
                    mock_server.add_mock(
                        operation="Users_GetUser",
                        match={"body": {"id": "7"}},
                        response={"body": {"name": "Seven"}},
                    )
                    assert get_user(GET_USER_7) == b"\\x12\\x05Seven"
                    mock_server.assert_called("Users_GetUser", body={"id": "7"}, status="OK")
                    assert mock_server.emit("Users_GetUser")["messages"] == 1


                def test_the_mock_is_gone(mock_server, get_user):
                    assert get_user(GET_USER_7) != b"\\x12\\x05Seven"
                    mock_server.assert_called("Users_GetUser", body={"id": "8"})
            """,
        },
    )
    assert "1 passed, 1 failed" in output or "1 failed, 1 passed" in output, output
    assert "expected a call of Users_GetUser with body={'id': '8'}, got 0" in output
    assert '/demo.Users/GetUser → OK (Users_GetUser): body.id is "7", not "8"' in output
    assert_stopped(pids)


def test_agent_suite(tmp_path: Path) -> None:
    """``request_mock`` hands a test's requests to an agent (here the test
    plays it through the admin client), ``wait_for_pending`` waits for them."""
    output, pids = run_suite(
        tmp_path,
        {
            "pets.yaml": PETS,
            "pytest.ini": "[pytest]\nmockc_spec = pets.yaml\n",
            "test_agent.py": """\
                import threading
                import time

                import httpx
                import pytest

                from mockc.testing import AdminError


                def _in_thread(call):
                    answers = []
                    thread = threading.Thread(target=lambda: answers.append(call()))
                    thread.start()
                    return thread, answers


                def _claim(admin, run_id):
                    for _ in range(200):
                        claimed = admin.claim_batch(run_id)
                        if claimed is not None:
                            return claimed
                        time.sleep(0.02)
                    raise AssertionError("nothing to claim")


                def test_an_agent_answers(mock_server):
                    mock_server.request_mock("getPet", match={"path": {"petId": 5}})
                    url = mock_server.url + "/pets/5"
                    headers = mock_server.run_headers
                    get = lambda: httpx.get(url, headers=headers, timeout=60)  # noqa: E731
                    thread, answers = _in_thread(get)
                    runs = mock_server.wait_for_pending(run_id=mock_server.run_id)
                    assert [row["waiting_requests"] for row in runs] == [1]
                    claimed = _claim(mock_server.admin, mock_server.run_id)
                    (request,) = claimed["requests"]
                    assert request["operation"] == "getPet"
                    assert request["responses"]["200"]["schema"]["required"] == ["id", "name"]
                    batch, token = claimed["batch_id"], claimed["claim_token"]
                    bad = [{"request_id": request["request_id"], "body": {"id": 5}}]
                    with pytest.raises(AdminError) as refused:
                        mock_server.admin.provide_batch(batch, token, bad)
                    assert refused.value.status == 422
                    assert refused.value.document["errors"][0]["pointer"] == "/mocks/0/body/name"
                    good = [{"request_id": request["request_id"], "body": {"id": 5, "name": "A"}}]
                    mock_server.admin.provide_batch(batch, token, good)
                    thread.join(30)
                    assert answers[0].json() == {"id": 5, "name": "A"}
                    mock_server.assert_called("getPet", path="/pets/5", status=200)


                def test_the_agent_mock_is_gone(mock_server):
                    assert all(mock.get("source") != "agent" for mock in mock_server.admin.mocks())
                    started = time.monotonic()
                    assert httpx.get(mock_server.url + "/pets/5").status_code == 200
                    assert time.monotonic() - started < 5


                def test_waiting_for_nothing_fails(mock_server):
                    mock_server.wait_for_pending(run_id=mock_server.run_id, timeout=0.2)
            """,
        },
    )
    assert "2 passed, 1 failed" in output or "1 failed, 2 passed" in output, output
    assert (
        "expected 1 request(s) waiting for the agent in run "
        "'test_agent.py::test_waiting_for_nothing_fails' within 0.2 s, found 0" in output
    ), output
    assert_stopped(pids)
