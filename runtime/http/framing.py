"""A request whose body ends before its framing says: a ``400``, not a server's 500.

The HTTP server underneath (granian) hands the app an ``http.disconnect`` when a
body breaks off: a chunk size that is not hex, a body shorter than its
``Content-Length`` followed by a half-close. Left alone the app would answer
nothing and granian a plain 500 with nothing logged; the client may still be
listening, so every adapter answers 400 with :data:`INCOMPLETE_BODY`. (A
request with both ``Content-Length`` and ``Transfer-Encoding`` never reaches the
app as such: granian drops ``Content-Length``, reads the chunks and closes the
connection after answering, as RFC 9112 section 6.3 allows.)
"""

from __future__ import annotations

__all__ = ["INCOMPLETE_BODY"]

INCOMPLETE_BODY = (
    "the request body ended before it was complete: its framing (Content-Length, "
    "chunked encoding) is malformed, or the client stopped sending"
)
