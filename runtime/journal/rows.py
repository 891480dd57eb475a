"""Entries as stored rows: the writer thread's per-entry work, kept small.

A request's protocol, method, operation, status, source and the admin and
matched flags repeat from one request to the next, so they are stored once in
``request_kinds`` and each row of ``requests`` refers to its kind by number:
a row binds eight values instead of seventeen. :class:`RowBuilder` remembers
the kinds it has seen (it is the only writer of the table).

Headers go into one JSON text per row (``{"request": {…}, "response": {…}}``);
the near-miss report and the sizes of cut bodies into a second, ``extra``,
which is NULL for most rows (:mod:`..json_codec` encodes them).

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

__all__ = ["ABSENT", "KIND_FIELDS", "ROW_FIELDS", "ROW_PLACEHOLDERS", "RowBuilder"]

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


def _body(value: Any) -> tuple[bytearray | int, int | None]:
    """A body as bound (or :data:`ABSENT`), and its full size when it was cut (else None)."""
    if value is None:
        return ABSENT, None
    kind = type(value)
    if kind is bytes:
        return (bytearray(value) if value else _EMPTY_BODY), None
    if kind is Clipped:
        return bytearray(value), value.size
    if isinstance(value, str):
        return bytearray(value.encode("utf-8")), None
    return bytearray(value), None


class RowBuilder:
    """Turns entries into ``requests`` rows, adding kinds to ``connection`` as
    they first appear. Used by one thread at a time."""

    def __init__(self, connection: sqlite3.Connection) -> None:
        self._connection = connection
        self._kinds: dict[Kind, int] = {}
        self.reload()

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
        request_body, request_size = _body(entry.request_body)
        response_body, response_size = _body(entry.response_body)
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
