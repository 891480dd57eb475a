"""A gRPC method as the adapter serves it, and one call as the adapter follows
it: what became of it, how it ends with an error status, waiting within its
deadline."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Mapping
from typing import Any

import grpc

from ..contract import OperationSpec, grpc_binding
from ..engine import Reply, Request
from ..exceptions import RuntimeFailure
from ..validation import OperationValidator
from .codec import Codec
from .status import GrpcError

__all__ = ["Call", "End", "Method", "abort", "wait"]


class Method:
    """One method of the contract, prepared at start-up."""

    __slots__ = ("full_method", "id", "input", "output", "shape", "validator")

    def __init__(self, spec: OperationSpec, codec: Codec, defs: Mapping[str, Any]) -> None:
        binding = grpc_binding(spec)
        self.id: str = spec["id"]
        self.full_method: str = binding["full_method"]
        self.shape: str = spec["shape"]
        self.input = codec.protos.message_class(binding["input_type"])
        self.output = codec.protos.message_class(binding["output_type"])
        self.validator = OperationValidator(spec, defs)
        """Checks request messages against the contract's schema (compiled on first use)."""


class Call:
    """What became of one call, for the journal and the metrics."""

    __slots__ = ("arrived", "content", "request", "reply", "started", "status")

    def __init__(self) -> None:
        self.started = time.perf_counter()
        self.arrived = time.time()
        self.request: Request | None = None
        self.reply: Reply | None = None
        self.status = "OK"
        self.content: bytes | None = None


class End(RuntimeFailure):
    """Ends a call with an error status (raised inside the adapter, turned into
    ``context.abort`` by the handler)."""

    def __init__(self, error: GrpcError, metadata: tuple[tuple[str, Any], ...] = ()) -> None:
        super().__init__(error.message)
        self.error = error
        self.metadata = metadata


async def wait(delay_ms: float, context: Any) -> None:
    """Sleep for a delay, within the caller's deadline: a delay longer than the
    time left ends the call with DEADLINE_EXCEEDED when the deadline passes."""
    if delay_ms <= 0:
        return
    seconds = delay_ms / 1000.0
    remaining = context.time_remaining()
    if remaining is not None and remaining < seconds:
        await asyncio.sleep(max(remaining, 0.0))
        raise End(GrpcError(grpc.StatusCode.DEADLINE_EXCEEDED, "deadline exceeded"))
    await asyncio.sleep(seconds)


async def abort(context: Any, call: Call, end: End) -> None:
    """End ``call`` with ``end``'s status, message and trailing metadata."""
    error = end.error
    call.status = error.code.name
    metadata = [*end.metadata, *error.trailers]
    if call.reply is not None and call.reply.fault is not None:
        call.status = f"fault:{call.reply.fault}"
    await context.abort(error.code, error.message, tuple(metadata))
