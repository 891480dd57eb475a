"""Calls to a managed server's admin API, on behalf of a caller of the orchestrator.

The orchestrator holds each server's admin token; callers never see it. The
path under ``/__mockc/`` is checked (no ``..``, no encoded separators) and the
answer is passed back as the server gave it.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import unquote

import httpx

from .errors import Conflict, Problem
from .http import Reply
from .servers import ServerManager

__all__ = ["check_admin_path", "forward"]

_SEGMENT = re.compile(r"^[A-Za-z0-9_.~:@!$&'()*+,;=%-]+$")
_PASSED_HEADERS = ("content-type", "accept")


def check_admin_path(path: str) -> str:
    """The part after ``/admin/``: plain segments, nothing that climbs."""
    decoded = path
    for _ in range(3):
        decoded = unquote(decoded)
    if (
        not path
        or ".." in decoded
        or "\\" in decoded
        or "//" in decoded
        or decoded.startswith("/")
        or any(ord(char) < 32 for char in decoded)
        or not all(_SEGMENT.fullmatch(segment) for segment in path.split("/"))
    ):
        raise Problem(400, f"admin path {path!r} is not valid")
    return path


async def forward(
    servers: ServerManager,
    row: dict[str, Any],
    method: str,
    path: str,
    *,
    query: str = "",
    body: bytes = b"",
    headers: dict[str, str] | None = None,
) -> Reply:
    base = servers.admin_base(row)
    if base is None:
        raise Conflict(
            f"server {row['name']!r} is not running (status {row['status']!r}); start it first"
        )
    sent = {name: value for name, value in (headers or {}).items() if name in _PASSED_HEADERS}
    sent["authorization"] = f"Bearer {servers.admin_token(row)}"
    url = f"{base}/__mockc/{path}" + (f"?{query}" if query else "")
    try:
        response = await servers.client.request(method, url, content=body, headers=sent)
    except httpx.HTTPError as error:
        raise Problem(
            502, f"server {row['name']!r} did not answer its admin API: {type(error).__name__}"
        ) from None
    media_type = response.headers.get("content-type", "application/json")
    if response.status_code == 204:
        return Reply(status=204)
    return Reply(status=response.status_code, raw=response.content, media_type=media_type)
