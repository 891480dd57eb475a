"""The registry of the servers mockc started: one JSON file under the user's
state folder (``$XDG_STATE_HOME/mockc/servers.json``, by default
``~/.local/state/mockc/servers.json``), so that any ``mockc mcp`` process (or
a later one) finds them without scanning ports.

Every change is a read-modify-write under an exclusive ``flock`` of a lock file
beside it, and the new content replaces the old atomically (a temporary file in
the same folder, then ``os.replace``). Entries whose process no longer runs
that server's ``server.py`` are pruned on every read.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from ..orchestrator.supervisor import pid_runs

__all__ = ["Registry", "state_dir"]

FORMAT = 1


def state_dir() -> Path:
    """``$XDG_STATE_HOME/mockc``, or ``~/.local/state/mockc``."""
    base = os.environ.get("XDG_STATE_HOME") or ""
    root = Path(base) if base and Path(base).is_absolute() else Path.home() / ".local" / "state"
    return root / "mockc"


def _alive(entry: dict[str, Any]) -> bool:
    try:
        return pid_runs(int(entry["pid"]), Path(entry["folder"]) / "server.py")
    except (KeyError, TypeError, ValueError):
        return False


class Registry:
    """The running servers, by name."""

    def __init__(self, folder: Path | None = None) -> None:
        self.folder = folder or state_dir()
        self.path = self.folder / "servers.json"
        self.logs = self.folder / "logs"

    def entries(self) -> list[dict[str, Any]]:
        """The servers still running (the others are pruned)."""
        return list(self._update(lambda servers: None).values())

    def get(self, name: str) -> dict[str, Any] | None:
        return self._update(lambda servers: None).get(name)

    def put(self, entry: dict[str, Any]) -> None:
        def change(servers: dict[str, dict[str, Any]]) -> None:
            servers[entry["name"]] = entry

        self._update(change)

    def remove(self, name: str) -> dict[str, Any] | None:
        removed: list[dict[str, Any]] = []

        def change(servers: dict[str, dict[str, Any]]) -> None:
            if name in servers:
                removed.append(servers.pop(name))

        self._update(change)
        return removed[0] if removed else None

    # -- the file --------------------------------------------------------------

    def _update(
        self, change: Callable[[dict[str, dict[str, Any]]], None]
    ) -> dict[str, dict[str, Any]]:
        with self._locked():
            before = self._read()
            servers = {name: entry for name, entry in before.items() if _alive(entry)}
            change(servers)
            if servers != before:
                self._write(servers)
            return servers

    @contextlib.contextmanager
    def _locked(self) -> Iterator[None]:
        self.folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        descriptor = os.open(self.folder / "servers.lock", os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX)
            yield
        finally:
            os.close(descriptor)

    def _read(self) -> dict[str, dict[str, Any]]:
        try:
            document = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}  # missing or damaged: rebuilt from what starts next
        servers = document.get("servers") if isinstance(document, dict) else None
        if not isinstance(servers, dict):
            return {}
        return {
            name: entry
            for name, entry in servers.items()
            if isinstance(name, str) and isinstance(entry, dict)
        }

    def _write(self, servers: dict[str, dict[str, Any]]) -> None:
        text = json.dumps({"format": FORMAT, "servers": servers}, indent=1, sort_keys=True)
        descriptor, temporary = tempfile.mkstemp(prefix=".servers-", dir=self.folder)
        try:
            with os.fdopen(descriptor, "w", encoding="utf-8") as file:
                file.write(text + "\n")
                file.flush()
                os.fsync(file.fileno())
            os.replace(temporary, self.path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(temporary)
            raise
