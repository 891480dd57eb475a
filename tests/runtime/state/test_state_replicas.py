"""What replicas agree on through the Redis store: sequence positions and the
active scenario (its keys, its versions, what clearing keeps)."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator

import pytest

from mockc.runtime.state import MemoryStore, StateError
from mockc.runtime.state.redis import RedisStore
from tests.support.redis import raw_client, redis_url, unique_namespace


@pytest.fixture
def url() -> str:
    return redis_url()


@pytest.fixture
def namespace(url: str) -> Iterator[str]:
    """A fresh namespace, every key of it deleted afterwards."""
    name = unique_namespace("replicas")
    yield name
    client = raw_client(url)
    try:
        keys = list(client.scan_iter(match=f"mockc:{name}:*"))
        if keys:
            client.delete(*keys)
    finally:
        client.close()


@pytest.fixture
def stores(url: str, namespace: str) -> Iterator[tuple[RedisStore, RedisStore]]:
    first, second = RedisStore(url, namespace), RedisStore(url, namespace)
    yield first, second
    first.close()
    second.close()


def test_a_memory_store_has_no_replicas() -> None:
    assert MemoryStore().replicas() is None


def test_positions_go_on_across_stores_and_clear_restarts_them(
    stores: tuple[RedisStore, RedisStore],
) -> None:
    first, second = (store.replicas() for store in stores)
    assert [first.next_position("flaky"), second.next_position("flaky")] == [0, 1]
    assert first.next_position("outage/flaky") == 0  # one counter per mock
    stores[1].clear()
    assert first.next_position("flaky") == 0


def test_positions_are_not_state_values(stores: tuple[RedisStore, RedisStore]) -> None:
    stores[0].replicas().next_position("flaky")
    stores[0].replicas().set_active_scenario("outage")
    assert stores[1].snapshot() == {"values": {}, "collections": {}}
    assert stores[1].keys() == []


def test_the_scenario_and_its_version(
    stores: tuple[RedisStore, RedisStore], url: str, namespace: str
) -> None:
    first, second = (store.replicas() for store in stores)
    assert second.active_scenario() == (0, None)
    assert first.set_active_scenario("outage", unless_set=True) == 1
    assert second.set_active_scenario("calm", unless_set=True) == 1  # set already: unchanged
    assert second.active_scenario() == (1, "outage")
    assert second.set_active_scenario(None) == 2
    assert first.active_scenario() == (2, None)
    assert first.set_active_scenario("outage") == 3
    stores[0].clear()  # the state goes, the scenario stays
    assert second.active_scenario() == (3, "outage")
    client = raw_client(url)
    try:
        keys = set(client.scan_iter(match=f"mockc:{namespace}:*"))
        assert keys == {f"mockc:{namespace}:scenario", f"mockc:{namespace}:scenario:version"}
        assert client.get(f"mockc:{namespace}:scenario") == '"outage"'
    finally:
        client.close()


def test_a_scenario_key_that_is_not_json_is_a_state_error(
    stores: tuple[RedisStore, RedisStore], url: str, namespace: str
) -> None:
    client = raw_client(url)
    try:
        client.set(f"mockc:{namespace}:scenario", "{broken")
        client.set(f"mockc:{namespace}:scenario:version", "4")
    finally:
        client.close()
    with pytest.raises(StateError, match=r"mockc:.*:scenario.*not JSON"):
        stores[0].replicas().active_scenario()


def test_processes_answering_at_once_share_no_position(url: str, namespace: str) -> None:
    script = (
        "import sys\n"
        "from mockc.runtime.state.redis import RedisStore\n"
        "store = RedisStore(sys.argv[1], sys.argv[2])\n"
        "print(' '.join(str(store.replicas().next_position('m')) for _ in range(200)))\n"
    )
    runs = [
        subprocess.Popen(
            [sys.executable, "-c", script, url, namespace], stdout=subprocess.PIPE, text=True
        )
        for _ in range(3)
    ]
    seen: list[int] = []
    for run in runs:
        out, _ = run.communicate(timeout=60)
        assert run.returncode == 0
        seen += [int(word) for word in out.split()]
    assert sorted(seen) == list(range(600))
