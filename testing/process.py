"""Run a generated server folder as a subprocess: free ports, a health-gated
start, SIGTERM then kill on stop, and its log kept in a file."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Mapping
from pathlib import Path

import httpx

from .errors import ServerDidNotStart

__all__ = ["ServerProcess", "free_port"]

LOG_TAIL_LINES = 40
"""How many of the server's last log lines a start failure shows."""


def free_port(host: str = "127.0.0.1") -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((host, 0))
        return int(probe.getsockname()[1])


class ServerProcess:
    """``python server.py`` in ``folder``, its output in ``folder/server.log``.

    ``health_url`` must answer 200 before :meth:`start` returns."""

    def __init__(
        self,
        folder: Path,
        env: Mapping[str, str],
        health_url: str,
        *,
        start_timeout: float = 30.0,
    ) -> None:
        self.folder = folder
        self.env = {**os.environ, **env}
        self.health_url = health_url
        self.start_timeout = start_timeout
        self.log_path = folder / "server.log"
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        with self.log_path.open("wb") as log:
            self.process = subprocess.Popen(
                [sys.executable, "server.py"],
                cwd=self.folder,
                env=self.env,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        deadline = time.monotonic() + self.start_timeout
        with httpx.Client(timeout=1.0) as client:
            while time.monotonic() < deadline:
                code = self.process.poll()
                if code is not None:
                    raise ServerDidNotStart(
                        f"the server in {self.folder} exited with code {code} before it "
                        f"answered {self.health_url}:\n{self.log_tail()}"
                    )
                try:
                    if client.get(self.health_url).status_code == 200:
                        return
                except httpx.HTTPError:
                    pass
                time.sleep(0.05)
        self.stop()
        raise ServerDidNotStart(
            f"the server in {self.folder} did not answer {self.health_url} within "
            f"{self.start_timeout:g} s:\n{self.log_tail()}"
        )

    def stop(self, timeout: float = 10.0) -> int | None:
        """SIGTERM, then SIGKILL after ``timeout`` seconds; the exit code."""
        process = self.process
        if process is None:
            return None
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        return process.returncode

    @property
    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def log(self) -> str:
        """Everything the server wrote so far."""
        try:
            return self.log_path.read_text("utf-8", "replace")
        except FileNotFoundError:
            return ""

    def log_tail(self, lines: int = LOG_TAIL_LINES) -> str:
        kept = self.log().splitlines()[-lines:]
        return "\n".join(f"  | {line}" for line in kept) or "  | (the server wrote nothing)"
