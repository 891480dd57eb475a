"""The admin API's journal operations: search, one entry, clear, analysis."""

from __future__ import annotations

from datetime import datetime

from ..journal import JournalError
from ..service import MockService
from ..web.problems import Problem
from .call import AdminCall, Result

__all__ = ["analyse_journal", "clear_journal", "get_entry", "search_journal"]


def _time(name: str, text: str | None) -> float | None:
    """Epoch seconds, or an ISO 8601 date-time (``Z`` or an offset)."""
    if text is None or text == "":
        return None
    try:
        return float(text)
    except ValueError:
        pass
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp()
    except ValueError:
        raise Problem(
            400, f"{name}={text!r} is neither epoch seconds nor an ISO 8601 date-time"
        ) from None


def _bool(name: str, text: str | None) -> bool | None:
    if text is None or text == "":
        return None
    lowered = text.lower()
    if lowered in ("true", "1", "yes"):
        return True
    if lowered in ("false", "0", "no"):
        return False
    raise Problem(400, f"{name}={text!r} must be true or false")


def _int(name: str, text: str | None, default: int, *, low: int, high: int) -> int:
    if text is None or text == "":
        return default
    value = _whole_number(text)
    if value is None or not low <= value <= high:
        raise Problem(400, f"{name}={text!r} must be a whole number from {low} to {high}")
    return value


_MAX_ENTRY_ID = 2**63 - 1
"""The largest id SQLite can store."""


def _whole_number(text: str) -> int | None:
    """``text`` as a whole number written in ASCII digits (``str.isdigit`` also takes
    ``①`` and ``²``, which ``int`` refuses), or None."""
    if not (text.isascii() and text.isdigit()) or len(text) > 20:
        return None
    return int(text)


def search_journal(service: MockService, call: AdminCall) -> Result:
    query = call.query
    service.journal.flush()
    try:
        found = service.journal.search(
            method=(query.get("method") or "").upper() or None,
            path_regex=query.get("path") or None,
            status=query.get("status") or None,
            since=_time("since", query.get("since")),
            until=_time("until", query.get("until")),
            operation=query.get("operation") or None,
            unmatched=_bool("unmatched", query.get("unmatched")),
            include_admin=bool(_bool("include_admin", query.get("include_admin"))),
            client=query.get("client") or None,
            limit=_int("limit", query.get("limit"), 100, low=1, high=10_000),
            offset=_int("offset", query.get("offset"), 0, low=0, high=10**9),
        )
    except JournalError as error:
        raise Problem(400, str(error)) from None
    return 200, found


def get_entry(service: MockService, call: AdminCall) -> Result:
    text = call.params["entry"]
    service.journal.flush()
    entry_id = _whole_number(text)
    in_range = entry_id is not None and entry_id <= _MAX_ENTRY_ID
    entry = service.journal.get(entry_id) if in_range and entry_id is not None else None
    if entry is None:
        raise Problem(404, f"no journal entry {text!r}")
    return 200, entry


def clear_journal(service: MockService, call: AdminCall) -> Result:
    service.journal.flush()
    return 200, {"deleted": service.journal.clear()}


def analyse_journal(service: MockService, call: AdminCall) -> Result:
    query = call.query
    service.journal.flush()
    return 200, service.journal.analysis(
        since=_time("since", query.get("since")),
        until=_time("until", query.get("until")),
        include_admin=bool(_bool("include_admin", query.get("include_admin"))),
    )
