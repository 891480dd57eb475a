"""Documents: positions of JSON pointers in JSON text."""

from mockc.compiler.frontends.documents import json_offset

TEXT = '{\n  "a": {"b/c": [1, {"d": 2}]},\n  "e": "x"\n}'


def test_offsets_of_members_and_items() -> None:
    assert TEXT[json_offset(TEXT, ["a"]) or 0 :].startswith('"a"')
    assert TEXT[json_offset(TEXT, ["a", "b/c", "1", "d"]) or 0 :].startswith('"d"')
    assert TEXT[json_offset(TEXT, ["e"]) or 0 :].startswith('"e"')


def test_deepest_existing_place_for_a_missing_pointer() -> None:
    assert json_offset(TEXT, ["a", "zzz"]) == json_offset(TEXT, ["a"])
    assert json_offset("not json", ["a"]) is None or json_offset("not json", ["a"]) == 0
