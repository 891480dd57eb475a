"""The orchestrator's own start and stop: servers adopted or restarted, all stopped
at the end, and the ones that die by themselves noticed."""

from __future__ import annotations

import asyncio
import time
from typing import TYPE_CHECKING, Any

from .errors import Problem
from .supervisor import Launch

if TYPE_CHECKING:
    from .servers import ServerManager

__all__ = ["restore", "shutdown", "watch"]


async def restore(manager: ServerManager) -> dict[str, str]:
    """Adopt (or else restart) the servers that should be running; what happened, by
    server."""
    outcome: dict[str, str] = {}
    pending: list[tuple[str, dict[str, Any]]] = []
    starting = asyncio.Semaphore(4)
    rows = await asyncio.to_thread(manager.store.list_servers)
    for row in rows:
        key = f"{row['namespace']}/{row['name']}"
        if row["status"] == "generating":  # the orchestrator stopped while creating it
            await asyncio.to_thread(
                manager.store.update_server,
                row["id"],
                status="failed",
                desired="stopped",
                last_error="the orchestrator stopped while generating it; regenerate it",
            )
            continue
        if row["desired"] != "running":
            if row["status"] in ("running", "starting"):
                await asyncio.to_thread(
                    manager.store.update_server, row["id"], status="stopped", pid=None
                )
            continue
        if row.get("pid") and row.get("port"):
            launch = manager.launch_for(row)
            launch = Launch(
                folder=launch.folder,
                log=launch.log,
                host=launch.host,
                port=row["port"],
                admin_port=row.get("admin_port"),
                env=launch.env,
            )
            if await manager.supervisor.adopt(
                row["id"], row["pid"], launch, row.get("started_at") or time.time()
            ):
                outcome[key] = "adopted"
                continue
            await manager.supervisor.stop_pid(row["pid"], launch.entry)
        pending.append((key, row))

    async def restart(key: str, row: dict[str, Any]) -> None:
        async with starting:
            try:
                async with manager.lock(row["id"]):
                    await manager.start_row(row)
                outcome[key] = "restarted"
            except Problem:
                outcome[key] = "failed"

    await asyncio.gather(*(restart(key, row) for key, row in pending))
    return outcome


async def shutdown(manager: ServerManager) -> None:
    """Stop every child by its PID; they stay ``desired: running`` for the next start."""
    await manager.supervisor.stop_all()
    rows = await asyncio.to_thread(manager.store.list_servers)
    for row in rows:
        if row["status"] in ("running", "starting"):
            await asyncio.to_thread(
                manager.store.update_server, row["id"], status="stopped", pid=None
            )
    await manager.client.aclose()
    await manager.supervisor.close()


async def watch(manager: ServerManager, interval: float = 1.0) -> None:
    """Notice children that died by themselves."""
    while True:
        await asyncio.sleep(interval)
        for server_id, child in list(manager.supervisor.children.items()):
            if child.alive():
                continue
            manager.supervisor.children.pop(server_id, None)
            rows = await asyncio.to_thread(manager.store.list_servers)
            row = next((found for found in rows if found["id"] == server_id), None)
            if row is None:
                continue
            tail = manager.log_tail(row, 5)
            await asyncio.to_thread(
                manager.store.update_server,
                server_id,
                status="exited",
                pid=None,
                last_error=f"exited with code {child.exit_code}: " + " | ".join(tail),
            )
            await manager.emit(row["namespace"], "server.stopped", {"server": manager.summary(row)})
