"""One journal entry: the request as the adapter saw it, and its stored forms.

An :class:`Entry` becomes a database row in the writer thread
(:mod:`.rows`) and a JSON-ready dict when read back (:func:`to_json`).
Bodies are kept up to a limit (64 KiB by default); a stored body says its
original size and whether it was truncated.
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

__all__ = [
    "BODY_LIMIT",
    "Clipped",
    "Entry",
    "clip",
    "iso_time",
    "near_miss_of",
    "parse_json",
    "to_json",
]

BODY_LIMIT = 64 * 1024
"""Bytes of each request and response body kept by default."""


@dataclass(slots=True)
class Entry:
    """One request, as the adapter saw it.

    ``status`` is the protocol's status as text: ``"200"``, ``"404"`` for
    HTTP, ``"OK"``, ``"NOT_FOUND"`` for gRPC; ``"fault:<kind>"`` (``fault:reset``,
    ``fault:empty``, ``fault:malformed``) when a transport fault was injected
    instead of a reply. ``matched`` is True when a mock answered, False when
    the operation has mocks but none matched (``near_miss`` then holds the
    report), None when the operation has no mocks.
    """

    time: float
    """Epoch seconds when the request arrived."""
    duration_ms: float
    protocol: str
    method: str
    """The HTTP method, or ``""`` for protocols without one."""
    target: str
    """The URL path with its query, or the gRPC full method."""
    operation: str | None
    """The operation id; None when no route matched."""
    status: str
    source: str
    """What answered: ``mock:<id>``, ``example``, ``fake``, ``hook``, ``error``, ``admin``."""
    admin: bool = False
    """A call to the admin API itself."""
    matched: bool | None = None
    near_miss: list[dict[str, Any]] | None = None
    request_headers: dict[str, str] | None = None
    request_body: bytes | None = None
    response_headers: dict[str, str] | None = None
    response_body: bytes | None = None
    clients: list[str] | None = None
    """The stream clients the entry is about (SSE): for a message sent, every
    client it went to (one entry per message, however many there are); for a
    connection, its own id. None for the other entries."""


class Clipped(bytes):
    """The first bytes of a longer body, remembering the body's full size."""

    size: int


def clip(body: bytes, limit: int) -> bytes:
    """``body`` cut to ``limit`` bytes, carrying its original size."""
    clipped = Clipped(body[:limit])
    clipped.size = len(body)
    return clipped


def _body_json(data: bytes | None, size: int | None) -> dict[str, Any] | None:
    """A stored body as JSON: UTF-8 text when it decodes, else base64."""
    if data is None:
        return None
    if not isinstance(size, int):
        size = None
    truncated = size is not None and size > len(data)
    try:
        text, encoding = data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as exc:
        cut_in_a_character = (
            truncated and exc.reason == "unexpected end of data" and exc.start >= len(data) - 3
        )
        if cut_in_a_character:
            text, encoding = data[: exc.start].decode("utf-8"), "utf-8"
        else:
            text, encoding = base64.b64encode(data).decode("ascii"), "base64"
    return {
        "data": text,
        "encoding": encoding,
        "size": len(data) if size is None else size,
        "truncated": truncated,
    }


def iso_time(epoch: float) -> str | None:
    """``epoch`` as an ISO 8601 UTC timestamp with milliseconds (None if out of range)."""
    try:
        moment = datetime.fromtimestamp(epoch, tz=UTC)
    except (ValueError, OverflowError, OSError):
        return None
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")


def to_json(row: tuple[Any, ...]) -> dict[str, Any]:
    """A row of the view ``entries`` (its columns in ``schema.ENTRY_COLUMNS`` order)
    as the admin API shows it."""
    (
        entry_id,
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
        headers,
        request_body,
        response_body,
        extra,
    ) = row
    headers = _mapping(parse_json(headers))
    extra = _mapping(parse_json(extra))
    shown = {
        "id": entry_id,
        "time": time,
        "time_iso": iso_time(time),
        "duration_ms": duration_ms,
        "protocol": protocol,
        "method": method,
        "target": target,
        "operation": operation,
        "status": status,
        "source": source,
        "admin": bool(admin),
        "matched": None if matched is None else bool(matched),
        "near_miss": extra.get("near_miss"),
        "request": {
            "headers": headers.get("request"),
            "body": _body_json(request_body, extra.get("request_body_size")),
        },
        "response": {
            "headers": headers.get("response"),
            "body": _body_json(response_body, extra.get("response_body_size")),
        },
    }
    clients = extra.get("clients")
    if isinstance(clients, list):
        shown["clients"] = clients
    return shown


def near_miss_of(extra: str | None) -> Any:
    """The near-miss report kept in a row's ``extra`` column, or None."""
    return _mapping(parse_json(extra)).get("near_miss")


def parse_json(text: str | None) -> Any:
    """A stored JSON text as a value; text that is not JSON (a file edited by
    hand) comes back as the text itself."""
    if text is None:
        return None
    try:
        return json.loads(text)
    except ValueError:
        return text


def _mapping(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}
