"""Reading the journal: the filters of a search, as SQL, and the search itself.

Filters combine with AND. ``status`` is an exact status (``"404"``, ``"OK"``)
or an HTTP class (``"5xx"``); ``method`` ignores case; ``since`` is inclusive
and ``until`` exclusive (epoch seconds); ``path_regex`` is searched
(:func:`re.search`) in the target's path, the query string excluded, and in
the whole target, so both ``^/pets/\\d+$`` and ``limit=5`` find
``/pets/7?limit=5``. Admin API calls are left out unless ``include_admin``.
``client`` keeps the entries about one stream client: the messages sent to
it (an SSE message's one entry lists every client it went to) and its
connection.

``path_regex`` runs on the bounded engine of mock expressions (the ``regex``
module, patterns measured before compiling, the GIL released while matching):
one entry may take :data:`REGEX_TIMEOUT` seconds and a whole search
:data:`SEARCH_REGEX_BUDGET`; past either the search fails with JournalError, so
a catastrophic pattern (``(a+)+b``) cannot stall the server.
"""

from __future__ import annotations

import re
import sqlite3
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import regex

from ..expressions.regexes import REGEX_TIMEOUT, compile_pattern
from .entry import to_json
from .errors import JournalError
from .schema import ENTRY_COLUMNS

__all__ = ["SEARCH_REGEX_BUDGET", "Filters", "get", "install_functions", "search"]

SEARCH_REGEX_BUDGET = 1.0
"""Seconds one search may spend matching ``path_regex`` over all entries."""

_SELECT = f"SELECT {', '.join(ENTRY_COLUMNS)} FROM entries"
_STATUS_CLASS = re.compile(r"[1-5][xX][xX]")
_REGEXP_FUNCTION = "mockc_path_matches"


@dataclass(frozen=True, slots=True)
class Filters:
    """Which entries a search or an analysis looks at."""

    method: str | None = None
    path_regex: str | None = None
    status: str | None = None
    since: float | None = None
    until: float | None = None
    operation: str | None = None
    unmatched: bool | None = None
    include_admin: bool = False
    client: str | None = None
    """Only entries about this stream client (a message sent to it, its connection)."""

    def where(self) -> tuple[str, list[Any]]:
        """The SQL condition (``WHERE …`` or ``""``) and its parameters."""
        clauses: list[str] = []
        params: list[Any] = []
        if not self.include_admin:
            clauses.append("admin = 0")
        if self.method:
            clauses.append("method = ?")
            params.append(self.method.upper())
        if self.status:
            if _STATUS_CLASS.fullmatch(self.status):
                first = self.status[0]
                clauses.append("status BETWEEN ? AND ? AND length(status) = 3")
                params += [f"{first}00", f"{first}99"]
            else:
                clauses.append("status = ?")
                params.append(self.status)
        if self.since is not None:
            clauses.append("time >= ?")
            params.append(_number("since", self.since))
        if self.until is not None:
            clauses.append("time < ?")
            params.append(_number("until", self.until))
        if self.operation is not None:
            clauses.append("operation = ?")
            params.append(self.operation)
        if self.unmatched is True:
            clauses.append("matched = 0")
        elif self.unmatched is False:
            clauses.append("(matched IS NULL OR matched = 1)")
        if self.client is not None:
            clauses.append("EXISTS (SELECT 1 FROM json_each(extra, '$.clients') WHERE value = ?)")
            params.append(self.client)
        if self.path_regex:
            compiled(self.path_regex)
            clauses.append(f"{_REGEXP_FUNCTION}(?, target)")
            params.append(self.path_regex)
        if not clauses:
            return "", params
        return " WHERE " + " AND ".join(clauses), params


def _number(name: str, value: float) -> float:
    try:
        return float(value)
    except (TypeError, ValueError):
        raise JournalError(f"{name} must be a time in epoch seconds, got {value!r}") from None


@lru_cache(maxsize=64)
def compiled(pattern: str) -> regex.Pattern[str]:
    """``pattern`` compiled; JournalError with the regex error when it is malformed
    or too large."""
    try:
        return compile_pattern(pattern)
    except regex.error as exc:
        where = f" at position {exc.pos}" if exc.pos is not None else ""
        raise JournalError(f"invalid path_regex {pattern!r}: {exc.msg}{where}") from None
    except (ValueError, OverflowError, RecursionError) as exc:
        raise JournalError(f"invalid path_regex {pattern!r}: {exc}") from None


class _Deadline(threading.local):
    """When the search running in this thread must stop matching (monotonic
    seconds), and why it stopped."""

    at: float | None = None
    exceeded: str | None = None


_deadline = _Deadline()


def _path_matches(pattern: str, target: str) -> bool:
    compiled_pattern = compiled(pattern)
    path = target.partition("?")[0]
    try:
        return _search(compiled_pattern, path) or (
            path != target and _search(compiled_pattern, target)
        )
    except TimeoutError:
        _deadline.exceeded = (
            f"path_regex {pattern!r} took too long (over {REGEX_TIMEOUT * 1000:.0f} ms on one "
            f"entry or {SEARCH_REGEX_BUDGET:g} s in all); simplify it"
        )
        raise


def _search(pattern: regex.Pattern[str], text: str) -> bool:
    timeout = REGEX_TIMEOUT
    if _deadline.at is not None:
        timeout = min(timeout, _deadline.at - time.monotonic())
        if timeout <= 0:
            raise TimeoutError
    return pattern.search(text, timeout=timeout, concurrent=True) is not None


def install_functions(connection: sqlite3.Connection) -> None:
    """Register the SQL functions the filters use on ``connection``."""
    function: Callable[[str, str], bool] = _path_matches
    connection.create_function(_REGEXP_FUNCTION, 2, function, deterministic=True)


def search(
    connection: sqlite3.Connection, filters: Filters, *, limit: int, offset: int
) -> dict[str, Any]:
    """Matching entries, newest first: ``{"total", "limit", "offset", "entries"}``."""
    if not isinstance(limit, int) or not isinstance(offset, int) or limit < 0 or offset < 0:
        raise JournalError(f"limit and offset must be integers >= 0 (got {limit!r}, {offset!r})")
    where, params = filters.where()
    _deadline.at = time.monotonic() + SEARCH_REGEX_BUDGET if filters.path_regex else None
    _deadline.exceeded = None
    try:
        total = connection.execute(f"SELECT count(*) FROM entries{where}", params).fetchone()[0]
        rows = connection.execute(
            f"{_SELECT}{where} ORDER BY time DESC, id DESC LIMIT ? OFFSET ?",
            [*params, limit, offset],
        ).fetchall()
    except sqlite3.OperationalError:
        if _deadline.exceeded is not None:
            raise JournalError(_deadline.exceeded) from None
        raise
    finally:
        _deadline.at = None
    return {
        "total": total,
        "limit": limit,
        "offset": offset,
        "entries": [to_json(row) for row in rows],
    }


def get(connection: sqlite3.Connection, entry_id: int) -> dict[str, Any] | None:
    """The entry stored under ``entry_id``, or None."""
    row = connection.execute(f"{_SELECT} WHERE id = ?", (entry_id,)).fetchone()
    return None if row is None else to_json(row)
