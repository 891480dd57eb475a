"""The SDK's low-level server as generated MCP servers use it."""

from __future__ import annotations

import warnings
from typing import Any

from mcp.server.lowlevel import NotificationOptions, Server
from mcp.server.models import InitializationOptions
from mcp.shared.exceptions import MCPDeprecationWarning

__all__ = ["McpServer"]

_CHANGES = NotificationOptions(prompts_changed=True, resources_changed=True, tools_changed=True)


class McpServer(Server[Any]):
    """The SDK's low-level server, advertising ``listChanged`` for tools,
    resources and prompts to clients of the initialize handshake (the lists
    change with the mocks: :mod:`.listing`, :mod:`.notifications`)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        with warnings.catch_warnings():  # logging/setLevel: deprecated by 2026-07-28, served before
            warnings.simplefilter("ignore", MCPDeprecationWarning)
            super().__init__(*args, **kwargs)

    def create_initialization_options(
        self,
        notification_options: NotificationOptions | None = None,
        experimental_capabilities: dict[str, dict[str, Any]] | None = None,
        extensions: dict[str, dict[str, Any]] | None = None,
    ) -> InitializationOptions:
        return super().create_initialization_options(
            notification_options or _CHANGES, experimental_capabilities, extensions
        )
