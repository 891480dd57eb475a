"""A Mosquitto of a test's own: a free loopback port, its own configuration, a log
that names each client's protocol level. Tests whose topics are fixed (the
corpus's documents) use one, so that test runs at the same time (other
checkouts, CI beside a developer) never see each other's messages.

    broker = Mosquitto(tmp_path)  # skips the test when mosquitto is not installed
    ... f"mqtt://127.0.0.1:{broker.port}" ...
    broker.stop()
"""

from __future__ import annotations

import re
import shutil
import socket
import subprocess
import time
from pathlib import Path

import pytest

from tests.support.servers import free_port

__all__ = ["Mosquitto", "listening"]


def listening(port: int, host: str = "127.0.0.1") -> bool:
    """Whether something accepts TCP connections on ``host:port``."""
    try:
        with socket.create_connection((host, port), timeout=1.0):
            return True
    except OSError:
        return False


class Mosquitto:
    """A Mosquitto on a free loopback port, logging connections to a file."""

    def __init__(self, folder: Path, extra: str = "") -> None:
        """``extra``: configuration lines of the listener (TLS files…)."""
        if shutil.which("mosquitto") is None:
            pytest.skip("the mosquitto binary is not installed")
        self.port = free_port()
        self.url = f"mqtt://127.0.0.1:{self.port}"
        self.log = folder / "mosquitto.log"
        config = folder / "mosquitto.conf"
        # the log on standard error: unbuffered. Run as root, Mosquitto would become
        # the user "mosquitto", who may not read the test's folder: it stays root
        # (as any other user, it stays that user).
        config.write_text(
            f"user root\nlistener {self.port} 127.0.0.1\nallow_anonymous true\n"
            "log_dest stderr\nlog_type all\nconnection_messages true\n" + extra,
            encoding="utf-8",
        )
        with self.log.open("wb") as log:
            self.process = subprocess.Popen(
                ["mosquitto", "-c", str(config)], stdout=log, stderr=subprocess.STDOUT
            )
        deadline = time.monotonic() + 5
        while not listening(self.port):
            assert self.process.poll() is None, "mosquitto stopped at start"
            assert time.monotonic() < deadline, "mosquitto did not start"
            time.sleep(0.05)

    def protocol_levels(self, prefix: str) -> set[str]:
        """The protocol levels (``p2``: 3.1.1, ``p5``: MQTT 5) of the clients whose
        id starts with ``prefix``, from the broker's connection lines."""
        text = self.log.read_text("utf-8", "replace") if self.log.exists() else ""
        return set(re.findall(rf" as {re.escape(prefix)}\S* \((p\d)", text))

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            self.process.wait(5)
