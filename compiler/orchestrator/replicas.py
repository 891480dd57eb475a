"""What synced replicas report when they poll: who they are, their snapshot, their
mocks. Kept in memory (replicas report again within a second)."""

from __future__ import annotations

import time
from typing import Any

__all__ = ["Replicas"]

FORGET_AFTER_S = 30.0


class Replicas:
    def __init__(self) -> None:
        self._seen: dict[str, dict[str, dict[str, Any]]] = {}

    def seen(
        self, server_id: str, replica: str, *, mocks: str, problems: str, snapshot: str | None
    ) -> None:
        self._seen.setdefault(server_id, {})[replica] = {
            "id": replica,
            "last_seen": time.time(),
            "active_mocks": int(mocks) if mocks.isdigit() else None,
            "problems": int(problems) if problems.isdigit() else None,
            "snapshot": snapshot,
        }

    def live(self, server_id: str) -> list[dict[str, Any]]:
        """The server's replicas that polled in the last 30 s."""
        seen = self._seen.get(server_id, {})
        now = time.time()
        for replica in [
            key for key, value in seen.items() if now - value["last_seen"] > FORGET_AFTER_S
        ]:
            del seen[replica]
        return sorted(seen.values(), key=lambda replica: replica["id"])

    def forget(self, server_id: str) -> None:
        self._seen.pop(server_id, None)
