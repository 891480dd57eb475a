"""The protocol a broker client implements (Kafka, RabbitMQ, MQTT)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from typing import Protocol

from .channels import BrokerChannel
from .message import BrokerMessage

__all__ = ["BrokerClient", "Handle"]

Handle = Callable[[BrokerChannel, BrokerMessage], Awaitable[None]]
"""What the service does with each consumed message."""


class BrokerClient(Protocol):
    """A connection to one broker, used by :class:`~.service.BrokerService`."""

    protocol: str
    """``kafka``, ``amqp`` or ``mqtt``."""

    async def connect(self) -> None:
        """Open the connection; raise :class:`~.exceptions.BrokerUnavailable` when
        the broker cannot be reached."""

    async def declare(self, channels: Sequence[BrokerChannel]) -> None:
        """Create what the channels need (topics, exchanges, queues, bindings)."""

    async def consume(self, channels: Sequence[BrokerChannel], handle: Handle) -> None:
        """Deliver each message of ``channels`` to ``handle`` until cancelled or
        closed. A message is acknowledged only after ``handle`` returned (a crash
        redelivers it). Raise :class:`~.exceptions.BrokerLost` when the connection
        drops."""

    async def publish(self, channel: BrokerChannel | None, message: BrokerMessage) -> None:
        """Send ``message`` on ``channel`` (its options: qos, exchange, partition…);
        ``channel`` None sends to ``message.address`` as it is (replies). Raise
        :class:`~.exceptions.BrokerLost` when the connection drops, and
        :class:`~.exceptions.MessageRefused` for a message that cannot be sent
        (the service journals it and goes on)."""

    async def close(self) -> None:
        """Close the connection (idempotent)."""

    @property
    def connected(self) -> bool:
        """Whether the connection is up."""

    def describe(self) -> str:
        """Where the client connects, for messages (``mqtt at 127.0.0.1:1883``);
        never credentials."""
