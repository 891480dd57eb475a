"""MCP target: an MCP config's tools, resources and prompts served over
streamable HTTP and stdio by a standalone server on the official MCP SDK."""

from .generator import McpOptions, generate

__all__ = ["McpOptions", "generate"]
