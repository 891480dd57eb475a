"""``mockc mcp``: serve mockc's tools to AI assistants over MCP.

A group: with no subcommand it runs the tool server (stdio by default,
``--http`` for streamable HTTP); ``mockc mcp snapshot`` writes a config from
a live MCP server."""

from __future__ import annotations

import asyncio
import os
import sys

import click

from .mcp_snapshot import snapshot_command

__all__ = ["mcp_group"]


@click.group("mcp", invoke_without_command=True)
@click.option("--http", "over_http", is_flag=True, help="Serve streamable HTTP, not stdio.")
@click.option("--host", default="127.0.0.1", show_default=True, help="Interface (--http).")
@click.option("--port", type=int, default=8765, show_default=True, help="Port (--http).")
@click.option(
    "--token",
    envvar="MOCKC_MCP_TOKEN",
    help="Bearer token HTTP clients must send (default $MOCKC_MCP_TOKEN; beyond loopback "
    "one is made and printed when none is given).",
)
@click.pass_context
def mcp_group(ctx: click.Context, over_http: bool, host: str, port: int, token: str | None) -> None:
    """Serve mockc as MCP tools: generate, start, discover and stop mock servers,
    query their logs, change their mocks and scenarios, answer agent batches.

    Register `mockc mcp` as a stdio server in an MCP client (docs/assistants.md).
    """
    if ctx.invoked_subcommand is not None:
        return
    if over_http:
        from mockc.runtime.startup import check_port

        try:
            check_port(host, port)  # before the SDK's imports: a busy port fails at once
        except OSError as error:
            click.echo(f"mockc mcp: {error}", err=True)
            sys.exit(2)
    from ..assistant import AssistantError, build_server, http_token, serve_http, serve_stdio

    try:
        server = build_server()
    except AssistantError as error:
        raise click.UsageError(str(error)) from None
    try:
        if over_http:
            asyncio.run(serve_http(server, host, port, http_token(host, token)))
        else:
            asyncio.run(serve_stdio(server))
    except KeyboardInterrupt:
        pass
    except OSError as error:
        click.echo(f"mockc mcp: {error}", err=True)
        sys.exit(2)
    sys.stdout.flush()
    sys.stderr.flush()
    if over_http:
        os._exit(0)  # granian's native threads may panic while the interpreter finalises


mcp_group.add_command(snapshot_command)
