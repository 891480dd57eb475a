"""The registry's admin operations and scenarios: files on disk, effect on respond()."""

from __future__ import annotations

import json
import threading
from pathlib import Path

import pytest
import yaml
from mock_kit import Server, ask, body_of

from mockc.runtime.mocks import MockError


def test_create_writes_a_yaml_file_that_answers_the_next_request(server: Server) -> None:
    registry = server.registry()
    assert ask(registry, "showPetById", path={"petId": 42}) is None
    created = registry.create_mock(
        {
            "id": "live",
            "operation": "showPetById",
            "match": {"path": {"petId": 42}},
            "response": {"body": {"id": 42, "name": "live"}},
        }
    )
    assert created["file"] == "mocks/live.yaml"
    assert (created["served"], created["scenario"]) == (True, None)
    path = server.root / "mocks" / "live.yaml"
    assert yaml.safe_load(path.read_text()) == {
        "id": "live",
        "operation": "showPetById",
        "match": {"path": {"petId": 42}},
        "response": {"body": {"id": 42, "name": "live"}},
    }
    assert body_of(ask(registry, "showPetById", path={"petId": 42})) == {"id": 42, "name": "live"}
    assert registry.active_mock_count == 1
    # A new registry over the same folder reads the written file.
    assert body_of(ask(server.registry(), "showPetById", path={"petId": 42}))["name"] == "live"


def test_create_without_id_takes_a_free_one_and_refuses_duplicates(server: Server) -> None:
    registry = server.registry()
    first = registry.create_mock({"operation": "listPets", "response": {"body": 1}})
    second = registry.create_mock({"operation": "listPets", "response": {"body": 2}})
    assert (first["id"], second["id"]) == ("listPets", "listPets-2")
    with pytest.raises(MockError) as raised:
        registry.create_mock({"id": "listPets", "operation": "listPets", "response": {}})
    assert "duplicate id 'listPets'" in str(raised.value)
    assert sorted(p.name for p in (server.root / "mocks").iterdir()) == [
        "listPets-2.yaml",
        "listPets.yaml",
    ]


def test_invalid_documents_are_refused_with_every_problem_and_nothing_written(
    server: Server,
) -> None:
    registry = server.registry()
    with pytest.raises(MockError) as raised:
        registry.create_mock(
            {"id": "bad", "operation": "nope", "match": {"when": "request.path.("}}
        )
    messages = [problem.message for problem in raised.value.problems]
    assert "the mock needs one of 'response', 'responses', 'crud' or 'source'" in messages
    assert "unknown operation 'nope' (mockc inspect SPEC lists them)" in messages
    assert any("expected a name" in message for message in messages)
    assert raised.value.file == "mocks/bad.yaml"
    with pytest.raises(MockError):
        registry.create_mock({"id": "../../escape", "operation": "listPets", "response": {}})
    assert list((server.root / "mocks").iterdir()) == []
    assert not (server.root.parent / "escape.yaml").exists()


def test_get_edit_put_round_trip_keeps_the_file_and_its_format(server: Server) -> None:
    server.mock(
        "pet.json", json.dumps({"operation": "showPetById", "response": {"body": {"n": 1}}})
    )
    registry = server.registry()
    document = registry.get_mock("pet")
    assert document is not None and document["file"] == "mocks/pet.json"
    document["response"]["body"]["n"] = 2
    replaced = registry.replace_mock("pet", document)
    assert replaced["response"]["body"] == {"n": 2}
    on_disk = json.loads((server.root / "mocks" / "pet.json").read_text())
    assert on_disk == {"id": "pet", "operation": "showPetById", "response": {"body": {"n": 2}}}
    assert body_of(ask(registry, "showPetById")) == {"n": 2}


def test_replace_can_rename_but_not_onto_a_taken_id(server: Server) -> None:
    server.mock("a.yaml", "operation: listPets\nresponse: {body: a}\n")
    server.mock("b.yaml", "operation: listPets\nresponse: {body: b}\n")
    registry = server.registry()
    with pytest.raises(MockError, match="duplicate id 'b'"):
        registry.replace_mock("a", {"id": "b", "operation": "listPets", "response": {}})
    renamed = registry.replace_mock("a", {"id": "c", "operation": "listPets", "response": {}})
    assert renamed["file"] == "mocks/a.yaml"
    assert registry.get_mock("c") is not None and registry.get_mock("a") is None
    with pytest.raises(KeyError):
        registry.replace_mock("nope", {"operation": "listPets", "response": {}})
    with pytest.raises(MockError):
        registry.replace_mock("c", {"operation": "listPets", "response": {"status": "x y"}})
    assert "id: c" in (server.root / "mocks" / "a.yaml").read_text()


def test_a_broken_file_can_be_fixed_through_replace(server: Server) -> None:
    server.mock("broken.yaml", "operation: listPets\nresponse: [\n")
    registry = server.registry()
    assert registry.get_mock("broken")["problems"]  # type: ignore[index]
    fixed = registry.replace_mock("broken", {"operation": "listPets", "response": {"body": 1}})
    assert "problems" not in fixed
    assert body_of(ask(registry, "listPets")) == 1


def test_delete_removes_the_file_and_the_answer(server: Server) -> None:
    server.mock("pets.yaml", "operation: listPets\nresponse: {body: [1]}\n")
    registry = server.registry()
    assert ask(registry, "listPets") is not None
    assert registry.delete_mock("pets") is True
    assert not (server.root / "mocks" / "pets.yaml").exists()
    assert ask(registry, "listPets") is None
    assert registry.delete_mock("pets") is False
    assert registry.active_mock_count == 0


def test_list_mocks_by_operation(server: Server) -> None:
    server.mock("a.yaml", "operation: listPets\nresponse: {}\n")
    server.mock("b.yaml", "operation: showPetById\nresponse: {}\n")
    registry = server.registry()
    assert [mock["id"] for mock in registry.list_mocks()] == ["a", "b"]
    assert [mock["id"] for mock in registry.list_mocks("showPetById")] == ["b"]
    listed = registry.list_mocks()[0]
    assert listed == {
        "id": "a",
        "operation": "listPets",
        "response": {},
        "file": "mocks/a.yaml",
        "scenario": None,
        "served": True,
    }
    listed["response"]["status"] = 500
    assert registry.list_mocks()[0]["response"] == {}


OUTAGE = [{"id": "pets-down", "operation": "listPets", "response": {"status": 503}}]


def test_scenarios_override_the_base_mocks_while_active(server: Server) -> None:
    server.mock("pets.yaml", "operation: listPets\nresponse: {body: [1]}\n")
    server.mock("pet.yaml", "operation: showPetById\nresponse: {body: 1}\n")
    registry = server.registry()
    created = registry.create_scenario("outage", OUTAGE)
    assert created["name"] == "outage" and created["active"] is False
    assert [mock["id"] for mock in created["mocks"]] == ["pets-down"]
    assert (server.root / "scenarios" / "outage" / "pets-down.yaml").is_file()
    assert ask(registry, "listPets").status == "200"  # type: ignore[union-attr]

    registry.activate_scenario("outage")
    assert registry.active_scenario == "outage"
    reply = ask(registry, "listPets")
    assert reply is not None and (reply.status, reply.source) == ("503", "mock:outage/pets-down")
    assert body_of(ask(registry, "showPetById")) == 1  # base mocks still answer the rest
    assert registry.active_mock_count == 3
    assert registry.get_mock("outage/pets-down")["scenario"] == "outage"  # type: ignore[index]
    assert registry.get_mock("pets-down")["file"] == "scenarios/outage/pets-down.yaml"  # type: ignore[index]

    registry.activate_scenario(None)
    assert ask(registry, "listPets").status == "200"  # type: ignore[union-attr]
    with pytest.raises(KeyError):
        registry.activate_scenario("nope")


def test_the_active_scenario_survives_a_restart_and_env_overrides(server: Server) -> None:
    registry = server.registry()
    registry.create_scenario("outage", OUTAGE)
    registry.create_scenario("calm", [])
    registry.activate_scenario("outage")
    saved = json.loads((server.root / ".mockc-data" / "scenario.json").read_text())
    assert saved == {"active": "outage"}

    restarted = server.registry()
    assert restarted.active_scenario == "outage"
    assert ask(restarted, "listPets").status == "503"  # type: ignore[union-attr]
    restarted.load()
    assert restarted.active_scenario == "outage"

    chosen = server.registry(scenario="calm")
    assert chosen.active_scenario == "calm"
    assert ask(chosen, "listPets") is None
    unknown = server.registry(scenario="nope")
    assert unknown.active_scenario is None
    assert [p.render() for p in unknown.problems()] == [
        "scenarios/nope: the active scenario does not exist; serving the base mocks"
    ]


def test_scenario_names_and_contents_are_validated_before_anything_is_written(
    server: Server,
) -> None:
    registry = server.registry()
    for bad in ("../up", ".hidden", "a/b", "", "x" * 200):
        with pytest.raises(MockError, match="not a valid scenario name"):
            registry.create_scenario(bad, [])
    with pytest.raises(MockError) as raised:
        registry.create_scenario(
            "mixed",
            [
                {"id": "ok", "operation": "listPets", "response": {}},
                {"id": "ok", "operation": "listPets", "response": {}},
                {"id": "bad", "operation": "listPets", "response": {"delay": -1}},
            ],
        )
    messages = sorted(problem.render() for problem in raised.value.problems)
    assert messages == [
        "scenarios/mixed/bad.yaml:4:10: response.delay must be at least 0, found -1",
        "scenarios/mixed/ok.yaml:1:5: duplicate id 'ok': scenario mixed have it already",
    ]
    assert not (server.root / "scenarios" / "mixed").exists()
    registry.create_scenario("mixed", [])
    with pytest.raises(MockError, match="exists already"):
        registry.create_scenario("mixed", [])


def test_delete_scenario_removes_the_folder_and_deactivates_it(server: Server) -> None:
    registry = server.registry()
    registry.create_scenario("outage", OUTAGE)
    registry.activate_scenario("outage")
    assert [s["name"] for s in registry.list_scenarios()] == ["outage"]
    assert registry.delete_scenario("outage") is True
    assert not (server.root / "scenarios" / "outage").exists()
    assert registry.active_scenario is None
    assert ask(registry, "listPets") is None
    assert registry.list_scenarios() == []
    assert registry.get_scenario("outage") is None
    assert registry.delete_scenario("outage") is False
    assert server.registry().active_scenario is None


def test_mocks_can_be_added_to_and_removed_from_a_scenario(server: Server) -> None:
    registry = server.registry()
    registry.create_scenario("outage", [])
    registry.activate_scenario("outage")
    added = registry.create_mock(
        {"id": "slow", "operation": "listPets", "response": {"delay": 5}}, scenario="outage"
    )
    assert added["file"] == "scenarios/outage/slow.yaml"
    assert ask(registry, "listPets").delay_ms == 5  # type: ignore[union-attr]
    # The same id may exist in the base mocks; the scenario's is tried first.
    registry.create_mock({"id": "slow", "operation": "listPets", "response": {"delay": 1}})
    assert ask(registry, "listPets").delay_ms == 5  # type: ignore[union-attr]
    assert registry.get_mock("slow")["scenario"] is None  # type: ignore[index]
    assert registry.delete_mock("outage/slow") is True
    assert ask(registry, "listPets").delay_ms == 1  # type: ignore[union-attr]


def test_scenario_folders_with_unsafe_names_are_reported(server: Server) -> None:
    server.write("scenarios/bad name/x.yaml", "operation: listPets\nresponse: {}\n")
    server.write("scenarios/.trash/x.yaml", "operation: listPets\nresponse: {}\n")
    registry = server.registry()
    assert [p.render() for p in registry.problems()] == [
        "scenarios/bad name: not a valid scenario name (letters, digits, '_', '-', '.'); skipped"
    ]
    assert registry.list_scenarios() == []


def test_reload_picks_up_edits_on_disk(server: Server) -> None:
    path = server.mock("pets.yaml", "operation: listPets\nresponse: {body: 1}\n")
    registry = server.registry()
    path.write_text("operation: listPets\nresponse: {body: 2}\n")
    assert body_of(ask(registry, "listPets")) == 1
    assert registry.load() == []
    assert body_of(ask(registry, "listPets")) == 2


def test_responding_while_mocks_change_never_fails(server: Server) -> None:
    server.mock("pets.yaml", "operation: listPets\nresponse: {body: base}\n")
    registry = server.registry()
    errors: list[BaseException] = []
    stop = threading.Event()

    def hammer() -> None:
        try:
            while not stop.is_set():
                reply = ask(registry, "listPets")
                assert reply is not None
                assert body_of(reply) in ("base", "live")
        except BaseException as error:  # pragma: no cover - reported below
            errors.append(error)

    threads = [threading.Thread(target=hammer) for _ in range(4)]
    for thread in threads:
        thread.start()
    for number in range(20):
        registry.create_mock(
            {
                "id": f"live{number}",
                "operation": "listPets",
                "priority": 1,
                "response": {"body": "live"},
            }
        )
        registry.delete_mock(f"live{number}")
    stop.set()
    for thread in threads:
        thread.join()
    assert errors == []


def test_writes_leave_no_temporary_files(server: Server) -> None:
    registry = server.registry()
    registry.create_mock({"id": "a", "operation": "listPets", "response": {}})
    registry.replace_mock("a", {"operation": "listPets", "response": {"body": 1}})
    registry.create_scenario("s", OUTAGE)
    registry.activate_scenario("s")
    leftovers = [p for p in server.root.rglob(".*") if p.name not in (".mockc-data",)]
    assert leftovers == []


def test_mock_ids_in_scenarios_and_base_are_separate_name_spaces(tmp_path: Path) -> None:
    from mock_kit import Server as Kit

    server = Kit(tmp_path)
    server.mock("pets.yaml", "operation: listPets\nresponse: {body: base}\n")
    server.write("scenarios/s/pets.yaml", "operation: listPets\nresponse: {body: scenario}\n")
    registry = server.registry()
    assert registry.problems() == []
    assert registry.get_mock("pets")["scenario"] is None  # type: ignore[index]
    assert registry.get_mock("s/pets")["scenario"] == "s"  # type: ignore[index]


def test_a_body_the_encoder_refuses_is_a_problem_not_a_crash(server: Server) -> None:
    def encoder(data: object, media_type: str | None, schema: object) -> bytes:
        if data == "refuse me":
            raise TypeError("cannot encode this")
        return json.dumps(data).encode()

    server.mock("bad.yaml", "operation: listPets\nresponse:\n  body: refuse me\n")
    server.mock("good.yaml", "operation: showPetById\nresponse: {body: 1}\n")
    registry = server.registry(encoder=encoder)
    assert [problem.render() for problem in registry.problems()] == [
        "mocks/bad.yaml:3:9: the body cannot be encoded: cannot encode this"
    ]
    assert ask(registry, "listPets") is None
    assert body_of(ask(registry, "showPetById")) == 1
    assert registry.get_mock("bad")["served"] is False  # type: ignore[index]


def test_a_broken_file_never_keeps_a_good_one_with_its_id_from_being_served(
    server: Server,
) -> None:
    server.mock("a.yaml", "id: pets\noperation: listPets\nresponse: {status: x y}\n")
    server.mock("b.yaml", "id: pets\noperation: listPets\nresponse: {body: good}\n")
    registry = server.registry()
    assert body_of(ask(registry, "listPets")) == "good"
    assert [problem.line for problem in registry.problems()] == [3]


def test_a_mock_too_large_for_a_file_is_refused_through_the_admin_api(server: Server) -> None:
    registry = server.registry()
    with pytest.raises(MockError, match="larger than 1 MiB"):
        registry.create_mock(
            {"id": "big", "operation": "listPets", "response": {"body": "x" * (1 << 20)}}
        )
    assert list((server.root / "mocks").iterdir()) == []
