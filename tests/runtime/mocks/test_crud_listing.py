"""Paging and filtering crud lists by the declared query parameters."""

from __future__ import annotations

from mockc.runtime.mocks.crud_listing import ListQuery

RECORDS = [{"id": n, "tag": "cat" if n % 2 else "dog", "tags": ["a", str(n)]} for n in range(1, 8)]
PROPERTIES = {"id": {}, "tag": {}, "tags": {}}


def ids(query: ListQuery, given: dict[str, object]) -> list[int]:
    return [record["id"] for record in query.apply(list(RECORDS), given, "id")]


def test_limit_and_offset() -> None:
    query = ListQuery([("limit", {"type": "integer"}), ("offset", {})], PROPERTIES)
    assert ids(query, {}) == [1, 2, 3, 4, 5, 6, 7]
    assert ids(query, {"limit": 2, "offset": 3}) == [4, 5]
    assert ids(query, {"offset": 6}) == [7]


def test_a_declared_default_limit_applies() -> None:
    query = ListQuery([("pageSize", {"default": 3}), ("page", {"minimum": 0})], PROPERTIES)
    assert ids(query, {}) == [1, 2, 3]
    assert ids(query, {"page": 0}) == [1, 2, 3]
    assert ids(query, {"page": 2}) == [7]


def test_a_cursor_names_the_last_record_seen() -> None:
    query = ListQuery([("starting_after", {}), ("limit", {})], PROPERTIES)
    assert ids(query, {"starting_after": 2, "limit": 2}) == [3, 4]
    assert ids(query, {"starting_after": "99"}) == []


def test_equality_filters_on_properties() -> None:
    query = ListQuery([("tag", {}), ("tags", {})], PROPERTIES)
    assert ids(query, {"tag": "cat"}) == [1, 3, 5, 7]
    assert ids(query, {"tag": ["dog", "nope"]}) == [2, 4, 6]
    assert ids(query, {"tags": "3"}) == [3]  # a list property contains the value


def test_undeclared_parameters_do_nothing() -> None:
    query = ListQuery([], PROPERTIES)
    assert query.is_empty
    assert ids(query, {"limit": 1, "tag": "cat"}) == [1, 2, 3, 4, 5, 6, 7]
