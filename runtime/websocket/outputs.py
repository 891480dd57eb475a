"""WebSocket's reading of output keys: each output is a message, keyed by its name.

A receive operation's first output is its reply; a send operation's first
output is the message it emits. An injected error is an error frame.
"""

from __future__ import annotations

from ..engine import KeyedOutputs, Reply

__all__ = ["ERROR_STATUS", "OUTPUTS", "WebSocketOutputs"]

ERROR_STATUS = "error"
"""The status of a reply that is an error frame."""


class WebSocketOutputs(KeyedOutputs):
    """Message names as keys; the first output answers; errors are error frames."""

    empty_status = "ok"

    def injected_fault(self, delay_ms: float) -> Reply:
        return Reply(
            status=ERROR_STATUS,
            body={"error": "injected error", "detail": "server-wide error rate"},
            media_type="application/json",
            delay_ms=delay_ms,
            source="fault",
        )


OUTPUTS = WebSocketOutputs()
