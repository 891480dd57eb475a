"""SSE and WebSocket channels served by an HTTP server, beside its routes.

A generation from an OpenAPI document and an AsyncAPI document (or a channel
config) together (``mockc generate openapi.yaml asyncapi.yaml``) gives the
HTTP server the SSE and WebSocket channel operations too: their streams and
sockets are served on the same port by the same mock service, so an HTTP
mock's ``then`` reaction (or the admin API's emit) reaches their clients.
Each operation keeps its protocol's reading of output keys: HTTP statuses
for the routes, event and message types for the channels.
"""

from __future__ import annotations

from typing import Any

from ..contract import Contract, engine_operations
from ..engine.model import Operation
from ..service import MockService
from ..sse.channels import SseChannels, SseOptions
from ..sse.outputs import OUTPUTS as SSE_OUTPUTS
from ..websocket.outputs import OUTPUTS as WEBSOCKET_OUTPUTS
from ..websocket.sockets import WebSocketChannels, WebSocketOptions
from .outputs import OUTPUTS

__all__ = [
    "channel_operations",
    "declared_schedules",
    "http_operations",
    "served_sockets",
    "served_streams",
]

_SSE = "sse"
_WEBSOCKET = "websocket"


def _of_protocol(contract: Contract, protocol: str) -> Contract:
    """``contract`` with only its operations of ``protocol`` (``http``: the routes)."""
    kept = [spec for spec in contract["operations"] if _protocol(spec["binding"]) == protocol]
    return {**contract, "operations": kept}


def _protocol(binding: object) -> str:
    if not isinstance(binding, dict) or binding.get("kind") != "channel":
        return "http"
    return _SSE if binding.get("protocol") == _SSE else _WEBSOCKET


def http_operations(contract: Contract) -> list[Operation]:
    """The engine operations of the contract's HTTP routes."""
    return engine_operations(_of_protocol(contract, "http"), OUTPUTS)


def channel_operations(contract: Contract) -> list[Operation]:
    """The engine operations of the contract's channels (none in most HTTP servers)."""
    return [
        *engine_operations(_of_protocol(contract, _SSE), SSE_OUTPUTS),
        *engine_operations(_of_protocol(contract, _WEBSOCKET), WEBSOCKET_OUTPUTS),
    ]


def declared_schedules(contract: Contract) -> dict[str, Any]:
    """The schedules the channels declare (a channel config's ``schedule``s):
    operation id → the mocks' ``emit`` shape, of the SSE and WebSocket ones."""
    return {
        **contract.get("sse", {"schedules": {}})["schedules"],
        **contract.get("websocket", {"schedules": {}})["schedules"],
    }


def served_streams(
    contract: Contract, service: MockService, options: SseOptions | None
) -> SseChannels | None:
    """The contract's SSE channels served for ``service``; None when it has none."""
    channels = _of_protocol(contract, _SSE)
    return SseChannels(channels, service, options) if channels["operations"] else None


def served_sockets(
    contract: Contract, service: MockService, options: WebSocketOptions | None = None
) -> WebSocketChannels | None:
    """The contract's WebSocket channels served for ``service``; None when it has none."""
    channels = _of_protocol(contract, _WEBSOCKET)
    return WebSocketChannels(channels, service, options) if channels["operations"] else None
