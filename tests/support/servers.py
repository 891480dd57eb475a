"""Run a server as a real subprocess for a test, and always clean it up.

    with ServerProcess([sys.executable, "server.py"], cwd=out, env={}, port=free_port()) as srv:
        httpx.get(srv.url + "/pets")

The process gets ``PORT`` (and ``HOST``) in its environment on top of the
current one; entering the context waits until ``GET /health`` answers 200.
Its stderr is captured to a file, so failures can show what the server said.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import tempfile
import time
from pathlib import Path
from types import TracebackType

import httpx

__all__ = ["ServerFailed", "ServerProcess", "free_port", "run_to_exit"]


def free_port(host: str = "127.0.0.1") -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((host, 0))
        return int(probe.getsockname()[1])


class ServerFailed(AssertionError):
    """The server did not come up (or died); the message carries its stderr."""


class ServerProcess:
    """A server subprocess, ready once ``health_path`` answers 200."""

    def __init__(
        self,
        cmd: list[str],
        cwd: Path,
        env: dict[str, str] | None = None,
        port: int | None = None,
        *,
        host: str = "127.0.0.1",
        health_path: str = "/health",
        start_timeout: float = 20.0,
    ) -> None:
        self.cmd = cmd
        self.cwd = Path(cwd)
        self.port = port if port is not None else free_port(host)
        self.host = host
        self.url = f"http://{host}:{self.port}"
        self.health_path = health_path
        self.start_timeout = start_timeout
        self.env = {**os.environ, **(env or {}), "PORT": str(self.port), "HOST": host}
        self.process: subprocess.Popen[bytes] | None = None
        # Kept open past the context so a test can read them after exit.
        self._stderr = tempfile.TemporaryFile()  # noqa: SIM115
        self._stdout = tempfile.TemporaryFile()  # noqa: SIM115

    # -- lifecycle ---------------------------------------------------------

    def start(self) -> ServerProcess:
        self.process = subprocess.Popen(
            self.cmd, cwd=self.cwd, env=self.env, stdout=self._stdout, stderr=self._stderr
        )
        self.wait_ready()
        return self

    def wait_ready(self) -> None:
        deadline = time.monotonic() + self.start_timeout
        while time.monotonic() < deadline:
            if self.process is not None and self.process.poll() is not None:
                raise ServerFailed(
                    f"server exited with {self.process.returncode} before answering:\n"
                    + self.stderr
                )
            try:
                if httpx.get(self.url + self.health_path, timeout=1.0).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.05)
        self.stop()
        raise ServerFailed(f"server did not answer {self.health_path} in time:\n{self.stderr}")

    def terminate(self, timeout: float = 10.0) -> int:
        """Send SIGTERM and wait; returns the exit code (kills it after ``timeout``)."""
        assert self.process is not None
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        return self.process.returncode

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.terminate(timeout=5.0)

    @property
    def stderr(self) -> str:
        self._stderr.seek(0)
        return self._stderr.read().decode("utf-8", "replace")

    @property
    def stdout(self) -> str:
        self._stdout.seek(0)
        return self._stdout.read().decode("utf-8", "replace")

    def __enter__(self) -> ServerProcess:
        return self.start() if self.process is None else self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()


def run_to_exit(
    cmd: list[str], cwd: Path, env: dict[str, str] | None = None, timeout: float = 20.0
) -> subprocess.CompletedProcess[str]:
    """Run a command expected to exit on its own (e.g. a failing start-up)."""
    return subprocess.run(
        cmd,
        cwd=cwd,
        env={**os.environ, **(env or {})},
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
