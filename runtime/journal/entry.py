"""One journal entry: the request as the adapter saw it, and its stored forms.

An :class:`Entry` becomes a database row in the writer thread
(:func:`to_row`) and a JSON-ready dict when read back (:func:`to_json`).
Bodies are kept up to a limit (64 KiB by default); a stored body says its
original size and whether it was truncated.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

__all__ = [
    "BODY_LIMIT",
    "COLUMNS",
    "Entry",
    "clip",
    "to_json",
    "to_row",
]

BODY_LIMIT = 64 * 1024
"""Bytes of each request and response body kept by default."""

COLUMNS = (
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
    "near_miss",
    "request_headers",
    "request_body",
    "request_body_size",
    "response_headers",
    "response_body",
    "response_body_size",
)
"""The stored columns, in row order (the ``id`` column comes first when read)."""


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


class Clipped(bytes):
    """The first bytes of a longer body, remembering the body's full size."""

    size: int


def clip(body: bytes, limit: int) -> bytes:
    """``body`` cut to ``limit`` bytes, carrying its original size."""
    clipped = Clipped(body[:limit])
    clipped.size = len(body)
    return clipped


def _json_encoder() -> Callable[[Any], str]:
    """Compact JSON, unknown types as their repr. Uses the C encoder directly when
    it is there and behaves (half the cost of ``json.dumps`` on small dicts)."""
    fallback = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), default=repr).encode
    make = getattr(json.encoder, "c_make_encoder", None)
    if make is None:
        return fallback
    try:
        chunks = make(
            None, repr, json.encoder.encode_basestring, None, ":", ",", False, False, True
        )

        def encode(value: Any) -> str:
            return "".join(chunks(value, 0))

        probe = {"a": ["é", 1, 2.5, None, True, b"x"]}
        if encode(probe) != fallback(probe):
            return fallback
    except Exception:
        return fallback
    return encode


_encode = _json_encoder()


def _json_text(value: Any) -> str | None:
    if value is None:
        return None
    try:
        return _encode(value)
    except (TypeError, ValueError, RecursionError):
        return _encode(repr(value))


def _body(value: Any) -> tuple[bytes | None, int | None]:
    if value is None:
        return None, None
    if isinstance(value, Clipped):
        return bytes(value), value.size
    if isinstance(value, str):
        value = value.encode("utf-8")
    data = bytes(value)
    return data, len(data)


def to_row(entry: Entry) -> tuple[Any, ...]:
    """The row stored for ``entry``, in :data:`COLUMNS` order."""
    request_body, request_size = _body(entry.request_body)
    response_body, response_size = _body(entry.response_body)
    matched = entry.matched
    return (
        float(entry.time),
        float(entry.duration_ms),
        str(entry.protocol),
        str(entry.method),
        str(entry.target),
        None if entry.operation is None else str(entry.operation),
        str(entry.status),
        str(entry.source),
        1 if entry.admin else 0,
        None if matched is None else int(bool(matched)),
        _json_text(entry.near_miss),
        _json_text(entry.request_headers),
        request_body,
        request_size,
        _json_text(entry.response_headers),
        response_body,
        response_size,
    )


def _body_json(data: bytes | None, size: int | None) -> dict[str, Any] | None:
    """A stored body as JSON: UTF-8 text when it decodes, else base64."""
    if data is None:
        return None
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


def _parsed(text: str | None) -> Any:
    return None if text is None else json.loads(text)


def iso_time(epoch: float) -> str | None:
    """``epoch`` as an ISO 8601 UTC timestamp with milliseconds (None if out of range)."""
    try:
        moment = datetime.fromtimestamp(epoch, tz=UTC)
    except (ValueError, OverflowError, OSError):
        return None
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")


def to_json(row: tuple[Any, ...]) -> dict[str, Any]:
    """A stored row (``id`` then :data:`COLUMNS`) as the admin API shows it."""
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
        near_miss,
        request_headers,
        request_body,
        request_body_size,
        response_headers,
        response_body,
        response_body_size,
    ) = row
    return {
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
        "near_miss": _parsed(near_miss),
        "request": {
            "headers": _parsed(request_headers),
            "body": _body_json(request_body, request_body_size),
        },
        "response": {
            "headers": _parsed(response_headers),
            "body": _body_json(response_body, response_body_size),
        },
    }
