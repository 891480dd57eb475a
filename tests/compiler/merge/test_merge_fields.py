"""Three-way merge of one mock document, field by field."""

from __future__ import annotations

import copy
from typing import Any

from mockc.compiler.merge import field_path, load_mock, merge_document, same

BASE = {
    "id": "showPetById",
    "operation": "showPetById",
    "description": "GET /pets/{petId}",
    "response": {"status": 200, "body": {"id": 1, "name": "Rex", "tag": "dog"}},
}


def _merge(
    ours: dict[str, Any], base: dict[str, Any] | None, theirs: dict[str, Any], **kw: Any
) -> tuple[dict[str, Any], dict[tuple[str, str], str]]:
    events = merge_document(ours, base, theirs, **kw)
    return ours, {(field_path(e.path), e.kind.value): e.detail for e in events}


def _copy(data: Any) -> Any:
    return copy.deepcopy(data)


def test_a_field_the_user_did_not_change_takes_the_new_value() -> None:
    theirs = _copy(BASE)
    theirs["response"]["body"]["name"] = "Max"
    merged, events = _merge(_copy(BASE), BASE, theirs)
    assert merged == theirs
    assert events == {("response.body.name", "updated"): '"Rex" → "Max"'}


def test_a_field_the_user_changed_is_kept() -> None:
    ours = _copy(BASE)
    ours["response"]["body"]["name"] = "Tom"
    theirs = _copy(BASE)
    theirs["description"] = "GET /pet/{petId}"
    merged, events = _merge(ours, BASE, theirs)
    assert merged["response"]["body"]["name"] == "Tom"
    assert merged["description"] == "GET /pet/{petId}"
    assert ("response.body.name", "kept-user-edit") in events


def test_both_changed_is_a_conflict_the_user_wins_unless_theirs() -> None:
    ours = _copy(BASE)
    ours["response"]["status"] = 202
    theirs = _copy(BASE)
    theirs["response"]["status"] = 201
    merged, events = _merge(_copy(ours), BASE, theirs)
    assert merged["response"]["status"] == 202
    assert "yours kept" in events[("response.status", "conflict")]
    merged, events = _merge(_copy(ours), BASE, theirs, prefer_theirs=True)
    assert merged["response"]["status"] == 201
    assert "--theirs" in events[("response.status", "conflict")]


def test_fields_the_user_added_and_deleted_stay_so() -> None:
    ours = _copy(BASE)
    ours["match"] = {"path": {"petId": 1}, "when": ["request.query.x == 1"]}
    ours["priority"] = 5
    del ours["description"]
    theirs = _copy(BASE)
    theirs["response"]["body"]["tag"] = "cat"
    merged, events = _merge(ours, BASE, theirs)
    assert merged["match"] == {"path": {"petId": 1}, "when": ["request.query.x == 1"]}
    assert merged["priority"] == 5
    assert "description" not in merged
    assert merged["response"]["body"]["tag"] == "cat"
    assert events[("description", "kept-user-edit")] == "you deleted it; stays deleted"
    assert events[("match", "kept-user-edit")] == "yours"


def test_fields_the_spec_adds_and_removes() -> None:
    theirs = _copy(BASE)
    theirs["response"]["headers"] = {"X-Rate": "10"}
    del theirs["response"]["body"]["tag"]
    merged, events = _merge(_copy(BASE), BASE, theirs)
    assert merged == theirs
    assert ("response.headers", "added") in events
    assert ("response.body.tag", "updated") in events


def test_the_spec_removing_a_field_the_user_edited_is_a_conflict() -> None:
    ours = _copy(BASE)
    ours["response"]["body"]["tag"] = "parrot"
    theirs = _copy(BASE)
    del theirs["response"]["body"]["tag"]
    merged, events = _merge(ours, BASE, theirs)
    assert merged["response"]["body"]["tag"] == "parrot"
    assert ("response.body.tag", "conflict") in events


def test_lists_are_merged_as_whole_values() -> None:
    base = {"id": "a", "responses": [{"status": 200}, {"status": 201}]}
    ours = {"id": "a", "responses": [{"status": 200}, {"status": 202}]}
    theirs = {"id": "a", "responses": [{"status": 204}, {"status": 201}]}
    merged, events = _merge(_copy(ours), base, theirs)
    assert merged["responses"] == ours["responses"]
    assert ("responses", "conflict") in events


def test_without_a_base_only_disagreements_conflict() -> None:
    ours = {"id": "a", "operation": "a", "priority": 3, "response": {"status": 200}}
    theirs = {"id": "a", "operation": "a", "response": {"status": 201, "body": {"x": 1}}}
    merged, events = _merge(ours, None, theirs)
    assert merged == {
        "id": "a",
        "operation": "a",
        "priority": 3,
        "response": {"status": 200, "body": {"x": 1}},
    }
    assert "no merge base" in events[("response.status", "conflict")]


def test_new_keys_land_after_their_generated_predecessor() -> None:
    ours = {"id": "a", "operation": "a", "response": {"status": 200}}
    theirs = {"id": "a", "operation": "a", "description": "new", "response": {"status": 200}}
    merged, _ = _merge(ours, {"id": "a", "operation": "a", "response": {"status": 200}}, theirs)
    assert list(merged) == ["id", "operation", "description", "response"]


def test_same_is_strict_about_types_and_blind_to_order() -> None:
    assert same({"a": 1, "b": 2}, {"b": 2, "a": 1})
    assert not same(True, 1)
    assert not same("1", 1)
    assert same(1, 1.0)
    assert not same([1, 2], [2, 1])
    assert not same(None, {})


def test_round_trip_yaml_keeps_comments_quotes_and_order() -> None:
    text = (
        "# my mock\n"
        "id: pet\n"
        "operation: showPetById   # the op\n"
        "response:\n"
        "  status: 200\n"
        "  body:\n"
        "    name: 'Tom'  # our cat\n"
        "    tags:\n"
        "      - a\n"
        "      - b\n"
    )
    mock = load_mock("mocks/pet.yaml", text)
    base = {"id": "pet", "operation": "showPetById", "response": {"status": 200, "body": {}}}
    theirs = {
        "id": "pet",
        "operation": "showPetById",
        "response": {"status": 201, "body": {"id": 5}},
    }
    merge_document(mock.data, base, theirs)
    assert mock.dump() == (
        "# my mock\n"
        "id: pet\n"
        "operation: showPetById   # the op\n"
        "response:\n"
        "  status: 201\n"
        "  body:\n"
        "    id: 5\n"
        "    name: 'Tom'  # our cat\n"
        "    tags:\n"
        "      - a\n"
        "      - b\n"
    )


def test_json_mocks_stay_json_with_their_indent() -> None:
    text = '{\n    "id": "pet",\n    "operation": "x",\n    "response": {"status": 200}\n}\n'
    mock = load_mock("mocks/pet.json", text)
    merge_document(
        mock.data,
        {"id": "pet", "operation": "x", "response": {"status": 200}},
        {"id": "pet", "operation": "x", "response": {"status": 200, "body": "ok"}},
    )
    assert mock.dump() == (
        '{\n    "id": "pet",\n    "operation": "x",\n    "response": {\n'
        '        "status": 200,\n        "body": "ok"\n    }\n}\n'
    )


def test_comments_riding_on_a_field_the_spec_removes_are_kept() -> None:
    text = (
        "id: a\n"
        "response:\n"
        "  status: 200\n"
        "  # about the body\n"
        "  body:\n"
        "  - k: 1\n"
        "  tag: t   # why t\n"
    )
    mock = load_mock("mocks/a.yaml", text)
    base = {"id": "a", "response": {"status": 200, "body": [{"k": 1}], "tag": "t"}}
    merge_document(mock.data, base, {"id": "a", "response": {"body": [{"k": 1}]}})
    assert mock.dump() == ("id: a\nresponse:\n  # about the body\n  body:\n  - k: 1\n  # why t\n")
