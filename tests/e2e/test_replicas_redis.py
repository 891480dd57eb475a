"""Replicas of one generated server sharing a real Redis: the active scenario and
the positions of response sequences are shared, over real HTTP."""

from __future__ import annotations

import shutil
import sys
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

import httpx
from prometheus_client.parser import text_string_to_metric_families

from mockc.compiler.driver import GenerateOptions, generate
from tests.support.redis import RedisServer, raw_client, redis_url, unique_namespace
from tests.support.servers import ServerProcess, free_port

TODOS = Path(__file__).parent / "fixtures" / "todos.yaml"
SETTLE_SECONDS = 10.0
"""Most time a replica may take to follow a switch (it takes ~0.2 s when idle)."""

OUTAGE = """\
id: todos-down
operation: listTodos
response: {status: 503, body: {title: down}}
"""

CYCLE = """\
id: flaky
operation: getTodo
responses:
  - {status: 200, body: {id: 1, title: first}}
  - {status: 404, body: {title: Not Found, detail: gone}}
  - {status: 503, body: {title: Unavailable}}
sequence: cycle
"""

ONCE_EACH = """\
id: fading
operation: getTodo
responses:
  - {status: 200, body: {id: 1, title: first}}
  - {status: 410, body: {title: Gone}}
sequence: once-each
"""


def _generated(tmp_path: Path, mocks: dict[str, str]) -> Path:
    """One generated server, its mock files (``scenarios/NAME/ID.yaml`` too) written."""
    out = tmp_path / "generated"
    generate([TODOS], out, GenerateOptions())
    for name, text in mocks.items():
        target = out / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    return out


@contextmanager
def _replicas(
    tmp_path: Path, server: Path, namespace: str, count: int = 3
) -> Iterator[list[ServerProcess]]:
    """``count`` processes of ``server`` (each in its own copy, as containers of one
    image are) sharing the real Redis under ``namespace``."""
    env = {"MOCKC_STATE": redis_url(), "MOCKC_STATE_NAMESPACE": namespace}
    with ExitStack() as stack:
        running = []
        for number in range(count):
            folder = tmp_path / f"replica-{number}"
            shutil.copytree(server, folder)
            process = ServerProcess([sys.executable, "server.py"], cwd=folder, env=env)
            running.append(stack.enter_context(process))
        yield running


def _status_within(url: str, expected: int) -> int:
    """The status ``url`` answers, asked until it is ``expected`` or time is up."""
    deadline = time.monotonic() + SETTLE_SECONDS
    while True:
        status = httpx.get(url).status_code
        if status == expected or time.monotonic() > deadline:
            return status
        time.sleep(0.05)


def _active_mocks(replica: ServerProcess) -> float:
    """The ``mockc_active_mocks`` gauge the replica's ``/metrics`` shows."""
    text = httpx.get(f"{replica.url}/__mockc/metrics").text
    for family in text_string_to_metric_families(text):
        if family.name == "mockc_active_mocks":
            return float(family.samples[0].value)
    raise AssertionError("no mockc_active_mocks in /__mockc/metrics")


def _forget(namespace: str) -> None:
    client = raw_client(redis_url())
    try:
        keys = list(client.scan_iter(match=f"mockc:{namespace}:*"))
        if keys:
            client.delete(*keys)
    finally:
        client.close()


def test_a_scenario_switched_on_one_replica_is_served_by_the_others(tmp_path: Path) -> None:
    namespace = unique_namespace("scenario")
    server = _generated(tmp_path, {"scenarios/outage/todos-down.yaml": OUTAGE})
    try:
        with _replicas(tmp_path, server, namespace) as (first, second, third):
            for replica in (first, second, third):
                assert httpx.get(f"{replica.url}/todos").status_code == 200
            base_count = _active_mocks(third)
            switched = httpx.put(f"{first.url}/__mockc/scenarios/active", json={"name": "outage"})
            assert switched.json() == {"name": "outage"}
            assert httpx.get(f"{first.url}/todos").status_code == 503
            assert _status_within(f"{second.url}/todos", 503) == 503
            assert _status_within(f"{third.url}/todos", 503) == 503
            active = httpx.get(f"{third.url}/__mockc/scenarios/active").json()
            assert active == {"name": "outage"}
            listed = httpx.get(f"{second.url}/__mockc/scenarios").json()
            assert listed["active"] == "outage"
            assert _active_mocks(third) == base_count + 1  # the scenario's mock is served

            # resetting the state restarts sequences, not the scenario
            assert httpx.delete(f"{second.url}/__mockc/state").status_code == 204
            time.sleep(0.5)
            assert httpx.get(f"{first.url}/todos").status_code == 503

            back = httpx.put(f"{third.url}/__mockc/scenarios/active", json={"name": None})
            assert back.json() == {"name": None}
            assert _status_within(f"{first.url}/todos", 200) == 200
            assert _status_within(f"{second.url}/todos", 200) == 200
    finally:
        _forget(namespace)


def test_a_replica_started_later_serves_the_shared_scenario(tmp_path: Path) -> None:
    namespace = unique_namespace("scenario-late")
    server = _generated(tmp_path, {"scenarios/outage/todos-down.yaml": OUTAGE})
    try:
        with _replicas(tmp_path / "early", server, namespace, count=1) as (early,):
            httpx.put(f"{early.url}/__mockc/scenarios/active", json={"name": "outage"})
            # its own copy remembers no scenario: the shared one wins
            with _replicas(tmp_path / "late", server, namespace, count=1) as (late,):
                assert httpx.get(f"{late.url}/todos").status_code == 503
                assert httpx.get(f"{late.url}/__mockc/scenarios/active").json() == {
                    "name": "outage"
                }
    finally:
        _forget(namespace)


def test_a_cycle_goes_on_across_replicas_and_reset_restarts_it_for_all(tmp_path: Path) -> None:
    namespace = unique_namespace("cycle")
    server = _generated(tmp_path, {"mocks/getTodo.yaml": CYCLE})
    try:
        with _replicas(tmp_path, server, namespace) as replicas:
            statuses = [
                httpx.get(f"{replicas[turn % 3].url}/todos/1").status_code for turn in range(7)
            ]
            assert statuses == [200, 404, 503, 200, 404, 503, 200]
            assert httpx.delete(f"{replicas[1].url}/__mockc/state").status_code == 204
            again = [
                httpx.get(f"{replicas[2 - turn].url}/todos/1").status_code for turn in range(3)
            ]
            assert again == [200, 404, 503]
    finally:
        _forget(namespace)


def test_once_each_is_shared_too(tmp_path: Path) -> None:
    namespace = unique_namespace("once-each")
    server = _generated(tmp_path, {"mocks/getTodo.yaml": ONCE_EACH})
    try:
        with _replicas(tmp_path, server, namespace, count=2) as (first, second):
            statuses = [
                httpx.get(f"{replica.url}/todos/1").status_code
                for replica in (first, second, first, second)
            ]
            assert statuses == [200, 410, 410, 410]
            assert httpx.delete(f"{second.url}/__mockc/state").status_code == 204
            assert httpx.get(f"{first.url}/todos/1").status_code == 200
    finally:
        _forget(namespace)


def test_with_redis_away_the_admin_api_answers_503_and_the_server_keeps_serving(
    tmp_path: Path,
) -> None:
    server = _generated(tmp_path, {"scenarios/outage/todos-down.yaml": OUTAGE})
    with RedisServer(free_port()) as redis_server:
        env = {"MOCKC_STATE": redis_server.url, "MOCKC_STATE_NAMESPACE": unique_namespace("away")}
        with ServerProcess([sys.executable, "server.py"], cwd=server, env=env) as process:
            redis_server.stop()
            admin = f"{process.url}/__mockc"
            switched = httpx.put(f"{admin}/scenarios/active", json={"name": "outage"}, timeout=30)
            reset = httpx.delete(f"{admin}/state", timeout=30)
            for answer in (switched, reset):
                assert answer.status_code == 503, answer.text
                assert answer.headers["content-type"] == "application/problem+json"
                assert redis_server.url.split("//")[1].split("/")[0] in answer.json()["detail"]
            assert httpx.get(f"{process.url}/health", timeout=30).status_code == 200
