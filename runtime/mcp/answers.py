"""An engine reply in MCP's terms: a tool result, a resource's contents, a
prompt's messages, or a JSON-RPC error (:class:`McpError` carries it to the SDK)."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

import mcp_types as types
from mcp.shared.exceptions import MCPError

from ..engine import Reply
from .catalog import McpOperation
from .outputs import ERROR_RESULT, INTERNAL_ERROR, JSONRPC_ERROR

__all__ = [
    "invalid_arguments",
    "prompt_result",
    "reply_body",
    "resource_result",
    "rpc_error",
    "tool_result",
]

JSON = "application/json"
_PLACEHOLDER = re.compile(r"\{([A-Za-z0-9_]+)\}")


def reply_body(reply: Reply) -> Any:
    """The reply's body as data (decoded when the engine answered encoded bytes)."""
    if reply.body is not None or reply.content is None:
        return reply.body
    text = reply.content.decode("utf-8")
    if reply.media_type and "json" in reply.media_type:
        return json.loads(text)
    return text


def rpc_error(reply: Reply) -> MCPError | None:
    """The JSON-RPC error a reply asks for (status ``error``), else None."""
    if str(reply.status) != JSONRPC_ERROR:
        return None
    body = reply_body(reply)
    if not isinstance(body, Mapping):
        return MCPError(INTERNAL_ERROR, str(body) if body is not None else "error")
    return MCPError(
        int(body.get("code", INTERNAL_ERROR)), str(body.get("message", "error")), body.get("data")
    )


def _text(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


def tool_result(tool: McpOperation, reply: Reply) -> types.CallToolResult:
    """Structured content and its text rendering for a tool with an
    ``outputSchema`` answered an object; else the body as text."""
    body = reply_body(reply)
    is_error = str(reply.status) == ERROR_RESULT
    text = types.TextContent(type="text", text=_text(body if body is not None else ""))
    structured = (
        dict(body)
        if not is_error and isinstance(body, Mapping) and tool.result_media_type == JSON
        else None
    )
    return types.CallToolResult(content=[text], structured_content=structured, is_error=is_error)


def invalid_arguments(problems: list[str]) -> types.CallToolResult:
    """The error result of a call whose arguments break the tool's ``inputSchema``."""
    text = "Invalid arguments: " + "; ".join(problems)
    return types.CallToolResult(content=[types.TextContent(type="text", text=text)], is_error=True)


def resource_result(
    resource: McpOperation, uri: str, variables: Mapping[str, str], reply: Reply
) -> types.ReadResourceResult:
    """The resource's contents: a base64 blob, or text (a template's text with
    ``{variable}`` replaced by the URI's values)."""
    body = reply_body(reply)
    mime_type = resource.binding["mime_type"] or None
    if resource.blob:
        blob = types.BlobResourceContents(uri=uri, mime_type=mime_type, blob=str(body))
        return types.ReadResourceResult(contents=[blob])
    text = _text(body if body is not None else "")
    if variables:
        text = fill(text, variables)
    contents = types.TextResourceContents(uri=uri, mime_type=mime_type, text=text)
    return types.ReadResourceResult(contents=[contents])


def prompt_result(
    prompt: McpOperation, arguments: Mapping[str, str], reply: Reply
) -> types.GetPromptResult:
    """The prompt's messages, ``{argument}`` replaced by the arguments' values
    (an optional argument not given by "")."""
    values = {argument["name"]: "" for argument in prompt.binding["arguments"]}
    values.update(arguments)
    body = reply_body(reply)
    messages = body if isinstance(body, list) else [_user_text(_text(body))]
    return types.GetPromptResult(
        description=prompt.binding["description"] or None,
        messages=[
            types.PromptMessage(
                role=message["role"],
                content=types.TextContent(
                    type="text", text=fill(str(message["content"]["text"]), values)
                ),
            )
            for message in messages
        ],
    )


def _user_text(text: str) -> dict[str, Any]:
    return {"role": "user", "content": {"type": "text", "text": text}}


def fill(text: str, values: Mapping[str, str]) -> str:
    """``text`` with each ``{name}`` of ``values`` replaced; other braces kept."""
    return _PLACEHOLDER.sub(
        lambda match: str(values[match[1]]) if match[1] in values else match[0], text
    )
