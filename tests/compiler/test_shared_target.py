"""Specs of several formats generated together: the HTTP target serves an
AsyncAPI document's (or a channel config's) SSE and WebSocket channels beside
the OpenAPI routes (one server); broker channels keep their own servers;
formats no target shares are refused."""

from __future__ import annotations

from pathlib import Path

import pytest

from mockc.compiler.driver import compile_specs, servers_of
from mockc.compiler.errors import SpecError
from tests.support.corpus import CORPUS

ROOT = Path(__file__).resolve().parents[2]
PETSTORE = ROOT / "examples" / "petstore" / "openapi.yaml"
GITTER = CORPUS / "asyncapi" / "gitter-streaming" / "asyncapi-3.0.0.yml"
CHAT = ROOT / "examples" / "websocket-chat" / "chat.json"
ROUTE_GUIDE = ROOT / "examples" / "route_guide" / "route_guide.proto"
KAFKA = CORPUS / "asyncapi" / "streetlights-kafka" / "asyncapi-3.0.0.yml"


def _served(*specs: Path) -> dict[str, set[str]]:
    """Where each server goes, and the binding kinds of its operations."""
    return {
        server.folder or ".": {type(op.binding).__name__ for op in server.api.operations}
        for server in servers_of(compile_specs(list(specs)))
    }


def test_openapi_and_sse_channels_make_one_http_server() -> None:
    assert _served(PETSTORE, GITTER) == {".": {"HttpBinding", "ChannelBinding"}}
    assert _served(GITTER, PETSTORE) == {".": {"HttpBinding", "ChannelBinding"}}


def test_a_format_alone_is_served_as_before() -> None:
    assert [s.target for s in servers_of(compile_specs([GITTER]))] == ["sse"]
    assert [s.target for s in servers_of(compile_specs([PETSTORE]))] == ["http"]


def test_websocket_channels_join_the_http_server_too() -> None:
    assert _served(PETSTORE, CHAT) == {".": {"HttpBinding", "ChannelBinding"}}


def test_broker_channels_keep_their_own_server() -> None:
    servers = servers_of(compile_specs([PETSTORE, KAFKA]))
    assert {server.folder: server.target for server in servers} == {
        "http": "http",
        "kafka": "kafka",
    }


def test_formats_no_target_shares_are_refused() -> None:
    with pytest.raises(SpecError, match=r"different targets \(grpc, http\)"):
        compile_specs([PETSTORE, ROUTE_GUIDE])
