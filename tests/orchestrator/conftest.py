"""Fixtures of the orchestrator tests: the databases, and a running orchestrator."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from pathlib import Path

import pytest

from .harness import Orchestrator, drop_database, postgres_url


@pytest.fixture(params=["sqlite", "postgresql"])
def database(request: pytest.FixtureRequest) -> Iterator[str | None]:
    """None (SQLite in the data folder) or a fresh PostgreSQL database of this test."""
    if request.param == "sqlite":
        yield None
        return
    name = "mockc_orch_" + hashlib.sha1(request.node.nodeid.encode()).hexdigest()[:12]
    url = postgres_url(name)
    if url is None:
        pytest.skip("PostgreSQL is not reachable on 127.0.0.1:5432 (user postgres, trust auth)")
    yield url
    drop_database(name)


@pytest.fixture
def orchestrator(tmp_path: Path, database: str | None) -> Iterator[Orchestrator]:
    """An orchestrator on each database, with an admin token in ``admin_token``."""
    with Orchestrator(tmp_path / "data", db=database) as running:
        yield running
