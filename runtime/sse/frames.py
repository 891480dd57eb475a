"""The wire format of ``text/event-stream``: events and comment lines."""

from __future__ import annotations

__all__ = ["comment", "event_frame"]


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


def _one_line(text: str) -> str:
    return text.replace("\r", " ").replace("\n", " ")
