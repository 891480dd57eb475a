"""Registries of one server sharing a real Redis follow one active scenario and one
position per response sequence; with Redis away they go on serving on their own."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from mock_kit import Server, ask, body_of

from mockc.runtime.mocks import MockRegistry
from mockc.runtime.state import MemoryStore
from mockc.runtime.state.redis import RedisStore
from tests.support.redis import RedisServer, raw_client, redis_url, unique_namespace
from tests.support.servers import free_port

PETS_DOWN = """\
id: pets-down
operation: listPets
response: {status: 503, body: {title: down}}
"""

CYCLE = """\
id: flaky
operation: showPetById
responses:
  - {body: {n: 1}}
  - {body: {n: 2}}
  - {body: {n: 3}}
sequence: cycle
"""

SETTLE_SECONDS = 10.0


def _until(check: Callable[[], bool]) -> bool:
    """Whether ``check`` comes true before the time is up (asked every 20 ms)."""
    deadline = time.monotonic() + SETTLE_SECONDS
    while not check():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.02)
    return True


@pytest.fixture
def stores() -> Iterator[Callable[[], RedisStore]]:
    """Opens stores of one fresh namespace in the real Redis; deletes its keys after."""
    url, namespace = redis_url(), unique_namespace("replicas")
    opened: list[RedisStore] = []

    def open_one() -> RedisStore:
        opened.append(RedisStore(url, namespace))
        return opened[-1]

    yield open_one
    for store in opened:
        store.close()
    client = raw_client(url)
    try:
        keys = list(client.scan_iter(match=f"mockc:{namespace}:*"))
        if keys:
            client.delete(*keys)
    finally:
        client.close()


def _replicas(tmp_path: Path, store: Callable[[], RedisStore], count: int) -> list[MockRegistry]:
    registries = []
    for number in range(count):
        server = Server(tmp_path / f"replica-{number}")
        server.write("scenarios/outage/pets-down.yaml", PETS_DOWN)
        server.mock("flaky.yaml", CYCLE)
        registries.append(server.registry(state=store()))
    return registries


def _status(registry: MockRegistry) -> str | None:
    reply = ask(registry, "listPets")
    return None if reply is None else reply.status


def test_a_switch_through_one_registry_is_followed_by_the_others(
    tmp_path: Path, stores: Callable[[], RedisStore]
) -> None:
    first, second = _replicas(tmp_path, stores, 2)
    assert _status(second) is None
    first.activate_scenario("outage")
    assert _status(first) == "503"
    assert _until(lambda: _status(second) == "503")
    assert second.active_scenario == "outage"
    assert [s["active"] for s in second.list_scenarios()] == [True]
    second.delete_scenario("outage")
    assert _until(lambda: first.active_scenario is None)
    assert _status(first) is None


def test_a_scenario_missing_here_leaves_the_base_mocks_served(
    tmp_path: Path, stores: Callable[[], RedisStore]
) -> None:
    (first,) = _replicas(tmp_path, stores, 1)
    bare = Server(tmp_path / "bare").registry(state=stores())
    first.activate_scenario("outage")
    time.sleep(0.3)
    assert ask(bare, "listPets") is None
    assert bare.active_scenario is None


def test_the_requested_scenario_is_shared_at_start_up(
    tmp_path: Path, stores: Callable[[], RedisStore]
) -> None:
    (first,) = _replicas(tmp_path, stores, 1)
    server = Server(tmp_path / "late")
    server.write("scenarios/outage/pets-down.yaml", PETS_DOWN)
    late = server.registry(state=stores(), scenario="outage")
    assert late.active_scenario == "outage"
    assert _until(lambda: _status(first) == "503")


def test_sequence_positions_are_shared_and_cleared_with_the_state(
    tmp_path: Path, stores: Callable[[], RedisStore]
) -> None:
    registries = _replicas(tmp_path, stores, 3)
    answers = [body_of(ask(registries[n % 3], "showPetById"))["n"] for n in range(5)]
    assert answers == [1, 2, 3, 1, 2]
    registries[0].state.clear()
    registries[0].reset()
    assert body_of(ask(registries[2], "showPetById"))["n"] == 1


def test_a_memory_store_keeps_positions_per_registry(tmp_path: Path) -> None:
    server = Server(tmp_path / "one")
    server.mock("flaky.yaml", CYCLE)
    first = server.registry(state=MemoryStore())
    second = server.registry(state=MemoryStore())
    assert body_of(ask(first, "showPetById"))["n"] == 1
    assert body_of(ask(second, "showPetById"))["n"] == 1
    assert body_of(ask(first, "showPetById"))["n"] == 2


def test_with_redis_away_a_registry_goes_on_serving(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    with RedisServer(free_port()) as redis_server:
        namespace = unique_namespace("away")
        first_store = RedisStore(redis_server.url, namespace)
        second_store = RedisStore(redis_server.url, namespace)
        try:
            server = Server(tmp_path / "away")
            server.write("scenarios/outage/pets-down.yaml", PETS_DOWN)
            server.mock("flaky.yaml", CYCLE)
            first = server.registry(state=first_store)
            second = server.registry(state=second_store)
            first.activate_scenario("outage")
            assert _until(lambda: _status(second) == "503")
            redis_server.stop()
            caplog.set_level(logging.WARNING, logger="mockc.state")
            time.sleep(0.3)
            answers = [body_of(ask(second, "showPetById"))["n"] for _ in range(3)]
            assert answers == [1, 2, 3]  # its own counter, from the start
            assert _status(second) == "503"  # the scenario it served
            time.sleep(0.3)
            assert _status(second) == "503"
            warnings = [r.getMessage() for r in caplog.records if r.name == "mockc.state"]
            assert any("sharing response sequences" in w for w in warnings), warnings
            assert any("following the shared active scenario" in w for w in warnings), warnings
            assert len(warnings) == 2, warnings  # once per outage, not per request
            redis_server.start()
            assert body_of(ask(second, "showPetById"))["n"] == 1  # shared again, Redis empty
        finally:
            first_store.close()
            second_store.close()
