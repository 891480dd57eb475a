"""``mockc mcp``: MCP commands (``mockc mcp snapshot``)."""

from __future__ import annotations

import click

from .mcp_snapshot import snapshot_command

__all__ = ["mcp_group"]


@click.group("mcp")
def mcp_group() -> None:
    """MCP commands: snapshot a live MCP server into a config."""


mcp_group.add_command(snapshot_command)
