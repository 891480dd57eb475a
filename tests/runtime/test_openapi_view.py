"""OpenAPI's discriminator and integer formats, applied by a plain JSON Schema validator
through the rewritten schema view."""

from __future__ import annotations

from typing import Any

import jsonschema_rs
import pytest

from mockc.runtime.discriminator import dispatch_table
from mockc.runtime.openapi_view import openapi_view, with_openapi_view
from mockc.runtime.schema_refs import referenced_defs

DEFS: dict[str, Any] = {
    "Cat": {
        "type": "object",
        "required": ["kind"],
        "properties": {"kind": {"type": "string"}, "purrs": {"type": "boolean"}},
    },
    "Dog": {
        "type": "object",
        "required": ["kind"],
        "properties": {"kind": {"type": "string"}, "barks": {"type": "boolean"}},
    },
}
PET = {
    "oneOf": [{"$ref": "#/$defs/Cat"}, {"$ref": "#/$defs/Dog"}],
    "discriminator": {"propertyName": "kind", "mapping": {"cat": "#/$defs/Cat"}},
}


def _valid(schema: Any, value: Any) -> bool:
    view, defs = with_openapi_view(schema, DEFS)
    document = {**view, "$defs": referenced_defs(view, defs)}
    return bool(jsonschema_rs.Draft202012Validator(document).is_valid(value))


def test_plain_oneof_refuses_overlapping_branches() -> None:
    document = {**PET, "$defs": DEFS}
    assert not jsonschema_rs.Draft202012Validator(document).is_valid({"kind": "cat"})


@pytest.mark.parametrize(
    ("value", "valid"),
    [
        ({"kind": "cat", "purrs": True}, True),
        ({"kind": "Dog", "barks": False}, True),  # implicit: the schema's name
        ({"kind": "CAT", "purrs": True}, True),  # then without regard to case
        ({"kind": "CAT", "purrs": "yes"}, False),
        ({"kind": "cat", "purrs": "yes"}, False),
        ({"purrs": True}, False),  # OpenAPI requires the property
        ({"kind": "horse"}, False),  # names nothing: plain oneOf, ambiguous here
        ("cat", False),
    ],
)
def test_discriminator_chooses_the_branch(value: Any, valid: bool) -> None:
    assert _valid(PET, value) is valid


def test_inline_branches_leave_the_schema_alone() -> None:
    schema = {
        "oneOf": [{"type": "object"}, {"$ref": "#/$defs/Cat"}],
        "discriminator": {"propertyName": "kind"},
    }
    assert dispatch_table(schema) is None
    assert openapi_view(schema) is schema


def test_the_view_never_mutates_and_shares_unchanged_nodes() -> None:
    schema = {"type": "object", "properties": {"pet": PET, "name": {"type": "string"}}}
    view = openapi_view(schema)
    assert view is not schema
    assert view["properties"]["name"] is schema["properties"]["name"]
    assert schema["properties"]["pet"] is PET and "oneOf" in PET


def test_discriminators_inside_defs_are_rewritten() -> None:
    defs = {"Pet": PET, **DEFS}
    view, lazy = with_openapi_view({"$ref": "#/$defs/Pet"}, defs)
    assert "oneOf" not in lazy["Pet"]
    document = {**view, "$defs": referenced_defs(view, lazy)}
    assert jsonschema_rs.Draft202012Validator(document).is_valid({"kind": "cat"})


@pytest.mark.parametrize(
    ("schema", "value", "valid"),
    [
        ({"type": "integer", "format": "int32"}, 2**31 - 1, True),
        ({"type": "integer", "format": "int32"}, 2**31, False),
        ({"type": "integer", "format": "int64"}, -(2**63), True),
        ({"type": "integer", "format": "int64"}, 2**63, False),
        ({"type": "integer", "format": "int64", "maximum": 10}, 11, False),
        ({"type": "integer", "format": "int64", "minimum": 1}, 0, False),
        ({"enum": [{"format": "int32"}]}, {"format": "int32"}, True),  # data, not schema
    ],
)
def test_integer_formats_are_bounded(schema: Any, value: Any, valid: bool) -> None:
    view = openapi_view(schema)
    assert bool(jsonschema_rs.Draft202012Validator(view).is_valid(value)) is valid
