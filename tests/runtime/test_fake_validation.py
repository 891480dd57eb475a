"""ValidatorCache: deep verdicts through one shared copy of the named schemas,
per-schema validators kept within a byte budget."""

from __future__ import annotations

import json
from typing import Any

from mockc.runtime.fake import FakeData
from mockc.runtime.fake.validation import ValidatorCache


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/$defs/{name}"}


ANIMALS: dict[str, Any] = {
    "Cat": {
        "type": "object",
        "required": ["collar"],
        "properties": {"collar": _ref("CatCollar")},
    },
    "Dog": {
        "type": "object",
        "required": ["collar"],
        "properties": {"collar": _ref("DogCollar")},
    },
    "CatCollar": {"type": "object", "properties": {"bell": {"const": True}}, "required": ["bell"]},
    "DogCollar": {"type": "object", "properties": {"tag": {"type": "string"}}, "required": ["tag"]},
}


def _chain(length: int) -> dict[str, Any]:
    """Named schemas ``Link0`` … each referring to the next, with some bulk."""
    defs: dict[str, Any] = {}
    for n in range(length):
        properties: dict[str, Any] = {f"field{k}": {"type": "string"} for k in range(20)}
        if n + 1 < length:
            properties["next"] = _ref(f"Link{n + 1}")
        defs[f"Link{n}"] = {"type": "object", "properties": properties}
    return defs


def test_references_are_checked_as_deep_as_the_named_schemas_go() -> None:
    cache = ValidatorCache(ANIMALS)
    either = {"oneOf": [_ref("Cat"), _ref("Dog")]}
    assert cache.is_valid(either, {"collar": {"bell": True}})
    assert cache.is_valid(either, {"collar": {"tag": "Rex"}})
    assert not cache.is_valid(either, {"collar": {"bell": True, "tag": "Rex"}})  # both match
    assert not cache.is_valid(either, {"collar": {"bell": False}})  # neither does
    assert not cache.is_valid(_ref("Cat"), {"collar": {}})
    assert cache.is_valid({"type": "array", "items": _ref("Dog")}, [{"collar": {"tag": "a"}}])
    assert not cache.is_valid({"type": "array", "items": _ref("Dog")}, [{"collar": {}}])


def test_a_schema_costs_its_own_size_not_the_size_of_what_it_reaches() -> None:
    schema = {"anyOf": [{"type": "string", "maxLength": 5000}, _ref("Link0")]}
    costs = []
    for length in (3, 200):
        cache = ValidatorCache(_chain(length))
        assert cache.is_valid(schema, {"next": {"next": {"field1": "x"}}})
        assert not cache.is_valid(schema, {"next": {"next": {"field1": 7}}})
        costs.append(cache.cached_bytes)
    assert costs[0] == costs[1] < 64 * 1024


def test_the_cache_keeps_within_its_budget_and_gives_the_same_verdicts_after_eviction() -> None:
    budget = 40 * 1024
    cache = ValidatorCache(ANIMALS, budget=budget)
    schemas = [
        {"type": "object", "properties": {"collar": _ref("CatCollar")}, "maxProperties": n}
        for n in range(1, 200)
    ]
    verdicts = []
    for schema in schemas:
        verdicts.append(
            (
                cache.is_valid(schema, {"collar": {"bell": True}}),
                cache.is_valid(schema, {"collar": {"bell": False}}),
            )
        )
        assert cache.cached_bytes <= budget
    assert verdicts == [(True, False)] * len(schemas)
    assert cache.is_valid(schemas[0], {"collar": {"bell": True}, "more": 1}) is False


def test_a_reference_into_a_named_schema_is_still_resolved() -> None:
    cache = ValidatorCache(ANIMALS)
    inside = {"$ref": "#/$defs/Cat/properties/collar"}
    assert cache.is_valid(inside, {"bell": True})
    assert not cache.is_valid(inside, {"bell": False})


def test_refused_patterns_in_named_schemas_are_still_checked() -> None:
    defs = {"Memo": {"type": "string", "pattern": "^.{0,262144}$"}}
    cache = ValidatorCache(defs)
    assert cache.is_valid(_ref("Memo"), "a" * 10)
    assert not cache.is_valid(_ref("Memo"), "a" * 262145)
    assert not cache.is_valid({"type": "array", "items": _ref("Memo")}, ["a" * 262145])


def test_write_only_properties_are_not_required_in_fake_answers() -> None:
    defs = {
        "User": {
            "type": "object",
            "required": ["name", "password"],
            "properties": {
                "name": {"type": "string"},
                "password": {"type": "string", "writeOnly": True},
            },
        }
    }
    assert ValidatorCache(defs).is_valid(_ref("User"), {"name": "Ada"})


def test_fake_values_of_a_tightly_linked_spec_are_valid_and_cheap_to_check() -> None:
    fake = FakeData(_chain(150), max_depth=3)
    for key in range(20):
        value = fake.generate({"anyOf": [{"type": "string"}, _ref("Link0")]}, key=str(key))
        assert fake.is_valid(_ref("Link0"), value) or isinstance(value, str)
    assert json.dumps(value)


def test_a_refused_named_schema_is_left_out_and_the_others_still_checked() -> None:
    defs = {"Broken": {"type": 12}, "Fine": {"type": "integer"}}
    cache = ValidatorCache(defs)
    assert cache.is_valid(_ref("Broken"), "anything")
    assert cache.is_valid(_ref("Fine"), 3)
    assert not cache.is_valid(_ref("Fine"), "three")
    assert not cache.is_valid({"type": "array", "items": _ref("Fine")}, ["three"])
    assert not cache.is_valid({"type": "string"}, 3)


def test_properties_named_like_keywords_are_checked_too() -> None:
    schema = {
        "type": "object",
        "properties": {
            "default": _ref("CatCollar"),
            "enum": {"$ref": "#/$defs/Cat/properties/collar"},
        },
    }
    cache = ValidatorCache(ANIMALS)
    assert cache.is_valid(schema, {"default": {"bell": True}})
    assert not cache.is_valid(schema, {"default": {"bell": False}})
    assert not cache.is_valid(schema, {"enum": {"bell": False}})
