"""The writer thread: drains recorded entries into SQLite, one transaction per batch.

The request path only appends to a bounded deque (:attr:`Writer.queue`) and
ticks a counter. The thread wakes every ``flush_interval`` seconds, or at once
when a batch is full or a flush is asked for, and writes what is queued in
batches of ``batch_size`` rows, each batch one transaction of a few multi-row
INSERTs (so the thread waits for the GIL once per statement instead of once
per row). :mod:`.rows` says how an entry becomes a row.

The table keeps at most ``max_entries`` rows: before a batch that would not
fit, the oldest rows are deleted down to ``max_entries - slack`` (slack: 2% of
``max_entries``, at least a batch), so trimming runs once every few batches.

When the disk cannot keep up, the deque forgets its oldest entries; the thread
counts them from the counter (``appended - taken - still queued``), never
over-counting. Write errors are counted and logged once, not raised.
"""

from __future__ import annotations

import contextlib
import itertools
import logging
import sqlite3
import threading
import time
from collections import deque
from pathlib import Path
from typing import Any

from .entry import Entry
from .rows import ROW_FIELDS, RowBuilder
from .schema import insert_statement

__all__ = ["Writer"]

logger = logging.getLogger("mockc")

_NEWEST = "SELECT max(id) FROM requests"
_TRIM = "DELETE FROM requests WHERE id <= ?"
_PRUNE_KINDS = "DELETE FROM request_kinds WHERE id NOT IN (SELECT DISTINCT kind FROM requests)"
KIND_LIMIT = 4096
"""Kinds remembered before a trim drops those no row refers to any more (kinds
grow with odd methods or statuses, which a client chooses)."""


class Writer:
    """Owns the write connection and the thread that uses it."""

    def __init__(
        self,
        connection: sqlite3.Connection,
        path: Path,
        *,
        capacity: int,
        max_entries: int,
        batch_size: int,
        flush_interval: float,
    ) -> None:
        self.queue: deque[Entry] = deque(maxlen=capacity)
        self.tick = itertools.count().__next__
        """Called once per recorded entry, after appending it."""
        self.wake = threading.Event()
        self.overflowed = 0
        """Entries the full deque forgot before they were written."""
        self.failed = 0
        """Entries lost to write errors (or that could not be converted)."""
        self.written = 0
        self.cpu_seconds = 0.0
        """CPU time the thread has used, as of its last round."""
        self._connection = connection
        self._path = path
        self._max_entries = max_entries
        self._batch_size = batch_size
        self._interval = flush_interval
        self._slack = min(max_entries, max(batch_size, max_entries // 50))
        self._room = 0
        limit = connection.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)
        largest = max(1, min(batch_size, limit // len(ROW_FIELDS)))
        self._rows_per_statement = 1 << (largest.bit_length() - 1)
        self._rows = RowBuilder(connection)
        self._kind_limit = KIND_LIMIT
        self._statements: dict[int, str] = {}
        self._popped = 0
        self._peeks = 0
        self._failing = False
        self._warned_bad_entry = False
        self.lock = threading.Lock()
        """Held while the thread writes; :meth:`clear` takes it."""
        self._condition = threading.Condition()
        self._requested = 0
        self._done = 0
        self._stopping = False
        self._finished = False
        self._thread = threading.Thread(target=self._run, name="mockc-journal", daemon=True)
        self._thread.start()

    # -- called from other threads ---------------------------------------------

    def flush(self, timeout: float | None = None) -> bool:
        """Wait until everything queued now is written; False on timeout."""
        with self._condition:
            if self._finished:
                return True
            self._requested += 1
            ticket = self._requested
        self.wake.set()
        with self._condition:
            return self._condition.wait_for(lambda: self._done >= ticket or self._finished, timeout)

    def clear(self, connection: sqlite3.Connection) -> int:
        """Delete every row and body through ``connection`` (another connection to
        the file) between two batches; how many rows were deleted."""
        with self.lock:
            connection.execute("BEGIN IMMEDIATE")
            try:
                count = connection.execute("DELETE FROM requests").rowcount
                connection.execute("DELETE FROM bodies")
                connection.execute("COMMIT")
            except BaseException:
                if connection.in_transaction:
                    connection.execute("ROLLBACK")
                raise
            bodies = self._rows.bodies
            if bodies is not None:
                bodies.reset()
            return count

    def stop(self) -> None:
        """Write what is queued, then end the thread and close the connection."""
        with self._condition:
            self._stopping = True
            self._requested += 1
        self.wake.set()
        self._thread.join()

    # -- the thread --------------------------------------------------------------

    def _run(self) -> None:
        try:
            with self.lock:
                self._trim(self._max_entries - self._slack)
            while True:
                if len(self.queue) < self._batch_size:
                    self.wake.wait(self._interval)
                self.wake.clear()
                with self._condition:
                    ticket = self._requested
                    stopping = self._stopping
                try:
                    self._drain()
                except Exception:
                    logger.exception("journal: unexpected error while writing %s", self._path)
                self.cpu_seconds = time.thread_time()
                with self._condition:
                    self._done = ticket
                    self._condition.notify_all()
                if stopping:
                    break
        finally:
            with contextlib.suppress(sqlite3.Error):
                self._connection.close()
            with self._condition:
                self._finished = True
                self._condition.notify_all()

    def _drain(self) -> None:
        """Write the entries queued when the round began, batch by batch."""
        queue = self.queue
        pending = len(queue)
        while pending > 0:
            take = min(pending, self._batch_size)
            batch: list[Entry] = []
            popleft = queue.popleft
            try:
                for _ in range(take):
                    batch.append(popleft())
            except IndexError:
                pending = 0
            else:
                pending -= take
            self._popped += len(batch)
            if batch:
                with self.lock:
                    self._write(batch)
        self._count_overflow()

    def _count_overflow(self) -> None:
        """Entries forgotten by the deque: the counter is read before the deque's
        length, so a concurrent append can only make the estimate low, never high."""
        appended = self.tick() - self._peeks
        self._peeks += 1
        queued = len(self.queue)
        self.overflowed = max(self.overflowed, appended - self._popped - queued)

    def _write(self, batch: list[Entry]) -> None:
        rows = []
        row = self._rows.row
        for index, entry in enumerate(batch):
            try:
                rows.append(row(entry))
            except sqlite3.OperationalError as exc:
                # A new kind or body could not be stored (disk full, file locked):
                # the rest of the batch would wait for the same lock, row by row.
                self.failed += len(rows) + len(batch) - index
                self._report(exc)
                if self._rows.bodies is not None:
                    self._rows.bodies.dropped()
                return
            except Exception as exc:
                self._bad_entry(exc)
        if not rows:
            return
        if self._room < len(rows):
            self._trim(self._max_entries - self._slack)
        self._insert(rows)
        self._room -= len(rows)
        if self._room < 0:
            self._trim(self._max_entries)

    def _trim(self, keep: int) -> None:
        """Delete all but the newest ``keep`` rows (ids grow by one per row), and
        the shared bodies only they referred to."""
        try:
            newest = self._connection.execute(_NEWEST).fetchone()[0]
            if newest is not None and newest > keep:
                self._connection.execute(_TRIM, (newest - keep,))
                if self._rows.bodies is not None:
                    self._rows.bodies.forget(newest - keep)
            if self._rows.kind_count > self._kind_limit:
                self._connection.execute(_PRUNE_KINDS)
                self._rows.reload()
                # When most kinds are still in use, prune again only once they doubled.
                self._kind_limit = max(KIND_LIMIT, 2 * self._rows.kind_count)
        except sqlite3.Error as exc:
            self._report(exc)
            return
        self._room = self._max_entries - keep

    def _insert(self, rows: list[tuple[Any, ...]]) -> None:
        """Insert ``rows`` in one transaction, as a few multi-row INSERTs (the thread
        takes the GIL back once per statement, not per row). Statements hold a
        power of two of rows: a handful of distinct statements, each prepared once
        (preparing a 500-row INSERT costs as much as binding 500 rows)."""
        connection = self._connection
        bodies = self._rows.bodies
        shared = bodies is not None and bool(bodies.pending)
        last: int | None = None
        try:
            sizes = _statement_sizes(len(rows), self._rows_per_statement)
            if len(sizes) == 1 and not shared:
                connection.execute(self._statement(len(rows)), _flat(rows))
            else:  # one transaction: the rows, and the bodies they refer to marked used
                connection.execute("BEGIN IMMEDIATE")
                start = 0
                for size in sizes:
                    chunk = rows[start : start + size]
                    last = connection.execute(self._statement(size), _flat(chunk)).lastrowid
                    start += size
                if bodies is not None and last is not None:
                    bodies.settle(last)
                connection.execute("COMMIT")
        except Exception as exc:
            with contextlib.suppress(sqlite3.Error):
                if connection.in_transaction:
                    connection.execute("ROLLBACK")
            if isinstance(exc, sqlite3.OperationalError) or len(rows) == 1:
                if bodies is not None:
                    bodies.dropped()
                if isinstance(exc, sqlite3.OperationalError):
                    self.failed += len(rows)
                    self._report(exc)
                else:
                    self._bad_entry(exc)
            else:
                pending = dict(bodies.pending) if bodies is not None else {}
                new = dict(bodies.new) if bodies is not None else {}
                for row in rows:  # each row inserts and marks every body of the batch
                    if bodies is not None:
                        bodies.pending, bodies.new = dict(pending), dict(new)
                    self._insert([row])
            return
        if bodies is not None and last is not None:
            bodies.settled(last)
        self.written += len(rows)
        if self._failing:
            self._failing = False
            logger.warning("journal: writing to %s again", self._path)

    def _statement(self, count: int) -> str:
        statement = self._statements.get(count)
        if statement is None:
            statement = self._statements[count] = insert_statement(count)
        return statement

    def _bad_entry(self, exc: BaseException) -> None:
        """An entry whose values cannot be stored: counted, and reported once."""
        self.failed += 1
        if not self._warned_bad_entry:
            self._warned_bad_entry = True
            logger.warning(
                "journal: an entry cannot be stored (%s: %s); such entries are dropped",
                type(exc).__name__,
                exc,
            )

    def _report(self, exc: BaseException) -> None:
        """A write error (disk full, file locked ...): reported when writing starts failing."""
        if not self._failing:
            self._failing = True
            logger.warning(
                "journal: cannot write to %s (%s: %s); requests are not being journaled",
                self._path,
                type(exc).__name__,
                exc,
            )


def _statement_sizes(count: int, largest: int) -> list[int]:
    """``count`` rows as statement sizes: powers of two, none above ``largest``
    (itself a power of two), biggest first."""
    sizes = []
    while count > 0:
        size = min(largest, 1 << (count.bit_length() - 1))
        sizes.append(size)
        count -= size
    return sizes


def _flat(rows: list[tuple[Any, ...]]) -> tuple[Any, ...]:
    return tuple(itertools.chain.from_iterable(rows))
