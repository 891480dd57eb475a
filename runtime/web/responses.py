"""Writing an answer to ASGI: the start message, its framing headers, the body."""

from __future__ import annotations

from .asgi import Send

__all__ = ["NO_BODY_STATUSES", "RawHeaders", "send_response"]

RawHeaders = list[tuple[bytes, bytes]]
"""Headers as ASGI sends them: (lower-case name, value) byte pairs."""

NO_BODY_STATUSES = frozenset({204, 304})
"""Statuses whose answers carry no body (nor do 1xx ones)."""


async def send_response(
    send: Send,
    status: int,
    content_type: bytes | None,
    content: bytes | None,
    headers: RawHeaders | None = None,
    *,
    head: bool = False,
) -> None:
    """Send one whole answer. ``headers`` (extended in place) come first, then
    ``content-type`` (when there is content) and ``content-length``; a status
    that carries no body (1xx, 204, 304) sends none, nor does a ``HEAD``."""
    headers = [] if headers is None else headers
    if status in NO_BODY_STATUSES or status < 200:
        content = None
    else:
        if content is not None and content_type is not None:
            headers.append((b"content-type", content_type))
        headers.append((b"content-length", str(len(content)).encode() if content else b"0"))
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": b"" if head or content is None else content})
