"""Pagination of list results (``MOCKC_MCP_PAGE_SIZE``): a page of the list and
the opaque cursor of the next one, as MCP's ``cursor``/``nextCursor``.

A cursor is the offset of the page's first item, base64-encoded with a
prefix so that it reads as opaque; a cursor this server did not make is
answered with the JSON-RPC error ``-32602`` (invalid params), as MCP asks.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Sequence
from typing import TypeVar

from mcp.shared.exceptions import MCPError

__all__ = ["INVALID_PARAMS", "page"]

INVALID_PARAMS = -32602
_PREFIX = "mockc-offset:"
T = TypeVar("T")


def page(items: Sequence[T], cursor: str | None, size: int) -> tuple[list[T], str | None]:
    """The items of the page ``cursor`` names (None: the first) and the next
    page's cursor (None after the last); ``size`` 0: every item at once."""
    start = _offset(cursor) if cursor is not None else 0
    if start > len(items):
        raise MCPError(INVALID_PARAMS, f"Invalid cursor: {cursor}")
    if size <= 0:
        return list(items[start:]), None
    end = start + size
    following = _cursor(end) if end < len(items) else None
    return list(items[start:end]), following


def _cursor(offset: int) -> str:
    return base64.urlsafe_b64encode(f"{_PREFIX}{offset}".encode()).decode("ascii")


def _offset(cursor: str) -> int:
    try:
        text = base64.urlsafe_b64decode(cursor.encode("ascii")).decode("utf-8")
    except (binascii.Error, UnicodeError, ValueError):
        text = ""
    number = text.removeprefix(_PREFIX)
    if not text.startswith(_PREFIX) or not number.isdigit():
        raise MCPError(INVALID_PARAMS, f"Invalid cursor: {cursor}")
    return int(number)
