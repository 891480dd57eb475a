"""Schema helpers shared by the runtime and the compiler's passes."""

from __future__ import annotations

import types

from mockc.runtime.schema_refs import referenced_defs

DEFS = {"Pet": {"properties": {"owner": {"$ref": "#/$defs/Owner"}}}, "Owner": {}, "Other": {}}


def test_referenced_defs_follow_refs_transitively() -> None:
    assert list(referenced_defs({"items": {"$ref": "#/$defs/Pet"}}, DEFS)) == ["Owner", "Pet"]


def test_a_ref_inside_example_data_is_not_followed() -> None:
    schema = {
        "$ref": "#/$defs/Owner",
        "examples": [{"$ref": "#/$defs/Other"}],
        "default": {"$ref": "#/$defs/Pet"},
    }
    assert list(referenced_defs(schema, DEFS)) == ["Owner"]


def test_read_only_mappings_and_tuples_are_walked_too() -> None:
    frozen = types.MappingProxyType({"anyOf": ({"$ref": "#/$defs/Pet"},)})
    assert list(referenced_defs(frozen, DEFS)) == ["Owner", "Pet"]
