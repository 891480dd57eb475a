"""Headers in and out: a request's as one dict, what may be sent, and how.

Incoming headers (HTTP fields, gRPC metadata) become one dict of lower-case
names, a repeated name's values joined by ``", "`` as HTTP allows
(:func:`request_headers`, :func:`join_repeated`). Mock files are checked with
:func:`header_name_problem` and :func:`header_value_problem` when they load;
apps pass every outgoing header through :func:`sendable_header` (or
:func:`encoded_headers`), so that values a template or a hook computes at
request time cannot break the response.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from .asgi import Scope

__all__ = [
    "FRAMING_HEADERS",
    "encoded_headers",
    "header_name_problem",
    "header_value_problem",
    "join_repeated",
    "request_headers",
    "sendable_header",
]

_TOKEN = re.compile(r"^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$")
"""An HTTP field name (RFC 9110 §5.1)."""
_CONTROL = re.compile(r"[\x00-\x08\x0a-\x1f\x7f]")
"""Characters no field value may hold: NUL, CR, LF and the other controls but tab."""
FRAMING_HEADERS = frozenset({"content-type", "content-length"})
"""Headers an app writes itself; a reply's own values for them are not sent."""


def header_name_problem(name: str) -> str | None:
    """Why ``name`` cannot name a header, or None when it can."""
    if _TOKEN.match(name):
        return None
    allowed = "letters, digits and !#$%&'*+-.^_`|~"
    return f"the header name {name!r} is not a valid field name ({allowed})"


def header_value_problem(name: str, value: str) -> str | None:
    """Why ``value`` cannot be sent as the value of header ``name``, or None."""
    found = _CONTROL.search(value)
    if found is not None:
        return (
            f"the value of header '{name}' holds the control character "
            f"U+{ord(found.group()):04X}; header values cannot hold NUL, CR, LF or other controls"
        )
    return None


def sendable_header(name: str, value: str) -> tuple[str, str] | None:
    """``(name, value)`` as it can be sent: control characters in the value become
    spaces; None when the name is not a valid field name (the header is dropped)."""
    if not _TOKEN.match(name):
        return None
    if _CONTROL.search(value):
        value = _CONTROL.sub(" ", value)
    return name, value


def join_repeated(pairs: Iterable[tuple[str, Any]]) -> dict[str, Any]:
    """``pairs`` as a dict, the values of a repeated name joined by ``", "``."""
    headers: dict[str, Any] = {}
    for name, value in pairs:
        previous = headers.get(name)
        headers[name] = value if previous is None else f"{previous}, {value}"
    return headers


def request_headers(scope: Scope) -> dict[str, str]:
    """An ASGI request's headers: lower-case names (as ASGI gives them), the
    values of a repeated name joined by ``", "``."""
    raw: list[tuple[bytes, bytes]] = scope["headers"]
    headers = {name.decode("latin-1"): value.decode("latin-1") for name, value in raw}
    if len(headers) == len(raw):
        return headers
    return join_repeated((name.decode("latin-1"), value.decode("latin-1")) for name, value in raw)


def encoded_headers(headers: Mapping[str, Any]) -> list[tuple[bytes, bytes]]:
    """A reply's headers as sent: the framing headers are the app's, names that
    are not field names are dropped, control characters in values become spaces."""
    encoded = []
    for name, value in headers.items():
        lowered = str(name).lower()
        if lowered in FRAMING_HEADERS:
            continue
        sendable = sendable_header(lowered, str(value))
        if sendable is not None:
            encoded.append((sendable[0].encode("latin-1"), sendable[1].encode("utf-8", "replace")))
    return encoded
