"""How entries become rows: absent values, bodies, headers, and the few
statement sizes the writer prepares."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from mockc.runtime.journal import open_journal
from mockc.runtime.journal.writer import _statement_sizes
from tests.support.journal_entries import entry


def stored(path: Path, columns: str) -> list[tuple[Any, ...]]:
    with closing(sqlite3.connect(path)) as connection:
        return connection.execute(f"SELECT {columns} FROM requests ORDER BY id").fetchall()


def test_absent_parts_are_null_and_an_empty_body_is_not_absent(tmp_path: Path) -> None:
    path = tmp_path / "j.db"
    journal = open_journal(path)
    journal.record(entry(1))
    journal.record(entry(2, request_body=b"", response_body=b"{}"))
    journal.record(entry(3, request_body="é", response_body=bytearray(b"\x00\xff")))
    journal.close()
    assert stored(path, "headers, request_body, response_body, extra") == [
        (None, None, None, None),
        (None, b"", b"{}", None),
        (None, "é".encode(), b"\x00\xff", None),
    ]


def test_a_cut_body_keeps_its_size_in_extra(tmp_path: Path) -> None:
    path = tmp_path / "j.db"
    journal = open_journal(path, body_limit=4)
    journal.record(entry(1, response_body=b"0123456789"))
    (found,) = journal.search()["entries"]
    journal.close()
    assert found["response"]["body"] == {
        "data": "0123",
        "encoding": "utf-8",
        "size": 10,
        "truncated": True,
    }
    assert stored(path, "response_body, extra") == [
        (b"0123", '{"near_miss":null,"request_body_size":null,"response_body_size":10}')
    ]


def test_headers_are_one_json_text(tmp_path: Path) -> None:
    path = tmp_path / "j.db"
    journal = open_journal(path)
    journal.record(entry(1, request_headers={"accept": "*/*", "x-é": "ü"}))
    journal.close()
    assert stored(path, "headers") == [('{"request":{"accept":"*/*","x-é":"ü"},"response":null}',)]


def test_an_entry_with_a_lone_surrogate_in_a_header_is_kept(tmp_path: Path) -> None:
    journal = open_journal(tmp_path / "j.db")
    journal.record(entry(1, request_headers={"x-raw": "\udcff"}))
    (found,) = journal.search()["entries"]
    journal.close()
    assert found["request"]["headers"] == {"x-raw": "\udcff"}


@given(st.integers(min_value=0, max_value=5000), st.sampled_from([1, 2, 64, 256, 4096]))
def test_statement_sizes_are_few_powers_of_two_adding_up(count: int, largest: int) -> None:
    sizes = _statement_sizes(count, largest)
    assert sum(sizes) == count
    assert all(size & (size - 1) == 0 and size <= largest for size in sizes)
    assert sizes == sorted(sizes, reverse=True)
    assert len(sizes) <= count // largest + largest.bit_length()


def test_batches_of_every_size_use_a_handful_of_statements(tmp_path: Path) -> None:
    journal = open_journal(tmp_path / "j.db", batch_size=500)
    n = 0
    for batch in range(1, 300, 7):
        for _ in range(batch):
            journal.record(entry(n))
            n += 1
        journal.flush()
    writer = journal._writer
    assert writer is not None
    prepared = sorted(writer._statements)
    total = journal.search()["total"]
    journal.close()
    assert total == n
    assert prepared == [1, 2, 4, 8, 16, 32, 64, 128, 256]
