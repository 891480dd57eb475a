"""Applying a sync snapshot to a real server's mocks: created, replaced, deleted,
scenarios replaced and switched, bad mocks skipped with a problem, files written."""

from __future__ import annotations

from pathlib import Path

import pytest

from mockc.compiler.driver import GenerateOptions, generate
from mockc.runtime.http.server import Settings, build_app
from mockc.runtime.mocks import MockRegistry
from mockc.runtime.sync import apply_snapshot, snapshot_of
from tests.support.corpus import CORPUS

PETSTORE = CORPUS / "openapi/oai-petstore-expanded-v3/petstore-expanded.yaml"


def _registry(folder: Path) -> MockRegistry:
    generate([PETSTORE], folder, GenerateOptions(link_runtime=True))
    app = build_app(folder, Settings())
    return app.service.mocks


@pytest.fixture
def pair(tmp_path: Path) -> tuple[MockRegistry, MockRegistry]:
    return _registry(tmp_path / "central"), _registry(tmp_path / "replica")


def _snapshot(registry: MockRegistry) -> dict[str, object]:
    return snapshot_of(registry.list_mocks(), registry.active_scenario)


def test_a_replica_becomes_what_the_snapshot_holds(
    pair: tuple[MockRegistry, MockRegistry], tmp_path: Path
) -> None:
    central, replica = pair
    assert _snapshot(central) == _snapshot(replica)
    central.replace_mock(
        "findPets",
        {"operation": "findPets", "response": {"status": 200, "body": [{"id": 1, "name": "a"}]}},
    )
    central.create_mock({"id": "extra", "operation": "findPets", "response": {"status": 204}})
    central.delete_mock("deletePet")
    central.create_scenario(
        "quiet", [{"id": "q", "operation": "findPets", "response": {"status": 200, "body": []}}]
    )
    central.activate_scenario("quiet")
    assert apply_snapshot(replica, _snapshot(central)) == []
    assert _snapshot(replica) == _snapshot(central)
    assert (tmp_path / "replica/mocks/extra.yaml").is_file()
    assert not (tmp_path / "replica/mocks/deletePet.yaml").exists()
    assert replica.active_scenario == "quiet"

    central.delete_scenario("quiet")
    assert apply_snapshot(replica, _snapshot(central)) == []
    assert replica.list_scenarios() == [] and replica.active_scenario is None
    assert apply_snapshot(replica, _snapshot(central)) == []  # idempotent


def test_a_mock_the_replica_refuses_is_skipped_and_reported(
    pair: tuple[MockRegistry, MockRegistry],
) -> None:
    _, replica = pair
    snapshot = _snapshot(replica)
    snapshot["mocks"] = [*snapshot["mocks"], {"id": "bad", "operation": "noSuchOperation"}]  # type: ignore[misc]
    problems = apply_snapshot(replica, snapshot)
    assert len(problems) == 1 and "bad" in problems[0]
    assert replica.get_mock("findPets") is not None
