"""Merging handlers.py with libcst: user code survives, the spec shapes the hooks."""

from __future__ import annotations

import pytest

from mockc.compiler.merge import ORPHAN_MARK, MergeError, merge_python


def _hooks(*ops: tuple[str, str], title: str = "Petstore") -> str:
    text = f'"""Hooks for the {title} mock server."""\n'
    for name, doc in ops:
        text += f'\n\ndef {name}(request):\n    """{doc}"""\n    return None\n'
    return text


BASE = _hooks(("listPets", "GET /pets"), ("showPetById", "GET /pets/{petId}"), ("deletePet", "X"))


def _kinds(entries: list) -> list[tuple[str | None, str]]:  # type: ignore[type-arg]
    return [(e.id, e.kind.value) for e in entries]


def test_unchanged_when_nothing_changed() -> None:
    text, entries = merge_python(path="handlers.py", base=BASE, ours=BASE, theirs=BASE)
    assert text == BASE and entries == []


def test_edited_bodies_imports_helpers_and_comments_survive_a_spec_change() -> None:
    ours = BASE.replace(
        '"""Hooks for the Petstore mock server."""\n',
        '"""Hooks for the Petstore mock server."""\nimport json  # mine\n\n\n'
        "def helper():\n    return 42\n",
    ).replace(
        '    """GET /pets"""\n    return None\n',
        '    """GET /pets"""\n    # the first page only\n'
        '    if request.query.get("page"):\n        return request.reply(status=204)\n'
        "    return None\n",
    )
    theirs = _hooks(
        ("listPets", "GET /pets"),
        ("showPetById", "GET /pet/{petId}"),
        ("updatePet", "PUT /pet/{petId}"),
    )
    text, entries = merge_python(path="handlers.py", base=BASE, ours=ours, theirs=theirs)
    assert "import json  # mine" in text
    assert "def helper():\n    return 42\n" in text
    assert "    # the first page only\n" in text and "return request.reply(status=204)" in text
    assert '"""GET /pet/{petId}"""' in text  # docstring follows the spec
    assert text.index("def showPetById") < text.index("def updatePet") < text.index("def deletePet")
    assert f"{ORPHAN_MARK} operation deletePet" in text
    assert ("showPetById", "updated") in _kinds(entries)
    assert ("updatePet", "added") in _kinds(entries)
    assert ("deletePet", "orphaned") in _kinds(entries)
    assert ("listPets", "kept-user-edit") in _kinds(entries)
    compile(text, "handlers.py", "exec")
    again, again_entries = merge_python(path="handlers.py", base=theirs, ours=text, theirs=theirs)
    assert again == text
    assert all(not e.changes_file for e in again_entries)


def test_signatures_follow_the_spec() -> None:
    theirs = BASE.replace("def listPets(request):", "def listPets(request, state):")
    ours = BASE.replace("def listPets(request):", "def listPets(req):")
    text, entries = merge_python(path="handlers.py", base=BASE, ours=ours, theirs=theirs)
    assert "def listPets(request, state):" in text
    assert ("listPets", "conflict") in _kinds(entries)
    assert "yours was: listPets(req)" in entries[0].detail


def test_a_user_signature_is_kept_while_the_spec_does_not_change_it() -> None:
    ours = BASE.replace("def listPets(request):", "async def listPets(request, *rest):")
    theirs = BASE.replace('GET /pets"', 'GET /pets (all)"')
    text, _ = merge_python(path="handlers.py", base=BASE, ours=ours, theirs=theirs)
    assert "async def listPets(request, *rest):" in text
    assert '"""GET /pets (all)"""' in text


def test_a_docstring_edit_the_spec_overrides_is_reported_with_the_old_text() -> None:
    ours = BASE.replace('"""GET /pets"""', '"""GET /pets — returns the fixtures"""')
    theirs = BASE.replace('"""GET /pets"""', '"""GET /v2/pets"""')
    text, entries = merge_python(path="handlers.py", base=BASE, ours=ours, theirs=theirs)
    assert '"""GET /v2/pets"""' in text
    [conflict] = [e for e in entries if e.kind.value == "conflict"]
    assert "returns the fixtures" in conflict.detail


def test_orphaned_hooks_are_pruned_only_when_they_hold_no_user_code() -> None:
    ours = BASE.replace(
        '    """X"""\n    return None\n', '    """X"""\n    return request.reply(status=204)\n'
    )
    theirs = _hooks(("listPets", "GET /pets"))
    text, entries = merge_python(
        path="handlers.py", base=BASE, ours=ours, theirs=theirs, prune=True
    )
    assert "def showPetById" not in text
    assert "def deletePet" in text and ORPHAN_MARK in text
    assert ("showPetById", "pruned") in _kinds(entries)
    assert ("deletePet", "orphaned") in _kinds(entries)


def test_flagged_hooks_are_pruned_on_a_later_run_and_unflagged_when_back() -> None:
    theirs = _hooks(("listPets", "GET /pets"))
    flagged, _ = merge_python(path="handlers.py", base=BASE, ours=BASE, theirs=theirs)
    assert flagged.count(ORPHAN_MARK) == 2
    pruned, entries = merge_python(
        path="handlers.py", base=theirs, ours=flagged, theirs=theirs, prune=True
    )
    assert "def showPetById" not in pruned and "def deletePet" not in pruned
    back, entries = merge_python(path="handlers.py", base=theirs, ours=flagged, theirs=BASE)
    assert ORPHAN_MARK not in back
    assert ("deletePet", "updated") in _kinds(entries)


def test_a_deleted_hook_stays_deleted() -> None:
    ours = BASE.replace('\n\ndef listPets(request):\n    """GET /pets"""\n    return None\n', "")
    theirs = BASE.replace('"""X"""', '"""Y"""')
    text, entries = merge_python(path="handlers.py", base=BASE, ours=ours, theirs=theirs)
    assert "def listPets" not in text
    assert ("listPets", "kept-user-edit") in _kinds(entries)


def test_the_module_docstring_follows_the_spec_until_edited() -> None:
    theirs = BASE.replace("Petstore mock", "Pet Shop mock")
    text, _ = merge_python(path="handlers.py", base=BASE, ours=BASE + "\n# end\n", theirs=theirs)
    assert text.startswith('"""Hooks for the Pet Shop mock server."""')
    assert text.endswith("# end\n")
    mine = BASE.replace("Petstore mock server.", "Petstore mock server. Mine.")
    text, entries = merge_python(path="handlers.py", base=BASE, ours=mine, theirs=theirs)
    assert "Mine." in text
    assert any(e.kind.value == "conflict" for e in entries)


def test_new_imports_of_the_template_are_added_once() -> None:
    theirs = BASE.replace('server."""\n', 'server."""\nimport logging\n')
    ours = BASE.replace('server."""\n', 'server."""\nimport json\n')
    text, _ = merge_python(path="handlers.py", base=BASE, ours=ours, theirs=theirs)
    assert "import json\nimport logging\n" in text
    again, _ = merge_python(path="handlers.py", base=theirs, ours=text, theirs=theirs)
    assert again.count("import logging") == 1


def test_no_base_keeps_bodies_and_adds_missing_hooks() -> None:
    ours = "def listPets(request):\n    return request.reply(status=200)\n"
    text, entries = merge_python(path="handlers.py", base=None, ours=ours, theirs=BASE)
    assert "return request.reply(status=200)" in text
    assert '"""GET /pets"""' in text
    assert "def showPetById" in text and "def deletePet" in text
    assert ("listPets", "kept-user-edit") in _kinds(entries)


def test_a_file_that_does_not_parse_stops_the_merge_with_its_place() -> None:
    with pytest.raises(MergeError) as caught:
        merge_python(
            path="handlers.py",
            base=BASE,
            ours="def listPets(request:\n    return None\n",
            theirs=BASE + "\n",
            shown_as="out/handlers.py",
        )
    assert "out/handlers.py:2:11: error: your file is not valid Python (expected" in (
        caught.value.render()
    )
    assert "not valid Python" in caught.value.render()
