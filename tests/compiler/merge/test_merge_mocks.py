"""Merging the mocks folder: mocks matched by id across base, ours and theirs."""

from __future__ import annotations

import pytest

from mockc.compiler.merge import (
    MergeError,
    MockFile,
    MockMergeOptions,
    load_mock,
    merge_mocks,
)


def _mock(path: str, text: str) -> MockFile:
    return load_mock(path, text)


def _gen(op: str, body: str = "{name: Rex}", *, status: int = 200) -> str:
    return f"id: {op}\noperation: {op}\nresponse:\n  status: {status}\n  body: {body}\n"


def _theirs(*docs: tuple[str, str]) -> list[tuple[MockFile, bytes]]:
    return [(_mock(path, text), text.encode()) for path, text in docs]


def _kinds(merge: object) -> list[tuple[str, str, str | None]]:
    return [(e.file, e.kind.value, e.field) for e in merge.entries]  # type: ignore[attr-defined]


def test_a_new_operation_gets_its_generated_mock_byte_for_byte() -> None:
    text = _gen("listPets")
    merge = merge_mocks(
        base=[], ours=[], theirs=_theirs(("mocks/listPets.yaml", text)), operations=["listPets"]
    )
    assert merge.writes == {"mocks/listPets.yaml": text.encode()}
    assert _kinds(merge) == [("mocks/listPets.yaml", "added", None)]


def test_a_renamed_file_is_found_by_id_and_merged_in_place() -> None:
    base = _gen("showPetById")
    ours = base.replace("status: 200", "status: 200  # keep this").replace("Rex", "Tom")
    theirs = _gen("showPetById", "{name: Rex, tag: dog}")
    merge = merge_mocks(
        base=[_mock("mocks/showPetById.yaml", base)],
        ours=[_mock("mocks/pets/tom.yaml", ours)],
        theirs=_theirs(("mocks/showPetById.yaml", theirs)),
        operations=["showPetById"],
    )
    assert list(merge.writes) == ["mocks/pets/tom.yaml"]
    written = merge.writes["mocks/pets/tom.yaml"].decode()
    assert "status: 200  # keep this" in written
    assert "name: Tom" in written and "tag: dog" in written
    assert ("mocks/pets/tom.yaml", "kept-user-edit", "response.body.name") in _kinds(merge)
    assert ("mocks/pets/tom.yaml", "added", "response.body.tag") in _kinds(merge)


def test_an_untouched_mock_takes_the_new_file_verbatim() -> None:
    base = "# header\n" + _gen("a")
    theirs = "# header\n" + _gen("a", "{name: Max}")
    merge = merge_mocks(
        base=[_mock("mocks/a.yaml", base)],
        ours=[_mock("mocks/a.yaml", base)],
        theirs=_theirs(("mocks/a.yaml", theirs)),
        operations=["a"],
    )
    assert merge.writes == {"mocks/a.yaml": theirs.encode()}
    assert _kinds(merge) == [("mocks/a.yaml", "updated", "response.body.name")]


def test_a_deleted_mock_stays_deleted_unless_theirs_and_the_spec_changed_it() -> None:
    base = _gen("a")
    unchanged = merge_mocks(
        base=[_mock("mocks/a.yaml", base)],
        ours=[],
        theirs=_theirs(("mocks/a.yaml", base)),
        operations=["a"],
    )
    assert unchanged.writes == {}
    assert _kinds(unchanged) == [("mocks/a.yaml", "kept-user-edit", None)]
    assert "stays deleted" in unchanged.entries[0].detail
    changed = _theirs(("mocks/a.yaml", _gen("a", "{name: Max}")))
    conflict = merge_mocks(
        base=[_mock("mocks/a.yaml", base)], ours=[], theirs=changed, operations=["a"]
    )
    assert conflict.writes == {}
    assert _kinds(conflict) == [("mocks/a.yaml", "conflict", None)]
    restored = merge_mocks(
        base=[_mock("mocks/a.yaml", base)],
        ours=[],
        theirs=changed,
        operations=["a"],
        options=MockMergeOptions(prefer_theirs=True),
    )
    assert list(restored.writes) == ["mocks/a.yaml"]


def test_mocks_of_operations_that_left_the_spec_are_orphaned_then_pruned() -> None:
    base = _gen("deletePet")
    edited = base.replace("Rex", "Gone")
    user_own = "id: extra\noperation: deletePet\nresponse: {status: 500}\n"
    kwargs = dict(
        base=[_mock("mocks/deletePet.yaml", base)],
        ours=[_mock("mocks/deletePet.yaml", edited), _mock("mocks/extra.yaml", user_own)],
        theirs=[],
        operations=["listPets"],
    )
    merge = merge_mocks(**kwargs)  # type: ignore[arg-type]
    assert (
        merge.writes["mocks/deletePet.yaml"]
        .decode()
        .startswith("id: deletePet\noperation: deletePet\norphaned: true\n")
    )
    assert "orphaned: true" in merge.writes["mocks/extra.yaml"].decode()
    assert merge.orphaned == {"deletePet", "extra"}
    assert merge.retained_base == {"mocks/deletePet.yaml": base.encode()}
    assert [k for _, k, _ in _kinds(merge)] == ["orphaned", "orphaned"]
    pruned = merge_mocks(**kwargs, options=MockMergeOptions(prune=True))  # type: ignore[arg-type]
    assert sorted(pruned.deletes) == ["mocks/deletePet.yaml", "mocks/extra.yaml"]
    assert pruned.writes == {}


def test_an_already_orphaned_mock_is_reported_not_rewritten() -> None:
    text = "id: a\noperation: a\norphaned: true\nresponse: {status: 200}\n"
    merge = merge_mocks(base=[], ours=[_mock("mocks/a.yaml", text)], theirs=[], operations=["b"])
    assert merge.writes == {}
    assert merge.entries[0].kind.value == "orphaned"
    assert not merge.entries[0].changes_file


def test_the_orphaned_flag_goes_when_the_operation_comes_back() -> None:
    base = _gen("a")
    ours = "id: a\noperation: a\norphaned: true\nresponse:\n  status: 200\n  body: {name: Tom}\n"
    merge = merge_mocks(
        base=[_mock("mocks/a.yaml", base)],
        ours=[_mock("mocks/a.yaml", ours)],
        theirs=_theirs(("mocks/a.yaml", _gen("a", "{name: Rex, tag: x}"))),
        operations=["a"],
        orphaned_before={"a"},
    )
    written = merge.writes["mocks/a.yaml"].decode()
    assert "orphaned" not in written
    assert "name: Tom" in written and "tag: x" in written


def test_a_user_flag_is_left_alone_when_mockc_did_not_set_it() -> None:
    ours = "id: mine\noperation: a\norphaned: true\n"
    merge = merge_mocks(base=[], ours=[_mock("mocks/mine.yaml", ours)], theirs=[], operations=["a"])
    assert merge.writes == {} and merge.entries == []


def test_a_generated_mock_no_longer_generated_for_a_live_operation() -> None:
    base = _gen("a")
    untouched = merge_mocks(
        base=[_mock("mocks/a.yaml", base)],
        ours=[_mock("mocks/a.yaml", base)],
        theirs=[],
        operations=["a"],
    )
    assert untouched.deletes == ["mocks/a.yaml"]
    edited = merge_mocks(
        base=[_mock("mocks/a.yaml", base)],
        ours=[_mock("mocks/a.yaml", base.replace("Rex", "Tom"))],
        theirs=[],
        operations=["a"],
    )
    assert edited.deletes == [] and edited.writes == {}
    assert edited.entries[0].kind.value == "kept-user-edit"


def test_a_new_mock_whose_file_name_is_taken_goes_beside_it() -> None:
    ours = "id: something-else\noperation: other\n"
    merge = merge_mocks(
        base=[],
        ours=[_mock("mocks/a.yaml", ours)],
        theirs=_theirs(("mocks/a.yaml", _gen("a"))),
        operations=["a", "other"],
        occupied={"mocks/a.yaml"},
    )
    assert list(merge.writes) == ["mocks/a-2.yaml"]


def test_duplicate_ids_are_reported() -> None:
    text = _gen("a")
    merge = merge_mocks(
        base=[_mock("mocks/a.yaml", text)],
        ours=[_mock("mocks/a.yaml", text), _mock("mocks/b.yaml", text)],
        theirs=_theirs(("mocks/a.yaml", text)),
        operations=["a"],
    )
    assert [(e.file, e.kind.value) for e in merge.entries] == [("mocks/b.yaml", "conflict")]


def test_a_mock_without_an_id_is_known_by_its_file_name() -> None:
    assert _mock("mocks/x/slow-pets.yaml", "operation: listPets\n").id == "slow-pets"


@pytest.mark.parametrize(
    ("path", "text", "where"),
    [
        ("mocks/a.yaml", "id: a\nresponse: {status: 200\n", ":3:1"),
        ("mocks/a.json", '{"id": "a",}', ":1:12"),
        ("mocks/a.yaml", "- just\n- a list\n", ":1"),
        ("mocks/a.yaml", "id: a\nid: b\n", ":2:1"),
    ],
)
def test_a_mock_file_that_cannot_be_read_stops_the_merge_with_its_place(
    path: str, text: str, where: str
) -> None:
    with pytest.raises(MergeError) as caught:
        load_mock(path, text, shown_as=f"out/{path}")
    assert f"out/{path}{where}" in caught.value.render()
