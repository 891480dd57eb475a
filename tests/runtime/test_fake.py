"""FakeData: values valid against their schema, deterministic per (seed, key)."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from mockc.runtime.fake import FakeData

DEFS: dict[str, Any] = {
    "Pet": {
        "type": "object",
        "required": ["id", "name"],
        "properties": {
            "id": {"type": "integer", "format": "int64"},
            "name": {"type": "string"},
            "tag": {"type": ["string", "null"]},
            "status": {"type": "string", "enum": ["available", "pending", "sold"]},
            "owner": {"$ref": "#/$defs/Person"},
            "photoUrls": {"type": "array", "items": {"type": "string", "format": "uri"}},
        },
    },
    "Person": {
        "type": "object",
        "required": ["email"],
        "properties": {
            "first_name": {"type": "string"},
            "lastName": {"type": "string"},
            "email": {"type": "string"},
            "phone": {"type": "string"},
            "city": {"type": "string"},
            "country": {"type": "string"},
            "website": {"type": "string"},
            "birthday": {"type": "string", "format": "date"},
            "password": {"type": "string", "writeOnly": True},
        },
    },
    "Node": {
        "type": "object",
        "required": ["value", "children"],
        "properties": {
            "value": {"type": "integer"},
            "children": {"type": "array", "items": {"$ref": "#/$defs/Node"}},
            "parent": {"anyOf": [{"$ref": "#/$defs/Node"}, {"type": "null"}]},
        },
    },
    "Base": {
        "type": "object",
        "required": ["id"],
        "properties": {"id": {"type": "string", "format": "uuid"}, "size": {"type": "number"}},
    },
    "Extended": {
        "allOf": [
            {"$ref": "#/$defs/Base"},
            {
                "type": "object",
                "required": ["label"],
                "properties": {
                    "label": {"type": "string", "maxLength": 5},
                    "size": {"minimum": 10, "maximum": 20},
                },
            },
            {"properties": {"label": {"minLength": 4}}},
        ]
    },
    "Cat": {
        "type": "object",
        "required": ["petType", "meows"],
        "properties": {"petType": {"type": "string"}, "meows": {"type": "boolean"}},
        "additionalProperties": False,
    },
    "Dog": {
        "type": "object",
        "required": ["petType", "barks"],
        "properties": {"petType": {"type": "string"}, "barks": {"type": "integer"}},
        "additionalProperties": False,
    },
    "Animal": {
        "oneOf": [{"$ref": "#/$defs/Cat"}, {"$ref": "#/$defs/Dog"}],
        "discriminator": {"propertyName": "petType", "mapping": {"cat": "#/$defs/Cat"}},
    },
}

SCHEMAS: list[Any] = [
    {"$ref": f"#/$defs/{name}"} for name in DEFS
] + [
    {"type": "string", "format": fmt}
    for fmt in (
        "date-time", "date", "time", "duration", "uuid", "email", "idn-email", "uri",
        "uri-reference", "iri", "url", "hostname", "idn-hostname", "ipv4", "ipv6", "byte",
        "binary", "password", "int32", "int64", "regex", "json-pointer",
    )
] + [
    {"type": "string", "minLength": 30, "maxLength": 31},
    {"type": "string", "maxLength": 0},
    {"type": "string", "pattern": r"^\d{5}(-\d{4})?$"},
    {"type": "integer", "minimum": 10, "exclusiveMaximum": 12},
    {"type": "integer", "multipleOf": 7, "minimum": 100},
    {"type": "integer", "format": "int32", "minimum": 2147483640},
    {"type": "number", "multipleOf": 0.25, "exclusiveMinimum": 0, "maximum": 1},
    {"type": "number", "multipleOf": 0.01, "minimum": 5000},
    {"type": "number", "minimum": -1.5, "maximum": -1.25},
    {"type": ["null", "integer"]},
    {"type": "null"},
    {"const": {"a": [1, 2]}},
    {"enum": ["x", 2, None]},
    {"type": "array", "items": {"type": "integer", "minimum": 0, "maximum": 3},
     "uniqueItems": True, "minItems": 4},
    {"type": "array", "prefixItems": [{"type": "string"}, {"type": "integer"}], "items": False},
    {"type": "array", "contains": {"type": "integer", "minimum": 1000},
     "items": {"type": "integer"}},
    {"type": "array", "minItems": 5, "maxItems": 5, "items": {"type": "boolean"}},
    {"type": "object", "additionalProperties": {"type": "integer"}},
    {"type": "object", "patternProperties": {"^x-[a-z]+$": {"type": "string"}},
     "additionalProperties": False},
    {"type": "object", "propertyNames": {"pattern": "^[a-z]{3}$"}, "minProperties": 2},
    {"type": "object", "properties": {"a": {"type": "string"}, "b": {"type": "string"},
     "c": {"type": "string"}}, "maxProperties": 1},
    {"type": "object", "properties": {"a": {"type": "integer"}}, "required": ["a"],
     "dependentRequired": {"a": ["b"]}},
    {"oneOf": [{"type": "integer"}, {"type": "number"}]},
    {"oneOf": [{"type": "string", "maxLength": 2}, {"type": "string", "minLength": 3}]},
    {"oneOf": [{"type": "string", "format": "email"}, {"type": "string"}]},
    {"anyOf": [{"type": "string", "maxLength": 0, "minLength": 1}, {"type": "boolean"}]},
    {"type": "integer", "not": {"enum": [0, 1, 2, 3, 4, 5]}, "minimum": 0, "maximum": 6},
    {"type": "object", "properties": {"kind": {"enum": ["a", "b"]}, "n": {"type": "integer"}},
     "required": ["kind", "n"],
     "if": {"properties": {"kind": {"const": "a"}}},
     "then": {"properties": {"n": {"minimum": 100}}},
     "else": {"properties": {"n": {"maximum": -100}}}},
    {"type": "string", "examples": ["from-example"], "default": "from-default"},
    {"type": "string", "examples": [42], "default": "from-default"},
    {"type": "integer", "examples": ["bad"], "default": "also bad", "minimum": 3, "maximum": 3},
    True,
    {},
]  # fmt: skip


def _validator(schema: Any) -> Draft202012Validator:
    document = {**schema, "$defs": DEFS} if isinstance(schema, dict) else schema
    return Draft202012Validator(document, format_checker=Draft202012Validator.FORMAT_CHECKER)


@pytest.mark.parametrize("schema", SCHEMAS, ids=lambda s: json.dumps(s)[:60])
def test_values_validate_against_their_schema(schema: Any) -> None:
    fake = FakeData(DEFS)
    validator = _validator(schema)
    for key in range(8):
        value = fake.generate(schema, key=str(key))
        assert list(validator.iter_errors(value)) == [], value


def test_same_seed_and_key_give_the_same_value_across_instances() -> None:
    schema = {"$ref": "#/$defs/Pet"}
    first = FakeData(DEFS, seed=3).generate(schema, key="getPet/200")
    assert FakeData(DEFS, seed=3).generate(schema, key="getPet/200") == first
    assert FakeData(DEFS, seed=3).generate(schema, key="getPet/200") is not first


def test_same_seed_and_key_give_the_same_value_across_processes() -> None:
    script = (
        "import json, sys; from mockc.runtime.fake import FakeData; "
        "defs = json.loads(sys.argv[1]); "
        "print(json.dumps(FakeData(defs, seed=3).generate({'$ref': '#/$defs/Pet'}, key='k')))"
    )
    outputs = {
        subprocess.run(
            [sys.executable, "-c", script, json.dumps(DEFS)],
            capture_output=True,
            text=True,
            check=True,
            env={"PYTHONHASHSEED": str(hash_seed)},
        ).stdout
        for hash_seed in (1, 2)
    }
    local = json.dumps(FakeData(DEFS, seed=3).generate({"$ref": "#/$defs/Pet"}, key="k"))
    assert outputs == {local + "\n"}


def test_different_keys_and_seeds_give_different_values() -> None:
    schema = {"$ref": "#/$defs/Pet"}
    fake = FakeData(DEFS)
    values = {json.dumps(fake.generate(schema, key=f"op/200/id={n}")) for n in range(20)}
    assert len(values) == 20
    assert FakeData(DEFS, seed=1).generate(schema) != FakeData(DEFS, seed=2).generate(schema)


def test_values_look_realistic_by_property_name() -> None:
    person = FakeData(DEFS).generate({"$ref": "#/$defs/Person"}, key="p")
    assert "@" in person["email"]
    assert person["first_name"][0].isupper() and " " not in person["first_name"]
    assert person["website"].startswith("https://")
    assert any(ch.isdigit() for ch in person["phone"])
    assert "password" not in person  # optional writeOnly properties are left out


def test_recursion_terminates_and_shrinks_with_depth() -> None:
    def depth(node: Any) -> int:
        children = node["children"] + ([node["parent"]] if node.get("parent") else [])
        return 1 + max((depth(child) for child in children), default=0)

    for max_depth in (0, 2, 5):
        node = FakeData(DEFS, max_depth=max_depth).generate({"$ref": "#/$defs/Node"})
        assert list(_validator({"$ref": "#/$defs/Node"}).iter_errors(node)) == []
        assert depth(node) <= max_depth + 1


def test_all_of_is_merged_deeply() -> None:
    value = FakeData(DEFS).generate({"$ref": "#/$defs/Extended"})
    assert {"id", "label"} <= set(value)
    assert 4 <= len(value["label"]) <= 5
    assert 10 <= value["size"] <= 20


def test_discriminator_names_the_chosen_branch() -> None:
    fake = FakeData(DEFS)
    values = [fake.generate({"$ref": "#/$defs/Animal"}, key=str(n)) for n in range(12)]
    tags = {value["petType"] for value in values}
    assert tags == {"cat", "Dog"}
    for value in values:
        assert ("meows" in value) == (value["petType"] == "cat")


def test_discriminator_on_a_base_with_subtypes_that_extend_it() -> None:
    defs = {
        "Pet": {
            "type": "object",
            "required": ["kind"],
            "properties": {"kind": {"type": "string"}},
            "oneOf": [{"$ref": "#/$defs/Cat"}, {"$ref": "#/$defs/Dog"}],
            "discriminator": {"propertyName": "kind"},
        },
        "Cat": {"allOf": [{"$ref": "#/$defs/Pet"}, {"properties": {"kind": {"const": "Cat"}}}]},
        "Dog": {"allOf": [{"$ref": "#/$defs/Pet"}, {"properties": {"kind": {"const": "Dog"}}}]},
    }
    fake = FakeData(defs)
    kinds = {fake.generate({"$ref": "#/$defs/Pet"}, key=str(n))["kind"] for n in range(10)}
    assert kinds == {"Cat", "Dog"}
    assert fake.generate({"$ref": "#/$defs/Dog"}) == {"kind": "Dog"}


def test_one_of_picks_a_value_valid_for_exactly_one_branch() -> None:
    schema = {"oneOf": [{"type": "number"}, {"type": "integer", "minimum": 0}]}
    for key in range(10):
        value = FakeData({}).generate(schema, key=str(key))
        assert list(_validator(schema).iter_errors(value)) == []


def test_examples_are_preferred_only_when_valid() -> None:
    fake = FakeData({})
    assert fake.generate({"type": "string", "examples": ["ex"], "default": "d"}) == "ex"
    assert fake.generate({"type": "string", "examples": [1], "default": "d"}) == "d"
    assert fake.generate({"type": "string", "format": "email", "examples": ["nope"]}) != "nope"


@pytest.mark.parametrize(
    "schema",
    [
        {"type": "integer", "minimum": 5, "maximum": 1},
        {"type": "string", "minLength": 5, "maxLength": 2, "pattern": "^a$"},
        {"allOf": [{"type": "string"}, {"type": "integer"}]},
        {"not": {}},
        False,
        {"$ref": "#/$defs/Missing"},
        {"$ref": "https://example.com/elsewhere.json"},
        {"type": "object", "required": ["self"], "properties": {"self": {"$ref": "#/$defs/Loop"}}},
        {"oneOf": [{"type": "string"}, {"type": "string"}]},
        {"type": "array", "items": {"enum": [1]}, "uniqueItems": True, "minItems": 3},
        {"type": "string", "pattern": "("},
    ],
    ids=lambda s: json.dumps(s)[:50],
)
def test_contradictions_give_a_best_effort_value_without_raising(schema: Any) -> None:
    defs = {
        "Loop": {
            "type": "object",
            "required": ["next"],
            "properties": {"next": {"$ref": "#/$defs/Loop"}},
        }
    }
    started = time.process_time()  # CPU time: a busy machine does not stretch it
    FakeData(defs).generate(schema, key="k")
    assert time.process_time() - started < 2


def test_a_medium_object_is_generated_quickly() -> None:
    fake = FakeData(DEFS)
    fake.generate({"$ref": "#/$defs/Pet"}, key="warm-up")
    started = time.process_time()  # CPU time: a busy machine does not stretch it
    for key in range(100):
        fake.generate({"$ref": "#/$defs/Pet"}, key=str(key))
    assert (time.process_time() - started) / 100 < 0.002
