"""Agent-provided mock data over real HTTP: a server generated from a corpus
spec hands requests to an agent, which claims them through the admin API and
answers them (docs/agent.md)."""

from __future__ import annotations

import json
import shutil
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from mockc.compiler.driver import GenerateOptions, generate
from tests.support.servers import ServerProcess

SPEC = (
    Path(__file__).parents[1]
    / "corpus"
    / "openapi"
    / "oai-petstore-expanded-v3"
    / "petstore-expanded.yaml"
)
AGENT = "/__mockc/agent"
WINDOW_MS = 500


def _generate(folder: Path) -> Path:
    generate([SPEC], folder, GenerateOptions())
    return folder


def _serve(folder: Path, **env: str) -> ServerProcess:
    return ServerProcess([sys.executable, "server.py"], cwd=folder, env=env)


@pytest.fixture(scope="module")
def pristine(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The generated server, never served: tests copy it."""
    return _generate(tmp_path_factory.mktemp("agent") / "pristine")


@pytest.fixture(scope="module")
def folder(pristine: Path) -> Path:
    return Path(shutil.copytree(pristine, pristine.parent / "petstore"))


@pytest.fixture(scope="module")
def server(folder: Path) -> Iterator[ServerProcess]:
    env = {
        "MOCKC_AGENT": "unmatched",
        "MOCKC_AGENT_WINDOW_MS": str(WINDOW_MS),
        "MOCKC_AGENT_TIMEOUT_MS": "20000",
    }
    with _serve(folder, **env) as running:
        yield running


class Call:
    """A client request running in a thread while the test plays the agent."""

    def __init__(self, make: Callable[[], httpx.Response]) -> None:
        self.response: httpx.Response | None = None
        self.took = 0.0
        self._thread = threading.Thread(target=self._run, args=(make,), daemon=True)
        self._thread.start()

    def _run(self, make: Callable[[], httpx.Response]) -> None:
        started = time.monotonic()
        self.response = make()
        self.took = time.monotonic() - started

    def result(self, timeout: float = 30.0) -> httpx.Response:
        self._thread.join(timeout)
        assert self.response is not None, "the request got no answer"
        return self.response


def _get(server: ServerProcess, path: str, run: str | None = None) -> Call:
    headers = {"x-mockc-run": run} if run else {}
    return Call(lambda: httpx.get(server.url + path, headers=headers, timeout=60))


def _claim(server: ServerProcess, **body: Any) -> httpx.Response:
    return httpx.post(server.url + AGENT + "/claim", json=body)


def _claim_when_ready(server: ServerProcess, timeout: float = 10.0, **body: Any) -> dict[str, Any]:
    """Claim once a batch is ready (its window closed)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        response = _claim(server, **body)
        if response.status_code == 200:
            return dict(response.json())
        assert response.status_code == 204, response.text
        time.sleep(0.05)
    raise AssertionError(f"no batch to claim within {timeout} s")


def _provide(server: ServerProcess, batch: str, **body: Any) -> httpx.Response:
    return httpx.post(f"{server.url}{AGENT}/batches/{batch}/provide", json=body)


def _release(server: ServerProcess, batch: str, **body: Any) -> httpx.Response:
    return httpx.post(f"{server.url}{AGENT}/batches/{batch}/release", json=body)


def _batch(server: ServerProcess, batch: str) -> dict[str, Any]:
    response = httpx.get(f"{server.url}{AGENT}/batches/{batch}")
    assert response.status_code == 200, response.text
    return dict(response.json())


# -- the workflow -----------------------------------------------------------------


def test_claim_correct_answer_and_save(server: ServerProcess, folder: Path) -> None:
    call = _get(server, "/pets/8", run="save-run")
    claimed = _claim_when_ready(server, run_id="save-run")
    assert claimed["run_id"] == "save-run"
    assert claimed["lease_expires_at"].endswith("Z")
    (pending,) = claimed["requests"]
    assert pending["operation"] == "find_pet_by_id"
    assert pending["protocol"] == "http"
    assert pending["request"]["method"] == "GET"
    assert pending["request"]["path"] == "/pets/8"
    assert pending["request"]["headers"]["x-mockc-run"] == "save-run"
    schema = pending["responses"]["200"]["schema"]
    assert pending["responses"]["200"]["media_type"] == "application/json"
    assert schema["$ref"] == "#/$defs/Pet" and "NewPet" in schema["$defs"]
    batch, token = claimed["batch_id"], claimed["claim_token"]
    request_id = pending["request_id"]

    wrong = {"request_id": request_id, "body": {"id": "eight", "tag": 3}}
    refused = _provide(server, batch, claim_token=token, mocks=[wrong])
    assert refused.status_code == 422
    problem = refused.json()
    assert problem["code"] == "invalid_mock_data"
    assert problem["title"] == "Provided mock data is invalid"
    pointers = sorted(error["pointer"] for error in problem["errors"])
    assert pointers == ["/mocks/0/body/id", "/mocks/0/body/name", "/mocks/0/body/tag"]
    assert {error["request_id"] for error in problem["errors"]} == {request_id}
    assert _batch(server, batch)["state"] == "claimed"  # the claim is kept
    assert call.response is None  # still waiting

    right = {"request_id": request_id, "body": {"id": 8, "name": "Rex"}, "save": True}
    answered = _provide(server, batch, claim_token=token, mocks=[right])
    assert answered.status_code == 200, answered.text
    saved = answered.json()["saved"]
    assert answered.json()["answered"] == 1
    assert saved == ["mocks/find_pet_by_id/find_pet_by_id-agent.json"] or saved[0].startswith(
        "mocks/"
    )
    response = call.result()
    assert response.status_code == 200
    assert response.json() == {"id": 8, "name": "Rex"}
    assert response.headers["content-type"].startswith("application/json")
    assert _batch(server, batch)["state"] == "answered"
    again = _provide(server, batch, claim_token=token, mocks=[right])
    assert again.status_code == 409 and again.json()["code"] == "claim_expired"

    # The saved mock answers at once, on this server and on a regenerated,
    # restarted one whose agent would time out with an error.
    started = time.monotonic()
    assert httpx.get(server.url + "/pets/8").json() == {"id": 8, "name": "Rex"}
    assert time.monotonic() - started < 2
    assert (folder / saved[0]).is_file()
    regenerated = _generate(folder)
    assert (regenerated / saved[0]).is_file()
    env = {
        "MOCKC_AGENT": "unmatched",
        "MOCKC_AGENT_TIMEOUT_MS": "1",
        "MOCKC_AGENT_FALLBACK": "error",
    }
    with _serve(regenerated, **env) as later:
        assert httpx.get(later.url + "/pets/8").json() == {"id": 8, "name": "Rex"}
        assert httpx.get(later.url + "/pets/9").status_code == 504


def test_two_claimers_one_wins_and_tokens_are_told_apart(server: ServerProcess) -> None:
    call = _get(server, "/pets/21", run="race")
    deadline = time.monotonic() + 10
    while httpx.get(server.url + AGENT + "/runs").json()["runs"] == []:
        assert time.monotonic() < deadline
        time.sleep(0.02)
    time.sleep(WINDOW_MS / 1000 + 0.1)  # the window closes
    gate = threading.Barrier(6)
    answers: list[httpx.Response] = []

    def claimer() -> None:
        gate.wait()
        answers.append(_claim(server, run_id="race"))

    threads = [threading.Thread(target=claimer) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    statuses = sorted(response.status_code for response in answers)
    assert statuses == [200, 204, 204, 204, 204, 204]
    winner = next(response.json() for response in answers if response.status_code == 200)
    batch, token = winner["batch_id"], winner["claim_token"]
    request_id = winner["requests"][0]["request_id"]
    mock = {"request_id": request_id, "body": {"id": 21, "name": "Ada"}}

    wrong = _provide(server, batch, claim_token="not-" + token, mocks=[mock])
    assert wrong.status_code == 403 and wrong.json()["code"] == "wrong_claim_token"
    missing = _provide(server, "b999999", claim_token=token, mocks=[mock])
    assert missing.status_code == 404 and missing.json()["code"] == "no_such_batch"

    released = _release(server, batch, claim_token=token, reason="not mine")
    assert released.status_code == 200 and released.json() == {"state": "pending"}
    expired = _provide(server, batch, claim_token=token, mocks=[mock])
    assert expired.status_code == 409 and expired.json()["code"] == "claim_expired"
    assert _release(server, batch, claim_token=token).status_code == 409
    assert _release(server, batch, claim_token="nope").status_code == 403

    again = _claim_when_ready(server, run_id="race")
    assert again["batch_id"] == batch and again["claim_token"] != token
    assert (
        _provide(server, batch, claim_token=again["claim_token"], mocks=[mock]).status_code == 200
    )
    assert call.result().json() == {"id": 21, "name": "Ada"}


def test_an_expired_lease_requeues_the_batch(server: ServerProcess) -> None:
    call = _get(server, "/pets/31", run="lease")
    first = _claim_when_ready(server, run_id="lease", lease_ms=200)
    batch = first["batch_id"]
    time.sleep(0.35)
    shown = _batch(server, batch)
    assert shown["state"] == "pending" and "lease_expires_at" not in shown
    mock = {"request_id": first["requests"][0]["request_id"], "body": {"id": 31, "name": "Bo"}}
    late = _provide(server, batch, claim_token=first["claim_token"], mocks=[mock])
    assert late.status_code == 409 and late.json()["code"] == "claim_expired"
    second = _claim_when_ready(server, run_id="lease")
    assert second["batch_id"] == batch
    assert (
        _provide(server, batch, claim_token=second["claim_token"], mocks=[mock]).status_code == 200
    )
    assert call.result().json()["name"] == "Bo"


def test_requests_of_a_run_batch_together_and_runs_stay_apart(server: ServerProcess) -> None:
    calls = [_get(server, f"/pets/{n}", run="run-a") for n in (41, 42, 43)]
    other = _get(server, "/pets/44", run="run-b")
    listed = _claim_when_ready(server, run_id="run-a")
    paths = sorted(request["request"]["path"] for request in listed["requests"])
    assert paths == ["/pets/41", "/pets/42", "/pets/43"]
    runs = {row["run_id"]: row for row in httpx.get(server.url + AGENT + "/runs").json()["runs"]}
    assert runs["run-a"]["claimed_batches"] == 1 and runs["run-a"]["waiting_requests"] == 3
    assert runs["run-b"]["pending_batches"] == 1 and runs["run-b"]["claimed_batches"] == 0
    status = httpx.get(server.url + AGENT).json()
    assert status["mode"] == "unmatched" and {"run-a", "run-b"} <= set(status["runs"])
    # run-b's request is no part of run-a's batch, and cannot be answered through it
    b_listed = _claim_when_ready(server, run_id="run-b")
    b_request = b_listed["requests"][0]["request_id"]
    leak = _provide(
        server,
        listed["batch_id"],
        claim_token=listed["claim_token"],
        mocks=[{"request_id": b_request, "body": {"id": 44, "name": "Leak"}}],
    )
    assert leak.status_code == 422
    assert leak.json()["errors"][0]["pointer"] == "/mocks/0/request_id"
    mocks = [
        {"request_id": request["request_id"], "body": {"id": 40 + index, "name": f"A{index}"}}
        for index, request in enumerate(listed["requests"])
    ]
    done = _provide(server, listed["batch_id"], claim_token=listed["claim_token"], mocks=mocks)
    assert done.json()["answered"] == 3
    assert sorted(call.result().json()["name"] for call in calls) == ["A0", "A1", "A2"]
    finished = _provide(
        server,
        b_listed["batch_id"],
        claim_token=b_listed["claim_token"],
        mocks=[{"request_id": b_request, "status": 404, "body": {"code": 404, "message": "gone"}}],
    )
    assert finished.status_code == 200
    assert other.result().status_code == 404


@pytest.mark.parametrize(
    ("route", "body", "expected"),
    [
        ("claim", b"not json", "not JSON"),
        ("claim", b"[1]", "JSON object"),
        ("claim", b'{"lease_ms": 0}', "lease_ms"),
        ("claim", b'{"lease_ms": "long"}', "lease_ms"),
        ("claim", b'{"run_id": 7}', "run_id"),
        ("claim", b'{"run": "a"}', "unknown key"),
        ("provide", b"", "claim_token"),
        ("provide", b'{"claim_token": 5}', "claim_token"),
        ("provide", b'{"claim_token": "t"}', "mocks"),
        ("provide", b'{"claim_token": "t", "mocks": {}}', "mocks"),
        ("release", b'{"reason": "x"}', "claim_token"),
    ],
)
def test_bad_bodies_get_clear_400s(
    server: ServerProcess, route: str, body: bytes, expected: str
) -> None:
    path = AGENT + "/claim" if route == "claim" else f"{AGENT}/batches/b1/{route}"
    response = httpx.post(server.url + path, content=body)
    assert response.status_code == 400, response.text
    assert response.headers["content-type"] == "application/problem+json"
    problem = response.json()
    assert problem["code"] == "bad_request"
    assert expected in problem["detail"]


def test_bad_mock_entries_get_clear_400s(server: ServerProcess) -> None:
    call = _get(server, "/pets/51", run="bad-entries")
    claimed = _claim_when_ready(server, run_id="bad-entries")
    batch, token = claimed["batch_id"], claimed["claim_token"]
    request_id = claimed["requests"][0]["request_id"]
    for mock, expected in [
        ("text", "/mocks/0 must be an object"),
        ({"body": {}}, "/mocks/0/request_id"),
        ({"request_id": request_id, "body": {}, "colour": 1}, "unknown key"),
        ({"request_id": request_id, "status": [200], "body": {}}, "/mocks/0/status"),
        ({"request_id": request_id, "body": {}, "headers": []}, "/mocks/0/headers"),
        ({"request_id": request_id, "body": {}, "save": "yes"}, "/mocks/0/save"),
    ]:
        response = _provide(server, batch, claim_token=token, mocks=[mock])
        assert response.status_code == 400, (mock, response.text)
        assert expected in response.json()["detail"]
    no_body = _provide(
        server, batch, claim_token=token, mocks=[{"request_id": request_id, "status": 500}]
    )
    assert no_body.status_code == 422
    assert no_body.json()["errors"][0]["pointer"] == "/mocks/0/body"
    error = {"request_id": request_id, "status": 500, "body": {"code": 5, "message": "down"}}
    assert _provide(server, batch, claim_token=token, mocks=[error]).status_code == 200
    response = call.result()
    assert response.status_code == 500 and response.json() == {"code": 5, "message": "down"}


# -- what a request gets when no agent answers ---------------------------------------


def test_unanswered_requests_get_a_504_never_a_hang(pristine: Path, tmp_path: Path) -> None:
    folder = Path(shutil.copytree(pristine, tmp_path / "petstore"))
    env = {
        "MOCKC_AGENT": "unmatched",
        "MOCKC_AGENT_TIMEOUT_MS": "300",
        "MOCKC_AGENT_FALLBACK": "error",
        "MOCKC_ADMIN_TOKEN": "s3cret",
    }
    with _serve(folder, **env) as running:
        refused = httpx.post(running.url + AGENT + "/claim", json={})
        assert refused.status_code == 401  # the agent routes are the admin API's
        started = time.monotonic()
        response = httpx.get(running.url + "/pets/1", timeout=10)
        took = time.monotonic() - started
        assert response.status_code == 504
        assert response.headers["content-type"] == "application/problem+json"
        assert "300 ms" in response.json()["detail"]
        assert 0.25 < took < 5
        # the batch of the request that timed out cannot be answered any more
        token = {"authorization": "Bearer s3cret"}
        status = httpx.get(running.url + AGENT, headers=token).json()
        assert status["waiting_requests"] == 0
        assert httpx.get(running.url + "/pets/1", headers={"prefer": "code=200"}).status_code == 200


def test_a_source_agent_mock_falls_back_to_fake_data(pristine: Path, tmp_path: Path) -> None:
    folder = Path(shutil.copytree(pristine, tmp_path / "petstore"))
    (folder / "mocks" / "ask-the-agent.yaml").write_text(
        "operation: find_pet_by_id\nsource: agent\nmatch:\n  path:\n    id: 5\n",
        encoding="utf-8",
    )
    with _serve(folder, MOCKC_AGENT_TIMEOUT_MS="300") as running:
        assert httpx.get(running.url + AGENT).json()["mode"] == "off"
        started = time.monotonic()
        asked = httpx.get(running.url + "/pets/5", timeout=10)
        assert time.monotonic() - started >= 0.25
        assert asked.status_code == 200 and asked.json()["id"] == 5
        assert httpx.get(running.url + "/pets/6").json()["id"] == 6  # the generated mock
        entries = httpx.get(running.url + "/__mockc/journal", params={"path": "/pets/5"}).json()
        assert "agent timeout" in entries["entries"][0]["source"]
        # /pets/6 never went to the agent (its journal says so; a wall-clock bound
        # would break on a busy machine)
        entries = httpx.get(running.url + "/__mockc/journal", params={"path": "/pets/6"}).json()
        assert entries["total"] == 1 and "agent" not in entries["entries"][0]["source"]


def test_the_admin_document_describes_the_agent_routes(server: ServerProcess) -> None:
    paths = httpx.get(server.url + "/__mockc/openapi.json").json()["paths"]
    assert {
        "/__mockc/agent",
        "/__mockc/agent/runs",
        "/__mockc/agent/claim",
        "/__mockc/agent/batches/{batch_id}",
        "/__mockc/agent/batches/{batch_id}/provide",
        "/__mockc/agent/batches/{batch_id}/release",
    } <= set(paths)
    assert "422" in paths["/__mockc/agent/batches/{batch_id}/provide"]["post"]["responses"]


def test_a_saved_answer_without_parameters_goes_before_the_generated_mock(
    server: ServerProcess, folder: Path
) -> None:
    call = _get(server, "/pets", run="list-run")
    claimed = _claim_when_ready(server, run_id="list-run")
    (pending,) = claimed["requests"]
    assert pending["operation"] == "findPets"
    pets = [{"id": 1, "name": "Ann"}, {"id": 2, "name": "Bob", "tag": "cat"}]
    mock = {"request_id": pending["request_id"], "body": pets, "save": True}
    done = _provide(server, claimed["batch_id"], claim_token=claimed["claim_token"], mocks=[mock])
    assert done.status_code == 200, done.text
    (saved,) = done.json()["saved"]
    assert call.result().json() == pets
    started = time.monotonic()
    assert httpx.get(server.url + "/pets").json() == pets
    assert time.monotonic() - started < 2
    metrics = httpx.get(server.url + "/metrics").text
    (gauge,) = [line for line in metrics.splitlines() if line.startswith("mockc_active_mocks{")]
    served = httpx.get(server.url + "/__mockc/info").json()["active_mocks"]
    assert float(gauge.split()[-1]) == served > 4  # the generated four and what was saved
    written = json.loads((folder / saved).read_text(encoding="utf-8"))
    assert written["priority"] == 1 and "match" not in written
