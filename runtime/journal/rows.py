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
"""Bytes of bodies each of :class:`SharedBodies`' two memories holds (then it
starts again, empty)."""
_INSERT_BODY = "INSERT INTO bodies (data, last_used) VALUES (?, 0)"
_BODY_USED = "UPDATE bodies SET last_used = max(last_used, ?) WHERE id = ?"
_FORGET_BODIES = "DELETE FROM bodies WHERE last_used <= ?"


class SharedBodies:
    """Bodies stored once in ``bodies`` and referred to by id from rows.

    A body seen for the first time (lately) is stored in its row and
    remembered; seen again, it is added to ``bodies`` and rows refer to it
    from then on. ``last_used`` of a body is the id of the newest row that
    may refer to it: the writer sets it in the transaction that inserts the
    rows (:meth:`settle`), and a trim that deletes rows up to some id deletes
    the bodies last used at or before it (:meth:`forget`). Used by one
    thread at a time, the only writer of the table."""

    def __init__(self, connection: sqlite3.Connection) -> None:
        self._connection = connection
        self._ids: dict[bytes, int] = {}
        """Bodies in ``bodies``, by their bytes."""
        self._last: dict[int, int] = {}
        """``last_used`` of the bodies of :attr:`_ids`, by id."""
        self._seen: dict[bytes, None] = {}
        """Bodies seen once lately."""
        self._seen_bytes = 0
        self._ids_bytes = 0
        self.pending: dict[int, None] = {}
        """Ids referred to by rows built and not yet inserted."""

    def reference(self, body: bytes) -> int | None:
        """The id of ``body`` in ``bodies`` when it repeats; None: store it in the row."""
        found = self._ids.get(body)
        if found is None:
            if body not in self._seen:
                if self._seen_bytes > SHARED_MEMORY_BYTES:
                    self._seen.clear()
                    self._seen_bytes = 0
                self._seen[body] = None
                self._seen_bytes += len(body)
                return None
            if self._ids_bytes > SHARED_MEMORY_BYTES:
                self._ids.clear()  # the rows stored keep them until they are trimmed
                self._last.clear()
                self._ids_bytes = 0
            found = self._connection.execute(_INSERT_BODY, (bytearray(body),)).lastrowid
            assert found is not None
            self._ids[body] = found
            self._last[found] = 0
            self._ids_bytes += len(body)
        self.pending[found] = None
        return found

    def settle(self, last_row: int) -> None:
        """Mark the pending bodies as used by rows up to ``last_row`` (inside the
        transaction that inserted those rows)."""
        pending = self.pending
        if pending:
            self._connection.executemany(_BODY_USED, [(last_row, id) for id in pending])

    def settled(self, last_row: int) -> None:
        """The transaction of :meth:`settle` committed."""
        last = self._last
        for id in self.pending:
            if id in last:
                last[id] = last_row
        self.pending = {}

    def dropped(self) -> None:
        """The pending rows were not stored."""
        self.pending = {}

    def forget(self, last_trimmed: int) -> None:
        """Delete the bodies no row after ``last_trimmed`` refers to (nor a pending one)."""
        last, pending = self._last, self.pending
        for id in pending:  # built rows refer to them: keep them until they are inserted
            if last.get(id, 0) <= last_trimmed:
                self._connection.execute(_BODY_USED, (last_trimmed + 1, id))
                if id in last:
                    last[id] = last_trimmed + 1
        self._connection.execute(_FORGET_BODIES, (last_trimmed,))
        gone = {id for id, used in last.items() if used <= last_trimmed}
        if gone:
            self._ids = {body: id for body, id in self._ids.items() if id not in gone}
            self._last = {id: used for id, used in last.items() if id not in gone}
            self._ids_bytes = sum(map(len, self._ids))

    def reset(self) -> None:
        """Forget every body (after ``bodies`` was emptied)."""
        self._ids.clear()
        self._last.clear()
        self._seen.clear()
        self._seen_bytes = self._ids_bytes = 0
        self.pending = {}


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
