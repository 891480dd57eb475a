"""A Mosquitto of a test's own: a free loopback port, its own configuration, a log
that names each client's protocol level."""

from __future__ import annotations

import re
import shutil
import subprocess
import time
from pathlib import Path

import pytest

from mockc.testing.process import free_port
from tests.targets.mqtt.test_mqtt_service import _broker_up


class Mosquitto:
    """A Mosquitto on a free loopback port, logging connections to a file."""

    def __init__(self, folder: Path, extra: str = "") -> None:
        """``extra``: configuration lines of the listener (TLS files…)."""
        if shutil.which("mosquitto") is None:
            pytest.skip("the mosquitto binary is not installed")
        self.port = free_port()
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
        while not _broker_up(("127.0.0.1", self.port)):
            assert self.process.poll() is None, "mosquitto stopped at start"
            assert time.monotonic() < deadline, "mosquitto did not start"
            time.sleep(0.05)

    def protocol_levels(self, prefix: str) -> set[str]:
        """The protocol levels (``p2``: 3.1.1, ``p5``: MQTT 5) of the clients whose
        id starts with ``prefix``, from the broker's connection lines."""
        text = self.log.read_text("utf-8", "replace") if self.log.exists() else ""
        return set(re.findall(rf" as {re.escape(prefix)}\S* \((p\d)", text))

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(5)
