"""The MCP server of ``mockc mcp``: every tool group and the resources on the
SDK's :class:`MCPServer`."""

from __future__ import annotations

from mcp.server.mcpserver import MCPServer

from mockc import __version__

from .agent import AgentTools
from .context import ToolContext
from .data import DataTools
from .errors import reported
from .generation import generate_mock_server
from .logs import LogTools
from .resources import register_resources
from .servers import ServerTools

__all__ = ["INSTRUCTIONS", "build_server"]

INSTRUCTIONS = """\
mockc compiles API contracts (OpenAPI, .proto, GraphQL, WSDL, AsyncAPI, channel
and MCP configs) into mock servers. Typical flow: generate_mock_server (specs →
folder), start_mock_server (folder → running server with a URL), send requests,
query_mock_logs (what was called, what matched, why not), manage_mock_data
(change mocks and scenarios), stop_mock_server. Mocks follow the JSON Schema in
the resource mockc://schema/mock; docs are under mockc://docs/."""


def build_server(context: ToolContext | None = None) -> MCPServer:
    context = context or ToolContext.create()
    server: MCPServer = MCPServer(
        "mockc",
        title="mockc",
        version=__version__,
        instructions=INSTRUCTIONS,
        log_level="WARNING",
    )
    servers = ServerTools(context)
    logs = LogTools(context)
    data = DataTools(context)
    agent = AgentTools(context)
    for tool in (
        generate_mock_server,
        servers.start_mock_server,
        servers.stop_mock_server,
        servers.discover_mock_servers,
        logs.query_mock_logs,
        data.manage_mock_data,
        agent.get_status,
        agent.list_runs,
        agent.claim_next_batch,
        agent.get_batch,
        agent.provide_batch_mock_data,
        agent.release_batch,
    ):
        server.add_tool(reported(tool))
    register_resources(server)
    return server
