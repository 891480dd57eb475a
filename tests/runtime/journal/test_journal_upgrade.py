"""A journal written by an earlier version is upgraded in place, nothing lost."""

from __future__ import annotations

import json
import sqlite3
from contextlib import closing
from pathlib import Path

from mockc.runtime.journal import Entry, open_journal
from mockc.runtime.journal.schema import SCHEMA_VERSION

# The layout of format version 1, as servers of that version wrote it.
V1_SCHEMA = (
    "CREATE TABLE journal_schema (format TEXT NOT NULL, version INTEGER NOT NULL)",
    """CREATE TABLE entries (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        time REAL NOT NULL,
        duration_ms REAL NOT NULL,
        protocol TEXT NOT NULL,
        method TEXT NOT NULL,
        target TEXT NOT NULL,
        operation TEXT,
        status TEXT NOT NULL,
        source TEXT NOT NULL,
        admin INTEGER NOT NULL,
        matched INTEGER,
        near_miss TEXT,
        request_headers TEXT,
        request_body BLOB,
        request_body_size INTEGER,
        response_headers TEXT,
        response_body BLOB,
        response_body_size INTEGER
    )""",
    "CREATE INDEX entries_time ON entries (time)",
    "CREATE INDEX entries_status ON entries (status)",
    "CREATE INDEX entries_operation ON entries (operation)",
    "CREATE INDEX entries_unmatched ON entries (operation) WHERE matched = 0",
    "INSERT INTO journal_schema VALUES ('mockc-journal', 1)",
)

NEAR_MISS = [{"mock": "m1", "failed": "query.tier == 'gold'", "had": "silver"}]


def write_v1(path: Path) -> None:
    with closing(sqlite3.connect(path)) as connection:
        connection.execute("PRAGMA journal_mode = WAL")
        for statement in V1_SCHEMA:
            connection.execute(statement)
        rows = [
            (
                1.0e9,
                1.5,
                "http",
                "GET",
                "/pets/1",
                "getPet",
                "200",
                "mock:m2",
                0,
                1,
                None,
                '{"accept":"*/*"}',
                None,
                None,
                '{"content-type":"application/json"}',
                b'{"id":1}',
                8,
            ),
            (
                1.0e9 + 1,
                2.5,
                "http",
                "GET",
                "/pets/2?tier=silver",
                "getPet",
                "404",
                "error",
                0,
                0,
                json.dumps(NEAR_MISS),
                "{}",
                b"abc",
                5000,
                None,
                None,
                None,
            ),
            (
                1.0e9 + 2,
                0.5,
                "grpc",
                "",
                "/helloworld.Greeter/SayHello",
                "SayHello",
                "OK",
                "example",
                0,
                None,
                None,
                None,
                b'{"name":"x"}',
                12,
                None,
                None,
                None,
            ),
            (
                1.0e9 + 3,
                0.1,
                "http",
                "GET",
                "/__mockc/info",
                None,
                "200",
                "admin",
                1,
                None,
                None,
                None,
                None,
                None,
                None,
                None,
                None,
            ),
        ]
        connection.executemany(
            "INSERT INTO entries (time, duration_ms, protocol, method, target, operation, "
            "status, source, admin, matched, near_miss, request_headers, request_body, "
            "request_body_size, response_headers, response_body, response_body_size) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            rows,
        )
        connection.execute("DELETE FROM entries WHERE id = 4")
        connection.commit()


def test_a_version_1_journal_keeps_every_entry_and_its_ids(tmp_path: Path) -> None:
    path = tmp_path / "journal.sqlite"
    write_v1(path)
    journal = open_journal(path)
    found = journal.search(include_admin=True)["entries"]
    analysis = journal.analysis()
    journal.close()

    assert [e["id"] for e in found] == [3, 2, 1]
    grpc, unmatched, matched = found
    assert (grpc["protocol"], grpc["method"], grpc["status"], grpc["matched"]) == (
        "grpc",
        "",
        "OK",
        None,
    )
    assert grpc["request"]["body"] == {
        "data": '{"name":"x"}',
        "encoding": "utf-8",
        "size": 12,
        "truncated": False,
    }
    assert unmatched["near_miss"] == NEAR_MISS
    assert unmatched["matched"] is False
    assert unmatched["request"] == {
        "headers": {},
        "body": {"data": "abc", "encoding": "utf-8", "size": 5000, "truncated": True},
    }
    assert matched["request"]["headers"] == {"accept": "*/*"}
    assert matched["response"]["headers"] == {"content-type": "application/json"}
    assert matched["response"]["body"]["data"] == '{"id":1}'
    assert matched["source"] == "mock:m2"
    assert analysis["unmatched"]["top"] == [
        {"operation": "getPet", "count": 1, "near_miss": NEAR_MISS}
    ]


def test_ids_go_on_after_the_last_one_the_old_table_gave(tmp_path: Path) -> None:
    path = tmp_path / "journal.sqlite"
    write_v1(path)
    journal = open_journal(path)
    journal.record(Entry(2.0e9, 1.0, "http", "GET", "/new", "getPet", "200", "fake"))
    newest = journal.search(limit=1)["entries"][0]
    journal.close()
    assert (newest["target"], newest["id"]) == ("/new", 5)
    with closing(sqlite3.connect(path)) as connection:
        assert connection.execute("SELECT version FROM journal_schema").fetchone() == (
            SCHEMA_VERSION,
        )
        tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master")}
        assert connection.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    assert "entries_v1" not in tables
    assert {"requests", "request_kinds", "entries", "requests_time"} <= tables


# The layout of format version 2 (kinds stored once, headers as one JSON text).
V2_SCHEMA = (
    "CREATE TABLE journal_schema (format TEXT NOT NULL, version INTEGER NOT NULL)",
    """CREATE TABLE request_kinds (
        id INTEGER PRIMARY KEY,
        protocol TEXT NOT NULL,
        method TEXT NOT NULL,
        operation TEXT,
        status TEXT NOT NULL,
        source TEXT NOT NULL,
        admin INTEGER NOT NULL,
        matched INTEGER
    )""",
    """CREATE TABLE requests (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        time REAL NOT NULL,
        duration_ms REAL NOT NULL,
        kind INTEGER NOT NULL,
        target TEXT NOT NULL,
        headers TEXT,
        request_body BLOB,
        response_body BLOB,
        extra TEXT
    )""",
    "CREATE INDEX requests_time ON requests (time)",
    """CREATE VIEW entries AS SELECT r.id, r.time, r.duration_ms, k.protocol, k.method,
        r.target, k.operation, k.status, k.source, k.admin, k.matched, r.headers,
        r.request_body, r.response_body, r.extra
        FROM requests AS r CROSS JOIN request_kinds AS k ON k.id = r.kind""",
    "INSERT INTO journal_schema VALUES ('mockc-journal', 2)",
    "INSERT INTO request_kinds VALUES (1, 'soap', 'POST', 'Add', 'AddResponse', 'fake', 0, NULL)",
)


def test_a_version_2_file_is_upgraded_and_its_rows_read_as_before(tmp_path: Path) -> None:
    path = tmp_path / "journal.sqlite"
    answer = b"<AddResponse>" + b"5" * 100 + b"</AddResponse>"
    with closing(sqlite3.connect(path)) as connection:
        connection.execute("PRAGMA journal_mode = WAL")
        for statement in V2_SCHEMA:
            connection.execute(statement)
        connection.executemany(
            "INSERT INTO requests (time, duration_ms, kind, target, headers, request_body, "
            "response_body, extra) VALUES (?, 1.0, 1, '/calc', ?, ?, ?, NULL)",
            [
                (
                    1.0e9 + n,
                    json.dumps({"request": {"n": str(n)}, "response": None}),
                    b"<Add/>",
                    answer,
                )
                for n in range(3)
            ],
        )
        connection.commit()
    journal = open_journal(path)
    for n in range(3):  # the same answer again: now stored once
        journal.record(
            Entry(
                2.0e9 + n,
                1.0,
                "soap",
                "POST",
                "/calc",
                "Add",
                "AddResponse",
                "fake",
                response_body=answer,
            )
        )
    found = journal.search()["entries"]
    journal.close()
    assert [e["id"] for e in found] == [6, 5, 4, 3, 2, 1]
    assert {e["response"]["body"]["data"] for e in found} == {answer.decode()}
    assert [e["request"]["headers"] for e in found[3:]] == [{"n": "2"}, {"n": "1"}, {"n": "0"}]
    assert [e["request"]["body"] for e in found[:3]] == [None] * 3
    with closing(sqlite3.connect(path)) as connection:
        assert connection.execute("SELECT version FROM journal_schema").fetchone() == (
            SCHEMA_VERSION,
        )
        assert connection.execute("SELECT count(*) FROM bodies").fetchone() == (1,)
        assert connection.execute("PRAGMA integrity_check").fetchone() == ("ok",)
