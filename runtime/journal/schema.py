"""The journal's SQLite file: connections, pragmas, schema and its version.

The file is in WAL mode with ``synchronous=NORMAL``: a killed process loses at
most its last uncommitted transaction and never corrupts the file. The table
``journal_schema`` records the format version, so later versions can migrate
old files (:data:`MIGRATIONS`) and refuse files written by newer ones.

Version 2 stores a request's recurring fields (protocol, method, operation,
status, source, admin and matched flags) once per combination in
``request_kinds``; ``requests`` holds the rest and the kind's id. The view
``entries`` joins them back into one row per request (:data:`ENTRY_COLUMNS`),
for the journal's queries and for anyone reading the file with ``sqlite3``.

Version 3 stores a body that repeats once, in ``bodies``: a row's
``request_body`` or ``response_body`` then holds that row's id (an integer)
instead of the bytes, and the view ``entries`` puts the bytes back. Files of
version 2 need nothing but the new table and view (:func:`_upgrade_from_v2`).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

from .entry import Clipped, Entry, parse_json
from .errors import JournalError
from .rows import KIND_FIELDS, ROW_FIELDS, ROW_PLACEHOLDERS, RowBuilder

__all__ = [
    "ENTRY_COLUMNS",
    "FORMAT",
    "SCHEMA_VERSION",
    "connect",
    "insert_statement",
    "prepare",
]

FORMAT = "mockc-journal"
SCHEMA_VERSION = 3
BUSY_TIMEOUT_MS = 5000

ENTRY_COLUMNS = (
    "id",
    "time",
    "duration_ms",
    "protocol",
    "method",
    "target",
    "operation",
    "status",
    "source",
    "admin",
    "matched",
    "headers",
    "request_body",
    "response_body",
    "extra",
)
"""The columns of the view ``entries``: one recorded request, its kind joined in."""

_V2_VIEW_COLUMNS = [("k." if name in KIND_FIELDS else "r.") + name for name in ENTRY_COLUMNS]
_SHARED = (
    "CASE WHEN typeof(r.{0}) = 'integer' "
    "THEN (SELECT data FROM bodies WHERE bodies.id = r.{0}) ELSE r.{0} END AS {0}"
)
_VIEW_COLUMNS = [
    _SHARED.format(name) if name in ("request_body", "response_body") else column
    for name, column in zip(ENTRY_COLUMNS, _V2_VIEW_COLUMNS, strict=True)
]
_ENTRIES_VIEW = f"""CREATE VIEW entries AS SELECT {", ".join(_VIEW_COLUMNS)}
        FROM requests AS r CROSS JOIN request_kinds AS k ON k.id = r.kind"""
"""One row per request, its kind joined in and its shared bodies read back."""
_BODIES = (
    """CREATE TABLE bodies (
        id INTEGER PRIMARY KEY,
        data BLOB NOT NULL,
        last_used INTEGER NOT NULL
    )""",
    "CREATE INDEX bodies_last_used ON bodies (last_used)",
)

_V2_TABLES = (
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
    # CROSS JOIN keeps requests the outer loop: filters on the kind are checked
    # row by row through the primary key, never by scanning requests per kind.
    f"""CREATE VIEW entries AS SELECT {", ".join(_V2_VIEW_COLUMNS)}
        FROM requests AS r CROSS JOIN request_kinds AS k ON k.id = r.kind""",
)
"""The tables and view of version 2."""
_SCHEMA = (
    "CREATE TABLE journal_schema (format TEXT NOT NULL, version INTEGER NOT NULL)",
    *_V2_TABLES[:-1],
    *_BODIES,
    _ENTRIES_VIEW,
)

Migration = Callable[[sqlite3.Connection], None]

_V1_COLUMNS = (
    "id, time, duration_ms, protocol, method, target, operation, status, source, admin, "
    "matched, near_miss, request_headers, request_body, request_body_size, "
    "response_headers, response_body, response_body_size"
)


def insert_statement(rows: int) -> str:
    """The INSERT of ``rows`` rows in one statement (parameters row after row)."""
    values = ", ".join([ROW_PLACEHOLDERS] * rows)
    return f"INSERT INTO requests ({', '.join(ROW_FIELDS)}) VALUES {values}"


def _upgrade_from_v1(connection: sqlite3.Connection) -> None:
    """Version 1 kept every field in its own column of ``entries``; version 2 stores
    kinds once and headers as one JSON text. Every row keeps its id."""
    sequence = connection.execute(
        "SELECT seq FROM sqlite_sequence WHERE name = 'entries'"
    ).fetchone()
    connection.execute("ALTER TABLE entries RENAME TO entries_v1")
    for index in ("entries_time", "entries_status", "entries_operation", "entries_unmatched"):
        connection.execute(f"DROP INDEX IF EXISTS {index}")
    for statement in _V2_TABLES:
        connection.execute(statement)
    builder = RowBuilder(connection, share=False)
    insert = f"INSERT INTO requests (id, {', '.join(ROW_FIELDS)}) VALUES (?, {ROW_PLACEHOLDERS[1:]}"
    cursor = connection.execute(f"SELECT {_V1_COLUMNS} FROM entries_v1 ORDER BY id")
    while chunk := cursor.fetchmany(1000):
        connection.executemany(insert, [(row[0], *builder.row(_v1_entry(row))) for row in chunk])
    connection.execute("DROP TABLE entries_v1")
    if sequence is not None:
        # Ids go on from the old table's last one, even when its newest rows were deleted.
        connection.execute("DELETE FROM sqlite_sequence WHERE name = 'requests'")
        connection.execute(
            "INSERT INTO sqlite_sequence (name, seq) VALUES ('requests', ?)", sequence
        )


def _v1_entry(row: tuple[Any, ...]) -> Entry:
    (
        _,
        time,
        duration_ms,
        protocol,
        method,
        target,
        operation,
        status,
        source,
        admin,
        matched,
        near_miss,
        request_headers,
        request_body,
        request_body_size,
        response_headers,
        response_body,
        response_body_size,
    ) = row
    return Entry(
        time=time,
        duration_ms=duration_ms,
        protocol=protocol,
        method=method,
        target=target,
        operation=operation,
        status=status,
        source=source,
        admin=bool(admin),
        matched=None if matched is None else bool(matched),
        near_miss=parse_json(near_miss),
        request_headers=parse_json(request_headers),
        request_body=_v1_body(request_body, request_body_size),
        response_headers=parse_json(response_headers),
        response_body=_v1_body(response_body, response_body_size),
    )


def _v1_body(data: bytes | None, size: int | None) -> bytes | None:
    if data is None or size is None or size <= len(data):
        return data
    clipped = Clipped(data)
    clipped.size = size
    return clipped


def _upgrade_from_v2(connection: sqlite3.Connection) -> None:
    """Version 3 adds ``bodies`` and reads them back in the view; rows stay as they are."""
    for statement in _BODIES:
        connection.execute(statement)
    connection.execute("DROP VIEW entries")
    connection.execute(_ENTRIES_VIEW)


MIGRATIONS: dict[int, Migration] = {1: _upgrade_from_v1, 2: _upgrade_from_v2}
"""``MIGRATIONS[n]`` upgrades a file from version ``n`` to ``n + 1``."""


def connect(path: Path) -> sqlite3.Connection:
    """A connection to the journal at ``path``, in autocommit mode, usable from
    any thread (callers serialise its use)."""
    try:
        connection = sqlite3.connect(
            str(path),
            timeout=BUSY_TIMEOUT_MS / 1000,
            isolation_level=None,
            check_same_thread=False,
        )
    except sqlite3.Error as exc:
        raise JournalError(f"{path}: cannot open the journal: {exc}") from exc
    try:
        connection.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        connection.execute("PRAGMA synchronous = NORMAL")
    except sqlite3.Error as exc:
        connection.close()
        raise JournalError(f"{path}: cannot open the journal: {exc}") from exc
    return connection


def prepare(connection: sqlite3.Connection, path: Path, *, check: bool = True) -> None:
    """Switch to WAL, check the file is sound, create or migrate the schema.

    Raises JournalError naming ``path`` when the file is not SQLite, is damaged,
    is some other application's database, or was written by a newer format.
    """
    try:
        mode = connection.execute("PRAGMA journal_mode = WAL").fetchone()[0]
        if str(mode).lower() != "wal":
            raise JournalError(f"{path}: the journal needs WAL mode, SQLite answered {mode!r}")
        if check:
            problems = [row[0] for row in connection.execute("PRAGMA quick_check(3)")]
            if problems != ["ok"]:
                raise JournalError(f"{path}: the journal file is damaged: {'; '.join(problems)}")
        connection.execute("BEGIN IMMEDIATE")
        try:
            _ensure_schema(connection, path)
            connection.execute("COMMIT")
        except BaseException:
            if connection.in_transaction:
                connection.execute("ROLLBACK")
            raise
    except sqlite3.Error as exc:
        raise JournalError(f"{path}: not a usable journal file: {exc}") from exc


def _ensure_schema(connection: sqlite3.Connection, path: Path) -> None:
    tables = {
        row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
    }
    tables.discard("sqlite_sequence")
    if not tables:
        for statement in _SCHEMA:
            connection.execute(statement)
        connection.execute(
            "INSERT INTO journal_schema (format, version) VALUES (?, ?)",
            (FORMAT, SCHEMA_VERSION),
        )
        return
    if "journal_schema" not in tables:
        raise JournalError(f"{path}: an SQLite database, but not a mockc journal")
    row = connection.execute("SELECT format, version FROM journal_schema").fetchone()
    if row is None or row[0] != FORMAT or not isinstance(row[1], int):
        raise JournalError(f"{path}: an SQLite database, but not a mockc journal")
    version = row[1]
    if version > SCHEMA_VERSION:
        raise JournalError(
            f"{path}: journal format {version} is newer than this server reads "
            f"(up to {SCHEMA_VERSION})"
        )
    while version < SCHEMA_VERSION:
        migrate = MIGRATIONS.get(version)
        if migrate is None:
            raise JournalError(f"{path}: journal format {version} cannot be upgraded")
        migrate(connection)
        version += 1
        connection.execute("UPDATE journal_schema SET version = ?", (version,))
