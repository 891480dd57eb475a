"""Recording, searching and reading back journal entries."""

from __future__ import annotations

import base64
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from mockc.runtime.journal import BODY_LIMIT, Entry, Journal, JournalError, open_journal

T0 = 1_700_000_000.0


def entry(n: int, **fields: Any) -> Entry:
    values: dict[str, Any] = {
        "time": T0 + n,
        "duration_ms": float(n),
        "protocol": "http",
        "method": "GET",
        "target": f"/pets/{n}",
        "operation": "getPet",
        "status": "200",
        "source": "example",
    }
    values.update(fields)
    return Entry(**values)


@pytest.fixture
def journal(tmp_path: Path) -> Iterator[Journal]:
    opened = open_journal(tmp_path / "journal.db")
    yield opened
    opened.close()


def targets(result: dict[str, Any]) -> list[str]:
    return [found["target"] for found in result["entries"]]


@pytest.fixture
def mixed(journal: Journal) -> Journal:
    """A journal holding a known mix of requests."""
    journal.record(entry(1, method="GET", target="/pets/1?limit=5"))
    journal.record(entry(2, method="POST", target="/pets", operation="addPet", status="201"))
    journal.record(entry(3, target="/nowhere", operation=None, status="404", source="error"))
    journal.record(entry(4, target="/pets/4", status="500", source="hook"))
    journal.record(entry(5, target="/pets/5", status="503", source="fake"))
    journal.record(entry(6, target="/__mockc/mocks", operation=None, source="admin", admin=True))
    journal.record(entry(7, target="/pets/7", matched=True, source="mock:m1"))
    journal.record(
        entry(
            8,
            target="/pets/8",
            matched=False,
            near_miss=[{"mock": "m1", "failed": ["path.petId == 7"], "score": 0.5}],
        )
    )
    journal.flush()
    return journal


def test_search_returns_newest_first_without_admin_calls(mixed: Journal) -> None:
    result = mixed.search()
    assert result["total"] == 7
    assert targets(result) == [
        "/pets/8",
        "/pets/7",
        "/pets/5",
        "/pets/4",
        "/nowhere",
        "/pets",
        "/pets/1?limit=5",
    ]
    assert result["enabled"] is True
    assert result["dropped"] == 0
    assert (result["limit"], result["offset"]) == (100, 0)


def test_include_admin_adds_admin_calls(mixed: Journal) -> None:
    result = mixed.search(include_admin=True)
    assert result["total"] == 8
    assert "/__mockc/mocks" in targets(result)
    admin = next(found for found in result["entries"] if found["admin"])
    assert admin["source"] == "admin"


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({"method": "post"}, ["/pets"]),
        ({"method": "GET", "status": "200"}, ["/pets/8", "/pets/7", "/pets/1?limit=5"]),
        ({"status": "404"}, ["/nowhere"]),
        ({"status": "5xx"}, ["/pets/5", "/pets/4"]),
        ({"status": "2XX"}, ["/pets/8", "/pets/7", "/pets", "/pets/1?limit=5"]),
        ({"operation": "addPet"}, ["/pets"]),
        ({"since": T0 + 4}, ["/pets/8", "/pets/7", "/pets/5", "/pets/4"]),
        ({"until": T0 + 3}, ["/pets", "/pets/1?limit=5"]),
        ({"since": T0 + 2, "until": T0 + 5}, ["/pets/4", "/nowhere", "/pets"]),
        (
            {"path_regex": r"^/pets/\d+$"},
            ["/pets/8", "/pets/7", "/pets/5", "/pets/4", "/pets/1?limit=5"],
        ),
        ({"path_regex": "limit=5"}, ["/pets/1?limit=5"]),
        ({"path_regex": "nowhere"}, ["/nowhere"]),
        ({"unmatched": True}, ["/pets/8"]),
        (
            {"unmatched": False},
            ["/pets/7", "/pets/5", "/pets/4", "/nowhere", "/pets", "/pets/1?limit=5"],
        ),
        ({"status": "418"}, []),
    ],
)
def test_each_filter(mixed: Journal, filters: dict[str, Any], expected: list[str]) -> None:
    result = mixed.search(**filters)
    assert targets(result) == expected
    assert result["total"] == len(expected)


def test_limit_offset_and_total(journal: Journal) -> None:
    for n in range(25):
        journal.record(entry(n))
    page = journal.search(limit=10, offset=5)
    assert page["total"] == 25
    assert targets(page) == [f"/pets/{n}" for n in range(19, 9, -1)]
    assert journal.search(limit=10, offset=20)["entries"][-1]["target"] == "/pets/0"
    assert journal.search(limit=10, offset=30)["entries"] == []
    assert journal.search(limit=0)["total"] == 25
    with pytest.raises(JournalError, match="must be integers >= 0"):
        journal.search(limit=-1)
    with pytest.raises(JournalError, match="must be integers >= 0"):
        journal.search(offset="2")  # type: ignore[arg-type]


def test_times_must_be_numbers(journal: Journal) -> None:
    with pytest.raises(JournalError, match="since must be a time in epoch seconds, got 'today'"):
        journal.search(since="today")  # type: ignore[arg-type]
    with pytest.raises(JournalError, match="until must be"):
        journal.analysis(until="x")  # type: ignore[arg-type]


def test_a_bad_regex_is_a_journal_error_with_the_reason(journal: Journal) -> None:
    with pytest.raises(
        JournalError, match=r"invalid path_regex '\(unclosed': missing \) at position"
    ):
        journal.search(path_regex="(unclosed")


def test_unmatched_entry_round_trips_with_its_near_miss_report(mixed: Journal) -> None:
    (found,) = mixed.search(unmatched=True)["entries"]
    assert found["matched"] is False
    assert found["near_miss"] == [{"mock": "m1", "failed": ["path.petId == 7"], "score": 0.5}]
    matched = mixed.search(path_regex="/pets/7")["entries"][0]
    assert (matched["matched"], matched["near_miss"]) == (True, None)
    assert mixed.search(path_regex="/pets/5")["entries"][0]["matched"] is None


def test_get_returns_every_stored_field(journal: Journal) -> None:
    journal.record(
        entry(
            1,
            method="POST",
            target="/pets?dry=1",
            operation="addPet",
            status="201",
            source="mock:abc",
            matched=True,
            request_headers={"content-type": "application/json", "x-trace": "é"},
            request_body=b'{"name": "rex"}',
            response_headers={"location": "/pets/9"},
            response_body=b"\xff\x00binary",
        )
    )
    found = journal.search()["entries"][0]
    assert journal.get(found["id"]) == found
    assert found["time"] == T0 + 1
    assert found["time_iso"] == "2023-11-14T22:13:21.000Z"
    assert found["duration_ms"] == 1.0
    assert found["protocol"] == "http"
    assert found["request"] == {
        "headers": {"content-type": "application/json", "x-trace": "é"},
        "body": {"data": '{"name": "rex"}', "encoding": "utf-8", "size": 15, "truncated": False},
    }
    assert found["response"]["headers"] == {"location": "/pets/9"}
    body = found["response"]["body"]
    assert body["encoding"] == "base64"
    assert base64.b64decode(body["data"]) == b"\xff\x00binary"
    assert journal.get(found["id"] + 1000) is None


def test_long_bodies_are_stored_truncated_and_say_so(journal: Journal) -> None:
    text = ("ab" * BODY_LIMIT).encode()
    cut_in_a_character = b"x" * (BODY_LIMIT - 1) + "é".encode() + b"tail"
    journal.record(entry(1, request_body=text, response_body=cut_in_a_character))
    found = journal.search()["entries"][0]
    request_body = found["request"]["body"]
    assert request_body["truncated"] is True
    assert request_body["size"] == 2 * BODY_LIMIT
    assert request_body["data"] == "ab" * (BODY_LIMIT // 2)
    response_body = found["response"]["body"]
    assert response_body["encoding"] == "utf-8"
    assert response_body["data"] == "x" * (BODY_LIMIT - 1)
    assert response_body["size"] == BODY_LIMIT + 5


def test_the_body_limit_can_be_chosen(tmp_path: Path) -> None:
    journal = open_journal(tmp_path / "j.db", body_limit=4)
    journal.record(entry(1, request_body=b"0123456789", response_body=b"0123"))
    found = journal.search()["entries"][0]
    journal.close()
    assert found["request"]["body"] == {
        "data": "0123",
        "encoding": "utf-8",
        "size": 10,
        "truncated": True,
    }
    assert found["response"]["body"]["truncated"] is False


def test_searches_see_entries_recorded_just_before(journal: Journal) -> None:
    journal.record(entry(1))
    assert journal.search()["total"] == 1
    journal.record(entry(2))
    assert journal.analysis()["count"] == 2


def test_clear_deletes_everything_and_ids_are_not_reused(journal: Journal) -> None:
    for n in range(5):
        journal.record(entry(n))
    last_id = journal.search(limit=1)["entries"][0]["id"]
    journal.record(entry(9))
    assert journal.clear() == 6
    assert journal.search()["total"] == 0
    assert journal.get(last_id) is None
    journal.record(entry(10))
    assert journal.search()["entries"][0]["id"] > last_id + 1
    assert journal.clear() == 1


def test_values_that_are_not_json_are_stored_as_text(journal: Journal) -> None:
    journal.record(entry(1, matched=False, near_miss=[{"value": {1, 2}, "raw": b"x"}]))
    found = journal.search()["entries"][0]
    assert found["near_miss"] == [{"value": "{1, 2}", "raw": "b'x'"}]


def test_record_never_raises(journal: Journal) -> None:
    journal.record("not an entry")  # type: ignore[arg-type]
    journal.record(entry(1, request_body=12))
    journal.record(entry(2, duration_ms="slow"))
    journal.record(entry(3, target="/not-utf-8/\udcff"))
    journal.record(entry(4))
    found = journal.search()
    assert targets(found) == ["/pets/4"]
    assert found["dropped"] == 4


def test_record_from_many_threads(journal: Journal) -> None:
    def record(thread: int) -> None:
        for n in range(1000):
            journal.record(entry(n, target=f"/t/{thread}/{n}"))

    threads = [threading.Thread(target=record, args=(k,)) for k in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    result = journal.search(limit=0)
    assert result["total"] + result["dropped"] == 4000


def test_reading_a_closed_journal_is_an_error(tmp_path: Path) -> None:
    journal = open_journal(tmp_path / "j.db")
    journal.close()
    journal.close()
    journal.record(entry(1))
    with pytest.raises(JournalError, match="closed"):
        journal.search()


def test_a_catastrophic_regex_is_stopped_with_a_journal_error(journal: Journal) -> None:
    for n in range(3):
        journal.record(entry(n, target="/" + "x" * 5000))
    journal.flush()
    with pytest.raises(JournalError, match=r"path_regex '\(x\+x\+\)\+y' took too long"):
        journal.search(path_regex="(x+x+)+y")
    # the journal still answers afterwards, with the same connection
    assert journal.search(path_regex="^/x+$")["total"] == 3


@pytest.mark.parametrize("pattern", ["(?:a{1000}){1000}", "[", "(?P<x"])
def test_oversized_and_malformed_regexes_are_journal_errors(journal: Journal, pattern: str) -> None:
    with pytest.raises(JournalError, match="invalid path_regex"):
        journal.search(path_regex=pattern)
