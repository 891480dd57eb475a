"""Registries of one server sharing a real Redis follow one active scenario and one
position per response sequence; with Redis away they go on serving on their own."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

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


class Replicas:
    """Registries over stores of one namespace of the real Redis."""

    def __init__(self, url: str, namespace: str) -> None:
        self.url = url
        self.namespace = namespace
        self.registries: list[MockRegistry] = []
        self.stores: list[RedisStore] = []

    def registry(self, server: Server, **options: Any) -> MockRegistry:
        self.stores.append(RedisStore(self.url, self.namespace))
        self.registries.append(server.registry(state=self.stores[-1], **options))
        return self.registries[-1]

    def close(self) -> None:
        for registry in self.registries:
            registry.close()
        for store in self.stores:
            store.close()


@pytest.fixture
def replicas() -> Iterator[Replicas]:
    """Registries sharing a fresh namespace; closed, and its keys deleted, after."""
    url, namespace = redis_url(), unique_namespace("replicas")
    opened = Replicas(url, namespace)
    yield opened
    opened.close()
    client = raw_client(url)
    try:
        keys = list(client.scan_iter(match=f"mockc:{namespace}:*"))
        if keys:
            client.delete(*keys)
    finally:
        client.close()


def _servers(tmp_path: Path, replicas: Replicas, count: int) -> list[MockRegistry]:
    registries = []
    for number in range(count):
        server = Server(tmp_path / f"replica-{number}")
        server.write("scenarios/outage/pets-down.yaml", PETS_DOWN)
        server.mock("flaky.yaml", CYCLE)
        registries.append(replicas.registry(server))
    return registries


def _status(registry: MockRegistry) -> str | None:
    reply = ask(registry, "listPets")
    return None if reply is None else reply.status


def test_a_switch_through_one_registry_is_followed_by_the_others(
    tmp_path: Path, replicas: Replicas
) -> None:
    first, second = _servers(tmp_path, replicas, 2)
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
    tmp_path: Path, replicas: Replicas
) -> None:
    (first,) = _servers(tmp_path, replicas, 1)
    bare = replicas.registry(Server(tmp_path / "bare"))
    first.activate_scenario("outage")
    time.sleep(0.3)
    assert ask(bare, "listPets") is None
    assert bare.active_scenario is None


def test_the_requested_scenario_is_shared_at_start_up(tmp_path: Path, replicas: Replicas) -> None:
    (first,) = _servers(tmp_path, replicas, 1)
    server = Server(tmp_path / "late")
    server.write("scenarios/outage/pets-down.yaml", PETS_DOWN)
    late = replicas.registry(server, scenario="outage")
    assert late.active_scenario == "outage"
    assert _until(lambda: _status(first) == "503")


def test_sequence_positions_are_shared_and_cleared_with_the_state(
    tmp_path: Path, replicas: Replicas
) -> None:
    registries = _servers(tmp_path, replicas, 3)
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
            # once per outage and registry, not per request or check
            sequences = [w for w in warnings if w.startswith("sharing response sequences")]
            following = [w for w in warnings if w.startswith("following the shared active")]
            assert len(sequences) == 1, warnings
            assert len(following) == 2, warnings
            assert len(warnings) == 3, warnings
            redis_server.start()
            assert body_of(ask(second, "showPetById"))["n"] == 1  # shared again, Redis empty
        finally:
            first.close()
            second.close()
            first_store.close()
            second_store.close()
