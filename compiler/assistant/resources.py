"""Resources for writing valid input: the mock file format's JSON Schema (from
the runtime that validates mocks, so it is always the one in force), the
schemas of channel and MCP configs, and the documentation pages."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from mcp.server.mcpserver import MCPServer
from mcp.server.mcpserver.resources import FunctionResource, TextResource

import mockc
from mockc.runtime.mocks.schema import schema_text

__all__ = ["DOCS", "register_resources"]

DOCS = Path(mockc.__file__).resolve().parent / "docs"
"""The documentation pages (present in a checkout and an editable install)."""
_MCP_CONFIG_SCHEMA = (
    Path(mockc.__file__).resolve().parent / "compiler/frontends/mcp/config.schema.json"
)


def _title(page: Path) -> str:
    for line in page.read_text(encoding="utf-8").splitlines():
        if line.startswith("# "):
            return line[2:].strip()
    return page.stem


def _reader(path: Path) -> Callable[[], str]:
    def read() -> str:
        return path.read_text(encoding="utf-8")

    return read


def register_resources(server: MCPServer) -> None:
    server.add_resource(
        TextResource(
            uri="mockc://schema/mock",
            name="mock-schema",
            title="JSON Schema of a mock file",
            description="What a mock (mocks/*.yaml|json, or manage_mock_data's 'mock') may hold.",
            mime_type="application/schema+json",
            text=schema_text(),
        )
    )
    schemas = [("mcp-config", _MCP_CONFIG_SCHEMA, "JSON Schema of an MCP server config")]
    schemas.append(("channels", DOCS / "channels.schema.json", "JSON Schema of a channel config"))
    for name, path, title in schemas:
        if path.is_file():
            server.add_resource(
                FunctionResource(
                    uri=f"mockc://schema/{name}",
                    name=f"{name}-schema",
                    title=title,
                    mime_type="application/schema+json",
                    fn=_reader(path),
                )
            )
    if not DOCS.is_dir():
        return
    for page in sorted(DOCS.glob("*.md")):
        server.add_resource(
            FunctionResource(
                uri=f"mockc://docs/{page.stem}",
                name=f"docs-{page.stem}",
                title=_title(page),
                description=f"mockc documentation: docs/{page.name}",
                mime_type="text/markdown",
                fn=_reader(page),
            )
        )
