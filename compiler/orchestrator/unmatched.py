"""``request.unmatched`` events: requests no mock matched, read from the journals of
the running servers of namespaces that subscribed to them.

Only servers whose namespace has a ``request.unmatched`` webhook are polled
(once a second, newest entries since the last seen id). The event carries what
the request was and its near-miss report, never its headers or body (they may
hold the calling application's credentials).
"""

from __future__ import annotations

import asyncio
from typing import Any

import httpx

from .servers import ServerManager
from .webhooks import WebhookDispatcher

__all__ = ["watch_unmatched"]

_FIELDS = ("id", "time", "method", "target", "operation", "status", "near_miss")


async def watch_unmatched(
    servers: ServerManager, webhooks: WebhookDispatcher, interval: float = 1.0
) -> None:
    last_seen: dict[str, int] = {}
    while True:
        await asyncio.sleep(interval)
        namespaces = await asyncio.to_thread(
            webhooks.store.namespaces_subscribed, "request.unmatched"
        )
        if not namespaces:
            continue
        rows = await asyncio.to_thread(servers.store.list_servers)
        for row in rows:
            if row["namespace"] not in namespaces or row["id"] not in servers.supervisor.children:
                continue
            await _poll(servers, webhooks, row, last_seen, namespaces[row["namespace"]])


async def _poll(
    servers: ServerManager,
    webhooks: WebhookDispatcher,
    row: dict[str, Any],
    last_seen: dict[str, int],
    subscribed_at: float,
) -> None:
    base = servers.admin_base(row)
    if base is None:
        return
    headers = {"authorization": f"Bearer {servers.admin_token(row)}"}
    try:
        answer = await servers.client.get(
            f"{base}/__mockc/journal",
            params={"unmatched": "true", "limit": "100"},
            headers=headers,
            timeout=5.0,
        )
        entries = answer.json().get("entries", []) if answer.status_code == 200 else []
    except (httpx.HTTPError, ValueError, AttributeError):
        return
    previous = last_seen.get(row["id"])
    if previous is None:  # only requests since the subscription are events
        before = [entry.get("id", 0) for entry in entries if entry.get("time", 0) < subscribed_at]
        previous = max(before, default=0)
    newest = max((entry.get("id", 0) for entry in entries), default=0)
    last_seen[row["id"]] = max(newest, previous)
    for entry in sorted(entries, key=lambda found: found.get("id", 0)):
        if entry.get("id", 0) > previous:
            request = {name: entry.get(name) for name in _FIELDS}
            await webhooks.emit(
                row["namespace"],
                "request.unmatched",
                {"server": servers.summary(row), "request": request},
            )
