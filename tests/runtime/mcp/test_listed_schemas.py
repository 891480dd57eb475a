"""Listed schemas are self-contained and stay within their size budget."""

from __future__ import annotations

import json

import jsonschema

from mockc.runtime.mcp.schemas import self_contained

DEFS = {
    "Pet": {"type": "object", "properties": {"owner": {"$ref": "#/$defs/Person"}}},
    "Person": {"type": "object", "properties": {"bio": {"$ref": "#/$defs/Essay"}}},
    "Essay": {"type": "string", "description": "x" * 5000},
    "Unused": {"type": "integer"},
}


def test_the_named_schemas_referred_to_travel_along() -> None:
    schema = self_contained(
        {"type": "object", "properties": {"pet": {"$ref": "#/$defs/Pet"}}}, DEFS
    )
    assert sorted(schema["$defs"]) == ["Essay", "Person", "Pet"]
    jsonschema.validate({"pet": {"owner": {"bio": "hi"}}}, schema)


def test_what_does_not_fit_the_budget_is_left_open_nearest_kept() -> None:
    top = {"type": "object", "properties": {"pet": {"$ref": "#/$defs/Pet"}}}
    schema = self_contained(top, DEFS, budget=1000)
    assert sorted(schema["$defs"]) == ["Person", "Pet"]
    assert schema["$defs"]["Person"]["properties"]["bio"] == {}
    assert len(json.dumps(schema)) <= 1000
    jsonschema.validate({"pet": {"owner": {"bio": 42}}}, schema)  # looser, never stricter


def test_a_schema_with_its_own_defs_and_no_named_ones_is_kept_as_it_is() -> None:
    own = {
        "type": "object",
        "$defs": {"A": {"type": "string"}},
        "properties": {"a": {"$ref": "#/$defs/A"}},
    }
    assert self_contained(own, {}) is own
    assert self_contained(own, DEFS) == own


def test_leaving_a_branch_open_never_makes_a_schema_stricter() -> None:
    top = {
        "oneOf": [{"$ref": "#/$defs/Essay"}, {"$ref": "#/$defs/Essay"}],
        "not": {"$ref": "#/$defs/Essay"},
    }
    schema = self_contained(top, DEFS, budget=200)
    assert "oneOf" not in schema and "not" not in schema
    jsonschema.validate("anything", schema)
