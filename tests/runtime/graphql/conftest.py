"""``shop``: a GraphQL server of the shop schema (fixtures/shop.graphql), in-process;
call it with the mocks to serve (file name → mock document)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.support.graphql_kit import SHOP_SDL, InProcess, Shop, write_server


@pytest.fixture
def shop(tmp_path: Path) -> Iterator[Shop]:
    opened: list[InProcess] = []

    def make(mocks: dict[str, Any] | None = None, **options: Any) -> InProcess:
        folder = write_server(tmp_path / f"shop{len(opened)}", SHOP_SDL, mocks)
        server = InProcess(folder, **options)
        opened.append(server)
        return server

    yield make
    for server in opened:
        server.close()
