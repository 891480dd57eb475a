"""The broker series of ``/metrics``, beside the service's request series.

- ``mockc_broker_messages_total{protocol,operation,channel,direction}``:
  messages consumed (``received``) and produced (``sent``), per channel;
- ``mockc_broker_connected{protocol}``: 1 while the broker connection is up;
- ``mockc_broker_reconnects_total{protocol}``: connections made after the first;
- ``mockc_broker_consumer_lag{protocol,operation}``: messages waiting for the
  consumer, where the client tells (Kafka).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Iterator, Mapping

from prometheus_client.metrics_core import CounterMetricFamily, GaugeMetricFamily, Metric

__all__ = ["RECEIVED", "SENT", "BrokerMetrics"]

RECEIVED = "received"
SENT = "sent"


class BrokerMetrics:
    """Message counters per channel and direction; a collector for the service's registry."""

    def __init__(self, protocol: str) -> None:
        self.protocol = protocol
        self._lock = threading.Lock()
        self._messages: dict[tuple[str, str, str], int] = {}
        self.connected = False
        self.reconnects = 0
        self.lag: Callable[[], Mapping[str, int]] | None = None
        """Consumer lag per operation, when the client can tell."""

    def count(self, operation: str, channel: str, direction: str, messages: int = 1) -> None:
        key = (operation, channel, direction)
        with self._lock:
            self._messages[key] = self._messages.get(key, 0) + messages

    def count_each(self, direction: str, messages: Iterable[tuple[str, str]]) -> None:
        """Count one message per (operation, channel) of ``messages``, the lock taken once."""
        with self._lock:
            counted = self._messages
            for operation, channel in messages:
                key = (operation, channel, direction)
                counted[key] = counted.get(key, 0) + 1

    def counts(self) -> dict[tuple[str, str, str], int]:
        """Messages per (operation, channel, direction)."""
        with self._lock:
            return dict(self._messages)

    def describe(self) -> Iterator[Metric]:
        return iter(self._families(sampled=False))

    def collect(self) -> Iterator[Metric]:
        return iter(self._families(sampled=True))

    def _families(self, *, sampled: bool) -> list[Metric]:
        protocol = self.protocol
        messages = CounterMetricFamily(
            "mockc_broker_messages",
            "Broker messages consumed (received) and produced (sent), by channel.",
            labels=("protocol", "operation", "channel", "direction"),
        )
        connected = GaugeMetricFamily(
            "mockc_broker_connected",
            "1 while the connection to the broker is up.",
            labels=("protocol",),
        )
        reconnects = CounterMetricFamily(
            "mockc_broker_reconnects",
            "Connections to the broker made after the first.",
            labels=("protocol",),
        )
        lag = GaugeMetricFamily(
            "mockc_broker_consumer_lag",
            "Messages waiting for the consumer, by operation (where the client tells).",
            labels=("protocol", "operation"),
        )
        families: list[Metric] = [messages, connected, reconnects, lag]
        if not sampled:
            return families
        for (operation, channel, direction), total in sorted(self.counts().items()):
            messages.add_metric((protocol, operation, channel, direction), total)
        connected.add_metric((protocol,), 1.0 if self.connected else 0.0)
        reconnects.add_metric((protocol,), self.reconnects)
        if self.lag is not None:
            try:
                lags = dict(self.lag())
            except Exception:  # a client that cannot tell now: no samples
                lags = {}
            for operation, waiting in sorted(lags.items()):
                lag.add_metric((protocol, operation), waiting)
        return families
