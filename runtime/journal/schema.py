"""The journal's SQLite file: connections, pragmas, schema and its version.

The file is in WAL mode with ``synchronous=NORMAL``: a killed process loses at
most its last uncommitted transaction and never corrupts the file. The table
``journal_schema`` records the format version, so later versions can migrate
old files (:data:`MIGRATIONS`) and refuse files written by newer ones.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path

from .entry import COLUMNS
from .errors import JournalError

__all__ = ["FORMAT", "SCHEMA_VERSION", "connect", "insert_statement", "prepare"]

FORMAT = "mockc-journal"
SCHEMA_VERSION = 1
BUSY_TIMEOUT_MS = 5000

_SCHEMA = (
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
)

Migration = Callable[[sqlite3.Connection], None]
MIGRATIONS: dict[int, Migration] = {}
"""``MIGRATIONS[n]`` upgrades a file from version ``n`` to ``n + 1``."""

_ROW = f"({', '.join('?' * len(COLUMNS))})"


def insert_statement(rows: int) -> str:
    """The INSERT of ``rows`` entries in one statement (parameters row after row)."""
    return f"INSERT INTO entries ({', '.join(COLUMNS)}) VALUES {', '.join([_ROW] * rows)}"


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
