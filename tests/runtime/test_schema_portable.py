"""portable() skips walking a schema whose JSON text holds no ``"pattern``;
what it answers must be what the full walk answers, on real specs too."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from mockc.compiler import ir
from mockc.compiler.driver import compile_specs
from mockc.runtime.schema_validators import (
    DEFS_URI,
    FALLBACK_PATTERN,
    SchemaCompileError,
    _portable,
    compile_validator,
    defs_registry,
    portable,
)
from tests.support.corpus import CORPUS

SPECS = [
    CORPUS / "openapi/slack-web-api-v2/slack_web_openapi_v2.json",
    CORPUS / "openapi/digitalocean-multifile/specification/DigitalOcean-public.v2.yaml",
    CORPUS / "openapi/oai-uspto-v3/uspto.yaml",
]


def _walked(schema: Any) -> tuple[Any, list[Any]]:
    problems: list[Any] = []
    return _portable(schema, "", problems), problems


@pytest.mark.parametrize("spec", SPECS, ids=lambda spec: spec.parent.name)
def test_portable_answers_what_the_full_walk_answers(spec: Path) -> None:
    api = compile_specs([spec]).api
    for named in api.schemas:
        schema = ir.thaw(named.schema)
        assert portable(schema) == _walked(schema), named.name


def test_a_refused_pattern_is_still_moved_to_the_fallback() -> None:
    schema = {"type": "object", "properties": {"a": {"type": "string", "pattern": "^.{0,262144}$"}}}
    moved, problems = portable(schema)
    assert moved["properties"]["a"] == {"type": "string", FALLBACK_PATTERN: "^.{0,262144}$"}
    assert [problem.pointer for problem in problems] == ["/properties/a/pattern"]


def test_a_schema_without_patterns_is_returned_itself() -> None:
    schema = {"type": "object", "properties": {"a": {"type": "string", "example": "x"}}}
    assert portable(schema) == (schema, [])
    assert portable(schema)[0] is schema


def test_a_schema_json_cannot_write_is_walked() -> None:
    schema = {"type": "object", "properties": {1: {"pattern": "^.{0,262144}$"}}}
    moved, problems = portable(schema)
    assert len(problems) == 1
    assert moved["properties"][1] == {FALLBACK_PATTERN: "^.{0,262144}$"}


def test_the_registry_names_refused_patterns_of_named_schemas() -> None:
    seen: list[str] = []
    defs = {
        "a/b": {"type": "string", "pattern": "^.{0,262144}$"},
        "Plain": {"type": "integer"},
    }
    registry = defs_registry(defs, on_problem=lambda problem: seen.append(problem.pointer))
    assert seen == ["/$defs/a~1b/pattern"]
    validator = compile_validator({"$ref": DEFS_URI + "#/$defs/Plain"}, registry=registry)
    assert validator.is_valid(3)
    assert not validator.is_valid("x")


def test_named_schemas_jsonschema_rs_cannot_read_are_a_compile_error() -> None:
    with pytest.raises(SchemaCompileError, match="named schemas cannot be read"):
        defs_registry({"Text": {"type": "string", "description": "\ud800"}})
