"""Bodies that repeat are stored once (table ``bodies``) and read back in every entry."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

from mockc.runtime.journal import open_journal
from mockc.runtime.journal.rows import SHARED_MIN_BYTES
from tests.support.journal_entries import entry

ANSWER = b"<answer>" + b"x" * SHARED_MIN_BYTES + b"</answer>"


def request_body(n: int) -> bytes:
    return f"<request n='{n}'>".encode() + b"y" * SHARED_MIN_BYTES + b"</request>"


def table_count(path: Path, table: str) -> int:
    with closing(sqlite3.connect(path)) as connection:
        count: int = connection.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
        return count


def test_a_repeated_body_is_stored_once_and_read_back_in_every_entry(tmp_path: Path) -> None:
    path = tmp_path / "j.db"
    journal = open_journal(path, batch_size=4)
    for n in range(10):
        journal.record(entry(n, request_body=request_body(n), response_body=ANSWER))
    found = journal.search(limit=20)["entries"]
    assert [e["response"]["body"]["data"] for e in found] == [ANSWER.decode()] * 10
    assert [e["request"]["body"]["data"] for e in found] == [
        request_body(n).decode() for n in reversed(range(10))
    ]
    assert journal.get(found[-1]["id"])["response"]["body"]["size"] == len(ANSWER)  # type: ignore[index]
    journal.close()
    assert table_count(path, "bodies") == 1  # the answer; each request body differs
    with closing(sqlite3.connect(path)) as connection:
        inline = connection.execute(
            "SELECT count(*) FROM requests WHERE typeof(response_body) = 'blob'"
        ).fetchone()[0]
        read_back = {row[0] for row in connection.execute("SELECT response_body FROM entries")}
    assert inline == 1  # its first sighting
    assert read_back == {ANSWER}


def test_short_and_cut_bodies_stay_in_their_rows(tmp_path: Path) -> None:
    path = tmp_path / "j.db"
    journal = open_journal(path, body_limit=SHARED_MIN_BYTES * 2)
    long = b"z" * (SHARED_MIN_BYTES * 3)
    for n in range(4):
        journal.record(entry(n, request_body=b"short", response_body=long))
    found = journal.search()["entries"]
    journal.close()
    assert table_count(path, "bodies") == 0
    assert {e["response"]["body"]["size"] for e in found} == {len(long)}
    assert {e["response"]["body"]["truncated"] for e in found} == {True}


def test_trimming_deletes_the_bodies_no_kept_row_refers_to(tmp_path: Path) -> None:
    path = tmp_path / "j.db"
    journal = open_journal(path, max_entries=20, batch_size=5)
    early = b"<early>" + b"e" * SHARED_MIN_BYTES
    for n in range(30):
        journal.record(entry(n, response_body=early))
    journal.flush()
    assert table_count(path, "bodies") == 1
    for n in range(30, 80):
        journal.record(entry(n, response_body=ANSWER))
        if n % 7 == 0:
            journal.flush()
    found = journal.search(limit=100)["entries"]
    journal.close()
    assert found and {e["response"]["body"]["data"] for e in found} == {ANSWER.decode()}
    with closing(sqlite3.connect(path)) as connection:
        bodies = [row[0] for row in connection.execute("SELECT data FROM bodies")]
    assert bodies == [ANSWER]


def test_bodies_shared_before_a_restart_are_read_and_trimmed_after_it(tmp_path: Path) -> None:
    path = tmp_path / "j.db"
    journal = open_journal(path, max_entries=10, batch_size=5)
    for n in range(6):
        journal.record(entry(n, response_body=ANSWER))
    journal.close()
    reopened = open_journal(path, max_entries=10, batch_size=5)
    assert {e["response"]["body"]["data"] for e in reopened.search()["entries"]} == {
        ANSWER.decode()
    }
    other = b"<other>" + b"o" * SHARED_MIN_BYTES
    for n in range(6, 40):
        reopened.record(entry(n, response_body=other))
    found = reopened.search(limit=100)["entries"]
    reopened.close()
    assert {e["response"]["body"]["data"] for e in found} == {other.decode()}
    with closing(sqlite3.connect(path)) as connection:
        assert [row[0] for row in connection.execute("SELECT data FROM bodies")] == [other]


def test_clear_deletes_the_shared_bodies_and_sharing_goes_on(tmp_path: Path) -> None:
    path = tmp_path / "j.db"
    journal = open_journal(path)
    for n in range(5):
        journal.record(entry(n, response_body=ANSWER))
    assert journal.clear() == 5
    assert table_count(path, "bodies") == 0
    for n in range(5, 9):
        journal.record(entry(n, response_body=ANSWER))
    found = journal.search()["entries"]
    journal.close()
    assert [e["response"]["body"]["data"] for e in found] == [ANSWER.decode()] * 4
    assert table_count(path, "bodies") == 1


def test_a_bad_entry_among_shared_bodies_loses_only_itself(tmp_path: Path) -> None:
    path = tmp_path / "j.db"
    journal = open_journal(path, batch_size=50)
    for n in range(10):
        target = "/not-utf-8/\udcff" if n == 5 else f"/n/{n}"  # cannot be stored
        journal.record(entry(n, target=target, response_body=ANSWER))
    found = journal.search(limit=20)
    journal.close()
    assert found["dropped"] == 1
    assert [e["target"] for e in found["entries"]] == [
        f"/n/{n}" for n in (9, 8, 7, 6, 4, 3, 2, 1, 0)
    ]
    assert {e["response"]["body"]["data"] for e in found["entries"]} == {ANSWER.decode()}
    assert table_count(path, "bodies") == 1
