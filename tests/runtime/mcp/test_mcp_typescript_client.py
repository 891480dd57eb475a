"""A generated MCP server talked to by a second, independent client stack: the
official TypeScript SDK (npm, pinned) on Node 22, over streamable HTTP and
over the legacy HTTP+SSE transport. It lists tools, calls one with arguments
a mock matches, reads resources, gets a prompt, hears a stepped call's
progress and log notifications (filtered by ``logging/setLevel``), and hears
``tools/list_changed`` when a mock takes a tool away. Skipped (saying why)
only when npm cannot be reached."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from mockc.compiler.driver import GenerateOptions, generate
from tests.support.npm_tools import MCP_TYPESCRIPT_SDK, Installed, Unavailable, install
from tests.support.servers import ServerProcess

ROOT = Path(__file__).resolve().parents[3]
CONFIG = ROOT / "examples" / "mcp" / "notes.mcp.yaml"
SCRIPT = ROOT / "tests" / "support" / "mcp_ts_client.mjs"
MATCHING_MOCK = """id: search_mcp
operation: tool_search_notes
match: {body: {query: mcp}}
response:
  status: result
  body: {total: 1, notes: [{id: n-1, title: "Found {{ request.body.query }}"}]}
"""
STEPPED_MOCK = """id: add_slowly
operation: tool_add_note
match: {body: {title: slow}}
stream: {count: 3, interval_ms: 50}
responses:
  - {status: result, body: Saving the note}
  - {status: result, body: "Indexing {{ request.body.title }}"}
  - {status: result, body: Note added.}
"""


@pytest.fixture(scope="module")
def sdk() -> Installed:
    try:
        return install(MCP_TYPESCRIPT_SDK)
    except Unavailable as exc:
        pytest.skip(str(exc))


@pytest.fixture(scope="module")
def notes(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("typescript") / "notes"
    generate([CONFIG], out, GenerateOptions())
    (out / "mocks" / "search_mcp.yaml").write_text(MATCHING_MOCK, encoding="utf-8")
    (out / "mocks" / "add_slowly.yaml").write_text(STEPPED_MOCK, encoding="utf-8")
    return out


def _session(sdk: Installed, url: str, transport: str) -> dict[str, Any]:
    done = subprocess.run(
        [str(sdk.node), str(sdk.script(SCRIPT)), url, transport],
        cwd=sdk.folder,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    seen: dict[str, Any] = json.loads(done.stdout)
    return seen


@pytest.mark.parametrize("transport", ["http", "sse"])
def test_the_typescript_sdk_client(sdk: Installed, notes: Path, transport: str) -> None:
    with ServerProcess([sys.executable, "server.py"], notes, {"MOCKC_JOURNAL": "off"}) as server:
        seen = _session(sdk, server.url, transport)

    assert seen["server"]["name"] == "notes"
    tools = {tool["name"]: tool for tool in seen["tools"]}
    assert list(tools) == ["search_notes", "add_note"]
    assert tools["search_notes"]["inputSchema"]["required"] == ["query"]
    assert tools["search_notes"]["annotations"] == {"readOnlyHint": True, "openWorldHint": False}

    matched = seen["matched"]
    assert matched["structuredContent"] == {
        "total": 1,
        "notes": [{"id": "n-1", "title": "Found mcp"}],
    }
    assert json.loads(matched["content"][0]["text"]) == matched["structuredContent"]
    assert seen["readme"]["contents"][0]["text"] == "# Notes\n\nOne note per meeting."
    assert seen["note"]["contents"][0]["text"] == "The note 42."
    assert [m["content"]["text"] for m in seen["prompt"]["messages"]] == [
        "Summarise note 7 in bullet style."
    ]

    assert seen["stepped"]["content"] == [{"type": "text", "text": "Note added."}]
    assert [(p["progress"], p["total"], p.get("message")) for p in seen["progress"]] == [
        (1, 2, "Saving the note"),
        (2, 2, "Indexing slow"),
    ]
    assert [(log["level"], log["logger"], log["data"]) for log in seen["logs"]] == [
        ("info", "add_note", "Saving the note"),
        ("info", "add_note", "Indexing slow"),
    ]

    assert seen["logsAfterWarning"] == 2  # info steps are below logging/setLevel warning
    capabilities = seen["capabilities"]
    assert "logging" in capabilities
    assert capabilities["tools"]["listChanged"] and capabilities["prompts"]["listChanged"]

    assert seen["created"] == 201
    assert seen["listChanged"] is True
    assert seen["toolsAfter"] == ["add_note"]
