"""Prometheus metrics of one server, in a registry of its own.

Series (every one also carries a ``protocol`` label, ``http``, ``grpc`` …):

- ``mockc_requests_total{operation,status}``: requests answered;
- ``mockc_request_duration_seconds{operation}``: a histogram, buckets from
  0.5 ms to 5 s;
- ``mockc_requests_matched_total{operation}`` and
  ``mockc_requests_unmatched_total{operation}``: requests to operations that
  have mocks, answered by one of them, or by none (two counters, so a ratio is
  one division); requests to operations without mocks count in neither;
- ``mockc_active_mocks``: the mocks currently loaded;
- ``mockc_messages_total{operation,direction}``: messages of channels (SSE,
  WebSocket, brokers) by direction: ``received`` from clients, ``sent`` to
  them (a message to several clients counts once per client).

Requests that matched no route carry ``operation=""``. :meth:`Metrics.observe`
updates plain counters under one lock; the Prometheus families are built only
when scraped, which keeps the request path cheap.
"""

from __future__ import annotations

import threading
from bisect import bisect_left
from collections.abc import Iterable, Iterator

from prometheus_client import CollectorRegistry
from prometheus_client.exposition import CONTENT_TYPE_PLAIN_0_0_4, generate_latest
from prometheus_client.metrics_core import (
    CounterMetricFamily,
    GaugeMetricFamily,
    HistogramMetricFamily,
    Metric,
)
from prometheus_client.utils import floatToGoString

from .entry import Entry

__all__ = ["DURATION_BUCKETS", "MESSAGE_DIRECTIONS", "Metrics"]

MESSAGE_DIRECTIONS = frozenset({"received", "sent"})
"""Journal methods that are messages of a channel, by direction."""

DURATION_BUCKETS = (
    0.0005,
    0.001,
    0.0025,
    0.005,
    0.01,
    0.025,
    0.05,
    0.1,
    0.25,
    0.5,
    1.0,
    2.5,
    5.0,
)
"""Upper bounds of the duration histogram, in seconds (``+Inf`` follows)."""

_LE = (*(floatToGoString(bound) for bound in DURATION_BUCKETS), "+Inf")  # type: ignore[no-untyped-call]


class _Histogram:
    __slots__ = ("counts", "total")

    def __init__(self) -> None:
        self.counts = [0] * (len(DURATION_BUCKETS) + 1)
        self.total = 0.0


class Metrics:
    """Request counters, durations and the active mock count, for ``/metrics``."""

    def __init__(self, protocol: str = "http") -> None:
        self.protocol = protocol
        self.registry = CollectorRegistry(auto_describe=False)
        self._lock = threading.Lock()
        self._requests: dict[tuple[str, str], int] = {}
        self._durations: dict[str, _Histogram] = {}
        self._matched: dict[str, int] = {}
        self._unmatched: dict[str, int] = {}
        self._messages: dict[tuple[str, str], int] = {}
        self._active_mocks = 0
        self.registry.register(self)

    def observe(
        self, operation: str | None, status: str, duration_s: float, matched: bool | None
    ) -> None:
        """Count one answered request."""
        with self._lock:
            self._observe(operation, status, duration_s, matched)

    def observe_entries(self, entries: Iterable[Entry]) -> None:
        """Count the requests and messages of ``entries`` (none of the admin API),
        taking the lock once."""
        with self._lock:
            for entry in entries:
                self._observe(
                    entry.operation, entry.status, entry.duration_ms / 1000.0, entry.matched
                )
                if entry.method in MESSAGE_DIRECTIONS:
                    key = (entry.operation or "", entry.method)
                    self._messages[key] = self._messages.get(key, 0) + 1

    def _observe(
        self, operation: str | None, status: str, duration_s: float, matched: bool | None
    ) -> None:
        """:meth:`observe`, the lock held."""
        name = operation or ""
        key = (name, status)
        requests = self._requests
        requests[key] = requests.get(key, 0) + 1
        histogram = self._durations.get(name)
        if histogram is None:
            histogram = self._durations[name] = _Histogram()
        histogram.counts[bisect_left(DURATION_BUCKETS, duration_s)] += 1
        histogram.total += duration_s
        if matched is not None:
            counts = self._matched if matched else self._unmatched
            counts[name] = counts.get(name, 0) + 1

    def count_message(self, operation: str | None, direction: str, count: int = 1) -> None:
        """Count ``count`` messages of a channel, ``received`` or ``sent``."""
        key = (operation or "", direction)
        with self._lock:
            self._messages[key] = self._messages.get(key, 0) + count

    def set_active_mocks(self, count: int) -> None:
        self._active_mocks = count

    def render(self) -> tuple[bytes, str]:
        """The exposition text and its content type (Prometheus text format 0.0.4)."""
        return generate_latest(self.registry), CONTENT_TYPE_PLAIN_0_0_4

    def describe(self) -> Iterator[Metric]:
        """The families, without samples (the registry reads their names)."""
        return iter(self._families(sampled=False))

    def collect(self) -> Iterator[Metric]:
        """The families and their current samples (called on each scrape)."""
        return iter(self._families(sampled=True))

    def _families(self, *, sampled: bool) -> list[Metric]:
        protocol = self.protocol
        requests = CounterMetricFamily(
            "mockc_requests",
            "Requests answered, by operation and status.",
            labels=("protocol", "operation", "status"),
        )
        durations = HistogramMetricFamily(
            "mockc_request_duration_seconds",
            "Time to answer a request, by operation.",
            labels=("protocol", "operation"),
        )
        matched = CounterMetricFamily(
            "mockc_requests_matched",
            "Requests to operations with mocks that one of the mocks answered.",
            labels=("protocol", "operation"),
        )
        unmatched = CounterMetricFamily(
            "mockc_requests_unmatched",
            "Requests to operations with mocks that none of the mocks matched.",
            labels=("protocol", "operation"),
        )
        active = GaugeMetricFamily(
            "mockc_active_mocks", "Mocks currently loaded.", labels=("protocol",)
        )
        messages = CounterMetricFamily(
            "mockc_messages",
            "Messages of channels received from clients and sent to them, by operation.",
            labels=("protocol", "operation", "direction"),
        )
        families: list[Metric] = [requests, durations, matched, unmatched, active, messages]
        if not sampled:
            return families
        with self._lock:
            request_counts = sorted(self._requests.items())
            histograms = sorted(
                (name, list(h.counts), h.total) for name, h in self._durations.items()
            )
            matched_counts = sorted(self._matched.items())
            unmatched_counts = sorted(self._unmatched.items())
            message_counts = sorted(self._messages.items())
            active_mocks = self._active_mocks
        for (operation, status), count in request_counts:
            requests.add_metric((protocol, operation, status), count)
        for operation, counts, total in histograms:
            cumulative = 0
            buckets = []
            for le, count in zip(_LE, counts, strict=True):
                cumulative += count
                buckets.append((le, float(cumulative)))
            durations.add_metric((protocol, operation), buckets, total)
        for operation, count in matched_counts:
            matched.add_metric((protocol, operation), count)
        for operation, count in unmatched_counts:
            unmatched.add_metric((protocol, operation), count)
        active.add_metric((protocol,), active_mocks)
        for (operation, direction), count in message_counts:
            messages.add_metric((protocol, operation, direction), count)
        return families
