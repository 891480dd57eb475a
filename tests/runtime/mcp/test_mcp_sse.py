"""The legacy HTTP+SSE transport (protocol 2024-11-05) of a generated MCP
server, talked to by the official SDK's SSE client on a real port: the same
session as over streamable HTTP, both transports served at once, each alone
(``MOCKC_MCP_SSE``), DNS-rebinding protection and the bearer token."""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path
from typing import Any

import httpx
import pytest
from mcp import Client
from mcp.client.sse import sse_client

from tests.runtime.mcp.test_mcp_server import _check_session, _session, server_dir
from tests.support.servers import ServerProcess

__all__ = ["server_dir"]  # the generated notes server, shared with the streamable HTTP tests


async def _over_sse(
    url: str, headers: dict[str, str] | None = None, mode: Any = "auto"
) -> dict[str, Any]:
    async with Client(sse_client(url, headers=headers), mode=mode) as client:
        return await _session(client)


@pytest.mark.parametrize("mode", ["legacy", "auto"])
def test_over_legacy_sse_beside_streamable_http(
    server_dir: Path, mode: Any, tmp_path: Path
) -> None:
    """``legacy``: the initialize handshake, as clients of the 2024-11-05
    transport speak; ``auto``: the SDK's newest protocol over the same stream."""
    env = {"MOCKC_JOURNAL": str(tmp_path / "journal.sqlite")}
    with ServerProcess([sys.executable, "server.py"], server_dir, env) as server:
        _check_session(asyncio.run(_over_sse(f"{server.url}/sse", mode=mode)))
        tools = asyncio.run(_tools(Client(f"{server.url}/mcp")))
        assert tools == ["search_notes", "add_note"]
        entries = httpx.get(f"{server.url}/__mockc/journal?limit=100").json()["entries"]
        assert any(e["source"] == "mock:search_mcp" for e in entries)
        assert httpx.post(f"{server.url}/sse", content=b"{}").status_code == 405
        unknown = httpx.post(
            f"{server.url}/messages/?session_id={'0' * 32}",
            content=b"{}",
            headers={"content-type": "application/json"},
        )
        assert unknown.status_code == 404, unknown.text


async def _tools(client: Client) -> list[str]:
    async with client:
        return [tool.name for tool in (await client.list_tools()).tools]


def test_sse_can_be_off_or_served_alone(server_dir: Path) -> None:
    with ServerProcess([sys.executable, "server.py", "--sse", "off"], server_dir) as server:
        assert httpx.get(f"{server.url}/sse").status_code == 404
        assert asyncio.run(_tools(Client(f"{server.url}/mcp"))) == ["search_notes", "add_note"]
    env = {"MOCKC_MCP_SSE": "only"}
    with ServerProcess([sys.executable, "server.py"], server_dir, env) as server:
        refused = httpx.post(f"{server.url}/mcp", content=b"{}")
        assert refused.status_code == 404
        assert "/sse" in refused.json()["error"]
        assert asyncio.run(_tools(Client(sse_client(f"{server.url}/sse")))) == [
            "search_notes",
            "add_note",
        ]


def test_a_foreign_host_or_origin_is_refused_on_sse(server_dir: Path) -> None:
    """DNS-rebinding protection holds on both the stream and the message endpoint."""
    with ServerProcess([sys.executable, "server.py"], server_dir) as server:
        for headers in ({"host": "evil.example"}, {"origin": "http://evil.example"}):
            stream = httpx.get(f"{server.url}/sse", headers=headers)
            assert stream.status_code in (403, 421), stream.text
            posted = httpx.post(
                f"{server.url}/messages/?session_id={'0' * 32}",
                content=b"{}",
                headers={**headers, "content-type": "application/json"},
            )
            assert posted.status_code in (403, 421), posted.text


def test_a_token_is_required_on_sse_when_set(server_dir: Path) -> None:
    env = {"MOCKC_MCP_TOKEN": "s3cret"}
    with ServerProcess([sys.executable, "server.py"], server_dir, env) as server:
        for answer in (
            httpx.get(f"{server.url}/sse"),
            httpx.post(f"{server.url}/messages/?session_id={'0' * 32}", content=b"{}"),
        ):
            assert answer.status_code == 401
            assert answer.headers["www-authenticate"].startswith("Bearer")
        with pytest.raises(Exception) as refused:  # noqa: PT011 - the SDK wraps the 401
            asyncio.run(_tools(Client(sse_client(f"{server.url}/sse"))))
        assert "401" in repr(refused.value) or "Unauthorized" in repr(refused.value)
        seen = asyncio.run(_over_sse(f"{server.url}/sse", {"authorization": "Bearer s3cret"}))
        assert seen["tools"] == ["search_notes", "add_note"]
