"""``completion/complete`` on a generated MCP server, asked by the official SDK's
client: prompt arguments and resource template variables complete from the
``enum`` and ``examples`` of examples/mcp/notes.mcp.yaml."""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path
from typing import Any

import mcp_types as types
import pytest
from mcp import Client
from mcp.shared.exceptions import MCPError

from mockc.compiler.driver import GenerateOptions, generate
from tests.support.servers import ServerProcess

ROOT = Path(__file__).resolve().parents[3]
CONFIG = ROOT / "examples" / "mcp" / "notes.mcp.yaml"


def test_arguments_and_variables_complete_from_enum_and_examples(tmp_path: Path) -> None:
    out = tmp_path / "notes"
    generate([CONFIG], out, GenerateOptions())
    prompt = types.PromptReference(name="summarise")
    template = types.ResourceTemplateReference(uri="notes://notes/{id}")

    async def run(url: str) -> dict[str, Any]:
        async with Client(url) as client:
            seen: dict[str, Any] = {
                "capable": client.server_capabilities.completions is not None,
                "style": await client.complete(prompt, {"name": "style", "value": "b"}),
                "style_all": await client.complete(prompt, {"name": "style", "value": ""}),
                "id": await client.complete(template, {"name": "id", "value": "n-1"}),
                "nothing": await client.complete(prompt, {"name": "id", "value": ""}),
            }
            with pytest.raises(MCPError) as caught:
                await client.complete(
                    types.PromptReference(name="nope"), {"name": "x", "value": ""}
                )
            seen["unknown"] = caught.value.code
            return seen

    with ServerProcess([sys.executable, "server.py"], out, {"MOCKC_JOURNAL": "off"}) as server:
        seen = asyncio.run(run(f"{server.url}/mcp"))
    assert seen["capable"]
    assert seen["style"].completion.values == ["bullet"]
    assert seen["style_all"].completion.values == ["bullet", "prose"]
    assert seen["style_all"].completion.total == 2
    assert seen["id"].completion.values == ["n-1", "n-10"]
    assert seen["nothing"].completion.values == []
    assert seen["unknown"] == -32602
