"""The request journal: :func:`open_journal` and the :class:`Journal` it returns.

``record()`` is the only call on the request path: it appends to a bounded
deque and returns; a writer thread stores the entries in SQLite. Searches,
analyses, ``get`` and ``clear`` first flush what is queued (waiting at most
:data:`READ_FLUSH_TIMEOUT` seconds), so they see every request recorded before
them. A journal opened without a path is disabled: it records nothing and its
results say so (``"enabled": false``).
"""

from __future__ import annotations

import atexit
import sqlite3
import threading
from collections import deque
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from . import queries
from .analysis import analyse
from .entry import BODY_LIMIT, Entry, clip
from .errors import JournalError
from .queries import Filters
from .schema import connect, prepare
from .writer import Writer

__all__ = ["DISABLED", "READ_FLUSH_TIMEOUT", "Journal", "open_journal"]

DISABLED = "journal disabled"
READ_FLUSH_TIMEOUT = 5.0


class Journal:
    """The journal of one server. Build it with :func:`open_journal`."""

    def __init__(
        self,
        path: Path | None,
        writer: Writer | None,
        reader: sqlite3.Connection | None,
        *,
        body_limit: int = BODY_LIMIT,
        batch_size: int = 500,
    ) -> None:
        self.path = path
        self._writer = writer
        self._reader = reader
        self._body_limit = body_limit
        self._batch_size = batch_size
        if writer is None:
            self._queue: deque[Entry] = deque(maxlen=0)
            self._wake = threading.Event()
            self._tick: Callable[[], int] = int
        else:
            self._queue = writer.queue
            self._wake = writer.wake
            self._tick = writer.tick
        self._rejected = 0
        self._lock = threading.Lock()
        self._closed = False

    @property
    def enabled(self) -> bool:
        return self._writer is not None

    @property
    def dropped(self) -> int:
        """Entries recorded but never stored: forgotten by a full queue, malformed,
        or lost to write errors. Exact once the writer has caught up (after
        :meth:`flush`)."""
        writer = self._writer
        if writer is None:
            return 0
        return writer.overflowed + writer.failed + self._rejected

    # -- the request path ---------------------------------------------------------

    def record(self, entry: Entry) -> None:
        """Queue ``entry`` for the writer thread. Constant time, no I/O, never raises;
        bodies longer than the limit are cut here so the queue's memory stays bounded."""
        try:
            limit = self._body_limit
            body = entry.request_body
            if body is not None and len(body) > limit:
                entry.request_body = clip(body, limit)
            body = entry.response_body
            if body is not None and len(body) > limit:
                entry.response_body = clip(body, limit)
            queue = self._queue
            queue.append(entry)
            self._tick()
            if len(queue) == self._batch_size:
                self._wake.set()
        except Exception:
            self._rejected += 1

    # -- everything else ----------------------------------------------------------

    def flush(self) -> None:
        """Write everything recorded so far; returns once it is stored."""
        if self._writer is not None:
            self._writer.flush()

    def close(self) -> None:
        """Write what is queued, stop the writer thread, close the file. Idempotent."""
        with self._lock:
            if self._closed:
                return
            self._closed = True
            self._queue = deque(maxlen=0)
            reader, self._reader = self._reader, None
            if reader is not None:
                reader.close()
        if self._writer is not None:
            self._writer.stop()
        atexit.unregister(self.close)

    def search(
        self,
        *,
        method: str | None = None,
        path_regex: str | None = None,
        status: str | None = None,
        since: float | None = None,
        until: float | None = None,
        operation: str | None = None,
        unmatched: bool | None = None,
        include_admin: bool = False,
        limit: int = 100,
        offset: int = 0,
        client: str | None = None,
    ) -> dict[str, Any]:
        """Matching entries, newest first, and how many match in all
        (``{"total", "limit", "offset", "entries", "enabled", "dropped"}``).
        A malformed ``path_regex`` raises JournalError."""
        filters = Filters(
            method=method,
            path_regex=path_regex,
            status=status,
            since=since,
            until=until,
            operation=operation,
            unmatched=unmatched,
            include_admin=include_admin,
            client=client,
        )
        filters.where()
        if self._writer is None:
            return {**_disabled(), "total": 0, "limit": limit, "offset": offset, "entries": []}
        with self._reading() as connection:
            found = queries.search(connection, filters, limit=limit, offset=offset)
        return {**found, **self._state()}

    def analysis(
        self,
        *,
        since: float | None = None,
        until: float | None = None,
        include_admin: bool = False,
    ) -> dict[str, Any]:
        """The summary of the entries between ``since`` and ``until``: count, latency
        percentiles, error rate, statuses, top paths and operations, unmatched mocks."""
        filters = Filters(since=since, until=until, include_admin=include_admin)
        if self._writer is None:
            return {**_empty_analysis(), **_disabled()}
        with self._reading() as connection:
            summary = analyse(connection, filters)
        return {**summary, **self._state()}

    def clear(self) -> int:
        """Delete every entry (those still queued included); how many were deleted."""
        if self._writer is None:
            return 0
        with self._reading() as connection:
            return self._writer.clear(connection)

    def get(self, entry_id: int) -> dict[str, Any] | None:
        """The entry with id ``entry_id`` (as :meth:`search` shows it), or None."""
        if self._writer is None:
            return None
        with self._reading() as connection:
            return queries.get(connection, entry_id)

    def stats(self) -> dict[str, Any]:
        """The journal's own state: path, rows written, entries dropped, queue length."""
        writer = self._writer
        if writer is None:
            return _disabled()
        return {
            "enabled": True,
            "path": str(self.path),
            "written": writer.written,
            "dropped": self.dropped,
            "queued": len(writer.queue),
        }

    # -- helpers ------------------------------------------------------------------

    def _state(self) -> dict[str, Any]:
        return {"enabled": True, "dropped": self.dropped}

    @contextmanager
    def _reading(self) -> Iterator[sqlite3.Connection]:
        if self._writer is not None:
            self._writer.flush(READ_FLUSH_TIMEOUT)
        with self._lock:
            if self._reader is None:
                raise JournalError(f"{self.path}: the journal is closed")
            try:
                yield self._reader
            except sqlite3.Error as exc:
                raise JournalError(f"{self.path}: cannot read the journal: {exc}") from exc


def _disabled() -> dict[str, Any]:
    return {"enabled": False, "message": DISABLED}


def _empty_analysis() -> dict[str, Any]:
    return {
        "count": 0,
        "latency_ms": {"p50": None, "p95": None, "p99": None, "max": None},
        "errors": 0,
        "error_rate": None,
        "by_status": {},
        "top_paths": [],
        "top_operations": [],
        "unrouted": 0,
        "unmatched": {"count": 0, "top": []},
    }


def _positive(name: str, value: float) -> None:
    if not value > 0:
        raise JournalError(f"journal {name} must be positive (got {value!r})")


def open_journal(
    path: Path | None,
    *,
    max_entries: int = 100_000,
    batch_size: int = 500,
    flush_interval: float = 0.2,
    queue_size: int = 10_000,
    body_limit: int = BODY_LIMIT,
) -> Journal:
    """Open (or create) the journal at ``path``; ``None`` gives a disabled journal.

    Keeps the newest ``max_entries`` rows; writes in transactions of at most
    ``batch_size`` rows, every ``flush_interval`` seconds or as soon as a batch
    is full; queues at most ``queue_size`` entries (more when ``batch_size``
    needs it), forgetting the oldest ones when the disk falls behind; keeps
    ``body_limit`` bytes of each body. Raises JournalError naming the file
    when it cannot be opened, is damaged, or is not a journal.
    """
    for name, value in (
        ("max_entries", max_entries),
        ("batch_size", batch_size),
        ("flush_interval", flush_interval),
        ("queue_size", queue_size),
        ("body_limit", body_limit),
    ):
        _positive(name, value)
    if path is None:
        return Journal(None, None, None, body_limit=body_limit, batch_size=batch_size)
    path = Path(path)
    if path.is_dir():
        raise JournalError(f"{path}: is a folder, not a journal file")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise JournalError(f"{path}: cannot create its folder: {exc.strerror}") from exc
    connection = connect(path)
    try:
        prepare(connection, path)
        reader = connect(path)
    except BaseException:
        connection.close()
        raise
    queries.install_functions(reader)
    writer = Writer(
        connection,
        path,
        capacity=max(queue_size, 2 * batch_size),
        max_entries=max_entries,
        batch_size=batch_size,
        flush_interval=flush_interval,
    )
    journal = Journal(path, writer, reader, body_limit=body_limit, batch_size=batch_size)
    atexit.register(journal.close)
    return journal
