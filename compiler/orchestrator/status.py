"""What the API shows of a server: its record, its process, its health and counts."""

from __future__ import annotations

import asyncio
import time
from typing import TYPE_CHECKING, Any

import httpx

if TYPE_CHECKING:
    from .servers import ServerManager

__all__ = ["describe"]


async def describe(
    manager: ServerManager, row: dict[str, Any], *, detail: bool = False
) -> dict[str, Any]:
    child = manager.supervisor.children.get(row["id"])
    running = child is not None and child.alive()
    now = time.time()
    port = child.launch.port if child else row.get("port")
    admin_port = child.launch.admin_port if child else row.get("admin_port")
    document: dict[str, Any] = {
        "name": row["name"],
        "namespace": row["namespace"],
        "protocol": row["protocol"],
        "status": row["status"],
        "desired": row["desired"],
        "pid": child.pid if running and child else None,
        "host": manager.host,
        "port": port,
        "admin_port": admin_port,
        "url": f"http://{manager.host}:{port}" if port else None,
        "admin_url": (f"http://{manager.host}:{admin_port or port}/__mockc/" if port else None),
        "started_at": row.get("started_at") if running else None,
        "uptime": round(now - child.started_at, 3) if running and child else None,
        "health": None,
        "spec_files": row["spec_files"]["files"] or row["spec_files"]["paths"],
        "options": row["options"],
        "created_at": row["created_at"],
        "last_error": row.get("last_error"),
        "replicas": manager.replicas.live(row["id"]),
    }
    if running and child is not None:
        base = manager.admin_base(row)
        headers = {"authorization": f"Bearer {manager.admin_token(row)}"}
        try:
            health = await manager.client.get(f"{base}/health", timeout=2.0)
            document["health"] = "ok" if health.status_code == 200 else "failing"
        except httpx.HTTPError:
            document["health"] = "unreachable"
        if detail and document["health"] == "ok":
            document.update(await _counts(manager.client, base, headers))
    return document


async def _counts(
    client: httpx.AsyncClient, base: str | None, headers: dict[str, str]
) -> dict[str, Any]:
    try:
        info, journal = await asyncio.gather(
            client.get(f"{base}/__mockc/info", headers=headers),
            client.get(f"{base}/__mockc/journal?limit=1", headers=headers),
        )
        info_document = info.json()
        total = journal.json().get("total", 0)
    except (httpx.HTTPError, ValueError, AttributeError):
        return {}
    return {
        "operations": info_document.get("operations", []),
        "counts": {
            "operations": len(info_document.get("operations", [])),
            "active_mocks": info_document.get("active_mocks", 0),
            "mock_problems": len(info_document.get("mock_problems", [])),
            "requests": total,
        },
        "active_scenario": info_document.get("active_scenario"),
    }
