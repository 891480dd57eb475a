"""Entries as stored rows: the writer thread's per-entry work, kept small.

A request's protocol, method, operation, status, source and the admin and
matched flags repeat from one request to the next, so they are stored once in
``request_kinds`` and each row of ``requests`` refers to its kind by number:
a row binds eight values instead of seventeen. :class:`RowBuilder` remembers
the kinds it has seen (it is the only writer of the table).

Headers go into one JSON text per row (``{"request": {…}, "response": {…}}``);
the near-miss report and the sizes of cut bodies into a second, ``extra``,
which is NULL for most rows (:mod:`..json_codec` encodes them).

A body that repeats (a mock's answer, a request sent again and again) is
stored once in ``bodies``: from its second sighting on, rows hold the
integer id of that row in place of the bytes (:class:`SharedBodies`).
Writing the bytes of every request twice (WAL, then the file) is most of
what journaling costs, and most answers of a mock server repeat.

Binding is the costly part of an insert from Python: ``None`` and ``bytes``
take the sqlite3 module's slow adaptation path (about 0.4 µs each, as much as
the rest of a row). So a row says "absent" with the integer :data:`ABSENT`,
which the INSERT turns into NULL (:data:`ROW_PLACEHOLDERS`), and passes bodies
as ``bytearray``.
"""

from __future__ import annotations

import heapq
import sqlite3
from typing import Any

from ..json_codec import json_text
from .entry import Clipped, Entry

__all__ = [
    "ABSENT",
    "KIND_FIELDS",
    "ROW_FIELDS",
    "ROW_PLACEHOLDERS",
    "RowBuilder",
    "SharedBodies",
]

KIND_FIELDS = ("protocol", "method", "operation", "status", "source", "admin", "matched")
"""The columns of ``request_kinds`` after its ``id``, in key order."""

ROW_FIELDS = (
    "time",
    "duration_ms",
    "kind",
    "target",
    "headers",
    "request_body",
    "response_body",
    "extra",
)
"""The columns of ``requests`` after its ``id``, in row order."""

ABSENT = 0
"""Stands for NULL in the optional columns of a row (never equal to a text or a blob)."""

_OPTIONAL = frozenset({"headers", "request_body", "response_body", "extra"})
ROW_PLACEHOLDERS = "({})".format(
    ", ".join(f"NULLIF(?, {ABSENT})" if name in _OPTIONAL else "?" for name in ROW_FIELDS)
)
"""One row's values in an INSERT, in :data:`ROW_FIELDS` order."""

Kind = tuple[str, str, str | None, str, str, int, int | None]

_INSERT_KIND = (
    f"INSERT INTO request_kinds ({', '.join(KIND_FIELDS)}) "
    f"VALUES ({', '.join('?' * len(KIND_FIELDS))})"
)
_EMPTY_BODY = bytearray()


SHARED_MIN_BYTES = 64
"""Bodies shorter than this are always stored in their row."""
SHARED_MEMORY_BYTES = 4 * 1024 * 1024
"""Bytes of the shared bodies :class:`SharedBodies` remembers (then it starts
again, empty)."""
SEEN_KEPT = 4096
"""Hashes of bodies seen once that :class:`SharedBodies` remembers (likewise)."""
_INSERT_BODIES = "INSERT OR IGNORE INTO bodies (id, data, last_used) VALUES (?, ?, ?)"
_BODY_USED = "UPDATE bodies SET last_used = max(last_used, ?) WHERE id = ?"
_FORGET_BODIES = "DELETE FROM bodies WHERE last_used <= ?"


class SharedBodies:
    """Bodies stored once in ``bodies`` and referred to by id from rows.

    A body seen for the first time (lately) is stored in its row and its
    hash remembered; seen again, it gets an id (given here: this is the only
    writer of the table) and rows refer to it from then on. New bodies are
    inserted in the transaction that inserts the first rows referring to
    them (:meth:`settle`), which also marks every body they refer to as used
    by them: ``last_used`` is the id of the newest row that may refer to it.
    A trim that deletes rows up to some id deletes the bodies last used at or
    before it (:meth:`forget`). Used by one thread at a time."""

    def __init__(self, connection: sqlite3.Connection) -> None:
        self._connection = connection
        self._ids: dict[bytes, int] = {}
        """Bodies given an id, by their bytes."""
        self._bodies: dict[int, bytes] = {}
        """The same, by id."""
        self._last: dict[int, int] = {}
        """``last_used`` of the bodies of :attr:`_ids`, by id."""
        self._expiry: list[tuple[int, int]] = []
        """(``last_used``, id) of every change to :attr:`_last` (a heap: the
        oldest first; entries that changed since are skipped)."""
        self._seen: set[int] = set()
        """Hashes of the bodies seen once lately (a collision only shares a
        body seen once)."""
        self._ids_bytes = 0
        newest = connection.execute("SELECT max(id) FROM bodies").fetchone()[0]
        self._next_id = (newest or 0) + 1
        self.pending: dict[int, None] = {}
        """Ids referred to by rows built and not yet inserted."""
        self.new: dict[int, bytes] = {}
        """Bodies given an id and not yet inserted."""

    def reference(self, body: bytes) -> int | None:
        """The id of ``body`` when it repeats; None: store it in the row."""
        found = self._ids.get(body)
        if found is None:
            seen = self._seen
            key = hash(body)
            if key not in seen:
                if len(seen) >= SEEN_KEPT:
                    seen.clear()
                seen.add(key)
                return None
            if self._ids_bytes > SHARED_MEMORY_BYTES:
                self._forget_all()  # the rows stored keep them until they are trimmed
            found = self._next_id
            self._next_id += 1
            self._ids[body] = found
            self._bodies[found] = body
            self._last[found] = 0
            self._ids_bytes += len(body)
            self.new[found] = body
        self.pending[found] = None
        return found

    def settle(self, last_row: int) -> None:
        """Insert the new bodies and mark the pending ones used by rows up to
        ``last_row`` (inside the transaction that inserted those rows)."""
        connection = self._connection
        if self.new:
            connection.executemany(
                _INSERT_BODIES,
                [(id, bytearray(body), last_row) for id, body in self.new.items()],
            )
        used = [(last_row, id) for id in self.pending if id not in self.new]
        if used:
            connection.executemany(_BODY_USED, used)

    def settled(self, last_row: int) -> None:
        """The transaction of :meth:`settle` committed."""
        last, expiry = self._last, self._expiry
        for id in self.pending:
            if id in last:
                last[id] = last_row
                heapq.heappush(expiry, (last_row, id))
        self.pending = {}
        self.new = {}

    def dropped(self) -> None:
        """The pending rows were not stored: nor are the new bodies."""
        for id in self.new:
            self._drop(id)
        self.pending = {}
        self.new = {}

    def forget(self, last_trimmed: int) -> None:
        """Delete the bodies no row after ``last_trimmed`` refers to (nor a pending one)."""
        last, pending = self._last, self.pending
        for id in pending:  # built rows refer to them: keep them until they are inserted
            if id not in self.new and last.get(id, 0) <= last_trimmed:
                self._connection.execute(_BODY_USED, (last_trimmed + 1, id))
                if id in last:
                    last[id] = last_trimmed + 1
        self._connection.execute(_FORGET_BODIES, (last_trimmed,))
        expiry = self._expiry
        while expiry and expiry[0][0] <= last_trimmed:
            used, id = heapq.heappop(expiry)
            if last.get(id) == used and id not in pending:
                self._drop(id)

    def _drop(self, id: int) -> None:
        body = self._bodies.pop(id, None)
        if body is not None:
            if self._ids.get(body) == id:
                del self._ids[body]
            self._ids_bytes -= len(body)
        self._last.pop(id, None)

    def _forget_all(self) -> None:
        self._ids.clear()
        self._bodies.clear()
        self._last.clear()
        self._expiry.clear()
        self._ids_bytes = 0

    def reset(self) -> None:
        """Forget every body (after ``bodies`` was emptied)."""
        self._forget_all()
        self._seen.clear()
        self.pending = {}
        self.new = {}


class RowBuilder:
    """Turns entries into ``requests`` rows, adding kinds to ``connection`` as
    they first appear. Used by one thread at a time."""

    def __init__(self, connection: sqlite3.Connection, *, share: bool = True) -> None:
        self._connection = connection
        self._kinds: dict[Kind, int] = {}
        self.bodies = SharedBodies(connection) if share else None
        """Repeated bodies stored once (None: every body in its row)."""
        self.reload()

    def _body(self, value: Any) -> tuple[bytearray | int, int | None]:
        """A body as bound (or :data:`ABSENT`, or the id of a shared body), and
        its full size when it was cut (else None)."""
        if value is None:
            return ABSENT, None
        kind = type(value)
        if kind is bytes:
            if not value:
                return _EMPTY_BODY, None
            bodies = self.bodies
            if bodies is not None and len(value) >= SHARED_MIN_BYTES:
                shared = bodies.reference(value)
                if shared is not None:
                    return shared, None
            return bytearray(value), None
        if kind is Clipped:
            return bytearray(value), value.size
        if isinstance(value, str):
            return self._body(value.encode("utf-8"))
        return bytearray(value), None

    def reload(self) -> None:
        """Forget the kinds seen and read them back from the file."""
        select = f"SELECT id, {', '.join(KIND_FIELDS)} FROM request_kinds"
        self._kinds = {tuple(row[1:]): row[0] for row in self._connection.execute(select)}  # type: ignore[misc, unused-ignore]

    @property
    def kind_count(self) -> int:
        return len(self._kinds)

    def row(self, entry: Entry) -> tuple[Any, ...]:
        """The values bound for ``entry``, in :data:`ROW_FIELDS` order."""
        matched = entry.matched
        key: Kind = (
            entry.protocol,
            entry.method,
            entry.operation,
            entry.status,
            entry.source,
            1 if entry.admin else 0,
            None if matched is None else 1 if matched else 0,
        )
        kind = self._kinds.get(key)
        if kind is None:
            kind = self._add_kind(key)
        request_headers = entry.request_headers
        response_headers = entry.response_headers
        if request_headers is None and response_headers is None:
            headers: str | int = ABSENT
        else:
            headers = json_text({"request": request_headers, "response": response_headers})
        request_body, request_size = self._body(entry.request_body)
        response_body, response_size = self._body(entry.response_body)
        near_miss = entry.near_miss
        clients = entry.clients
        extra: str | int = ABSENT
        if (
            near_miss is not None
            or request_size is not None
            or response_size is not None
            or clients is not None
        ):
            fields: dict[str, Any] = {
                "near_miss": near_miss,
                "request_body_size": request_size,
                "response_body_size": response_size,
            }
            if clients is not None:
                fields["clients"] = clients
            extra = json_text(fields)
        time, duration_ms, target = entry.time, entry.duration_ms, entry.target
        return (
            time if type(time) is float else float(time),
            duration_ms if type(duration_ms) is float else float(duration_ms),
            kind,
            target if type(target) is str else str(target),
            headers,
            request_body,
            response_body,
            extra,
        )

    def _add_kind(self, key: Kind) -> int:
        for value in key[:5]:
            if value is not None and type(value) is not str:
                raise TypeError(f"journal entry field is not text: {value!r}")
        kind = self._connection.execute(_INSERT_KIND, key).lastrowid
        assert kind is not None
        self._kinds[key] = kind
        return kind
