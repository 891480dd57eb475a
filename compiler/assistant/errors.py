"""The one error the tools raise: a clear message the assistant reads.

It derives from the SDK's :class:`ToolError`, so a tool call that fails this
way answers ``isError: true`` with the message as its text, and no traceback
is logged or sent.
"""

from __future__ import annotations

import functools
import json
import logging
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from mcp.server.mcpserver.exceptions import ToolError

__all__ = ["AssistantError", "problem_error", "reported"]

log = logging.getLogger("mockc.assistant")
T = TypeVar("T")


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


def reported(tool: Callable[..., Awaitable[T]]) -> Callable[..., Awaitable[T]]:
    """``tool`` whose unexpected failures (bugs of mockc) also reach the caller as
    a clear message, as the command reports them, not as the SDK's bare
    "Error executing tool"; the traceback goes to the log at debug level only."""

    @functools.wraps(tool)
    async def wrapper(*args: Any, **kwargs: Any) -> T:
        try:
            return await tool(*args, **kwargs)
        except AssistantError:
            raise
        except Exception as error:  # noqa: BLE001 - the last line of defence
            log.debug("internal error in %s", tool.__name__, exc_info=True)
            raise AssistantError(
                f"internal error of mockc: {type(error).__name__}: {error}; "
                "this is a bug in mockc, please report it"
            ) from None

    return wrapper
