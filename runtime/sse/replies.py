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

from ..message_expressions import resolve_expression

__all__ = ["address_in_message"]


def address_in_message(location: str, headers: Mapping[str, str], payload: Any) -> str | None:
    """The reply address a message carries at ``location``; None when it has none."""
    address = resolve_expression(location, headers, payload)
    return address if address.startswith("/") else None
