"""A generated MCP server run as its own process, talked to by the official
MCP SDK's client over streamable HTTP (a real port) and over stdio (a
subprocess): lists, tool calls answered by a mock matched on an argument and
by fake data valid against the tool's outputSchema, a resource read, a prompt
rendered, JSON-RPC errors, and every call in the journal of the admin API."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import httpx
import httpx2
import jsonschema
import pytest
from mcp import Client
from mcp.client.stdio import StdioServerParameters
from mcp.client.streamable_http import streamable_http_client
from mcp.shared.exceptions import MCPError

from tests.support.servers import ServerProcess, free_port

ROOT = Path(__file__).resolve().parents[3]
CONFIG = ROOT / "examples" / "mcp" / "notes.mcp.yaml"
MATCHING_MOCK = """id: search_mcp
operation: tool_search_notes
match:
  body:
    query: mcp
response:
  status: result
  body:
    total: 1
    notes:
      - id: n-1
        title: "Found {{ request.body.query }}"
"""
ERROR_MOCK = """id: add_forbidden
operation: tool_add_note
match:
  body:
    title: forbidden
response:
  status: isError
  body: notes titled forbidden are refused
"""
JSONRPC_ERROR_MOCK = """id: add_boom
operation: tool_add_note
match:
  body:
    title: boom
response:
  status: error
  body: {code: -32001, message: the notes store is down}
"""


@pytest.fixture(scope="module")
def server_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("mcp") / "notes"
    done = subprocess.run(
        [sys.executable, "-m", "mockc.compiler.cli", "generate", str(CONFIG), "-o", str(out)]
        + ["-q"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    # search_notes answers from the matching mock, else from fake data made per call
    (out / "mocks" / "tool_search_notes.yaml").unlink()
    (out / "mocks" / "search_mcp.yaml").write_text(MATCHING_MOCK, encoding="utf-8")
    (out / "mocks" / "add_forbidden.yaml").write_text(ERROR_MOCK, encoding="utf-8")
    (out / "mocks" / "add_boom.yaml").write_text(JSONRPC_ERROR_MOCK, encoding="utf-8")
    return out


def _output_schema(tools: list[Any], name: str) -> dict[str, Any]:
    schema: dict[str, Any] = next(tool for tool in tools if tool.name == name).output_schema
    return schema


async def _session(client: Client) -> dict[str, Any]:
    """What a client sees of the notes server, call by call."""
    tools = (await client.list_tools()).tools
    seen: dict[str, Any] = {
        "tools": [tool.name for tool in tools],
        "resources": [str(r.uri) for r in (await client.list_resources()).resources],
        "templates": [
            t.uri_template for t in (await client.list_resource_templates()).resource_templates
        ],
        "prompts": [p.name for p in (await client.list_prompts()).prompts],
        "output_schema": _output_schema(tools, "search_notes"),
        "matched": await client.call_tool("search_notes", {"query": "mcp"}),
        "faked": await client.call_tool("search_notes", {"query": "other"}),
        "text": await client.call_tool("add_note", {"title": "t", "text": "x"}),
        "is_error": await client.call_tool("add_note", {"title": "forbidden", "text": "x"}),
        "invalid": await client.call_tool("search_notes", {"limit": 0}),
        "readme": await client.read_resource("notes://readme"),
        "logo": await client.read_resource("notes://logo.png"),
        "note": await client.read_resource("notes://notes/42"),
        "prompt": await client.get_prompt("summarise", {"id": "7", "style": "bullet"}),
    }
    for name, call in (
        ("unknown_tool", client.call_tool("nope", {})),
        ("unknown_resource", client.read_resource("notes://missing")),
        ("missing_argument", client.get_prompt("summarise", {})),
        ("mocked_error", client.call_tool("add_note", {"title": "boom", "text": "x"})),
    ):
        with pytest.raises(MCPError) as caught:
            await call
        seen[name] = caught.value.code
    return seen


def _check_session(seen: dict[str, Any]) -> None:
    assert seen["tools"] == ["search_notes", "add_note"]
    assert seen["resources"] == ["notes://readme", "notes://logo.png"]
    assert seen["templates"] == ["notes://notes/{id}"]
    assert seen["prompts"] == ["summarise"]

    matched = seen["matched"]
    assert matched.structured_content == {
        "total": 1,
        "notes": [{"id": "n-1", "title": "Found mcp"}],
    }
    assert json.loads(matched.content[0].text) == matched.structured_content
    assert not matched.is_error

    faked = seen["faked"]
    jsonschema.validate(faked.structured_content, seen["output_schema"])
    assert json.loads(faked.content[0].text) == faked.structured_content

    assert seen["text"].content[0].text == "Note added."
    assert seen["text"].structured_content is None
    assert seen["is_error"].is_error
    assert seen["is_error"].content[0].text == "notes titled forbidden are refused"

    invalid = seen["invalid"]
    assert invalid.is_error and invalid.structured_content is None
    assert invalid.content[0].text.startswith("Invalid arguments: ")
    assert '"query" is a required property' in invalid.content[0].text
    assert "/limit: 0 is less than the minimum of 1" in invalid.content[0].text

    readme = seen["readme"].contents[0]
    assert (readme.text, readme.mime_type) == ("# Notes\n\nOne note per meeting.", "text/markdown")
    logo = seen["logo"].contents[0]
    assert (logo.blob, logo.mime_type) == ("iVBORw0KGgo=", "image/png")
    assert seen["note"].contents[0].text == "The note 42."

    prompt = seen["prompt"]
    assert prompt.description == "Ask for a summary of one note."
    assert [(m.role, m.content.text) for m in prompt.messages] == [
        ("user", "Summarise note 7 in bullet style.")
    ]
    assert (seen["unknown_tool"], seen["unknown_resource"], seen["missing_argument"]) == (
        -32602,
        -32002,
        -32602,
    )
    assert seen["mocked_error"] == -32001


def _journal(admin: str) -> list[dict[str, Any]]:
    entries: list[dict[str, Any]] = httpx.get(f"{admin}/__mockc/journal?limit=100").json()[
        "entries"
    ]
    return entries


def _check_journal(entries: list[dict[str, Any]]) -> None:
    calls = [e for e in entries if e["method"] == "tools/call" and e["operation"]]
    matched = next(e for e in calls if e["source"] == "mock:search_mcp")
    assert matched["protocol"] == "mcp"
    assert matched["target"] == "search_notes"
    assert matched["status"] == "result"
    assert json.loads(matched["request"]["body"]["data"]) == {
        "name": "search_notes",
        "arguments": {"query": "mcp"},
    }
    answered = json.loads(matched["response"]["body"]["data"])["result"]
    assert answered["structuredContent"]["notes"][0]["title"] == "Found mcp"
    assert any(e["status"] == "isError" and e["source"] == "mock:add_forbidden" for e in calls)
    unknown = next(e for e in entries if e["target"] == "nope")
    assert (unknown["status"], unknown["operation"]) == ("error:-32602", None)
    assert {"tools/list", "resources/read", "prompts/get"} <= {e["method"] for e in entries}


@pytest.mark.parametrize("mode", ["auto", "legacy"])
def test_over_streamable_http(server_dir: Path, mode: Any, tmp_path: Path) -> None:
    """``auto`` negotiates the newest protocol the SDK speaks; ``legacy`` the
    initialize handshake of earlier versions."""
    env = {"MOCKC_JOURNAL": str(tmp_path / "journal.sqlite")}  # this test's calls alone
    with ServerProcess([sys.executable, "server.py"], server_dir, env) as server:
        seen = asyncio.run(_run(Client(f"{server.url}/mcp", mode=mode)))
        _check_session(seen)
        _check_journal(_journal(server.url))


async def _run(client: Client) -> dict[str, Any]:
    async with client:
        return await _session(client)


def test_over_stdio_with_the_admin_api_on_its_own_port(server_dir: Path, tmp_path: Path) -> None:
    admin_port = free_port()
    journal = tmp_path / "stdio-journal.sqlite"  # its own: the HTTP test's stays apart
    parameters = StdioServerParameters(
        command=sys.executable,
        args=["server.py", "--stdio"],
        cwd=str(server_dir),
        env={**os.environ, "MOCKC_ADMIN_PORT": str(admin_port), "MOCKC_JOURNAL": str(journal)},
    )

    async def run() -> tuple[dict[str, Any], list[dict[str, Any]]]:
        async with Client(parameters) as client:
            seen = await _session(client)
            entries = await asyncio.to_thread(_journal, f"http://127.0.0.1:{admin_port}")
            return seen, entries

    seen, entries = asyncio.run(run())
    _check_session(seen)
    _check_journal(entries)


def test_a_malformed_json_rpc_message_gets_an_error_and_the_server_goes_on(
    server_dir: Path,
) -> None:
    headers = {"accept": "application/json, text/event-stream", "content-type": "application/json"}
    with ServerProcess([sys.executable, "server.py"], server_dir) as server:
        for body in (b"{not json", b'{"jsonrpc": "2.0", "id": 1}', b"[]"):
            answer = httpx.post(f"{server.url}/mcp", content=body, headers=headers)
            assert 400 <= answer.status_code < 500, answer.text
            assert answer.json()["error"]["code"] in (-32700, -32600, -32602)
        assert httpx.get(f"{server.url}/health").status_code == 200
        assert asyncio.run(_run(Client(f"{server.url}/mcp")))["prompts"] == ["summarise"]
        assert server.terminate() == 0, server.stderr


def test_a_foreign_host_header_is_refused_on_loopback(server_dir: Path) -> None:
    """DNS-rebinding protection, as the MCP specification asks of local servers."""
    with ServerProcess([sys.executable, "server.py"], server_dir) as server:
        answer = httpx.post(
            f"{server.url}/mcp",
            content=b"{}",
            headers={"host": "evil.example", "content-type": "application/json"},
        )
        assert answer.status_code in (403, 421)


def test_a_malformed_line_over_stdio_does_not_stop_the_server(server_dir: Path) -> None:
    initialize = {
        "jsonrpc": "2.0",
        "id": 1,
        "method": "initialize",
        "params": {
            "protocolVersion": "2025-06-18",
            "capabilities": {},
            "clientInfo": {"name": "raw", "version": "1"},
        },
    }
    process = subprocess.Popen(
        [sys.executable, "server.py", "--stdio"],
        cwd=server_dir,
        env={**os.environ, "MOCKC_ADMIN_PORT": "off", "MOCKC_JOURNAL": "off"},
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert process.stdin is not None and process.stdout is not None
    try:
        process.stdin.write(b"{not json\n" + json.dumps(initialize).encode() + b"\n")
        process.stdin.flush()
        answer = json.loads(process.stdout.readline())
        assert answer["id"] == 1
        assert answer["result"]["serverInfo"]["name"] == "notes"
    finally:
        process.stdin.close()
        process.wait(timeout=10)


def test_a_token_is_required_when_set_and_sessions_can_be_off(server_dir: Path) -> None:
    env = {"MOCKC_MCP_TOKEN": "s3cret", "MOCKC_MCP_STATELESS": "1", "MOCKC_UNMATCHED": "404"}
    with ServerProcess([sys.executable, "server.py"], server_dir, env) as server:
        refused = httpx.post(f"{server.url}/mcp", content=b"{}")
        assert refused.status_code == 401
        assert refused.headers["www-authenticate"].startswith("Bearer")

        async def run() -> tuple[Any, int]:
            http = httpx2.AsyncClient(headers={"authorization": "Bearer s3cret"})
            async with (
                http,
                Client(streamable_http_client(f"{server.url}/mcp", http_client=http)) as client,
            ):
                result = await client.call_tool("search_notes", {"query": "mcp"})
                with pytest.raises(MCPError) as caught:
                    await client.call_tool("search_notes", {"query": "nothing matches"})
                return result, caught.value.code

        matched, unmatched_code = asyncio.run(run())
        assert matched.structured_content["total"] == 1
        assert unmatched_code == -32004


def test_the_server_wide_error_rate_answers_json_rpc_internal_errors(server_dir: Path) -> None:
    env = {"MOCKC_ERROR_RATE": "1", "MOCKC_JOURNAL": "off"}
    with ServerProcess([sys.executable, "server.py"], server_dir, env) as server:

        async def run() -> int:
            async with Client(f"{server.url}/mcp") as client:
                with pytest.raises(MCPError) as caught:
                    await client.call_tool("add_note", {"title": "t", "text": "x"})
                return caught.value.code

        assert asyncio.run(run()) == -32603


def test_a_tool_call_is_journaled_once_without_a_hidden_tools_list(
    server_dir: Path, tmp_path: Path
) -> None:
    """The SDK checks a call's ``Mcp-Param-*`` headers against the tool's input
    schema; the server gives it that schema directly, so a call neither runs
    nor journals a ``tools/list`` of its own (one per call before)."""
    env = {"MOCKC_JOURNAL": str(tmp_path / "journal.sqlite")}
    with ServerProcess([sys.executable, "server.py"], server_dir, env) as server:

        async def run() -> None:
            async with Client(f"{server.url}/mcp") as client:
                for _ in range(3):
                    answer = await client.call_tool("add_note", {"title": "t", "text": "x"})
                    assert answer.content[0].text == "Note added."

        asyncio.run(run())
        methods = [entry["method"] for entry in _journal(server.url)]
    assert methods.count("tools/call") == 3
    assert methods.count("tools/list") <= 1  # the client's own, to learn the output schemas
