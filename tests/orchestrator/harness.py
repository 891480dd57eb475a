"""A real orchestrator process for the tests, on a free port, with its own data folder.

    with Orchestrator(tmp_path / "data") as orch:
        client = orch.client(orch.admin_token)
        client.get("/servers")

``stop()`` sends SIGTERM (or another signal) and waits; ``start()`` again on the
same data folder is an orchestrator restart. ``POSTGRES_URL`` names the test
database when the suite runs on PostgreSQL.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from types import TracebackType

import httpx

from tests.support.servers import ServerFailed, free_port

__all__ = ["Orchestrator", "cli", "drop_database", "postgres_url"]

_PG_ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres"


def cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "mockc.compiler.cli", "orchestrator", *args],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, **(env or {})},
    )


def postgres_url(database: str) -> str | None:
    """A fresh database on the local PostgreSQL (dropped and created), or None when
    PostgreSQL cannot be reached."""
    try:
        import psycopg

        with psycopg.connect(_PG_ADMIN, autocommit=True, connect_timeout=3) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
            connection.execute(f'CREATE DATABASE "{database}"')
    except Exception:  # noqa: BLE001 - any failure means: skip with the reason
        return None
    return f"postgresql://postgres@127.0.0.1:5432/{database}"


def drop_database(database: str) -> None:
    import psycopg

    with psycopg.connect(_PG_ADMIN, autocommit=True, connect_timeout=3) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')


class Orchestrator:
    def __init__(
        self,
        data: Path,
        *,
        db: str | None = None,
        spec_root: Path | None = None,
        extra: tuple[str, ...] = (),
    ) -> None:
        self.data = data
        self.db = db
        self.spec_root = spec_root
        self.extra = extra
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen[bytes] | None = None
        self._log = tempfile.NamedTemporaryFile(prefix="orchestrator-", suffix=".log", delete=False)  # noqa: SIM115
        self.admin_token = ""

    @property
    def log(self) -> str:
        return Path(self._log.name).read_text(errors="replace")

    def create_token(self, *args: str) -> str:
        db = ("--db", self.db) if self.db else ()
        done = cli("token", "create", "--data", str(self.data), *db, *args)
        assert done.returncode == 0, done.stderr
        return done.stdout.strip()

    def start(self, timeout: float = 30.0) -> Orchestrator:
        command = [
            sys.executable,
            "-m",
            "mockc.compiler.cli",
            "orchestrator",
            "--port",
            str(self.port),
            "--data",
            str(self.data),
            "--log-level",
            "info",
            *(("--db", self.db) if self.db else ()),
            *(("--spec-root", str(self.spec_root)) if self.spec_root else ()),
            *self.extra,
        ]
        self.process = subprocess.Popen(command, stdout=self._log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise ServerFailed(f"the orchestrator exited:\n{self.log}")
            try:
                if httpx.get(self.url + "/health", timeout=1).status_code == 200:
                    return self
            except httpx.HTTPError:
                pass
            time.sleep(0.05)
        raise ServerFailed(f"the orchestrator did not answer /health:\n{self.log}")

    def stop(self, signum: int = signal.SIGTERM, timeout: float = 30.0) -> int:
        assert self.process is not None
        if self.process.poll() is None:
            self.process.send_signal(signum)
        try:
            return self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
            raise

    def client(self, token: str | None = None, timeout: float = 120.0) -> httpx.Client:
        headers = {"authorization": f"Bearer {token}"} if token else {}
        return httpx.Client(base_url=self.url, headers=headers, timeout=timeout)

    def __enter__(self) -> Orchestrator:
        self.admin_token = self.create_token("--admin")
        return self.start()

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if self.process is not None and self.process.poll() is None:
            self.stop()
