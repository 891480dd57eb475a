"""The ``server`` fixture: an empty server folder in tmp_path (see mock_kit)."""

from __future__ import annotations

from pathlib import Path

import pytest
from mock_kit import Server


@pytest.fixture
def server(tmp_path: Path) -> Server:
    return Server(tmp_path / "server")
