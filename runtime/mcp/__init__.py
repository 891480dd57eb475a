"""The MCP protocol's runtime adapter: tools, resources and prompts served over
streamable HTTP or stdio on the official MCP SDK (vendored as ``mockc_runtime/mcp``)."""
