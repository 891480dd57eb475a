"""Brokers' reading of output keys: each output is a message, keyed by its name.

A receive operation's first output is its reply; a send operation's first
output is the message it produces. An injected error is an error message.
"""

from __future__ import annotations

from typing import Any

from ..engine import KeyedOutputs, Reply
from ..json_codec import json_bytes

__all__ = ["ERROR_STATUS", "OUTPUTS", "BrokerOutputs", "encode_payload"]

ERROR_STATUS = "error"


class BrokerOutputs(KeyedOutputs):
    """Message names as keys; the first output answers; errors are error messages."""

    empty_status = "ok"
    duplicates = True
    """A ``duplicate`` fault sends the message twice (other protocols ignore it)."""

    def injected_fault(self, delay_ms: float) -> Reply:
        return Reply(
            status=ERROR_STATUS,
            body={"error": "injected error", "detail": "server-wide error rate"},
            media_type="application/json",
            delay_ms=delay_ms,
            source="fault",
        )


OUTPUTS = BrokerOutputs()


def encode_payload(body: Any, media_type: str | None = None, schema: Any = None) -> bytes:
    """A message body as payload bytes: bytes and text as they are, anything else as JSON."""
    if isinstance(body, bytes):
        return body
    if isinstance(body, str) and not (media_type or "").split(";")[0].endswith("json"):
        return body.encode("utf-8")
    if body is None:
        return b""
    return json_bytes(body)
