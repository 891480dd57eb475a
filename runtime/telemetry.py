"""Traces over OTLP: one span per request, when ``OTEL_EXPORTER_OTLP_ENDPOINT`` is set.

The OpenTelemetry SDK and its OTLP/HTTP exporter are optional: they are
imported only when the endpoint is set (``pip install 'mockc[telemetry]'``), so
a server without them, or without the variable, pays nothing. Spans are made
after the fact from what the server records of each request (start time,
duration, protocol, operation, the mock that answered, status), exported in
batches off the request path. The exporter reads the standard ``OTEL_…``
variables (endpoint, headers, timeout; ``OTEL_SERVICE_NAME`` names the service).
"""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Mapping
from typing import Any

from .journal import Entry

__all__ = [
    "ENDPOINT_VARIABLE",
    "RequestTracer",
    "child_environment",
    "span_of",
    "tracer_from_environment",
]

ENDPOINT_VARIABLE = "OTEL_EXPORTER_OTLP_ENDPOINT"
TRACES_ENDPOINT_VARIABLE = "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"
_GRPC_ERRORS = frozenset(
    {"UNKNOWN", "DEADLINE_EXCEEDED", "UNIMPLEMENTED", "INTERNAL", "UNAVAILABLE", "DATA_LOSS"}
)
log = logging.getLogger("mockc.telemetry")


class RequestTracer:
    """Turns finished requests into spans of one service."""

    def __init__(self, provider: Any, service: str) -> None:
        self._provider = provider
        self._tracer = provider.get_tracer("mockc")
        self.service = service
        from opentelemetry.trace import SpanKind, Status, StatusCode

        self._kind = SpanKind.SERVER
        self._error = Status(StatusCode.ERROR)

    def request(
        self,
        *,
        name: str,
        start: float,
        duration_ms: float,
        attributes: Mapping[str, str | int | bool],
        failed: bool = False,
    ) -> None:
        """A span that started at ``start`` (epoch seconds) and lasted ``duration_ms``."""
        start_ns = int(start * 1e9)
        span = self._tracer.start_span(
            name, kind=self._kind, attributes=dict(attributes), start_time=start_ns
        )
        if failed:
            span.set_status(self._error)
        span.end(end_time=start_ns + int(duration_ms * 1e6))

    def record(self, entry: Entry) -> None:
        """The span of one request a server answered (not of its admin API)."""
        name, attributes, failed = span_of(entry)
        self.request(
            name=name,
            start=entry.time,
            duration_ms=entry.duration_ms,
            attributes=attributes,
            failed=failed,
        )

    def close(self) -> None:
        """Export what is pending and stop."""
        self._provider.shutdown()


def tracer_from_environment(
    service: str, environ: Mapping[str, str] = os.environ
) -> RequestTracer | None:
    """A tracer exporting to the OTLP endpoint of ``environ``; None when no endpoint
    is set, or when the SDK is not installed (said once on standard error)."""
    if not (environ.get(ENDPOINT_VARIABLE) or environ.get(TRACES_ENDPOINT_VARIABLE)):
        return None
    try:
        from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
        from opentelemetry.sdk.resources import Resource
        from opentelemetry.sdk.trace import TracerProvider
        from opentelemetry.sdk.trace.export import BatchSpanProcessor
    except ImportError:
        print(
            f"mockc: {ENDPOINT_VARIABLE} is set but the OpenTelemetry SDK is not installed "
            "(pip install 'mockc[telemetry]'); no traces are exported",
            file=sys.stderr,
            flush=True,
        )
        return None
    name = environ.get("OTEL_SERVICE_NAME") or service
    provider = TracerProvider(resource=Resource.create({"service.name": name}))
    provider.add_span_processor(BatchSpanProcessor(OTLPSpanExporter()))
    return RequestTracer(provider, name)


def child_environment(environ: Mapping[str, str], service: str) -> dict[str, str]:
    """The ``OTEL_…`` settings a process passes to a server it starts, so that the
    server exports where it does, under ``service``; empty when it does not export."""
    if not (environ.get(ENDPOINT_VARIABLE) or environ.get(TRACES_ENDPOINT_VARIABLE)):
        return {}
    inherited = {name: value for name, value in environ.items() if name.startswith("OTEL_")}
    inherited["OTEL_SERVICE_NAME"] = service
    return inherited


def span_of(entry: Entry) -> tuple[str, dict[str, str | int | bool], bool]:
    """A request's span name, attributes and whether it failed (a 5xx, an injected
    fault, a gRPC server error)."""
    attributes: dict[str, str | int | bool] = {
        "mockc.protocol": entry.protocol,
        "mockc.status": entry.status,
        "mockc.source": entry.source,
    }
    if entry.operation is not None:
        attributes["mockc.operation"] = entry.operation
    if entry.source.startswith("mock:"):
        attributes["mockc.mock"] = entry.source[len("mock:") :]
    if entry.matched is not None:
        attributes["mockc.matched"] = entry.matched
    path = entry.target.split("?", 1)[0]
    if entry.protocol == "grpc":
        attributes["rpc.system"] = "grpc"
        attributes["rpc.method"] = path
        name = path
        failed = entry.status in _GRPC_ERRORS
    else:
        attributes["http.request.method"] = entry.method
        attributes["url.path"] = path
        name = f"{entry.method} {entry.operation or path}".strip()
        failed = False
        if entry.status.isdigit():
            attributes["http.response.status_code"] = int(entry.status)
            failed = int(entry.status) >= 500
    failed = failed or entry.status.startswith("fault:")
    return name, attributes, failed
