"""Generated servers as supervised child processes.

A server is started with its own interpreter (the orchestrator's), in its own
session (a terminal's Ctrl-C reaches the orchestrator, which stops the
children itself), its output appended to its log file. It counts as started
once ``GET /health`` answers 200 on its HTTP port (the admin port for gRPC).
Every stop is by PID: SIGTERM, then SIGKILL if it has not gone in time.
Processes left running by an earlier orchestrator are *adopted* when their PID
still runs that server's ``server.py`` and its health check answers.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx

__all__ = ["Child", "Launch", "StartFailed", "Supervisor", "free_port", "tail_lines"]

LOG_TAIL_ON_FAILURE = 30


@dataclass(frozen=True, slots=True)
class Launch:
    folder: Path
    """The generated server's folder (holds server.py)."""
    log: Path
    host: str
    port: int
    admin_port: int | None
    """The admin port of servers whose main port is not HTTP (gRPC); None otherwise."""
    env: dict[str, str]

    @property
    def health_url(self) -> str:
        return f"http://127.0.0.1:{self.admin_port or self.port}/health"

    @property
    def entry(self) -> Path:
        return self.folder / "server.py"


@dataclass(slots=True)
class Child:
    pid: int
    launch: Launch
    started_at: float
    process: subprocess.Popen[bytes] | None = None
    """None for a process adopted from an earlier orchestrator."""
    exit_code: int | None = field(default=None)

    def alive(self) -> bool:
        if self.process is not None:
            code = self.process.poll()
            if code is not None:
                self.exit_code = code
                return False
            return True
        return pid_runs(self.pid, self.launch.entry)


class StartFailed(RuntimeError):
    def __init__(self, message: str, log_tail: list[str]) -> None:
        super().__init__(message)
        self.log_tail = log_tail


def free_port(host: str = "127.0.0.1", preferred: int | None = None) -> int:
    """``preferred`` when it can be bound, else a port the system picks."""
    if preferred:
        with socket.socket() as probe, contextlib.suppress(OSError):
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            probe.bind((host, preferred))
            return preferred
    with socket.socket() as probe:
        probe.bind((host, 0))
        return int(probe.getsockname()[1])


def pid_runs(pid: int, entry: Path) -> bool:
    """Whether ``pid`` is a live (not zombie) process running ``entry``."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
        command = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    except OSError:
        return False
    if "\nState:\tZ" in status:
        return False
    return os.fsencode(str(entry)) in command


def tail_lines(path: Path, count: int) -> list[str]:
    """The last ``count`` lines of a file (read from its end)."""
    try:
        with path.open("rb") as file:
            file.seek(0, os.SEEK_END)
            size = file.tell()
            block = min(size, max(4096, count * 200))
            while True:
                file.seek(size - block)
                data = file.read(block)
                if data.count(b"\n") > count or block == size:
                    break
                block = min(size, block * 2)
    except OSError:
        return []
    lines = data.decode(errors="replace").splitlines()
    return lines[-count:] if count else []


async def healthy(url: str, client: httpx.AsyncClient) -> bool:
    try:
        response = await client.get(url, timeout=1.0)
    except httpx.HTTPError:
        return False
    return response.status_code == 200


class Supervisor:
    """The running children, by server id."""

    def __init__(self, *, start_timeout: float = 60.0, stop_timeout: float = 10.0) -> None:
        self.children: dict[str, Child] = {}
        self.start_timeout = start_timeout
        self.stop_timeout = stop_timeout
        self.client = httpx.AsyncClient(trust_env=False)

    async def close(self) -> None:
        await self.client.aclose()

    async def start(self, server_id: str, launch: Launch) -> Child:
        """Start and wait until healthy; raises :class:`StartFailed` with the log's tail."""
        launch.log.parent.mkdir(parents=True, exist_ok=True)
        with launch.log.open("ab") as log:
            log.write(f"--- mockc orchestrator: starting on port {launch.port}\n".encode())
            log.flush()
            process = subprocess.Popen(
                [sys.executable, str(launch.entry)],
                cwd=launch.folder,
                env=launch.env,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        child = Child(pid=process.pid, launch=launch, started_at=time.time(), process=process)
        self.children[server_id] = child
        deadline = time.monotonic() + self.start_timeout
        while True:
            if not child.alive():
                del self.children[server_id]
                raise StartFailed(
                    f"the server exited with code {child.exit_code} before it was ready",
                    tail_lines(launch.log, LOG_TAIL_ON_FAILURE),
                )
            if await healthy(launch.health_url, self.client):
                return child
            if time.monotonic() > deadline:
                await self.stop(server_id)
                raise StartFailed(
                    f"the server did not answer {launch.health_url} within "
                    f"{self.start_timeout:g} s",
                    tail_lines(launch.log, LOG_TAIL_ON_FAILURE),
                )
            await asyncio.sleep(0.05)

    async def adopt(self, server_id: str, pid: int, launch: Launch, started_at: float) -> bool:
        """Take over a server an earlier orchestrator left running, if it is that server
        and healthy."""
        if not pid_runs(pid, launch.entry) or not await healthy(launch.health_url, self.client):
            return False
        self.children[server_id] = Child(pid=pid, launch=launch, started_at=started_at)
        return True

    async def stop(self, server_id: str) -> int | None:
        """Stop the server's process by its PID; returns its exit code when known."""
        child = self.children.pop(server_id, None)
        if child is None:
            return None
        await asyncio.to_thread(self._terminate, child)
        return child.exit_code

    async def stop_pid(self, pid: int, entry: Path) -> None:
        """Stop a process not (or no longer) supervised, if it still runs ``entry``."""
        if pid_runs(pid, entry):
            launch = Launch(
                folder=entry.parent, log=entry, host="", port=0, admin_port=None, env={}
            )
            await asyncio.to_thread(self._terminate, Child(pid, launch, 0.0))

    async def stop_all(self) -> None:
        await asyncio.gather(*(self.stop(server_id) for server_id in list(self.children)))

    def _terminate(self, child: Child) -> None:
        if not child.alive():
            return
        with contextlib.suppress(ProcessLookupError):
            os.kill(child.pid, signal.SIGTERM)
        deadline = time.monotonic() + self.stop_timeout
        while child.alive() and time.monotonic() < deadline:
            time.sleep(0.02)
        if child.alive():
            with contextlib.suppress(ProcessLookupError):
                os.kill(child.pid, signal.SIGKILL)
            if child.process is not None:
                child.exit_code = child.process.wait()
            else:
                while pid_runs(child.pid, child.launch.entry):
                    time.sleep(0.02)
