"""The wire formats of a stream: ``text/event-stream`` events and comment
lines, or newline-delimited JSON (``application/x-ndjson``: one JSON value per
line, nothing else on the wire)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

__all__ = ["FRAMINGS", "SSE", "Framing", "comment", "event_frame", "ndjson_line"]


def event_frame(event_id: int, event: str, data: str, retry_ms: int | None = None) -> bytes:
    """One event: ``id:``, ``event:`` (unless it is the default ``message``),
    ``retry:``, then one ``data:`` line per line of ``data``."""
    lines = [f"id: {event_id}"]
    if event and event != "message":
        lines.append(f"event: {_one_line(event)}")
    if retry_ms is not None:
        lines.append(f"retry: {retry_ms}")
    lines.extend(f"data: {line}" for line in data.replace("\r\n", "\n").split("\n"))
    return ("\n".join(lines) + "\n\n").encode("utf-8")


def comment(text: str) -> bytes:
    """A comment line (``: text``), which clients ignore: keeps the connection alive."""
    return f": {_one_line(text)}\n\n".encode()


def ndjson_line(event_id: int, event: str, data: str, retry_ms: int | None = None) -> bytes:
    """One message as a line of JSON (``data`` is JSON text: a line break in it
    can only be white space between its tokens). The id and the event type are
    not on the wire."""
    return (_one_line(data) + "\n").encode("utf-8")


def _no_comment(text: str) -> bytes:
    return b""


@dataclass(frozen=True, slots=True)
class Framing:
    """How a stream writes its events: the content type, an event, a comment."""

    name: str
    content_type: bytes
    event: Callable[[int, str, str, int | None], bytes]
    comment: Callable[[str], bytes]
    """A line clients skip (b"": the format has none, so nothing is sent)."""
    json_only: bool
    """Every event is JSON (text payloads go out as JSON strings)."""


SSE = Framing("sse", b"text/event-stream; charset=utf-8", event_frame, comment, False)
NDJSON = Framing("ndjson", b"application/x-ndjson", ndjson_line, _no_comment, True)
FRAMINGS = {framing.name: framing for framing in (SSE, NDJSON)}
"""By the channel's ``framing`` option; a stream of another one is written as SSE."""


def _one_line(text: str) -> str:
    return text.replace("\r", " ").replace("\n", " ")
