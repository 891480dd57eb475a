"""Misbehaving on purpose, as a mock asks: a delay, an empty or cut body, a reset."""

from __future__ import annotations

import asyncio

from ..exceptions import RuntimeFailure
from .asgi import Send
from .responses import send_response

__all__ = ["FAULTS", "MALFORMED_PLACEHOLDER", "ResetConnection", "delay", "send_fault"]

FAULTS = ("empty", "malformed", "reset")
MALFORMED_PLACEHOLDER = b'{"mockc": "malformed body"}'
"""What a ``malformed`` or ``reset`` fault cuts when the answer has no body."""


class ResetConnection(RuntimeFailure, ConnectionResetError):
    """Raised out of an app after a ``reset`` fault so that the server drops
    the connection mid-answer."""


async def delay(milliseconds: float) -> None:
    """Wait ``milliseconds`` (nothing when 0 or less)."""
    if milliseconds > 0:
        await asyncio.sleep(milliseconds / 1000.0)


async def send_fault(
    send: Send, fault: str, status: int, content_type: bytes, content: bytes | None
) -> None:
    """``empty``: the status without a body; ``malformed``: half the body then
    bytes no parser reads; ``reset``: the headers, half the body, then the
    connection drops (:class:`ResetConnection` is raised)."""
    if fault == "empty":
        await send_response(send, status, None, None)
        return
    body = content or MALFORMED_PLACEHOLDER
    if fault == "malformed":
        await send_response(
            send, status, content_type, body[: max(1, len(body) // 2)] + b"\x00\xff"
        )
        return
    headers = [
        (b"content-type", content_type),
        (b"content-length", str(len(body) + 1).encode()),
    ]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body[: len(body) // 2], "more_body": True})
    raise ResetConnection("fault: reset")
