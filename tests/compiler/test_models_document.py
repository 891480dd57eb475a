"""The JSON Schema document models.py is generated from: names decided once,
references rewritten, nothing outside the document referred to."""

from __future__ import annotations

from mockc.compiler import ir
from mockc.compiler.models.document import build_document


def _api(*schemas: tuple[str, object]) -> ir.Api:
    return ir.Api(
        name="names",
        schemas=tuple(ir.NamedSchema(name=name, schema=schema) for name, schema in schemas),
    )


def test_schema_names_become_unique_class_names_that_models_py_does_not_use() -> None:
    document = build_document(
        _api(
            ("Reply", {"type": "string"}),
            ("routeguide.Point", {"type": "object"}),
            ("pet", {"type": "object"}),
            ("Pet", {"type": "object"}),
            ("Any", {"type": "integer"}),
        )
    )
    assert list(document.schema["$defs"]) == ["Reply2", "RouteguidePoint", "Pet", "Pet2", "Any2"]


def test_references_are_renamed_and_outside_references_dropped() -> None:
    document = build_document(
        _api(
            ("routeguide.Point", {"type": "object"}),
            (
                "routeguide.Feature",
                {
                    "type": "object",
                    "$id": "https://example.com/feature",
                    "properties": {
                        "location": {"$ref": "#/$defs/routeguide.Point"},
                        "other": {"$ref": "other.json#/Thing"},
                        "gone": {"$ref": "#/$defs/Nowhere"},
                    },
                },
            ),
        )
    )
    feature = document.schema["$defs"]["RouteguideFeature"]
    assert feature == {
        "type": "object",
        "properties": {
            "location": {"$ref": "#/$defs/RouteguidePoint"},
            "other": {},
            "gone": {},
        },
    }
