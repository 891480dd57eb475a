"""The journal's file: size bound, restarts, damaged files, overflow, disabled journal."""

from __future__ import annotations

import sqlite3
import time
from contextlib import closing
from pathlib import Path

import pytest

from mockc.runtime.journal import DISABLED, JournalError, open_journal
from mockc.runtime.journal.schema import SCHEMA_VERSION
from tests.support.journal_entries import entry


def stored_targets(path: Path) -> list[str]:
    with closing(sqlite3.connect(path)) as connection:
        return [row[0] for row in connection.execute("SELECT target FROM entries ORDER BY id")]


def test_the_table_keeps_at_most_max_entries_newest_rows(tmp_path: Path) -> None:
    journal = open_journal(tmp_path / "j.db", max_entries=50, batch_size=10)
    for n in range(237):
        journal.record(entry(n))
        if n % 20 == 0:
            journal.flush()
    journal.close()
    kept = stored_targets(tmp_path / "j.db")
    assert 40 <= len(kept) <= 50
    assert kept == [f"/n/{n}" for n in range(237 - len(kept), 237)]


def test_max_entries_smaller_than_a_batch(tmp_path: Path) -> None:
    journal = open_journal(tmp_path / "j.db", max_entries=5, batch_size=100)
    for n in range(100):
        journal.record(entry(n))
    assert journal.search(limit=100)["total"] == 5
    journal.close()
    assert stored_targets(tmp_path / "j.db") == [f"/n/{n}" for n in range(95, 100)]


def test_entries_survive_a_restart(tmp_path: Path) -> None:
    path = tmp_path / "state" / "journal.db"
    journal = open_journal(path)
    for n in range(3):
        journal.record(entry(n))
    journal.close()
    reopened = open_journal(path)
    assert reopened.search()["total"] == 3
    reopened.record(entry(3))
    found = reopened.search()["entries"]
    reopened.close()
    assert [e["target"] for e in found] == ["/n/3", "/n/2", "/n/1", "/n/0"]
    assert [e["id"] for e in found] == [4, 3, 2, 1]


def test_reopening_with_a_smaller_bound_trims_at_once(tmp_path: Path) -> None:
    path = tmp_path / "j.db"
    journal = open_journal(path)
    for n in range(100):
        journal.record(entry(n))
    journal.close()
    smaller = open_journal(path, max_entries=10, batch_size=5)
    total = smaller.search()["total"]
    smaller.close()
    assert 5 <= total <= 10


def test_the_file_is_in_wal_mode_and_records_its_format(tmp_path: Path) -> None:
    journal = open_journal(tmp_path / "j.db")
    journal.close()
    with closing(sqlite3.connect(tmp_path / "j.db")) as connection:
        assert connection.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert connection.execute("SELECT format, version FROM journal_schema").fetchall() == [
            ("mockc-journal", SCHEMA_VERSION)
        ]
        indexed = {
            row[0]
            for row in connection.execute("SELECT sql FROM sqlite_master WHERE type = 'index'")
        }
    assert indexed == {
        "CREATE INDEX requests_time ON requests (time)",
        "CREATE INDEX bodies_last_used ON bodies (last_used)",
    }


def test_the_view_entries_reads_like_one_table(tmp_path: Path) -> None:
    journal = open_journal(tmp_path / "j.db")
    journal.record(entry(1, request_body=b"hi", response_headers={"x-a": "b"}))
    journal.close()
    with closing(sqlite3.connect(tmp_path / "j.db")) as connection:
        row = connection.execute(
            "SELECT protocol, method, target, operation, status, source, admin, matched, "
            "request_body, headers FROM entries"
        ).fetchone()
    assert row == (
        "http",
        "GET",
        "/n/1",
        "op",
        "200",
        "fake",
        0,
        None,
        b"hi",
        '{"request":null,"response":{"x-a":"b"}}',
    )


def test_recurring_fields_are_stored_once_per_kind(tmp_path: Path) -> None:
    journal = open_journal(tmp_path / "j.db")
    for n in range(300):
        journal.record(entry(n, status="200" if n % 3 else "404"))
    found = journal.search(status="404", limit=1000)
    journal.close()
    assert found["total"] == 100
    with closing(sqlite3.connect(tmp_path / "j.db")) as connection:
        kinds = connection.execute("SELECT status FROM request_kinds ORDER BY status").fetchall()
    assert kinds == [("200",), ("404",)]


def test_kinds_no_row_refers_to_are_dropped_past_the_limit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A client choosing a new method per request cannot grow the file without bound."""
    monkeypatch.setattr("mockc.runtime.journal.writer.KIND_LIMIT", 20)
    path = tmp_path / "j.db"
    journal = open_journal(path, max_entries=10, batch_size=5)
    for n in range(200):
        journal.record(entry(n, method=f"M{n}"))
        if n % 5 == 4:
            journal.flush()
    found = journal.search(limit=100)["entries"]
    journal.close()
    assert [e["method"] for e in found[:3]] == ["M199", "M198", "M197"]
    with closing(sqlite3.connect(path)) as connection:
        (kinds,) = connection.execute("SELECT count(*) FROM request_kinds").fetchone()
        (orphans,) = connection.execute(
            "SELECT count(*) FROM requests WHERE kind NOT IN (SELECT id FROM request_kinds)"
        ).fetchone()
    assert kinds <= 20 + 5 + 10
    assert orphans == 0


def test_a_hand_edited_row_is_shown_as_it_is(tmp_path: Path) -> None:
    path = tmp_path / "j.db"
    journal = open_journal(path)
    journal.record(entry(1, request_headers={"a": "b"}, request_body=b"x" * 10))
    journal.close()
    with closing(sqlite3.connect(path)) as connection:
        connection.execute("UPDATE requests SET headers = 'not json', extra = '[1, 2]'")
        connection.commit()
    reopened = open_journal(path)
    (found,) = reopened.search()["entries"]
    reopened.close()
    assert found["request"]["headers"] is None
    assert found["request"]["body"]["size"] == 10
    assert found["near_miss"] is None


def test_a_file_that_is_not_sqlite_is_refused_by_name(tmp_path: Path) -> None:
    path = tmp_path / "journal.db"
    path.write_bytes(b"this is not a database, just some text\n" * 200)
    with pytest.raises(JournalError, match=f"{path}: .*not a database"):
        open_journal(path)


def test_a_damaged_journal_is_refused_by_name(tmp_path: Path) -> None:
    path = tmp_path / "journal.db"
    journal = open_journal(path)
    for n in range(2000):
        journal.record(entry(n, request_body=b"x" * 300))
    journal.close()
    data = bytearray(path.read_bytes())
    data[4096 * 3 : 4096 * 3 + 3000] = b"Z" * 3000
    path.write_bytes(bytes(data))
    with pytest.raises(JournalError, match=f"{path}: .*malformed"):
        open_journal(path)


def test_another_applications_database_is_left_alone(tmp_path: Path) -> None:
    path = tmp_path / "app.db"
    with closing(sqlite3.connect(path)) as connection:
        connection.execute("CREATE TABLE users (id INTEGER PRIMARY KEY)")
        connection.commit()
    with pytest.raises(JournalError, match=f"{path}: an SQLite database, but not a mockc journal"):
        open_journal(path)
    with closing(sqlite3.connect(path)) as connection:
        tables = [row[0] for row in connection.execute("SELECT name FROM sqlite_master")]
    assert tables == ["users"]


def test_a_journal_from_a_newer_version_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "j.db"
    open_journal(path).close()
    with closing(sqlite3.connect(path)) as connection:
        connection.execute("UPDATE journal_schema SET version = ?", (SCHEMA_VERSION + 1,))
        connection.commit()
    with pytest.raises(JournalError, match="newer than this server reads"):
        open_journal(path)


def test_a_folder_is_not_a_journal(tmp_path: Path) -> None:
    with pytest.raises(JournalError, match="is a folder"):
        open_journal(tmp_path)


def test_bad_settings_are_refused(tmp_path: Path) -> None:
    with pytest.raises(JournalError, match="batch_size must be positive"):
        open_journal(tmp_path / "j.db", batch_size=0)


def test_a_disabled_journal_records_nothing_and_says_so(tmp_path: Path) -> None:
    journal = open_journal(None)
    assert not journal.enabled
    journal.record(entry(1))
    journal.flush()
    found = journal.search()
    assert found == {
        "enabled": False,
        "message": DISABLED,
        "total": 0,
        "limit": 100,
        "offset": 0,
        "entries": [],
    }
    summary = journal.analysis()
    assert (summary["enabled"], summary["message"], summary["count"]) == (False, DISABLED, 0)
    assert summary["latency_ms"]["p99"] is None
    assert journal.get(1) is None
    assert journal.clear() == 0
    assert journal.stats() == {"enabled": False, "message": DISABLED}
    journal.close()
    assert list(tmp_path.iterdir()) == []


def test_overflow_forgets_the_oldest_entries_and_counts_them(tmp_path: Path) -> None:
    """The writer is stuck behind another connection's write lock: recording
    stays fast, the queue keeps only its newest entries, the rest are counted."""
    path = tmp_path / "j.db"
    journal = open_journal(path, batch_size=10, queue_size=100)
    blocker = sqlite3.connect(path, isolation_level=None)
    blocker.execute("BEGIN IMMEDIATE")
    try:
        started = time.perf_counter()
        for n in range(1000):
            journal.record(entry(n))
        elapsed = time.perf_counter() - started
    finally:
        blocker.execute("COMMIT")
        blocker.close()
    result = journal.search(limit=1000)
    journal.close()
    # recording never waits for the lock (that would be the 5 s busy timeout
    # at least), whatever else the machine is running
    assert elapsed < 2.0
    assert result["dropped"] >= 1000 - 100 - 2 * 10
    assert result["total"] + result["dropped"] == 1000
    kept = [int(found["target"].rsplit("/", 1)[1]) for found in result["entries"]]
    assert kept[: 100 - 10] == list(range(999, 999 - 90, -1))
