"""The GraphQL front end: SDL (several files merged) and introspection results to the IR."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

import pytest
from graphql import (
    build_schema,
    introspection_from_schema,
)

from mockc.compiler import ir
from mockc.compiler.driver import compile_specs
from mockc.compiler.frontends.graphql import load_all
from mockc.compiler.frontends.graphql.reading import read_schema
from mockc.compiler.frontends.registry import front_end_for
from tests.support.corpus import CORPUS

GRAPHQL = CORPUS / "graphql"
CORPUS_SCHEMAS = sorted(GRAPHQL.glob("*/schema.graphql"))
SWAPI = GRAPHQL / "swapi" / "schema.graphql"


@cache
def _loaded(path: Path) -> tuple[ir.Api, tuple]:
    warnings: list = []
    return load_all([path], warnings=warnings), tuple(warnings)


@pytest.mark.parametrize("path", CORPUS_SCHEMAS, ids=lambda path: path.parent.name)
def test_every_corpus_schema_loads_and_survives_the_json_round_trip(path: Path) -> None:
    api, _ = _loaded(path)
    schema = read_schema([path], []).schema
    roots = [
        (root, name)
        for root in ("query", "mutation", "subscription")
        for name in (
            getattr(schema, f"{root}_type").fields if getattr(schema, f"{root}_type") else ()
        )
    ]
    assert [
        (op.binding.root, op.binding.field)  # type: ignore[union-attr]
        for op in api.operations
    ] == roots
    assert len({op.id for op in api.operations}) == len(api.operations)
    assert all(op.id.isidentifier() for op in api.operations)
    assert ir.api_from_json(json.loads(json.dumps(ir.to_json(api)))) == api
    assert api.spec_format == "graphql"
    assert api.name == path.parent.name


def test_swapi_person_is_the_operation_docs_ir_md_shows() -> None:
    api = load_all([SWAPI])
    person = api.operation("query_person")
    assert person.shape is ir.Shape.UNARY
    assert person.binding == ir.GraphqlBinding(root="query", field="person", return_type="Person")
    assert ir.thaw(person.input.contents[0].schema) == {  # type: ignore[union-attr]
        "type": "object",
        "properties": {
            "id": {"type": ["string", "null"], "x-graphql-type": "ID"},
            "personID": {"type": ["string", "null"], "x-graphql-type": "ID"},
        },
        "additionalProperties": False,
    }
    output = person.outputs[0]
    assert output.key == "data"
    assert ir.thaw(output.message.contents[0].schema) == {
        "anyOf": [{"$ref": "#/$defs/Person"}, {"type": "null"}]
    }
    assert person.source == ir.Source(file=str(SWAPI), pointer="/Root/person", line=647, column=3)
    assert ir.thaw(api.extensions) == {"x-graphql": {"operations": {"query": "Root"}}}


def test_types_map_to_annotated_json_schema() -> None:
    schemas = load_all([SWAPI]).schema_map()
    person = ir.thaw(schemas["Person"])
    assert person["type"] == "object"
    assert person["required"] == ["id"]
    assert person["x-graphql"] == {"kind": "OBJECT", "implements": ["Node"]}
    assert person["properties"]["height"] == {
        "type": ["integer", "null"],
        "format": "int32",
        "x-graphql-type": "Int",
        "description": "The height of the person in centimeters.",
    }
    films = person["properties"]["filmConnection"]
    assert films["anyOf"] == [{"$ref": "#/$defs/PersonFilmsConnection"}, {"type": "null"}]
    assert films["x-graphql-args"]["properties"]["first"] == {
        "type": ["integer", "null"],
        "format": "int32",
        "x-graphql-type": "Int",
    }
    node = ir.thaw(schemas["Node"])
    assert node["x-graphql"] == {"kind": "INTERFACE"}
    assert {"$ref": "#/$defs/Person"} in node["anyOf"]


def test_every_kind_of_type(tmp_path: Path) -> None:
    spec = tmp_path / "kinds.graphql"
    spec.write_text(
        """
        "The schema"
        schema { query: Q mutation: M }
        directive @cached(ttl: Int = 60) repeatable on FIELD | QUERY
        scalar DateTime @specifiedBy(url: "https://example.com/rfc3339")
        scalar Mystery
        enum Color { RED "the sea" BLUE OLD @deprecated(reason: "gone") }
        union Thing = A | B
        type A { a: [Int!]! }
        type B { b(format: Color = RED, tags: [String!] = ["x"]): DateTime @deprecated }
        input Filter @oneOf { id: ID name: String }
        type Q { things(filter: Filter): [Thing] mystery: Mystery }
        type M { paint(color: Color!): Color! }
        """
    )
    api = load_all([spec])
    schemas = {name: ir.thaw(schema) for name, schema in api.schema_map().items()}
    assert api.description == "The schema"
    assert schemas["DateTime"] == {
        "type": "string",
        "format": "date-time",
        "x-graphql": {"kind": "SCALAR", "specifiedBy": "https://example.com/rfc3339"},
    }
    assert schemas["Mystery"] == {"type": "string", "x-graphql": {"kind": "SCALAR"}}
    assert schemas["Color"] == {
        "type": "string",
        "enum": ["RED", "BLUE", "OLD"],
        "x-graphql": {
            "kind": "ENUM",
            "values": {
                "BLUE": {"description": "the sea"},
                "OLD": {"deprecated": True, "x-graphql-deprecated": "gone"},
            },
        },
    }
    assert schemas["Thing"] == {
        "anyOf": [{"$ref": "#/$defs/A"}, {"$ref": "#/$defs/B"}],
        "x-graphql": {"kind": "UNION"},
    }
    assert schemas["A"]["properties"]["a"]["type"] == "array"
    b_field = schemas["B"]["properties"]["b"]
    assert b_field["x-graphql-deprecated"] == "No longer supported"
    assert b_field["x-graphql-args"]["properties"]["format"]["default"] == "RED"
    assert b_field["x-graphql-args"]["properties"]["format"]["x-graphql-default"] == "RED"
    assert b_field["x-graphql-args"]["properties"]["tags"]["x-graphql-default"] == '["x"]'
    assert schemas["Filter"]["x-graphql"] == {"kind": "INPUT_OBJECT", "oneOf": True}
    assert schemas["Filter"]["maxProperties"] == 1
    assert ir.thaw(api.extensions)["x-graphql"] == {
        "operations": {"query": "Q", "mutation": "M"},
        "directives": [
            {
                "name": "cached",
                "locations": ["FIELD", "QUERY"],
                "repeatable": True,
                "args": {
                    "type": "object",
                    "properties": {
                        "ttl": {
                            "type": ["integer", "null"],
                            "format": "int32",
                            "x-graphql-type": "Int",
                            "default": 60,
                            "x-graphql-default": "60",
                        }
                    },
                    "additionalProperties": False,
                },
            }
        ],
    }
    paint = api.operation("mutation_paint")
    assert paint.input is not None and paint.input.required
    assert paint.binding == ir.GraphqlBinding(root="mutation", field="paint", return_type="Color!")


def test_several_files_make_one_schema_and_extend_type_works_across_them(
    tmp_path: Path,
) -> None:
    (tmp_path / "a.graphql").write_text("type Query { a: String }\ntype User { id: ID! }\n")
    (tmp_path / "b.graphqls").write_text(
        "extend type Query {\n  user: User\n}\nextend type User { name: String }\n"
        "type Subscription { ticks: Int! }\n"
    )
    api = compile_specs([tmp_path / "a.graphql", tmp_path / "b.graphqls"]).api
    assert [op.id for op in api.operations] == ["query_a", "query_user", "subscription_ticks"]
    assert api.operation("subscription_ticks").shape is ir.Shape.SERVER_STREAM
    user = api.operation("query_user")
    assert user.source == ir.Source(
        file=str(tmp_path / "b.graphqls"), pointer="/Query/user", line=2, column=3
    )
    assert list(ir.thaw(api.schema_map()["User"])["properties"]) == ["id", "name"]
    assert api.sources == (str(tmp_path / "a.graphql"), str(tmp_path / "b.graphqls"))


def test_an_introspection_result_loads_like_the_sdl(tmp_path: Path) -> None:
    schema = build_schema(SWAPI.read_text())
    exported = tmp_path / "introspection.json"
    exported.write_text(json.dumps({"data": introspection_from_schema(schema)}, indent=1))
    assert front_end_for(exported).name == "graphql"
    api = compile_specs([exported]).api
    sdl_api = load_all([SWAPI])
    assert [op.id for op in api.operations] == [op.id for op in sdl_api.operations]
    assert api.schema_map()["Person"] == sdl_api.schema_map()["Person"]
    person = api.operation("query_person")
    assert person.source is not None and person.source.file == str(exported)
    assert person.source.pointer.startswith("/data/__schema/types/")
    assert person.source.pointer.endswith("/fields/3")
    assert api.name.isidentifier()


def test_sdl_files_extend_an_introspection_result(tmp_path: Path) -> None:
    schema = build_schema("type Query { a: Int }")
    exported = tmp_path / "api.json"
    exported.write_text(json.dumps(introspection_from_schema(schema)))
    extra = tmp_path / "extra.graphql"
    extra.write_text("extend type Query { b: String }")
    api = compile_specs([exported, extra]).api
    assert [op.id for op in api.operations] == ["query_a", "query_b"]


def test_the_github_schema_is_repaired_with_warnings() -> None:
    path = GRAPHQL / "github" / "schema.graphql"
    api, warnings = _loaded(path)
    duplicates = [w for w in warnings if "can only be defined once" in w.message]
    assert [(w.line, w.column) for w in duplicates] == [(15153, 3), (15158, 3)]
    assert all(w.level == "warning" and w.file == str(path) for w in warnings)
    fields = ir.thaw(api.schema_map()["EnterpriseOwnerInfo"])["properties"]
    assert "repositoryDeployKeySetting" in fields


def test_openapi_json_is_still_read_by_the_openapi_front_end(tmp_path: Path) -> None:
    spec = tmp_path / "api.json"
    spec.write_text('{"openapi": "3.0.0", "info": {"title": "x", "version": "1"}, "paths": {}}')
    assert front_end_for(spec).name == "openapi"
    graphql_named = tmp_path / "schema.gql"
    graphql_named.write_text("# a comment first\ntype Query { a: Int }\n")
    assert front_end_for(graphql_named).name == "graphql"
