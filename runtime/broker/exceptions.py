"""The errors of a broker connection."""

from __future__ import annotations

from ..exceptions import RuntimeFailure

__all__ = ["BrokerLost", "BrokerUnavailable", "MessageRefused"]


class BrokerUnavailable(RuntimeFailure):
    """The broker cannot be reached (at start, or on a reconnect attempt)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class BrokerLost(RuntimeFailure):
    """The connection to the broker dropped while the service was running."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class MessageRefused(RuntimeFailure):
    """One message cannot be published (an address the broker does not accept, a
    payload too large); the connection is fine and the next message goes on."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason
