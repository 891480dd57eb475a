"""Pending mocks (``mockc serve SPEC``): written when their operation is first
asked for, or all at once before the admin API reads or changes the mocks; a
mock that cannot be written leaves its operation to the spec's fallback."""

from __future__ import annotations

import json
import logging
from collections.abc import Collection
from pathlib import Path

import pytest
from mock_kit import Server, ask, body_of

from mockc.runtime.mocks import pending


class Written:
    """Pending mocks answering ``{"from": "<operation>"}``; counts what it wrote."""

    def __init__(self, operations: Collection[str], broken: str | None = None) -> None:
        self.operations = list(operations)
        self.broken = broken
        self.written: list[str] = []

    @property
    def operation_ids(self) -> Collection[str]:
        return self.operations

    def write(self, operation_id: str, mocks: Path) -> Path:
        if operation_id == self.broken:
            raise RuntimeError("no fake data for this schema")
        self.written.append(operation_id)
        path = mocks / f"{operation_id}.json"
        document = {
            "id": operation_id,
            "operation": operation_id,
            "response": {"body": {"from": operation_id}},
        }
        path.write_text(json.dumps(document))
        return path


def test_a_mock_is_written_when_its_operation_is_first_asked_for(server: Server) -> None:
    source = Written(["listPets", "showPetById"])
    pending.offer(server.root, source)
    registry = server.registry()
    assert registry.active_mock_count == 2
    assert registry.has_mocks("listPets")
    assert source.written == []
    assert body_of(ask(registry, "listPets")) == {"from": "listPets"}
    assert body_of(ask(registry, "listPets")) == {"from": "listPets"}
    assert source.written == ["listPets"]
    assert sorted(path.name for path in (server.root / "mocks").iterdir()) == ["listPets.json"]
    assert registry.active_mock_count == 2


def test_the_admin_api_sees_every_mock(server: Server) -> None:
    source = Written(["listPets", "showPetById"])
    pending.offer(server.root, source)
    registry = server.registry()
    listed = registry.list_mocks()
    assert [(mock["id"], mock["file"], mock["served"]) for mock in listed] == [
        ("listPets", "mocks/listPets.json", True),
        ("showPetById", "mocks/showPetById.json", True),
    ]
    assert sorted(source.written) == ["listPets", "showPetById"]
    assert registry.active_mock_count == 2
    created = registry.create_mock({"operation": "listPets", "response": {"body": 2}})
    assert created["id"] == "listPets-2"  # the written mock's id is taken


def test_offered_mocks_are_taken_once_and_for_their_folder_only(
    server: Server, tmp_path: Path
) -> None:
    pending.offer(tmp_path / "elsewhere", Written(["listPets"]))
    assert server.registry().active_mock_count == 0
    pending.offer(server.root, Written(["listPets"]))
    assert server.registry().active_mock_count == 1
    assert server.registry().active_mock_count == 0
    assert pending.take(tmp_path / "elsewhere") is not None


def test_a_mock_that_cannot_be_written_leaves_the_fallback_to_answer(
    server: Server, caplog: pytest.LogCaptureFixture
) -> None:
    pending.offer(server.root, Written(["listPets", "showPetById"], broken="listPets"))
    registry = server.registry()
    with caplog.at_level(logging.ERROR, logger="mockc"):
        assert ask(registry, "listPets") is None  # the spec's fallback answers
    assert "the mock of listPets could not be written: no fake data" in caplog.text
    assert ask(registry, "listPets") is None
    assert [mock["id"] for mock in registry.list_mocks()] == ["showPetById"]
    assert registry.active_mock_count == 1
