"""SSE channels served by an HTTP server, beside its routes.

A generation from an OpenAPI document and an AsyncAPI document together
(``mockc generate openapi.yaml asyncapi.yaml``) gives the HTTP server the
SSE channel operations too: their streams are served on the same port by
the same mock service, so an HTTP mock's ``then`` reaction (or the admin
API's emit) reaches the clients of those streams. Each operation keeps its
protocol's reading of output keys: HTTP statuses for the routes, event types
for the channels.
"""

from __future__ import annotations

from ..contract import Contract, engine_operations
from ..engine.model import Operation
from ..service import MockService
from ..sse.channels import SseChannels, SseOptions
from ..sse.outputs import OUTPUTS as CHANNEL_OUTPUTS
from .outputs import OUTPUTS

__all__ = ["channel_operations", "http_operations", "served_channels"]


def _of_kind(contract: Contract, channels: bool) -> Contract:
    """``contract`` with only its channel operations, or only the others."""
    kept = [
        spec
        for spec in contract["operations"]
        if (spec["binding"]["kind"] == "channel") == channels
    ]
    return {**contract, "operations": kept}


def http_operations(contract: Contract) -> list[Operation]:
    """The engine operations of the contract's HTTP routes."""
    return engine_operations(_of_kind(contract, channels=False), OUTPUTS)


def channel_operations(contract: Contract) -> list[Operation]:
    """The engine operations of the contract's SSE channels (none in most HTTP servers)."""
    return engine_operations(_of_kind(contract, channels=True), CHANNEL_OUTPUTS)


def served_channels(
    contract: Contract, service: MockService, options: SseOptions | None
) -> SseChannels | None:
    """The contract's SSE channels served for ``service``; None when it has none."""
    channels = _of_kind(contract, channels=True)
    if not channels["operations"]:
        return None
    return SseChannels(channels, service, options)
