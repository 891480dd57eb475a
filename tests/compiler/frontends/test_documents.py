"""Documents: positions of JSON pointers in JSON text."""

import json
from pathlib import Path

import pytest

from mockc.compiler.errors import SpecError
from mockc.compiler.frontends.documents import DocumentStore, json_offset

TEXT = '{\n  "a": {"b/c": [1, {"d": 2}]},\n  "e": "x"\n}'


def test_offsets_of_members_and_items() -> None:
    assert TEXT[json_offset(TEXT, ["a"]) or 0 :].startswith('"a"')
    assert TEXT[json_offset(TEXT, ["a", "b/c", "1", "d"]) or 0 :].startswith('"d"')
    assert TEXT[json_offset(TEXT, ["e"]) or 0 :].startswith('"e"')


def test_deepest_existing_place_for_a_missing_pointer() -> None:
    assert json_offset(TEXT, ["a", "zzz"]) == json_offset(TEXT, ["a"])
    assert json_offset("not json", ["a"]) is None or json_offset("not json", ["a"]) == 0


def test_a_lone_surrogate_in_json_is_a_located_error(tmp_path: Path) -> None:
    spec = {
        "openapi": "3.0.3",
        "info": {"title": "t", "version": "1", "description": "\ud800"},
        "paths": {},
    }
    path = tmp_path / "lone.json"
    path.write_text(json.dumps(spec), encoding="utf-8")  # written as the escape \ud800
    with pytest.raises(SpecError) as raised:
        DocumentStore().load_entry(path)
    diagnostic = raised.value.diagnostics[0]
    assert diagnostic.pointer == "/info/description"
    assert "lone UTF-16 surrogate" in diagnostic.message
    paired = tmp_path / "paired.json"
    paired.write_text(json.dumps({**spec, "info": {**spec["info"], "description": "\U0001f600"}}))
    DocumentStore().load_entry(paired)  # an escaped pair is a character: no error
