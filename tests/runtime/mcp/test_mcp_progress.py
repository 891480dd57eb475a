"""Progress and log notifications of a tool call, from a mock that declares a
``stream`` of steps, heard by the official SDK's client; a list of responses
without ``stream`` stays a sequence (one per call)."""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path
from typing import Any

from mcp import Client

from mockc.compiler.driver import GenerateOptions, generate
from tests.support.servers import ServerProcess

ROOT = Path(__file__).resolve().parents[3]
CONFIG = ROOT / "examples" / "mcp" / "notes.mcp.yaml"
STEPPED = """id: add_slowly
operation: tool_add_note
match:
  body:
    title: slow
stream:
  count: 3
  interval_ms: 20
responses:
  - {status: result, body: Saving the note}
  - {status: result, body: "Indexing {{ request.body.title }}"}
  - {status: result, body: Note added slowly.}
"""
SEQUENCE = """id: add_in_turn
operation: tool_add_note
match:
  body:
    title: turn
responses:
  - {status: result, body: first}
  - {status: result, body: second}
"""


def test_a_stream_of_steps_is_progress_and_log_notifications(tmp_path: Path) -> None:
    out = tmp_path / "notes"
    generate([CONFIG], out, GenerateOptions())
    (out / "mocks" / "add_slowly.yaml").write_text(STEPPED, encoding="utf-8")
    (out / "mocks" / "add_in_turn.yaml").write_text(SEQUENCE, encoding="utf-8")
    progress: list[tuple[float, float | None, str | None]] = []
    logs: list[tuple[str, Any, str | None]] = []

    async def on_progress(done: float, total: float | None, message: str | None) -> None:
        progress.append((done, total, message))

    async def on_log(params: Any) -> None:
        logs.append((params.level, params.data, params.logger))

    async def run(url: str) -> tuple[Any, list[str]]:
        async with Client(url, logging_callback=on_log, log_level="info") as client:
            result = await client.call_tool(
                "add_note", {"title": "slow", "text": "x"}, progress_callback=on_progress
            )
            turns = [
                (await client.call_tool("add_note", {"title": "turn", "text": "x"})).content[0].text
                for _ in range(2)
            ]
            return result, turns

    with ServerProcess([sys.executable, "server.py"], out, {"MOCKC_JOURNAL": "off"}) as server:
        result, turns = asyncio.run(run(f"{server.url}/mcp"))
    assert result.content[0].text == "Note added slowly."
    assert progress == [(1, 2, "Saving the note"), (2, 2, "Indexing slow")]
    assert logs == [
        ("info", "Saving the note", "add_note"),
        ("info", "Indexing slow", "add_note"),
    ]
    assert turns == ["first", "second"]
