"""Output keys, typed: what ``Output.key`` means under each binding kind.

``Output.key`` is one string for every protocol; :func:`output_selector` reads
it by the rules of the binding the operation has, so that no code reads an SSE
event name or a gRPC status with HTTP rules. A key its binding cannot have
raises :class:`SelectorError` (the IR checker reports it with its place).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TypeAlias

from . import model

__all__ = [
    "GRPC_STATUS_CODES",
    "ChannelMessage",
    "GraphqlData",
    "GrpcStatus",
    "HttpStatus",
    "McpResult",
    "Selector",
    "SelectorError",
    "SoapAnswer",
    "output_selector",
]

GRPC_STATUS_CODES: dict[str, int] = {
    "OK": 0,
    "CANCELLED": 1,
    "UNKNOWN": 2,
    "INVALID_ARGUMENT": 3,
    "DEADLINE_EXCEEDED": 4,
    "NOT_FOUND": 5,
    "ALREADY_EXISTS": 6,
    "PERMISSION_DENIED": 7,
    "RESOURCE_EXHAUSTED": 8,
    "FAILED_PRECONDITION": 9,
    "ABORTED": 10,
    "OUT_OF_RANGE": 11,
    "UNIMPLEMENTED": 12,
    "INTERNAL": 13,
    "UNAVAILABLE": 14,
    "DATA_LOSS": 15,
    "UNAUTHENTICATED": 16,
}
_HTTP_STATUS = re.compile(r"[1-5](?:[0-9][0-9]|XX)")


class SelectorError(ValueError):
    """An output key its binding kind cannot have."""


@dataclass(frozen=True, kw_only=True)
class HttpStatus:
    """``"200"`` (code 200), ``"4XX"`` (range 4) or ``"default"`` (neither)."""

    code: int | None = None
    range: int | None = None

    @property
    def is_default(self) -> bool:
        return self.code is None and self.range is None

    @property
    def is_success(self) -> bool:
        first = self.code // 100 if self.code is not None else self.range
        return first == 2


@dataclass(frozen=True, kw_only=True)
class GrpcStatus:
    name: str
    code: int


@dataclass(frozen=True, kw_only=True)
class GraphqlData:
    """The ``data`` of a GraphQL answer (errors are the server's)."""


@dataclass(frozen=True, kw_only=True)
class SoapAnswer:
    """The WSDL output (``fault`` None) or one of its faults."""

    name: str
    fault: model.Fault | None = None


@dataclass(frozen=True, kw_only=True)
class ChannelMessage:
    """One message type of a channel; every one is an answer of its own
    (an SSE stream with two event types answers both, not the first)."""

    name: str
    event: str
    """The name on the wire (``Output.event``, else the message name)."""


MCP_OUTPUT_KEYS = ("result", "isError", "content", "sampling", "elicitation")
"""A tool's outputs: its result, an error result, its result as content blocks,
and the steps that ask the client (docs/mcp.md)."""


@dataclass(frozen=True, kw_only=True)
class McpResult:
    is_error: bool


Selector: TypeAlias = (
    HttpStatus | GrpcStatus | GraphqlData | SoapAnswer | ChannelMessage | McpResult
)


def output_selector(output: model.Output, binding: model.Binding) -> Selector:
    """``output.key`` read by the rules of ``binding``'s kind."""
    key = output.key
    if isinstance(binding, model.HttpBinding):
        return _http(key)
    if isinstance(binding, model.GrpcBinding):
        if key not in GRPC_STATUS_CODES:
            raise SelectorError(f"{key!r} is not a gRPC status name (OK, NOT_FOUND…)")
        return GrpcStatus(name=key, code=GRPC_STATUS_CODES[key])
    if isinstance(binding, model.GraphqlBinding):
        if key != "data":
            raise SelectorError(f"a GraphQL output is keyed 'data', not {key!r}")
        return GraphqlData()
    if isinstance(binding, model.SoapBinding):
        if not key:
            raise SelectorError("a SOAP output needs the WSDL output or fault name")
        return SoapAnswer(name=key, fault=output.fault)
    if isinstance(binding, model.ChannelBinding):
        if not key:
            raise SelectorError("a channel output needs its message name")
        return ChannelMessage(name=key, event=output.event or key)
    if key not in MCP_OUTPUT_KEYS:
        raise SelectorError(
            f"an MCP output is keyed {', '.join(map(repr, MCP_OUTPUT_KEYS))}, not {key!r}"
        )
    return McpResult(is_error=key == "isError")


def _http(key: str) -> HttpStatus:
    if key == "default":
        return HttpStatus()
    if not _HTTP_STATUS.fullmatch(key):
        raise SelectorError(f"{key!r} is not an HTTP status (200, 4XX or default)")
    if key.endswith("XX"):
        return HttpStatus(range=int(key[0]))
    return HttpStatus(code=int(key))
