"""Bad GraphQL schemas: every fault is reported with its file, line and column."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from mockc.compiler.driver import compile_specs
from mockc.compiler.errors import SpecError


def _errors(tmp_path: Path, files: dict[str, str]) -> list[str]:
    paths = []
    for name, text in files.items():
        path = tmp_path / name
        path.write_text(text)
        paths.append(path)
    with pytest.raises(SpecError) as raised:
        compile_specs(paths)
    return [
        d.render(excerpt=False).replace(str(tmp_path) + "/", "") for d in raised.value.diagnostics
    ]


def test_a_syntax_error_names_the_file_line_and_column(tmp_path: Path) -> None:
    assert _errors(tmp_path, {"s.graphql": "type Query {\n  a: Int\n  b(: String\n}\n"}) == [
        "s.graphql:3:5: error: syntax error: Expected Name, found ':'."
    ]


def test_syntax_errors_of_every_file_are_reported(tmp_path: Path) -> None:
    found = _errors(tmp_path, {"a.graphql": "type Query {", "b.graphql": "type B { x: }"})
    assert found == [
        "a.graphql:1:13: error: syntax error: Expected Name, found <EOF>.",
        "b.graphql:1:13: error: syntax error: Expected Name, found '}'.",
    ]


def test_sdl_errors_point_into_the_file_that_has_them(tmp_path: Path) -> None:
    found = _errors(
        tmp_path,
        {
            "a.graphql": "type Query { user: User }\ntype User { id: ID! }\n",
            "b.graphql": "type User { name: String }\nextend type Query { pet: Pet }\n",
        },
    )
    assert found == [
        "b.graphql:1:6: error: There can be only one type named 'User'.",
        "b.graphql:2:26: error: Unknown type 'Pet'. Did you mean 'Int'?",
    ]


def test_schema_errors_are_located(tmp_path: Path) -> None:
    found = _errors(
        tmp_path,
        {
            "s.graphql": "type Query { a: Int }\ninterface I { x: Int }\n"
            "type T implements I { y: Int }\n"
        },
    )
    assert found == [
        "s.graphql:2:15: error: Interface field I.x expected but T does not provide it."
    ]


def test_an_operation_in_a_schema_file_is_refused(tmp_path: Path) -> None:
    found = _errors(tmp_path, {"s.graphql": "type Query { a: Int }\nquery Q { a }\n"})
    assert found == [
        "s.graphql:2:7: error: a schema file holds type definitions, not operations or "
        "fragments (operation definition)"
    ]


def test_a_schema_without_a_query_type(tmp_path: Path) -> None:
    found = _errors(tmp_path, {"s.graphql": "type User { id: ID }\n"})
    assert found == ["s.graphql: error: Query root type must be provided."]


def test_an_empty_schema(tmp_path: Path) -> None:
    found = _errors(tmp_path, {"s.graphql": "# nothing here\n"})
    assert found == ["s.graphql: error: no type definitions: the schema is empty"]


def test_bad_introspection_results(tmp_path: Path) -> None:
    assert _errors(tmp_path, {"a.json": '{"__schema": {"queryType": null, "types": "no"}'}) == [
        "a.json:1:48: error: invalid JSON: Expecting ',' delimiter"
    ]
    found = _errors(tmp_path, {"b.json": json.dumps({"__schema": {"types": []}})})
    assert found == ["b.json: #/__schema: error: Query root type must be provided."]
    found = _errors(tmp_path, {"c.json": json.dumps({"data": {"__schema": {"queryType": 1}}})})
    assert len(found) == 1 and found[0].startswith(
        "c.json: #/data/__schema: error: not a valid introspection result:"
    )


def test_the_error_shows_the_line_and_a_caret(tmp_path: Path) -> None:
    path = tmp_path / "s.graphql"
    path.write_text("type Query {\n  a: Nope\n}\n")
    with pytest.raises(SpecError) as raised:
        compile_specs([path])
    assert raised.value.render().endswith("\n      a: Nope\n         ^")
