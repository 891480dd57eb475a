"""The contract entries of WebSocket channel operations, for every target serving them.

The WebSocket target writes them into its own contract; the HTTP target too,
when it serves a document's WebSocket channels beside its routes. The format
is ``mockc.runtime.websocket.channels``': a ``channel`` binding with the
served path, action, path parameters, the subprotocol, whether it replies,
and ``reply_path`` when the reply goes to another channel's sockets.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from mockc.compiler import ir

from .contract import channel_operation_spec, channel_parameter_spec

__all__ = ["WEBSOCKET_PROTOCOLS", "websocket_operation_specs"]

WEBSOCKET_PROTOCOLS = frozenset({"websocket", "ws"})
"""The channel protocols served as WebSocket channels (``ws`` is AsyncAPI's binding name)."""


def websocket_operation_specs(operations: Iterable[ir.Operation]) -> list[dict[str, Any]]:
    """The contract entries of WebSocket channel ``operations``."""
    return [channel_operation_spec(operation, _binding) for operation in operations]


def _binding(binding: ir.Binding) -> dict[str, Any]:
    assert isinstance(binding, ir.ChannelBinding)
    options = binding.options
    return {
        "kind": "channel",
        "protocol": "websocket",
        "path": binding.served_path,
        "action": binding.action,
        "parameters": [channel_parameter_spec(parameter) for parameter in binding.parameters],
        "subprotocol": options.subprotocol if isinstance(options, ir.WebSocketOptions) else "",
        "reply": binding.reply is not None,
        **(
            {"reply_path": binding.reply.channel}
            if binding.reply is not None
            and binding.reply.channel
            and binding.reply.channel != binding.channel
            else {}
        ),
    }
