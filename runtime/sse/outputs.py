"""SSE's reading of output keys: each output is one event type of the stream.

Keys are message names and match exactly; the first declared message is the
one sent when nothing asks for another. An error injected by the server-wide
error rate is an ``error`` event.
"""

from __future__ import annotations

from ..engine import KeyedOutputs, Reply

__all__ = ["OUTPUTS", "SseOutputs"]

ERROR_EVENT = "error"


class SseOutputs(KeyedOutputs):
    """Keys are event types; the first is the default; no path echo."""

    empty_status = "message"

    def injected_fault(self, delay_ms: float) -> Reply:
        return Reply(
            status=ERROR_EVENT,
            body={"message": "injected error: server-wide error rate"},
            media_type="application/json",
            delay_ms=delay_ms,
            source="fault",
        )


OUTPUTS = SseOutputs()
