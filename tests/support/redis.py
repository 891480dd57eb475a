"""The Redis the tests use, or a skip when there is none.

``scripts/test`` makes sure Redis answers before pytest runs: it exports
``MOCKC_REDIS_REQUIRED=1`` when it does (a Redis test then fails rather than
skips if Redis stops answering), or ``MOCKC_NO_REDIS=<reason>`` when it could
not get one (the Redis tests skip with that reason). ``MOCKC_REDIS_URL`` points
at another Redis (default ``redis://127.0.0.1:6379/0``).

    def test_something() -> None:
        url = redis_url()          # skips the test when there is no Redis
        store = RedisStore(url, unique_namespace())
"""

from __future__ import annotations

import functools
import os
import shutil
import subprocess
import tempfile
import time
import uuid
from pathlib import Path
from types import TracebackType

import pytest
import redis

__all__ = [
    "DEFAULT_REDIS_URL",
    "RedisServer",
    "raw_client",
    "redis_url",
    "unique_namespace",
]

DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/0"


@functools.cache
def _problem(url: str) -> str | None:
    """Why Redis at ``url`` does not answer PING, or None when it does."""
    client = redis.Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2)
    try:
        client.ping()
    except redis.RedisError as error:
        return " ".join(str(error).split()) or type(error).__name__
    finally:
        client.close()
    return None


def redis_url() -> str:
    """The URL of the Redis the tests may use; skips the calling test when there
    is none (fails instead when ``scripts/test`` found one that then went away)."""
    missing = os.environ.get("MOCKC_NO_REDIS", "")
    if missing:
        pytest.skip(missing if missing != "1" else "Redis is not available (MOCKC_NO_REDIS is set)")
    url = os.environ.get("MOCKC_REDIS_URL") or DEFAULT_REDIS_URL
    problem = _problem(url)
    if problem is not None:
        message = f"Redis does not answer at {url}: {problem}"
        if os.environ.get("MOCKC_REDIS_REQUIRED") == "1":
            pytest.fail(message)
        pytest.skip(f"{message} (scripts/test starts one)")
    return url


def unique_namespace(label: str = "test") -> str:
    """A state namespace no other test (or test run) uses."""
    return f"{label}-{uuid.uuid4().hex}"


def raw_client(url: str) -> redis.Redis:
    """A plain client on ``url``, replies decoded, for looking behind a store's back."""
    return redis.Redis.from_url(url, decode_responses=True, socket_timeout=5)


class RedisServer:
    """A private, throw-away ``redis-server`` on ``port`` (no persistence, plus any
    ``options`` such as ``"--requirepass", "pw"``), which a test may stop and start
    again. Skips the test when ``redis-server`` is missing.

        with RedisServer(free_port()) as server:
            store = RedisStore(server.url, "ns")
            server.stop()
    """

    def __init__(self, port: int, *options: str) -> None:
        binary = shutil.which("redis-server")
        if binary is None:
            pytest.skip("redis-server is not installed")
        self.binary = binary
        self.port = port
        self.options = options
        self.url = f"redis://127.0.0.1:{port}/0"
        self.process: subprocess.Popen[bytes] | None = None
        self._directory = Path(tempfile.mkdtemp(prefix="mockc-redis-"))

    def start(self, timeout: float = 10.0) -> None:
        self.process = subprocess.Popen(
            [
                self.binary,
                "--bind",
                "127.0.0.1",
                "--port",
                str(self.port),
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self._directory),
                *self.options,
            ],  # fmt: skip
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + timeout
        client = redis.Redis.from_url(self.url, socket_timeout=1, socket_connect_timeout=1)
        try:
            while True:
                try:
                    client.ping()
                    return
                except redis.AuthenticationError:
                    return  # it answers; the test holds the password
                except redis.RedisError as error:
                    if self.process.poll() is not None or time.monotonic() > deadline:
                        self.stop()
                        message = f"redis-server did not start on port {self.port}"
                        raise RuntimeError(message) from error
                    time.sleep(0.05)
        finally:
            client.close()

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
            self.process = None

    def __enter__(self) -> RedisServer:
        try:
            self.start()
        except BaseException:
            shutil.rmtree(self._directory, ignore_errors=True)
            raise
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()
        shutil.rmtree(self._directory, ignore_errors=True)
