"""Reading a request body within a size limit.

The HTTP server underneath (granian) hands the app an ``http.disconnect`` when a
body breaks off: a chunk size that is not hex, a body shorter than its
``Content-Length`` followed by a half-close. Left alone the app would answer
nothing and granian a plain 500 with nothing logged; the client may still be
listening, so every app answers 400 with :data:`INCOMPLETE_BODY`. (A request
with both ``Content-Length`` and ``Transfer-Encoding`` never reaches the app as
such: granian drops ``Content-Length``, reads the chunks and closes the
connection after answering, as RFC 9112 section 6.3 allows.)
"""

from __future__ import annotations

from .asgi import Receive
from .problems import Problem

__all__ = ["DEFAULT_MAX_BODY_BYTES", "INCOMPLETE_BODY", "body_too_large", "read_body"]

DEFAULT_MAX_BODY_BYTES = 10 * 1024 * 1024
"""The largest request body an app reads unless told (``MOCKC_MAX_BODY_BYTES``)."""
INCOMPLETE_BODY = (
    "the request body ended before it was complete: its framing (Content-Length, "
    "chunked encoding) is malformed, or the client stopped sending"
)


def body_too_large(limit: int) -> Problem:
    """The ``413`` of a body over ``limit`` bytes."""
    return Problem(413, f"the request body is larger than {limit} bytes", limit=limit)


async def read_body(receive: Receive, limit: int, declared_length: str | None = None) -> bytes:
    """The whole body of an ASGI HTTP request, at most ``limit`` bytes.

    ``declared_length`` (the ``Content-Length`` header) refuses a body known to
    be too large before any of it is read. Raises :class:`Problem`: ``413``
    over the limit, ``400`` (:data:`INCOMPLETE_BODY`) when the body breaks off.
    """
    if declared_length is not None and declared_length.isdigit() and int(declared_length) > limit:
        raise body_too_large(limit)
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            raise Problem(400, INCOMPLETE_BODY, title="Malformed request")
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > limit:
            raise body_too_large(limit)
        chunks.append(chunk)
        if not message.get("more_body", False):
            break
    return chunks[0] if len(chunks) == 1 else b"".join(chunks)
