"""Fixtures of the orchestrator tests: a running orchestrator, and the databases."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from .harness import Orchestrator, postgres_url


@pytest.fixture(params=["sqlite", "postgresql"])
def database(request: pytest.FixtureRequest, tmp_path: Path) -> str | None:
    """None (SQLite in the data folder) or a fresh PostgreSQL database."""
    if request.param == "sqlite":
        return None
    url = postgres_url(
        f"mockc_orch_{request.node.name[-20:].lower()}".replace("[", "_")
        .replace("]", "")
        .replace("-", "_")
    )
    if url is None:
        pytest.skip("PostgreSQL is not reachable on 127.0.0.1:5432 (user postgres, trust auth)")
    return url


@pytest.fixture
def orchestrator(tmp_path: Path) -> Iterator[Orchestrator]:
    with Orchestrator(tmp_path / "data") as running:
        yield running
