"""The mock engine over real HTTP: a generated server, mock files, the admin API."""

from __future__ import annotations

import json
import sqlite3
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from unittest.mock import ANY

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families

from mockc.compiler.driver import GenerateOptions, generate
from tests.support.redis import redis_url, unique_namespace
from tests.support.servers import ServerProcess, free_port, run_to_exit

FIXTURES = Path(__file__).parent / "fixtures"
TODOS = FIXTURES / "todos.yaml"


def _server_dir(tmp_path: Path, mocks: dict[str, str] | None = None) -> Path:
    out = tmp_path / "server"
    generate([TODOS], out, GenerateOptions())
    for name, text in (mocks or {}).items():
        (out / "mocks" / name).write_text(text, encoding="utf-8")
    return out


def _serve(out: Path, **env: str) -> ServerProcess:
    return ServerProcess([sys.executable, "server.py"], cwd=out, env=env)


@pytest.fixture
def todos(tmp_path: Path) -> Iterator[ServerProcess]:
    with _serve(_server_dir(tmp_path)) as running:
        yield running


# -- generated mocks ----------------------------------------------------------


def test_generated_mocks_answer_every_operation_and_echo_the_id(todos: ServerProcess) -> None:
    todo = httpx.get(f"{todos.url}/todos/7").json()
    assert todo["id"] == 7
    assert isinstance(todo["title"], str)
    listed = httpx.get(f"{todos.url}/__mockc/mocks").json()["mocks"]
    assert sorted(mock["id"] for mock in listed) == [
        "createOrder",
        "createTodo",
        "deleteTodo",
        "getTodo",
        "listTodos",
        "patchTodo",
        "replaceTodo",
    ]
    journal = _journal(todos, path="/todos/7")
    assert journal["entries"][0]["source"] == "mock:getTodo"


def test_an_edited_generated_mock_is_served(tmp_path: Path) -> None:
    out = _server_dir(tmp_path)
    path = out / "mocks" / "getTodo.yaml"
    path.write_text(
        path.read_text().replace("response:", "response:\n  headers: {x-edited: 'yes'}"),
        encoding="utf-8",
    )
    with _serve(out) as server:
        response = httpx.get(f"{server.url}/todos/3")
    assert response.headers["x-edited"] == "yes"


# -- matching -----------------------------------------------------------------

OPEN_TODOS = """\
id: open-todos
operation: listTodos
match:
  query: {status: open}
  headers: {X-Tenant: acme}
response:
  status: 200
  body: [{id: 1, title: "acme's open todo", done: false}]
"""

BIG_ORDERS = """\
id: big-orders
operation: createOrder
priority: 10
match:
  body: {"items[0].sku": {matches: "^GOLD-"}}
  when: request.body.total > 100
response:
  status: 201
  headers: {X-Order: "{{ request.body.items[0].sku | lower }}"}
  body:
    orderId: "{{ uuid() }}"
    status: review
    customer: "{{ request.body.customer }}"
    count: "{{ len(request.body.items) }}"
"""

ANY_ORDER = """\
id: any-order
operation: createOrder
response:
  status: 201
  body: {orderId: fixed, status: accepted, customer: "$.body.customer", count: 0}
"""


def test_conditions_on_query_headers_and_body_pick_the_mock(tmp_path: Path) -> None:
    out = _server_dir(
        tmp_path,
        {"open-todos.yaml": OPEN_TODOS, "big-orders.yaml": BIG_ORDERS, "any.yaml": ANY_ORDER},
    )
    with _serve(out) as server:
        url = server.url
        matched = httpx.get(f"{url}/todos?status=open", headers={"x-tenant": "acme"})
        assert matched.json() == [{"id": 1, "title": "acme's open todo", "done": False}]
        other_tenant = httpx.get(f"{url}/todos?status=open", headers={"x-tenant": "umbrella"})
        assert other_tenant.json() != matched.json()

        big = {"customer": "Ada", "total": 250.5, "items": [{"sku": "GOLD-1", "quantity": 2}]}
        answer = httpx.post(f"{url}/orders", json=big)
        assert answer.status_code == 201
        body = answer.json()
        assert (body["status"], body["customer"], body["count"]) == ("review", "Ada", 1)
        assert len(body["orderId"]) == 36
        assert answer.headers["x-order"] == "gold-1"

        small = {**big, "total": 5}
        assert httpx.post(f"{url}/orders", json=small).json() == {
            "orderId": "fixed",
            "status": "accepted",
            "customer": "Ada",
            "count": 0,
        }


def test_unmatched_requests_fall_back_and_leave_a_near_miss_report(tmp_path: Path) -> None:
    out = _server_dir(tmp_path, {"open-todos.yaml": OPEN_TODOS})
    (out / "mocks" / "listTodos.yaml").unlink()
    with _serve(out) as server:
        response = httpx.get(f"{server.url}/todos?status=done", headers={"x-tenant": "acme"})
        assert response.status_code == 200
        entry = _journal(server, path="/todos")["entries"][0]
        assert entry["matched"] is False
        assert entry["source"] in ("example", "fake")
        near = entry["near_miss"][0]
        assert near["mock"] == "open-todos"
        assert "status" in near["failed"]
        unmatched = _json(server, "/__mockc/journal/analysis")["unmatched"]
        assert unmatched["count"] == 1


def test_the_404_policy_answers_404_with_the_near_miss(tmp_path: Path) -> None:
    out = _server_dir(tmp_path, {"open-todos.yaml": OPEN_TODOS})
    (out / "mocks" / "listTodos.yaml").unlink()
    with _serve(out, MOCKC_UNMATCHED="404") as server:
        response = httpx.get(f"{server.url}/todos?status=done")
    assert response.status_code == 404
    assert response.json()["near_miss"][0]["mock"] == "open-todos"


# -- templates, sequences, state, crud -------------------------------------------

SEQUENCE = """\
id: flaky
operation: getTodo
responses:
  - {status: 200, body: {id: 1, title: first}}
  - {status: 404, body: {title: Not Found, detail: gone}}
sequence: cycle
"""

COUNTER = """\
id: count-orders
operation: createOrder
actions:
  - state.incr("orders")
  - state.put("last", request.body.customer)
response:
  status: 201
  body:
    orderId: "n-{{ state.get('orders') }}"
    status: "{{ state.get('last') }}"
    count: "{{ state.get('orders') }}"
"""


def test_sequences_cycle(tmp_path: Path) -> None:
    out = _server_dir(tmp_path, {"getTodo.yaml": SEQUENCE})
    with _serve(out) as server:
        statuses = [httpx.get(f"{server.url}/todos/1").status_code for _ in range(4)]
    assert statuses == [200, 404, 200, 404]


def test_actions_write_state_that_templates_read_and_reset_clears(tmp_path: Path) -> None:
    out = _server_dir(tmp_path, {"createOrder.yaml": COUNTER})
    with _serve(out) as server:
        for customer in ("ada", "bob"):
            answer = httpx.post(f"{server.url}/orders", json={"customer": customer})
        assert answer.json() == {"orderId": "n-2", "status": "bob", "count": 2}
        assert _json(server, "/__mockc/state")["values"]["orders"] == 2
        assert httpx.delete(f"{server.url}/__mockc/state").status_code == 204
        again = httpx.post(f"{server.url}/orders", json={"customer": "cy"})
        assert again.json()["count"] == 1


def _crud(collection: str) -> dict[str, str]:
    actions = {
        "listTodos": "list",
        "createTodo": "create",
        "getTodo": "get",
        "replaceTodo": "replace",
        "patchTodo": "patch",
        "deleteTodo": "delete",
    }
    return {
        f"{operation}.yaml": (
            f"id: {operation}\noperation: {operation}\n"
            f"crud: {{collection: {collection}, action: {action}}}\n"
        )
        for operation, action in actions.items()
    }


def test_the_crud_preset_behaves_like_a_rest_collection(tmp_path: Path) -> None:
    with _serve(_server_dir(tmp_path, _crud("todos"))) as server:
        url = f"{server.url}/todos"
        assert httpx.get(url).json() == []
        first = httpx.post(url, json={"title": "write tests"})
        assert first.status_code == 201
        created_at = first.json().pop("createdAt")  # readOnly: set by the server
        assert first.json() == {
            "title": "write tests",
            "id": 1,
            "done": False,
            "createdAt": created_at,
        }
        second = httpx.post(url, json={"title": "ship", "done": False}).json()
        assert second["id"] == 2
        assert httpx.get(f"{url}/1").json()["title"] == "write tests"
        assert [todo["id"] for todo in httpx.get(url).json()] == [1, 2]
        replaced = httpx.put(f"{url}/2", json={"title": "ship it"}).json()
        assert replaced == {"title": "ship it", "id": 2, "done": False, "createdAt": ANY}
        patched = httpx.patch(f"{url}/2", json={"done": True})
        assert patched.json() == {**replaced, "done": True}
        assert httpx.delete(f"{url}/1").status_code == 204
        assert httpx.get(f"{url}/1").status_code == 404
        assert httpx.delete(f"{url}/1").status_code == 404
        assert httpx.put(f"{url}/9", json={"title": "x"}).status_code == 404
        assert [todo["id"] for todo in httpx.get(url).json()] == [2]


# -- faults and latency -----------------------------------------------------------


def _fault(kind: str) -> str:
    return (
        f"id: broken\noperation: getTodo\n"
        f"response: {{status: 200, body: {{id: 1, title: t}}, fault: {{kind: {kind}}}}}\n"
    )


def test_faults_empty_malformed_reset_and_error(tmp_path: Path) -> None:
    out = _server_dir(tmp_path, {"getTodo.yaml": _fault("empty")})
    with _serve(out) as server:
        url = f"{server.url}/todos/1"
        empty = httpx.get(url)
        assert (empty.status_code, empty.content) == (200, b"")
        _replace_mock(server, "broken", _fault_document("malformed"))
        malformed = httpx.get(url)
        with pytest.raises(ValueError):
            json.loads(malformed.content)
        _replace_mock(server, "broken", _fault_document("reset"))
        with pytest.raises(httpx.HTTPError):
            httpx.get(url)
        _replace_mock(server, "broken", _fault_document("error"))
        assert httpx.get(url).status_code == 500
        assert httpx.get(f"{server.url}/health").status_code == 200


def _fault_document(kind: str) -> dict[str, object]:
    return {
        "id": "broken",
        "operation": "getTodo",
        "response": {"status": 200, "body": {"id": 1, "title": "t"}, "fault": {"kind": kind}},
    }


def test_mock_delay_and_server_wide_delay_and_error_rate(tmp_path: Path) -> None:
    slow = "id: slow\noperation: getTodo\nresponse: {status: 200, body: {id: 1}, delay: 300}\n"
    out = _server_dir(tmp_path, {"getTodo.yaml": slow})
    with _serve(out) as server:
        started = time.perf_counter()
        httpx.get(f"{server.url}/todos/1")
        assert time.perf_counter() - started >= 0.3
    with _serve(out, MOCKC_DELAY_MS="200-250", MOCKC_ERROR_RATE="1") as server:
        started = time.perf_counter()
        response = httpx.get(f"{server.url}/todos?status=open")
        assert time.perf_counter() - started >= 0.2
        assert response.status_code == 500


# -- the admin API ------------------------------------------------------------------


def test_mocks_are_created_replaced_and_deleted_live(todos: ServerProcess) -> None:
    url = todos.url
    created = httpx.post(
        f"{url}/__mockc/mocks",
        json={
            "id": "live",
            "operation": "getTodo",
            "priority": 5,
            "match": {"path": {"todoId": 42}},
            "response": {"status": 200, "body": {"id": 42, "title": "live"}},
        },
    )
    assert created.status_code == 201, created.text
    assert httpx.get(f"{url}/todos/42").json() == {"id": 42, "title": "live"}
    assert (todos.cwd / "mocks" / "live.yaml").is_file()
    document = httpx.get(f"{url}/__mockc/mocks/live").json()
    document["response"]["body"]["title"] = "changed"
    assert httpx.put(f"{url}/__mockc/mocks/live", json=document).status_code == 200
    assert httpx.get(f"{url}/todos/42").json()["title"] == "changed"
    assert httpx.delete(f"{url}/__mockc/mocks/live").status_code == 204
    assert httpx.get(f"{url}/todos/42").json()["title"] != "changed"
    assert not (todos.cwd / "mocks" / "live.yaml").exists()


def test_invalid_mocks_are_refused_with_every_problem(todos: ServerProcess) -> None:
    answer = httpx.post(
        f"{todos.url}/__mockc/mocks",
        json={"id": "bad", "operation": "nope", "match": {"when": "request.path.("}},
    )
    assert answer.status_code == 422
    problems = " ".join(answer.json()["problems"])
    assert "nope" in problems
    assert "when" in problems or "expected" in problems
    assert httpx.post(f"{todos.url}/__mockc/mocks", content=b"{not json").status_code == 400


def test_scenarios_switch_and_survive_a_restart(tmp_path: Path) -> None:
    out = _server_dir(tmp_path)
    outage = {
        "name": "outage",
        "mocks": [
            {
                "id": "todos-down",
                "operation": "listTodos",
                "response": {"status": 503, "body": {"title": "down"}},
            }
        ],
    }
    with _serve(out) as server:
        assert httpx.post(f"{server.url}/__mockc/scenarios", json=outage).status_code == 201
        assert httpx.get(f"{server.url}/todos").status_code == 200
        switched = httpx.put(f"{server.url}/__mockc/scenarios/active", json={"name": "outage"})
        assert switched.json() == {"name": "outage"}
        assert httpx.get(f"{server.url}/todos").status_code == 503
        missing = httpx.put(f"{server.url}/__mockc/scenarios/active", json={"name": "nope"})
        assert missing.status_code == 404
        # a scenario's mock is SCENARIO/ID: a slash, or the slash encoded
        for path in ("outage/todos-down", "outage%2Ftodos-down"):
            found = httpx.get(f"{server.url}/__mockc/mocks/{path}")
            assert found.status_code == 200, found.text
            assert found.json()["response"]["status"] == 503
        assert httpx.get(f"{server.url}/__mockc/mocks/outage/nope").status_code == 404
    with _serve(out) as server:
        assert httpx.get(f"{server.url}/todos").status_code == 503
        names = [s["name"] for s in _json(server, "/__mockc/scenarios")["scenarios"]]
        assert names == ["outage"]
        httpx.put(f"{server.url}/__mockc/scenarios/active", json={"name": None})
        assert httpx.get(f"{server.url}/todos").status_code == 200
        assert httpx.delete(f"{server.url}/__mockc/scenarios/outage").status_code == 204


def test_journal_search_and_analysis(todos: ServerProcess) -> None:
    url = todos.url
    for number in range(1, 6):
        httpx.get(f"{url}/todos/{number}")
    httpx.get(f"{url}/todos/0")
    httpx.post(f"{url}/todos", json={"title": "x"})
    found = _journal(todos, method="GET", path=r"^/todos/\d+$", status="200")
    assert found["total"] == 5
    page = _journal(todos, path="^/todos", limit="2", offset="1")
    assert len(page["entries"]) == 2
    assert page["total"] == 7
    assert _journal(todos, status="400")["entries"][0]["target"] == "/todos/0"
    assert _journal(todos, since=str(time.time() + 60))["total"] == 0
    with_admin = _journal(todos, include_admin="true", limit="1000")
    assert any(entry["admin"] for entry in with_admin["entries"])
    analysis = _json(todos, "/__mockc/journal/analysis")
    assert analysis["count"] == 7
    assert analysis["latency_ms"]["p50"] > 0
    assert analysis["top_paths"][0]["count"] >= 1
    bad = httpx.get(f"{url}/__mockc/journal", params={"path": "("})
    assert bad.status_code == 400


def test_journal_survives_a_restart_and_is_flushed_on_sigterm(tmp_path: Path) -> None:
    out = _server_dir(tmp_path)
    with _serve(out) as server:
        for _ in range(3):
            httpx.get(f"{server.url}/todos/1")
    with sqlite3.connect(out / ".mockc-data" / "journal.sqlite") as db:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    with _serve(out) as server:
        assert _journal(server, path="/todos/1")["total"] == 3


def test_metrics_are_prometheus_text(todos: ServerProcess) -> None:
    httpx.get(f"{todos.url}/todos/1")
    text = httpx.get(f"{todos.url}/metrics").text
    families = {family.name: family for family in text_string_to_metric_families(text)}
    requests = {
        (sample.labels["operation"], sample.labels["status"]): sample.value
        for sample in families["mockc_requests"].samples
        if sample.name == "mockc_requests_total"
    }
    assert requests[("getTodo", "200")] == 1.0
    assert "mockc_request_duration_seconds" in families
    assert families["mockc_active_mocks"].samples[0].value == 7.0


def test_admin_token_protects_the_admin_api(tmp_path: Path) -> None:
    with _serve(_server_dir(tmp_path), MOCKC_ADMIN_TOKEN="s3cret") as server:
        url = f"{server.url}/__mockc/mocks"
        refused = httpx.get(url)
        assert refused.status_code == 401
        assert refused.headers["www-authenticate"].startswith("Bearer")
        assert httpx.get(url, headers={"Authorization": "Bearer nope"}).status_code == 401
        assert httpx.get(url, headers={"Authorization": "Bearer s3cret"}).status_code == 200
        assert httpx.get(f"{server.url}/__mockc/health").status_code == 200
        assert httpx.get(f"{server.url}/todos/1").status_code == 200


def test_the_admin_api_describes_itself(todos: ServerProcess) -> None:
    document = _json(todos, "/__mockc/openapi.json")
    assert document["openapi"].startswith("3.1")
    assert "/__mockc/mocks/{id}" in document["paths"]


def test_broken_mock_files_are_reported_and_the_rest_served(tmp_path: Path) -> None:
    out = _server_dir(tmp_path, {"broken.yaml": "id: broken\noperation: getTodo\nmatch: [\n"})
    with _serve(out) as server:
        assert httpx.get(f"{server.url}/todos/1").status_code == 200
        info = _json(server, "/__mockc/info")
    assert any("broken.yaml:" in problem for problem in info["mock_problems"])
    assert "broken.yaml:" in server.stderr


# -- helpers ----------------------------------------------------------------------------


def _json(server: ServerProcess, route: str, **params: str) -> dict[str, object]:
    response = httpx.get(f"{server.url}{route}", params=params)
    assert response.status_code == 200, response.text
    return response.json()  # type: ignore[no-any-return]


def _journal(server: ServerProcess, **params: str) -> dict[str, object]:
    return _json(server, "/__mockc/journal", **params)  # type: ignore[return-value]


def _replace_mock(server: ServerProcess, mock_id: str, document: dict[str, object]) -> None:
    answer = httpx.put(f"{server.url}/__mockc/mocks/{mock_id}", json=document)
    assert answer.status_code == 200, answer.text


# -- shared state in Redis ---------------------------------------------------------------


def test_two_replicas_share_state_through_redis(tmp_path: Path) -> None:
    url = redis_url()
    replica_dirs = []
    for name in ("a", "b"):
        out = _server_dir(tmp_path / name, {**_crud("todos"), "createOrder.yaml": COUNTER})
        replica_dirs.append(out)
    env = {"MOCKC_STATE": url, "MOCKC_STATE_NAMESPACE": unique_namespace("replicas")}
    with _serve(replica_dirs[0], **env) as first, _serve(replica_dirs[1], **env) as second:
        created = httpx.post(f"{first.url}/todos", json={"title": "shared"}).json()
        assert httpx.get(f"{second.url}/todos/{created['id']}").json() == created
        other = httpx.post(f"{second.url}/todos", json={"title": "second"}).json()
        assert other["id"] == created["id"] + 1
        assert [t["title"] for t in httpx.get(f"{first.url}/todos").json()] == ["shared", "second"]
        httpx.post(f"{first.url}/orders", json={"customer": "ada"})
        counted = httpx.post(f"{second.url}/orders", json={"customer": "bob"}).json()
        assert counted["count"] == 2
        assert httpx.delete(f"{second.url}/__mockc/state").status_code == 204
        assert httpx.get(f"{first.url}/todos").json() == []


def test_an_unreachable_redis_stops_the_server_with_one_clear_line(tmp_path: Path) -> None:
    out = _server_dir(tmp_path)
    dead = f"redis://127.0.0.1:{free_port()}/0"
    result = run_to_exit([sys.executable, "server.py"], cwd=out, env={"MOCKC_STATE": dead})
    assert result.returncode == 2
    assert "127.0.0.1" in result.stderr and "Traceback" not in result.stderr


HOSTILE_EXPRESSIONS = [
    "{{ request.__class__ }}",
    "{{ __import__('os').system('touch /tmp/mockc-pwned') }}",
    "{{ request.body.__dict__ }}",
    "{{ 'x' * 1000000000 }}",
    "{{ " + "(" * 5000 + "1" + ")" * 5000 + " }}",
    "{{ request.query.q =~ '(a+)+$' }}",
]


@pytest.mark.parametrize("template", HOSTILE_EXPRESSIONS)
def test_hostile_templates_cannot_hurt_the_server(todos: ServerProcess, template: str) -> None:
    document = {
        "id": "hostile",
        "operation": "getTodo",
        "priority": 100,
        "response": {"status": 200, "body": {"id": 1, "title": template}},
    }
    created = httpx.post(f"{todos.url}/__mockc/mocks", json=document)
    assert created.status_code in (201, 422), created.text
    if created.status_code == 201:
        started = time.perf_counter()
        answer = httpx.get(f"{todos.url}/todos/1", params={"q": "a" * 40 + "!"}, timeout=10)
        assert (
            time.perf_counter() - started < 5
        )  # backtracking would take hours; the machine is busy
        assert answer.status_code in (200, 500)
        assert "<class" not in answer.text and "mockc-pwned" not in answer.text
        assert len(answer.content) < 2 * 1024 * 1024
    else:
        assert created.json()["problems"]
    assert not Path("/tmp/mockc-pwned").exists()
    assert httpx.get(f"{todos.url}/todos?status=open").status_code == 200


def test_summary_journal_leaves_out_headers_and_bodies(tmp_path: Path) -> None:
    with _serve(_server_dir(tmp_path), MOCKC_JOURNAL_DETAIL="summary") as server:
        httpx.post(f"{server.url}/todos", json={"title": "secret"})
        entry = _journal(server, path="/todos")["entries"][0]
    assert entry["status"] == "201"
    assert "secret" not in json.dumps(entry)
