"""The IR schemas of MCP content: a prompt's messages, the content blocks a
tool answers (output ``content``), and the requests a tool's mock steps make
of the client (outputs ``sampling`` and ``elicitation``, docs/mcp.md)."""

from __future__ import annotations

from typing import Any

from .validation import config_schema

__all__ = ["CONTENT_BLOCKS", "ELICITATION_REQUEST", "PROMPT_MESSAGES", "SAMPLING_REQUEST"]

_DEFS_REF = "#/$defs/"


def _inlined(schema: Any, defs: dict[str, Any]) -> Any:
    """``schema`` with each ``$ref`` into the config schema's ``$defs`` replaced
    by what it names (the IR's schemas stand alone)."""
    if isinstance(schema, dict):
        ref = schema.get("$ref")
        if isinstance(ref, str) and ref.startswith(_DEFS_REF):
            return _inlined(defs[ref.removeprefix(_DEFS_REF)], defs)
        return {key: _inlined(value, defs) for key, value in schema.items()}
    if isinstance(schema, list):
        return [_inlined(item, defs) for item in schema]
    return schema


def _content_block() -> dict[str, Any]:
    defs: dict[str, Any] = config_schema()["$defs"]
    block: dict[str, Any] = _inlined(defs["contentBlock"], defs)
    return block


_BLOCK = _content_block()

PROMPT_MESSAGES: dict[str, Any] = {
    "type": "array",
    "items": {
        "type": "object",
        "required": ["role", "content"],
        "properties": {"role": {"enum": ["user", "assistant"]}, "content": _BLOCK},
    },
}
CONTENT_BLOCKS: dict[str, Any] = {"type": "array", "items": _BLOCK}
SAMPLING_REQUEST: dict[str, Any] = {
    "description": "The params of sampling/createMessage.",
    "type": "object",
    "required": ["messages", "maxTokens"],
    "properties": {"messages": {"type": "array"}, "maxTokens": {"type": "integer"}},
}
ELICITATION_REQUEST: dict[str, Any] = {
    "description": "The params of elicitation/create: a form (requestedSchema) or a URL.",
    "type": "object",
    "required": ["message"],
    "properties": {"message": {"type": "string"}, "requestedSchema": {"type": "object"}},
}
