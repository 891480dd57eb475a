"""``mockc mcp snapshot``: a live MCP server's listings as an MCP config."""

from __future__ import annotations

import asyncio
from pathlib import Path

import click

from ..mcp_snapshot import SnapshotError, SnapshotSource, config_text, take_snapshot
from .errors import reporting_errors

__all__ = ["snapshot_command"]


@click.command("snapshot")
@click.argument("url", required=False)
@click.option(
    "--stdio",
    "command_line",
    metavar="CMD",
    help="Start CMD (a command line) and speak MCP over its stdin/stdout instead of a URL.",
)
@click.option(
    "--cwd",
    type=click.Path(file_okay=False, exists=True, path_type=Path),
    help="The folder --stdio's command runs in.",
)
@click.option(
    "-H",
    "--header",
    "headers",
    multiple=True,
    metavar="'NAME: VALUE'",
    help="An HTTP header sent with every request (Authorization: Bearer …); repeatable.",
)
@click.option(
    "--record",
    is_flag=True,
    help="Also record answers: call read-only tools that need no argument, read "
    "resources, get prompts (with {argument} placeholders).",
)
@click.option(
    "--timeout",
    type=click.FloatRange(min=0.1),
    default=60.0,
    show_default=True,
    help="Seconds the whole snapshot may take.",
)
@click.option(
    "-o",
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    required=True,
    help="The MCP config to write (config.mcp.yaml).",
)
@reporting_errors
def snapshot_command(
    url: str | None,
    command_line: str | None,
    cwd: Path | None,
    headers: tuple[str, ...],
    record: bool,
    timeout: float,
    out: Path,
) -> None:
    """Write the tools, resources, resource templates and prompts of a live MCP
    server (streamable HTTP at URL, or --stdio CMD) as an MCP config that
    `mockc generate` makes a mock server of."""
    if (url is None) == (command_line is None):
        raise click.UsageError("give the server's URL or --stdio CMD (one of them)")
    if url is not None:
        source = SnapshotSource(url=url, headers=_headers(headers))
    else:
        assert command_line is not None
        source = SnapshotSource.stdio(command_line, cwd=cwd)
    config = asyncio.run(take_snapshot(source, record=record, timeout=timeout))
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(config_text(config, source=source.describe()), encoding="utf-8")
    counts = ", ".join(
        f"{len(config.get(key, []))} {label}"
        for key, label in (
            ("tools", "tools"),
            ("resources", "resources"),
            ("resourceTemplates", "resource templates"),
            ("prompts", "prompts"),
        )
    )
    click.echo(f"mockc: {out}: {counts}", err=True)


def _headers(given: tuple[str, ...]) -> dict[str, str]:
    headers = {}
    for header in given:
        name, colon, value = header.partition(":")
        if not colon or not name.strip():
            raise SnapshotError(f"--header {header!r}: expected 'Name: value'")
        headers[name.strip()] = value.strip()
    return headers
