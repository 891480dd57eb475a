"""MCP's reading of output keys: ``result`` is the success, ``isError`` a tool
result flagged as an error, ``content`` a tool result of content blocks,
``error`` a JSON-RPC error (``sampling`` and ``elicitation`` are steps that
ask the client, :mod:`.client_requests`).

A mock asks for ``isError`` to answer an error result (its body the text), or
for ``error`` to answer a JSON-RPC error (its body ``{"code": …, "message": …,
"data": …}``). Nothing echoes path parameters, and an injected error is a
JSON-RPC internal error.
"""

from __future__ import annotations

from ..engine import KeyedOutputs, Reply

__all__ = ["CONTENT", "ERROR_RESULT", "JSONRPC_ERROR", "OUTPUTS", "SUCCESS", "McpOutputs"]

SUCCESS = "result"
ERROR_RESULT = "isError"
CONTENT = "content"
"""A tool's result given as content blocks (images, sounds, embedded resources…)."""
JSONRPC_ERROR = "error"
INTERNAL_ERROR = -32603


class McpOutputs(KeyedOutputs):
    """Outputs keyed ``result`` and ``isError``; ``error`` is a JSON-RPC error."""

    empty_status = SUCCESS
    success = SUCCESS
    disappears = True
    """``fault: {kind: gone}`` takes a tool, prompt or resource away (``.listing``)."""

    def injected_fault(self, delay_ms: float) -> Reply:
        return Reply(
            status=JSONRPC_ERROR,
            body={"code": INTERNAL_ERROR, "message": "injected error: server-wide error rate"},
            delay_ms=delay_ms,
            source="fault",
        )


OUTPUTS = McpOutputs()
