"""The MCP config front end: a JSON/YAML file of tools, resources, resource
templates and prompts (``docs/mcp.md``, schema ``docs/mcp-config.schema.json``)
read into operations with an ``McpBinding``."""

from .reading import load
from .validation import CONFIG_SCHEMA_FILE, SCHEMA_ID, config_schema

__all__ = ["CONFIG_SCHEMA_FILE", "SCHEMA_ID", "config_schema", "load"]
