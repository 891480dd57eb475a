"""The journal's analysis: percentiles, error rate, top lists, unmatched mocks."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from mockc.runtime.journal import Entry, Journal, open_journal
from mockc.runtime.journal.analysis import is_error, percentile

T0 = 1_700_000_000.0


def entry(n: int, **fields: Any) -> Entry:
    values: dict[str, Any] = {
        "time": T0 + n,
        "duration_ms": 1.0,
        "protocol": "http",
        "method": "GET",
        "target": "/pets/1",
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


def test_nearest_rank_percentiles() -> None:
    values = [float(n) for n in range(1, 101)]
    assert [percentile(values, p) for p in (50, 95, 99, 100)] == [50.0, 95.0, 99.0, 100.0]
    assert percentile([7.0], 99) == 7.0
    assert percentile([1.0, 2.0, 3.0, 4.0], 50) == 2.0
    assert percentile([1.0, 2.0, 3.0, 4.0], 95) == 4.0
    assert percentile([], 50) is None


def test_what_counts_as_an_error() -> None:
    assert all(map(is_error, ["500", "503", "599", "INTERNAL", "UNAVAILABLE", "fault:reset"]))
    assert not any(map(is_error, ["200", "404", "429", "NOT_FOUND", "OK", "5", "50x"]))


def test_latency_percentiles_are_exact_on_a_known_set(journal: Journal) -> None:
    # durations 1..200 ms, recorded in a shuffled order
    for n in range(200):
        journal.record(entry(n, duration_ms=float((n * 37) % 200 + 1)))
    latency = journal.analysis()["latency_ms"]
    assert latency == {"p50": 100.0, "p95": 190.0, "p99": 198.0, "max": 200.0}


def test_counts_statuses_errors_paths_and_operations(journal: Journal) -> None:
    statuses = ["200"] * 12 + ["404"] * 4 + ["500"] * 3 + ["fault:reset"]
    for n, status in enumerate(statuses):
        journal.record(
            entry(
                n,
                status=status,
                target=f"/pets/{n % 3}?page={n}",
                operation=None if status == "404" else f"op{n % 2}",
            )
        )
    journal.record(entry(99, target="/__mockc/journal", operation=None, admin=True))
    summary = journal.analysis()
    assert summary["count"] == 20
    assert summary["by_status"] == {"200": 12, "404": 4, "500": 3, "fault:reset": 1}
    assert summary["errors"] == 4
    assert summary["error_rate"] == 0.2
    assert summary["top_paths"] == [
        {"path": "/pets/0", "count": 7},
        {"path": "/pets/1", "count": 7},
        {"path": "/pets/2", "count": 6},
    ]
    assert summary["top_operations"] == [
        {"operation": "op0", "count": 8},
        {"operation": "op1", "count": 8},
    ]
    assert summary["unrouted"] == 4
    assert summary["enabled"] is True
    with_admin = journal.analysis(include_admin=True)
    assert with_admin["count"] == 21
    assert {"path": "/__mockc/journal", "count": 1} in with_admin["top_paths"]


def test_top_lists_keep_the_ten_busiest(journal: Journal) -> None:
    n = 0
    for path in range(15):
        for _ in range(path + 1):
            journal.record(entry(n, target=f"/p/{path}", operation=f"op{path}"))
            n += 1
    summary = journal.analysis()
    assert [row["path"] for row in summary["top_paths"]] == [f"/p/{k}" for k in range(14, 4, -1)]
    assert summary["top_operations"][0] == {"operation": "op14", "count": 15}
    assert len(summary["top_operations"]) == 10


def test_unmatched_lists_operations_with_their_latest_near_miss(journal: Journal) -> None:
    for n in range(5):
        journal.record(
            entry(n, operation="getPet", matched=False, near_miss=[{"mock": "a", "n": n}])
        )
    for n in range(5, 7):
        journal.record(
            entry(n, operation="addPet", matched=False, near_miss=[{"mock": "b", "n": n}])
        )
    journal.record(entry(7, operation="getPet", matched=True, source="mock:a"))
    journal.record(entry(8, operation="listPets", matched=None))
    unmatched = journal.analysis()["unmatched"]
    assert unmatched == {
        "count": 7,
        "top": [
            {"operation": "getPet", "count": 5, "near_miss": [{"mock": "a", "n": 4}]},
            {"operation": "addPet", "count": 2, "near_miss": [{"mock": "b", "n": 6}]},
        ],
    }


def test_since_and_until_select_a_window(journal: Journal) -> None:
    for n in range(10):
        journal.record(entry(n, duration_ms=float(n)))
    window = journal.analysis(since=T0 + 2, until=T0 + 5)
    assert window["count"] == 3
    assert window["latency_ms"] == {"p50": 3.0, "p95": 4.0, "p99": 4.0, "max": 4.0}


def test_an_empty_journal_has_no_percentiles_and_no_error_rate(journal: Journal) -> None:
    summary = journal.analysis()
    assert summary["count"] == 0
    assert summary["latency_ms"] == {"p50": None, "p95": None, "p99": None, "max": None}
    assert summary["error_rate"] is None
    assert summary["by_status"] == {}
    assert summary["unmatched"] == {"count": 0, "top": []}
