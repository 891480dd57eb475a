"""The MCP fields a config lists as given (a tool's ``execution``, ``icons``
and ``_meta``; a resource's ``annotations`` and ``size``; a template's
``annotations``; a prompt's ``icons``), as the SDK's client reads them from a
generated server; a prompt without arguments is listed without them."""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path
from typing import Any

import yaml
from mcp import Client

from mockc.compiler.driver import GenerateOptions, generate
from tests.support.servers import ServerProcess

ICON = {"src": "https://example.com/icon.png", "mimeType": "image/png", "sizes": ["48x48"]}
CONFIG = {
    "mcp": "1",
    "tools": [
        {
            "name": "ping",
            "execution": {"taskSupport": "optional"},
            "icons": [ICON],
            "_meta": {"example.com/owner": "ops"},
            "annotations": {"readOnlyHint": True},
        }
    ],
    "resources": [
        {
            "uri": "docs://guide",
            "name": "guide",
            "text": "Read me.",
            "size": 8,
            "annotations": {"audience": ["user"], "priority": 0.5},
        }
    ],
    "resourceTemplates": [
        {
            "uriTemplate": "docs://pages/{page}",
            "name": "page",
            "text": "Page {page}.",
            "annotations": {"lastModified": "2026-01-01T00:00:00Z"},
        }
    ],
    "prompts": [
        {
            "name": "hello",
            "icons": [ICON],
            "messages": [{"role": "user", "content": {"type": "text", "text": "Hi"}}],
        }
    ],
}


def _dumped(items: list[Any]) -> list[dict[str, Any]]:
    return [item.model_dump(by_alias=True, exclude_none=True, mode="json") for item in items]


def test_fields_listed_as_given(tmp_path: Path) -> None:
    config = tmp_path / "given.mcp.yaml"
    config.write_text(yaml.safe_dump(CONFIG), encoding="utf-8")
    out = tmp_path / "given"
    generate([config], out, GenerateOptions())

    async def run(url: str) -> dict[str, Any]:
        async with Client(url, mode="legacy") as client:
            return {
                "tools": _dumped((await client.list_tools()).tools),
                "resources": _dumped((await client.list_resources()).resources),
                "templates": _dumped((await client.list_resource_templates()).resource_templates),
                "prompts": _dumped((await client.list_prompts()).prompts),
            }

    with ServerProcess([sys.executable, "server.py"], out, {"MOCKC_JOURNAL": "off"}) as server:
        listed = asyncio.run(run(f"{server.url}/mcp"))
    (tool,) = listed["tools"]
    assert (tool["execution"], tool["icons"], tool["_meta"]) == (
        {"taskSupport": "optional"},
        [ICON],
        {"example.com/owner": "ops"},
    )
    assert tool["annotations"] == {"readOnlyHint": True}
    (resource,) = listed["resources"]
    assert (resource["size"], resource["annotations"]) == (
        8,
        {"audience": ["user"], "priority": 0.5},
    )
    (template,) = listed["templates"]
    assert template["annotations"] == {"lastModified": "2026-01-01T00:00:00Z"}
    assert listed["prompts"] == [{"name": "hello", "icons": [ICON]}]
