"""Schema dialects normalised to JSON Schema 2020-12."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from mockc.compiler import ir
from mockc.compiler.frontends.documents import DocumentStore, Location, Problems
from mockc.compiler.frontends.jsonschema import SchemaDialect, SchemaRegistry


def normalise(
    tmp_path: Path, schema: Any, dialect: SchemaDialect = SchemaDialect.OPENAPI_3_0
) -> tuple[Any, SchemaRegistry, list[Any]]:
    path = tmp_path / "doc.yaml"
    path.write_text("components: {schemas: {Pet: {type: object}}}\n", encoding="utf-8")
    store = DocumentStore()
    root = store.load_entry(path)
    problems = Problems(store)
    registry = SchemaRegistry(store, problems, dialect)
    registry.declare(root.child("components", "schemas", "Pet"), "Pet")
    result = ir.thaw(registry.inline(schema, root.child("inline")))
    warnings: list[Any] = []
    problems.flush_warnings(warnings)
    return result, registry, warnings


@pytest.mark.parametrize(
    ("schema", "expected"),
    [
        ({"type": "string", "nullable": True}, {"type": ["string", "null"]}),
        (
            {"type": "string", "enum": ["a"], "nullable": True},
            {"type": ["string", "null"], "enum": ["a", None]},
        ),
        (
            {"$ref": "#/components/schemas/Pet", "nullable": True},
            {"anyOf": [{"$ref": "#/$defs/Pet"}, {"type": "null"}]},
        ),
        (
            {"allOf": [{"$ref": "#/components/schemas/Pet"}], "nullable": True},
            {"anyOf": [{"allOf": [{"$ref": "#/$defs/Pet"}]}, {"type": "null"}]},
        ),
        (
            {"type": "integer", "maximum": 5, "exclusiveMaximum": True},
            {"type": "integer", "exclusiveMaximum": 5},
        ),
        (
            {"type": "integer", "minimum": 1, "exclusiveMinimum": False},
            {"type": "integer", "minimum": 1},
        ),
        ({"type": "string", "example": "x"}, {"type": "string", "examples": ["x"]}),
        (
            {"$ref": "#/components/schemas/Pet", "description": "ignored in 3.0"},
            {"$ref": "#/$defs/Pet"},
        ),
        (
            {
                "oneOf": [{"$ref": "#/components/schemas/Pet"}, {"type": "string"}],
                "discriminator": {"propertyName": "kind", "mapping": {"pet": "Pet"}},
            },
            {
                "oneOf": [{"$ref": "#/$defs/Pet"}, {"type": "string"}],
                "discriminator": {"propertyName": "kind", "mapping": {"pet": "#/$defs/Pet"}},
            },
        ),
        (
            {"type": ["string", "null"], "readOnly": True, "x-a": 1},
            {"type": ["string", "null"], "readOnly": True, "x-a": 1},
        ),
    ],
)
def test_openapi_30_normalisation(tmp_path: Path, schema: Any, expected: Any) -> None:
    result, _, _ = normalise(tmp_path, schema)
    assert result == expected


def test_31_keeps_siblings_and_booleans(tmp_path: Path) -> None:
    schema = {
        "type": "object",
        "properties": {
            "pet": {"$ref": "#/components/schemas/Pet", "description": "kept"},
            "limited": {"$ref": "#/components/schemas/Pet", "required": ["id"]},
            "anything": True,
        },
    }
    result, _, warnings = normalise(tmp_path, schema, SchemaDialect.OPENAPI_3_1)
    assert result["properties"] == {
        "pet": {"$ref": "#/$defs/Pet", "description": "kept"},
        "limited": {"allOf": [{"$ref": "#/$defs/Pet"}], "required": ["id"]},
        "anything": True,
    }
    assert warnings == []


def test_31_local_defs_are_hoisted(tmp_path: Path) -> None:
    path = tmp_path / "doc.yaml"
    path.write_text(
        "components:\n  schemas:\n    Tree:\n      $defs: {Leaf: {type: string}}\n"
        "      type: array\n      items: {$ref: '#/$defs/Leaf'}\n",
        encoding="utf-8",
    )
    store = DocumentStore()
    root = store.load_entry(path)
    registry = SchemaRegistry(store, Problems(store), SchemaDialect.OPENAPI_3_1)
    registry.declare(root.child("components", "schemas", "Tree"), "Tree")
    schemas = {named.name: ir.thaw(named.schema) for named in registry.named_schemas()}
    assert schemas == {
        "Leaf": {"type": "string"},
        "Tree": {"type": "array", "items": {"$ref": "#/$defs/Leaf"}},
    }


@pytest.mark.parametrize(
    ("schema", "expected", "warning"),
    [
        (
            {"type": "file"},
            {"type": "string", "contentMediaType": "application/octet-stream"},
            "type 'file'",
        ),
        ({"type": "object", "required": True}, {"type": "object"}, "required must be a list"),
        ({"type": "widget"}, {}, "unknown type 'widget'"),
        ({"type": "string", "pattern": "[a-"}, {"type": "string"}, "pattern is not a valid"),
        ({"type": "string", "minLength": -1}, {"type": "string"}, "invalid minLength"),
        ({"properties": ["a"]}, {}, "properties must be a mapping"),
        (
            {"items": [{"type": "string"}, {"type": "null"}]},
            {"anyOf": [{"type": "string"}, {"type": "null"}]},
            "not a list",
        ),
    ],
)
def test_invalid_keywords_are_repaired_with_a_warning(
    tmp_path: Path, schema: Any, expected: Any, warning: str
) -> None:
    result, _, warnings = normalise(tmp_path, schema)
    assert result == expected
    assert len(warnings) == 1 and warning in warnings[0].message
    assert warnings[0].level == "warning" and warnings[0].pointer.startswith("/inline")


def test_ecma_patterns_are_kept(tmp_path: Path) -> None:
    result, _, warnings = normalise(tmp_path, {"type": "string", "pattern": r"^\p{L}+$"})
    assert result["pattern"] == r"^\p{L}+$" and warnings == []


def test_swagger2_items_and_x_nullable(tmp_path: Path) -> None:
    schema = {"type": "array", "items": {"$ref": "#/components/schemas/Pet"}, "x-nullable": True}
    result, _, _ = normalise(tmp_path, schema, SchemaDialect.SWAGGER_2)
    assert result == {"type": ["array", "null"], "items": {"$ref": "#/$defs/Pet"}}


def test_draft7_tuple_items(tmp_path: Path) -> None:
    schema = {"type": "array", "items": [{"type": "string"}], "additionalItems": False}
    result, _, _ = normalise(tmp_path, schema, SchemaDialect.DRAFT_7)
    assert result == {"type": "array", "prefixItems": [{"type": "string"}], "items": False}


def test_location_child_escapes() -> None:
    assert Location("f", "").child("paths", "/a/{b}", 0).pointer == "/paths/~1a~1{b}/0"
