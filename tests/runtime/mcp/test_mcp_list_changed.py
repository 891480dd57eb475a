"""Tools and prompts that disappear while a generated MCP server runs: a mock
with ``fault: {kind: gone}``, created and deleted through the admin API, takes
its tool (prompt) out of the lists and back, and the official SDK's client
hears ``notifications/tools/list_changed`` (``prompts/list_changed``) — on a
``subscriptions/listen`` stream (2026-07-28) over streamable HTTP, and as a
session of the initialize handshake over the legacy SSE transport (which
hears ``resources/list_changed`` likewise) and over stdio."""

from __future__ import annotations

import asyncio
import os
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import httpx
import mcp_types as types
import pytest
from mcp import Client
from mcp.client.sse import sse_client
from mcp.client.stdio import StdioServerParameters
from mcp.client.subscriptions import PromptsListChanged, ToolsListChanged
from mcp.shared.exceptions import MCPError

from mockc.compiler.driver import GenerateOptions, generate
from tests.support.servers import ServerProcess, free_port

ROOT = Path(__file__).resolve().parents[3]
CONFIG = ROOT / "examples" / "mcp" / "notes.mcp.yaml"


NOTE_MOCK = {
    "id": "note_seven",
    "operation": "resource_note",
    "match": {"path": {"id": "n-7"}},
    "response": {"status": "result", "body": "The seventh note."},
}


def _gone_mock(mock_id: str, operation: str, match: dict[str, Any] | None = None) -> dict[str, Any]:
    mock: dict[str, Any] = {
        "id": mock_id,
        "operation": operation,
        "response": {"fault": {"kind": "gone"}},
    }
    if match is not None:
        mock["match"] = match
    return mock


@pytest.fixture(scope="module")
def notes(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("list_changed") / "notes"
    generate([CONFIG], out, GenerateOptions())
    return out


def _created(admin: str, mock: dict[str, Any]) -> Callable[[], None]:
    def create() -> None:
        answer = httpx.post(f"{admin}/__mockc/mocks", json=mock)
        assert answer.status_code in (200, 201), answer.text

    return create


def _deleted(admin: str, mock_id: str) -> Callable[[], None]:
    def delete() -> None:
        answer = httpx.delete(f"{admin}/__mockc/mocks/{mock_id}")
        assert answer.status_code in (200, 204), answer.text

    return delete


def _served(
    notes: Path, run: Callable[[str], Awaitable[dict[str, Any]]], mock_ids: list[str]
) -> dict[str, Any]:
    """What ``run`` saw of the notes server; the mocks it left behind deleted
    (the generated folder is shared by the module's tests)."""
    with ServerProcess([sys.executable, "server.py"], notes, {"MOCKC_JOURNAL": "off"}) as server:
        try:
            return asyncio.run(asyncio.wait_for(run(server.url), 60))
        finally:
            for mock_id in mock_ids:
                httpx.delete(f"{server.url}/__mockc/mocks/{mock_id}")


async def _unknown(call: Any) -> int:
    with pytest.raises(MCPError) as caught:
        await call
    return caught.value.code


def test_listen_hears_a_tool_and_a_prompt_go_and_come_back(notes: Path) -> None:
    async def run(url: str) -> dict[str, Any]:
        seen: dict[str, Any] = {"heard": []}
        async with (
            Client(f"{url}/mcp") as client,
            client.listen(tools_list_changed=True, prompts_list_changed=True) as subscription,
        ):
            steps = [
                _created(url, _gone_mock("no_add_note", "tool_add_note")),
                _created(url, _gone_mock("no_summary", "prompt_summarise")),
                _deleted(url, "no_add_note"),
            ]
            await asyncio.to_thread(steps.pop(0))
            async for event in subscription:
                seen["heard"].append(event)
                if len(seen["heard"]) == 1:
                    listed = await client.list_tools(cache_mode="bypass")
                    seen["tools_while_gone"] = [tool.name for tool in listed.tools]
                    seen["call_while_gone"] = await _unknown(
                        client.call_tool("add_note", {"title": "t", "text": "x"})
                    )
                elif len(seen["heard"]) == 2:
                    listed_prompts = await client.list_prompts(cache_mode="bypass")
                    seen["prompts_while_gone"] = [p.name for p in listed_prompts.prompts]
                    seen["prompt_while_gone"] = await _unknown(
                        client.get_prompt("summarise", {"id": "1"})
                    )
                if not steps:
                    break
                await asyncio.to_thread(steps.pop(0))
            listed = await client.list_tools(cache_mode="bypass")
            seen["tools_after"] = [tool.name for tool in listed.tools]
            answer = await client.call_tool("add_note", {"title": "t", "text": "x"})
            seen["call_after"] = answer.content[0].text  # type: ignore[union-attr]
        return seen

    seen = _served(notes, run, ["no_summary"])
    assert seen["heard"] == [ToolsListChanged(), PromptsListChanged(), ToolsListChanged()]
    assert seen["tools_while_gone"] == ["search_notes"]
    assert seen["call_while_gone"] == -32602
    assert seen["prompts_while_gone"] == []
    assert seen["prompt_while_gone"] == -32602
    assert seen["tools_after"] == ["search_notes", "add_note"]
    assert seen["call_after"] == "Note added."


def test_a_session_over_legacy_sse_hears_tools_list_changed(notes: Path) -> None:
    """A session of the initialize handshake that listed tools is told; a
    ``gone`` mock with ``match`` answers only the calls it matches as unknown
    and leaves the list alone."""

    async def run(url: str) -> dict[str, Any]:
        heard: list[str] = []
        got = asyncio.Event()

        async def on_message(message: Any) -> None:
            root = getattr(message, "root", message)
            if isinstance(
                root,
                types.ToolListChangedNotification
                | types.PromptListChangedNotification
                | types.ResourceListChangedNotification,
            ):
                heard.append(root.method)
                got.set()

        seen: dict[str, Any] = {"heard": heard}
        async with Client(
            sse_client(f"{url}/sse"), mode="legacy", message_handler=on_message
        ) as client:
            capabilities = client.server_capabilities
            assert capabilities is not None and capabilities.tools is not None
            seen["advertised"] = capabilities.tools.list_changed
            await client.list_tools()
            matched = _gone_mock("no_secret_note", "tool_add_note", {"body": {"title": "secret"}})
            await asyncio.to_thread(_created(url, matched))
            seen["matched_call"] = await _unknown(
                client.call_tool("add_note", {"title": "secret", "text": "x"})
            )
            other = await client.call_tool("add_note", {"title": "t", "text": "x"})
            seen["other_call"] = other.content[0].text  # type: ignore[union-attr]
            listed = await client.list_tools(cache_mode="bypass")
            seen["tools_with_matched"] = [tool.name for tool in listed.tools]
            seen["heard_before"] = list(heard)
            await asyncio.to_thread(_deleted(url, "no_secret_note"))
            await asyncio.to_thread(_created(url, _gone_mock("no_search", "tool_search_notes")))
            await asyncio.wait_for(got.wait(), 20)
            listed = await client.list_tools(cache_mode="bypass")
            seen["tools_after"] = [tool.name for tool in listed.tools]
            # resources listed by this session: a template mock pinning its variable adds one
            got.clear()
            await client.list_resources()
            await asyncio.to_thread(_created(url, NOTE_MOCK))
            await asyncio.wait_for(got.wait(), 20)
        return seen

    seen = _served(notes, run, ["no_search", "no_secret_note", "note_seven"])
    assert seen["advertised"] is True
    assert seen["matched_call"] == -32602
    assert seen["other_call"] == "Note added."
    assert seen["tools_with_matched"] == ["search_notes", "add_note"]
    assert seen["heard_before"] == []
    assert seen["tools_after"] == ["add_note"]
    assert seen["heard"] == [
        "notifications/tools/list_changed",
        "notifications/resources/list_changed",
    ]


def test_a_session_over_stdio_hears_prompts_list_changed(notes: Path) -> None:
    """Over stdio the admin API has its own port; the session that listed
    prompts hears the change on stdout."""
    admin = f"http://127.0.0.1:{free_port()}"

    async def run() -> dict[str, Any]:
        heard: list[str] = []
        got = asyncio.Event()

        async def on_message(message: Any) -> None:
            root = getattr(message, "root", message)
            if isinstance(root, types.PromptListChangedNotification):
                heard.append(root.method)
                got.set()

        parameters = StdioServerParameters(
            command=sys.executable,
            args=["server.py", "--stdio"],
            cwd=str(notes),
            env={**os.environ, "MOCKC_ADMIN_PORT": admin.rsplit(":", 1)[1], "MOCKC_JOURNAL": "off"},
        )
        async with Client(parameters, mode="legacy", message_handler=on_message) as client:
            await client.list_prompts()
            try:
                await asyncio.to_thread(
                    _created(admin, _gone_mock("no_prompt", "prompt_summarise"))
                )
                await asyncio.wait_for(got.wait(), 20)
                listed = await client.list_prompts(cache_mode="bypass")
                seen = {"heard": list(heard), "prompts": [p.name for p in listed.prompts]}
            finally:
                await asyncio.to_thread(httpx.delete, f"{admin}/__mockc/mocks/no_prompt")
        return seen

    seen = asyncio.run(asyncio.wait_for(run(), 60))
    assert seen == {"heard": ["notifications/prompts/list_changed"], "prompts": []}
