"""What only the Redis store promises: namespaces, sharing between processes,
its key layout, and clear errors when Redis is away or holds foreign data."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
from collections.abc import Iterator

import pytest

from mockc.runtime.state import StateError
from mockc.runtime.state.redis import RedisStore
from tests.support.redis import RedisServer, raw_client, redis_url, unique_namespace
from tests.support.servers import free_port


@pytest.fixture
def url() -> str:
    return redis_url()


@pytest.fixture
def namespace(url: str) -> Iterator[str]:
    """A fresh namespace, its keys deleted afterwards whatever the test did."""
    name = unique_namespace("redis")
    yield name
    store = RedisStore(url, name)
    store.clear()
    store.close()


@pytest.fixture
def store(url: str, namespace: str) -> Iterator[RedisStore]:
    opened = RedisStore(url, namespace)
    yield opened
    opened.close()


# Namespaces and sharing


def test_stores_of_one_namespace_share_state(url: str, namespace: str) -> None:
    first, second = RedisStore(url, namespace), RedisStore(url, namespace)
    try:
        first.put("config", {"mode": "demo"})
        assert second.get("config") == {"mode": "demo"}
        assert first.incr("hits") == 1
        assert second.incr("hits") == 2
        assert first.collection("pets").next_id() == 1
        assert second.collection("pets").next_id() == 2
        second.collection("pets").put("1", {"id": 1})
        assert first.collection("pets").list() == [{"id": 1}]
        assert first.snapshot() == second.snapshot()
        second.clear()
        assert first.snapshot() == {"values": {}, "collections": {}}
        first.collection("pets").put("2", {"id": 2})
        assert second.snapshot()["collections"] == {"pets": [{"id": 2}]}
    finally:
        first.close()
        second.close()


def test_namespaces_do_not_see_each_other(url: str) -> None:
    names = [unique_namespace("left"), unique_namespace("right")]
    left, right = (RedisStore(url, name) for name in names)
    try:
        left.put("key", "left")
        right.put("key", "right")
        left.collection("pets").put("1", "left pet")
        assert right.get("key") == "right"
        assert right.collection("pets").list() == []
        assert right.collection("pets").next_id() == 1
        assert right.keys() == ["key"]
    finally:
        for opened in (left, right):
            opened.clear()
            opened.close()


def test_clear_leaves_other_namespaces_and_foreign_keys_alone(url: str) -> None:
    base = unique_namespace("clear")
    # Namespaces that share a beginning with ``base``, or would if ``:`` and
    # glob characters in names were not escaped.
    neighbours = [base + "x", base + ":kv", base + "*", base + "?", "[" + base + "]"]
    stores = [RedisStore(url, name) for name in [base, *neighbours]]
    raw = raw_client(url)
    foreign = [f"other-app:{base}", f"mockc:{base}y:kv:key", f"mockc-{base}:kv:key"]
    try:
        for opened in stores:
            opened.put("key", opened.namespace)
            opened.incr("counter")
            opened.collection("pets").put("1", {"id": 1})
        for key in foreign:
            raw.set(key, "foreign")
        stores[0].clear()
        assert stores[0].snapshot() == {"values": {}, "collections": {}}
        assert raw.keys(f"mockc:{base}:*") == []
        for opened in stores[1:]:
            assert opened.snapshot() == {
                "values": {"counter": 1, "key": opened.namespace},
                "collections": {"pets": [{"id": 1}]},
            }
        assert [raw.get(key) for key in foreign] == ["foreign"] * len(foreign)
    finally:
        raw.delete(*foreign)
        raw.close()
        for opened in stores:
            opened.clear()
            opened.close()


def test_clear_deletes_more_keys_than_one_batch(store: RedisStore, url: str) -> None:
    for number in range(1234):
        store.put(f"key-{number}", number)
    pets = store.collection("pets")
    for number in range(600):
        pets.put(str(number), {"id": number})
    assert len(store.keys()) == 1234
    store.clear()
    assert store.keys() == []
    raw = raw_client(url)
    try:
        assert list(raw.scan_iter(match=f"mockc:{store.namespace}:*")) == []
    finally:
        raw.close()


def test_keys_live_under_the_namespace_as_json(store: RedisStore, url: str) -> None:
    store.put("config", {"a": [1, "é"]})
    store.incr("hits", 3)
    store.collection("pets").put("7", {"id": 7})
    raw = raw_client(url)
    try:
        prefix = f"mockc:{store.namespace}:"
        assert raw.get(prefix + "kv:config") == '{"a":[1,"é"]}'
        assert raw.get(prefix + "kv:hits") == "3"
        assert raw.hgetall(prefix + "col:pets:records") == {"7": '{"id":7}'}
        assert all(key.startswith(prefix) for key in raw.scan_iter(match=prefix + "*"))
    finally:
        raw.close()


# Two processes at once

_WORKER = r"""
import json, sys, time
from mockc.runtime.state.redis import RedisStore

url, namespace, worker, count = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
store = RedisStore(url, namespace)
store.incr("ready")
deadline = time.monotonic() + 30
while store.get("ready") < 2:
    if time.monotonic() > deadline:
        sys.exit("the other worker did not start")
    time.sleep(0.001)
pets = store.collection("pets")
counts, ids = [], []
for _ in range(count):
    counts.append(store.incr("hits"))
    record_id = pets.next_id()
    ids.append(record_id)
    pets.put(str(record_id), {"id": record_id, "worker": worker})
store.close()
print(json.dumps({"counts": counts, "ids": ids}))
"""


def test_two_processes_lose_no_increment_and_share_no_id(store: RedisStore, url: str) -> None:
    count = 1000
    workers = [
        subprocess.Popen(
            [sys.executable, "-c", _WORKER, url, store.namespace, name, str(count)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for name in ("a", "b")
    ]
    results = []
    for worker in workers:
        out, err = worker.communicate(timeout=120)
        assert worker.returncode == 0, err
        results.append(json.loads(out))
    assert store.get("hits") == 2 * count
    counts = [value for result in results for value in result["counts"]]
    ids = [value for result in results for value in result["ids"]]
    assert sorted(counts) == list(range(1, 2 * count + 1))
    assert sorted(ids) == list(range(1, 2 * count + 1))
    records = store.collection("pets").list()
    assert len(records) == 2 * count
    assert {record["worker"] for record in records} == {"a", "b"}
    assert store.collection("pets").next_id() == 2 * count + 1


# Errors


def test_an_unreachable_redis_fails_fast_with_one_clear_line() -> None:
    port = free_port()
    started = time.monotonic()
    with pytest.raises(StateError) as raised:
        RedisStore(f"redis://user:secret@127.0.0.1:{port}/0", "ns")
    assert time.monotonic() - started < 3
    message = str(raised.value)
    assert message.startswith(f"cannot reach Redis at redis://user:***@127.0.0.1:{port}/0")
    assert "MOCKC_STATE" in message
    assert "secret" not in message
    assert "\n" not in message


def test_a_redis_that_never_answers_times_out() -> None:
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen()
        port = silent.getsockname()[1]
        started = time.monotonic()
        with pytest.raises(StateError, match=r"did not answer within 0\.3s"):
            RedisStore(f"redis://127.0.0.1:{port}/0", "ns", socket_timeout=0.3)
        assert time.monotonic() - started < 3


def test_redis_going_away_and_coming_back() -> None:
    with RedisServer(free_port()) as server:
        store = RedisStore(server.url, "ns")
        try:
            store.put("key", "value")
            server.stop()
            started = time.monotonic()
            with pytest.raises(StateError, match=r"^cannot reach Redis at .* reading key 'key'"):
                store.get("key")
            with pytest.raises(StateError, match="cannot reach Redis"):
                store.collection("pets").next_id()
            assert time.monotonic() - started < 3
            server.start()
            assert store.get("key", "gone") == "gone"  # the server kept nothing
            assert store.incr("hits") == 1
        finally:
            store.close()


def test_a_wrong_password_is_named_without_showing_it() -> None:
    with RedisServer(free_port(), "--requirepass", "right-one") as server:
        wrong = server.url.replace("redis://", "redis://:wrong-one@")
        with pytest.raises(StateError, match="refused the credentials") as raised:
            RedisStore(wrong, "ns")
        assert "wrong-one" not in str(raised.value)
        right = RedisStore(server.url.replace("redis://", "redis://:right-one@"), "ns")
        try:
            right.put("key", 1)
            assert right.get("key") == 1
            assert "right-one" not in repr(right) + right.url
        finally:
            right.close()


def test_data_that_is_not_json_is_a_state_error(store: RedisStore, url: str) -> None:
    raw = raw_client(url)
    try:
        raw.set(f"mockc:{store.namespace}:kv:broken", "{not json")
        raw.hset(f"mockc:{store.namespace}:col:pets:records", "1", "nor this")
    finally:
        raw.close()
    with pytest.raises(StateError, match="'mockc:.*:kv:broken'.* not JSON"):
        store.get("broken")
    with pytest.raises(StateError, match="not JSON"):
        store.collection("pets").get("1")


def test_values_that_are_not_json_are_refused(store: RedisStore) -> None:
    with pytest.raises(StateError, match="key 'k' is not JSON data"):
        store.put("k", object())
    with pytest.raises(StateError, match="record '1' of 'pets' is not JSON data"):
        store.collection("pets").put("1", {"when": object()})
    assert store.snapshot() == {"values": {}, "collections": {"pets": []}}


def test_a_counter_past_64_bits_is_a_state_error(store: RedisStore) -> None:
    store.put("hits", 2**63 - 1)
    with pytest.raises(StateError, match="overflow"):
        store.incr("hits")
    with pytest.raises(StateError, match="64-bit"):
        store.incr("other", 2**63)
    assert store.get("hits") == 2**63 - 1


def test_construction_errors(url: str) -> None:
    with pytest.raises(StateError, match="non-empty namespace"):
        RedisStore(url, "")
    with pytest.raises(StateError, match=r"invalid Redis URL redis://127\.0\.0\.1:port/0"):
        RedisStore("redis://127.0.0.1:port/0", "ns")
