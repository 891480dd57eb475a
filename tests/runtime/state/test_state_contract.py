"""The contract every state store keeps: one suite, run against the memory store
and against a real Redis (each test in a fresh namespace, cleared afterwards)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from mockc.runtime.state import MemoryStore, StateStore
from mockc.runtime.state.redis import RedisStore
from tests.support.redis import redis_url, unique_namespace

NESTED: Any = {
    "name": "Tom",
    "tags": ["cat", "grey", ""],
    "owner": {"id": 7, "address": {"city": "Zürich", "lines": ["1 Road", None]}},
    "ratio": 0.25,
    "big": 2**62,
    "negative": -3,
    "flags": [True, False, None],
    "empty": {"list": [], "object": {}, "text": ""},
    "unicode": '猫 🐈 \u0000 "quoted" \\ back',
    "deep": [[[[{"level": 5}]]]],
}


@pytest.fixture(params=["memory", "redis"])
def store(request: pytest.FixtureRequest) -> Iterator[StateStore]:
    opened: StateStore
    if request.param == "memory":
        opened = MemoryStore()
    else:
        opened = RedisStore(redis_url(), unique_namespace("contract"))
    try:
        yield opened
    finally:
        opened.clear()
        opened.close()


# Keys and values


def test_get_of_a_missing_key_is_the_default(store: StateStore) -> None:
    assert store.get("missing") is None
    assert store.get("missing", 5) == 5
    assert store.get("missing", {"a": 1}) == {"a": 1}


@pytest.mark.parametrize(
    "value",
    [NESTED, 0, 1.5, -(2**63), "text", "", True, False, [], {}, [1, "two", [3.0]]],
    ids=lambda value: type(value).__name__,
)
def test_values_round_trip(store: StateStore, value: Any) -> None:
    store.put("key", value)
    assert store.get("key") == value
    assert type(store.get("key")) is type(value)


def test_a_stored_null_is_not_the_default(store: StateStore) -> None:
    store.put("nothing", None)
    assert store.get("nothing", "default") is None
    assert store.keys() == ["nothing"]


def test_put_replaces(store: StateStore) -> None:
    store.put("key", {"version": 1})
    store.put("key", {"version": 2})
    assert store.get("key") == {"version": 2}


def test_values_are_copies(store: StateStore) -> None:
    value = {"items": [1, 2]}
    store.put("key", value)
    value["items"].append(3)
    read = store.get("key")
    assert read == {"items": [1, 2]}
    read["items"].append(4)
    assert store.get("key") == {"items": [1, 2]}


def test_delete_says_whether_the_key_existed(store: StateStore) -> None:
    store.put("key", "value")
    assert store.delete("key") is True
    assert store.delete("key") is False
    assert store.get("key") is None
    assert store.delete("never") is False


def test_delete_of_null_says_it_existed(store: StateStore) -> None:
    store.put("nothing", None)
    store.collection("pets").put("1", None)
    assert (store.delete("nothing"), store.collection("pets").delete("1")) == (True, True)


@pytest.mark.parametrize(
    "key", ["with space", "a:b:c", "star*", "q?", "[brackets]", "back\\slash", "ключ", "kv:x"]
)
def test_any_text_is_a_key(store: StateStore, key: str) -> None:
    store.put(key, 1)
    store.put(key + "-other", 2)
    assert store.get(key) == 1
    assert key in store.keys("")
    assert store.keys(key) == [key, key + "-other"]
    assert store.delete(key) is True
    assert store.keys(key) == [key + "-other"]


# Counters


def test_incr_starts_from_zero_and_adds(store: StateStore) -> None:
    assert store.incr("hits") == 1
    assert store.incr("hits") == 2
    assert store.incr("hits", 10) == 12
    assert store.incr("hits", -20) == -8
    assert store.get("hits") == -8


def test_incr_adds_to_an_integer_put_before(store: StateStore) -> None:
    store.put("count", 41)
    assert store.incr("count") == 42
    store.put("count", 5)
    assert store.incr("count", 0) == 5


@pytest.mark.parametrize("value", ["12", 1.5, 2.0, True, None, [1], {"n": 1}])
def test_incr_restarts_a_key_that_holds_no_integer(store: StateStore, value: Any) -> None:
    store.put("count", value)
    assert store.incr("count", 3) == 3
    assert store.get("count") == 3


def test_counters_are_keys(store: StateStore) -> None:
    store.incr("counter:a")
    store.put("value", "x")
    assert store.keys() == ["counter:a", "value"]
    assert store.keys("counter:") == ["counter:a"]
    assert store.snapshot()["values"] == {"counter:a": 1, "value": "x"}


# Keys listing


def test_keys_are_sorted_and_filtered_by_prefix(store: StateStore) -> None:
    for key in ["b", "a2", "a1", "c", "ab"]:
        store.put(key, key)
    assert store.keys() == ["a1", "a2", "ab", "b", "c"]
    assert store.keys("a") == ["a1", "a2", "ab"]
    assert store.keys("a1") == ["a1"]
    assert store.keys("z") == []


def test_glob_characters_in_a_prefix_are_literal(store: StateStore) -> None:
    for key in ["a*1", "ab", "a?", "[a]x", "ax"]:
        store.put(key, 0)
    assert store.keys("a*") == ["a*1"]
    assert store.keys("a?") == ["a?"]
    assert store.keys("[a]") == ["[a]x"]


def test_keys_do_not_list_collections(store: StateStore) -> None:
    store.collection("pets").put("1", {"id": 1})
    assert store.keys() == []


# Collections


def test_next_id_counts_from_one_per_collection(store: StateStore) -> None:
    pets = store.collection("pets")
    assert [pets.next_id() for _ in range(3)] == [1, 2, 3]
    assert store.collection("orders").next_id() == 1
    assert store.collection("pets").next_id() == 4


def test_put_get_list_delete(store: StateStore) -> None:
    pets = store.collection("pets")
    assert pets.list() == []
    assert pets.get("1") is None
    assert pets.put("1", {"id": 1, "name": "Tom"}) is True
    assert pets.put("2", {"id": 2, "name": "Jerry"}) is True
    assert pets.get("1") == {"id": 1, "name": "Tom"}
    assert pets.list() == [{"id": 1, "name": "Tom"}, {"id": 2, "name": "Jerry"}]
    assert pets.delete("1") is True
    assert pets.delete("1") is False
    assert pets.get("1") is None
    assert pets.list() == [{"id": 2, "name": "Jerry"}]


def test_list_keeps_creation_order_not_id_order(store: StateStore) -> None:
    pets = store.collection("pets")
    for record_id in ["10", "9", "b", "a", "100"]:
        pets.put(record_id, {"id": record_id})
    assert [record["id"] for record in pets.list()] == ["10", "9", "b", "a", "100"]


def test_a_replaced_record_keeps_its_place(store: StateStore) -> None:
    pets = store.collection("pets")
    for record_id in ["1", "2", "3"]:
        pets.put(record_id, {"id": record_id, "v": 1})
    assert pets.put("2", {"id": "2", "v": 2}) is False
    assert pets.list() == [{"id": "1", "v": 1}, {"id": "2", "v": 2}, {"id": "3", "v": 1}]


def test_a_deleted_then_recreated_record_goes_last(store: StateStore) -> None:
    pets = store.collection("pets")
    for record_id in ["1", "2", "3"]:
        pets.put(record_id, {"id": record_id})
    pets.delete("1")
    assert pets.put("1", {"id": "1"}) is True
    assert [record["id"] for record in pets.list()] == ["2", "3", "1"]


def test_records_are_copies_and_round_trip(store: StateStore) -> None:
    pets = store.collection("pets")
    record = {"id": 1, "nested": NESTED}
    pets.put("1", record)
    record["nested"] = None
    read = pets.get("1")
    assert read == {"id": 1, "nested": NESTED}
    read["id"] = 99
    assert pets.get("1")["id"] == 1
    assert pets.list() == [{"id": 1, "nested": NESTED}]


def test_collections_are_separate(store: StateStore) -> None:
    store.collection("a").put("1", "in a")
    store.collection("a:records").put("1", "in a:records")
    store.collection("b").put("1", "in b")
    assert store.collection("a").list() == ["in a"]
    assert store.collection("a:records").list() == ["in a:records"]
    assert store.collection("b").get("1") == "in b"


def test_the_same_name_is_the_same_collection(store: StateStore) -> None:
    store.collection("pets").put("1", {"id": 1})
    assert store.collection("pets").get("1") == {"id": 1}


def test_collection_clear_empties_it_and_restarts_its_ids(store: StateStore) -> None:
    pets = store.collection("pets")
    pets.next_id()
    pets.put("1", {"id": 1})
    store.collection("orders").put("1", {"id": 1})
    pets.clear()
    assert pets.list() == []
    assert pets.next_id() == 1
    assert store.collection("orders").list() == [{"id": 1}]
    assert "pets" in store.snapshot()["collections"]


# Snapshot and clear


def test_snapshot_shows_values_and_collections(store: StateStore) -> None:
    assert store.snapshot() == {"values": {}, "collections": {}}
    store.put("config", {"mode": "demo"})
    store.incr("hits", 2)
    store.collection("pets").put("1", {"id": 1})
    store.collection("pets").put("2", {"id": 2})
    store.collection("empty")
    snapshot = store.snapshot()
    assert snapshot == {
        "values": {"config": {"mode": "demo"}, "hits": 2},
        "collections": {"empty": [], "pets": [{"id": 1}, {"id": 2}]},
    }
    assert list(snapshot["collections"]) == ["empty", "pets"]


def test_clear_forgets_everything(store: StateStore) -> None:
    store.put("key", 1)
    store.incr("counter")
    pets = store.collection("pets")
    pets.next_id()
    pets.put("1", {"id": 1})
    store.clear()
    assert store.snapshot() == {"values": {}, "collections": {}}
    assert store.keys() == []
    assert store.get("key") is None
    assert store.incr("counter") == 1
    assert store.collection("pets").list() == []
    assert store.collection("pets").next_id() == 1


def test_close_can_be_called(store: StateStore) -> None:
    store.put("key", 1)
    store.close()
