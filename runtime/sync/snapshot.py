"""A server's mocks and scenarios as one document, and applying one to a registry."""

from __future__ import annotations

from typing import Any

from ..mocks import MockError, MockRegistry

__all__ = ["apply_snapshot", "snapshot_of"]

_LISTING_FIELDS = ("file", "scenario", "served", "problems")


def _plain(listing: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in listing.items() if key not in _LISTING_FIELDS}


def snapshot_of(mocks: list[dict[str, Any]], active: str | None) -> dict[str, Any]:
    """``{"mocks": [...], "scenarios": {name: [...]}, "active_scenario"}`` from the
    admin API's mock listing (each with its ``scenario``)."""
    base: list[dict[str, Any]] = []
    scenarios: dict[str, list[dict[str, Any]]] = {}
    for listing in mocks:
        scenario = listing.get("scenario")
        if scenario is None:
            base.append(_plain(listing))
        else:
            scenarios.setdefault(scenario, []).append(_plain(listing))
    return {"mocks": base, "scenarios": scenarios, "active_scenario": active}


def apply_snapshot(registry: MockRegistry, snapshot: dict[str, Any]) -> list[str]:
    """Make ``registry`` hold what ``snapshot`` holds; returns the problems met (a
    mock this server refuses is skipped, the others applied)."""
    problems: list[str] = []
    current = snapshot_of(registry.list_mocks(), registry.active_scenario)
    wanted = {mock["id"]: mock for mock in snapshot.get("mocks", []) if "id" in mock}
    have = {mock["id"]: mock for mock in current["mocks"]}
    for mock_id in have.keys() - wanted.keys():
        registry.delete_mock(mock_id)
    for mock_id, mock in wanted.items():
        try:
            if mock_id not in have:
                registry.create_mock(mock)
            elif have[mock_id] != mock:
                registry.replace_mock(mock_id, mock)
        except (MockError, KeyError) as error:
            problems.append(f"mock {mock_id!r}: {error}")
    scenarios = snapshot.get("scenarios", {})
    for name, mocks in scenarios.items():
        if current["scenarios"].get(name) == mocks:
            continue
        if name in current["scenarios"]:
            registry.delete_scenario(name)
        try:
            registry.create_scenario(name, mocks)
        except MockError as error:
            problems.append(f"scenario {name!r}: {error}")
    for name in current["scenarios"].keys() - scenarios.keys():
        registry.delete_scenario(name)
    active = snapshot.get("active_scenario")
    if active != registry.active_scenario:
        try:
            registry.activate_scenario(active)
        except KeyError:
            problems.append(f"scenario {active!r} is not in the snapshot")
    return problems
