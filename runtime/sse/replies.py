"""Where the reply to a message a client posts goes (AsyncAPI 3 ``reply``).

A reply channel is a stream of the server: the channel's own stream when the
API sends on that address too, else a stream of the replies alone at that
address. A reply whose address the message carries
(``reply.address.location``: ``$message.header#/replyTo`` or
``$message.payload#/replyTo``) goes to the stream at the path found there.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

__all__ = ["address_in_message"]

_HEADER = "$message.header#"
_PAYLOAD = "$message.payload#"


def address_in_message(location: str, headers: Mapping[str, Any], payload: Any) -> str | None:
    """The reply address a message carries at ``location``; None when it has none."""
    if location.startswith(_HEADER):
        parts = _pointer(location[len(_HEADER) :])
        if len(parts) != 1:
            return None
        value = headers.get(parts[0].lower())
    elif location.startswith(_PAYLOAD):
        value = payload
        for part in _pointer(location[len(_PAYLOAD) :]):
            if isinstance(value, dict):
                value = value.get(part)
            elif isinstance(value, list) and part.isdigit() and int(part) < len(value):
                value = value[int(part)]
            else:
                return None
    else:
        return None
    return value if isinstance(value, str) and value.startswith("/") else None


def _pointer(pointer: str) -> list[str]:
    """A JSON pointer's reference tokens (``/a~1b/c`` → ``["a/b", "c"]``)."""
    if not pointer.startswith("/"):
        return []
    return [token.replace("~1", "/").replace("~0", "~") for token in pointer[1:].split("/")]
