"""The one error the tools raise: a clear message the assistant reads.

It derives from the SDK's :class:`ToolError`, so a tool call that fails this
way answers ``isError: true`` with the message as its text, and no traceback
is logged or sent.
"""

from __future__ import annotations

import json
from typing import Any

from mcp.server.mcpserver.exceptions import ToolError

__all__ = ["AssistantError", "problem_error"]


class AssistantError(ToolError):
    """A tool could not do what it was asked; the message says why and what to do."""


def problem_error(what: str, status: int, document: Any) -> AssistantError:
    """The error of an API call answered ``status`` with ``document`` (its
    problem+json, passed on unchanged so validation errors reach the caller as
    the API wrote them)."""
    if isinstance(document, dict):
        detail = document.get("detail") or document.get("title") or ""
        body = json.dumps(document, indent=1, ensure_ascii=False, sort_keys=True)
        return AssistantError(f"{what} answered {status}: {detail}\n{body}")
    text = str(document or "").strip()
    return AssistantError(f"{what} answered {status}" + (f": {text[:2000]}" if text else ""))
