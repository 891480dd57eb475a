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
from .client_requests import CLIENT_STEPS
from .outputs import CONTENT, ERROR_RESULT, INTERNAL_ERROR, JSONRPC_ERROR
from .refusals import refused

__all__ = [
    "content_blocks",
    "invalid_arguments",
    "prompt_result",
    "reply_body",
    "resource_result",
    "rpc_error",
    "tool_result",
]

JSON = "application/json"
_PLACEHOLDER = re.compile(r"\{([A-Za-z0-9_]+)\}")
_FILLED_KEYS = frozenset({"text", "uri"})


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
    ``outputSchema`` answered an object; content blocks for the status
    ``content``; else the body as text."""
    body = reply_body(reply)
    status = str(reply.status)
    if status == CONTENT:
        return types.CallToolResult(content=content_blocks(body, reply.source))
    if status in CLIENT_STEPS:
        raise MCPError(
            INTERNAL_ERROR,
            f"{reply.source}: a {status} step is followed by the result: the mock "
            "declares a stream with its steps in responses (docs/mcp.md)",
        )
    is_error = status == ERROR_RESULT
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
    try:
        return types.GetPromptResult(
            description=prompt.binding["description"] or None,
            messages=[
                types.PromptMessage.model_validate(_filled(message, values)) for message in messages
            ],
        )
    except ValueError as exc:
        raise _not_content(reply.source, "prompt messages", exc) from None


def content_blocks(body: Any, source: str) -> list[types.ContentBlock]:
    """A tool's content blocks, as MCP writes them (text, image, audio,
    resource, resource_link)."""
    blocks = body if isinstance(body, list) else [body]
    try:
        return types.CallToolResult.model_validate({"content": blocks}).content
    except ValueError as exc:
        raise _not_content(source, "content blocks", exc) from None


def _not_content(source: str, what: str, exc: ValueError) -> MCPError:
    return MCPError(INTERNAL_ERROR, f"{source} answered what are not {what}: {refused(exc)}")


def _filled(value: Any, values: Mapping[str, str], key: str = "") -> Any:
    """A prompt message with ``{argument}`` replaced in its texts and URIs."""
    if isinstance(value, Mapping):
        return {name: _filled(item, values, name) for name, item in value.items()}
    if isinstance(value, list):
        return [_filled(item, values) for item in value]
    if key in _FILLED_KEYS and isinstance(value, str):
        return fill(value, values)
    return value


def _user_text(text: str) -> dict[str, Any]:
    return {"role": "user", "content": {"type": "text", "text": text}}


def fill(text: str, values: Mapping[str, str]) -> str:
    """``text`` with each ``{name}`` of ``values`` replaced; other braces kept."""
    return _PLACEHOLDER.sub(
        lambda match: str(values[match[1]]) if match[1] in values else match[0], text
    )
