"""Prometheus metrics of the orchestrator itself, at ``/metrics``."""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from prometheus_client.exposition import CONTENT_TYPE_LATEST

from .servers import ServerManager

__all__ = ["Metrics"]


class Metrics:
    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.requests = Counter(
            "mockc_orchestrator_requests",
            "Requests answered by the orchestrator",
            ["method", "route", "status"],
            registry=self.registry,
        )
        self.latency = Histogram(
            "mockc_orchestrator_request_seconds",
            "Time to answer a request",
            ["route"],
            registry=self.registry,
        )
        self.children = Gauge(
            "mockc_orchestrator_servers_running",
            "Server processes running under this orchestrator",
            registry=self.registry,
        )

    def observe(self, method: str, route: str, status: int, seconds: float) -> None:
        self.requests.labels(method, route, str(status)).inc()
        self.latency.labels(route).observe(seconds)

    def render(self, servers: ServerManager) -> tuple[bytes, str]:
        self.children.set(len(servers.supervisor.children))
        return generate_latest(self.registry), CONTENT_TYPE_LATEST
