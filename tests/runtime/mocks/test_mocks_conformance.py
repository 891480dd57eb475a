"""Mocks checked against their operation: statuses it cannot answer are errors,
bodies its response schema refutes are warnings naming the field, and every
problem of a file is reported in one run."""

from __future__ import annotations

from pathlib import Path

import pytest
from mock_kit import Server, http_operation

from mockc.runtime.engine import Content, Output
from mockc.runtime.mocks import MockError, validate_mock_folder

DEFS = {
    "Pet": {
        "type": "object",
        "required": ["id", "name"],
        "properties": {
            "id": {"type": "integer"},
            "name": {"type": "string"},
            "tags": {"type": "array", "items": {"type": "string"}},
            "kind": {"oneOf": [{"const": "cat"}, {"const": "dog"}]},
        },
        "additionalProperties": False,
    },
    "Error": {"type": "object", "required": ["code"], "properties": {"code": {"type": "integer"}}},
}
PET = {"$ref": "#/$defs/Pet"}
ERROR = {"$ref": "#/$defs/Error"}
OPERATIONS = {
    "getPet": http_operation(
        "getPet",
        (
            Output("200", (Content("application/json", PET),)),
            Output("default", (Content("application/json", ERROR),)),
        ),
    ),
    "deletePet": http_operation("deletePet", (Output("204"),)),
    "SayHello": http_operation("SayHello", (Output("OK", (Content("application/grpc", PET),)),)),
}


def problems(server: Server, text: str, *, defs: bool = True) -> list[str]:
    server.mock("m.yaml", text)
    found = validate_mock_folder(server.root / "mocks", OPERATIONS, DEFS if defs else None)
    return [problem.render().removeprefix(f"{server.root / 'mocks'}/") for problem in found]


@pytest.mark.parametrize(
    ("response", "message"),
    [
        (
            'status: "abc"',
            "2:20: status 'abc' is not an HTTP status (200-599); operation "
            "'getPet' answers over HTTP",
        ),
        (
            'status: "999"',
            "2:20: status '999' is not an HTTP status (200-599); operation "
            "'getPet' answers over HTTP",
        ),
        (
            "status: 101",
            "2:20: status 101 is informational; a response needs a status from 200 to 599",
        ),
        (
            "fault: {kind: error, status: NOT_FOUND}",
            "2:41: status 'NOT_FOUND' is not an HTTP "
            "status (200-599); operation 'getPet' answers over HTTP",
        ),
    ],
)
def test_statuses_an_http_operation_cannot_answer_are_errors(
    server: Server, response: str, message: str
) -> None:
    assert problems(server, f"operation: getPet\nresponse: {{{response}}}\n") == [
        f"m.yaml:{message}"
    ]


def test_status_names_stay_valid_for_other_protocols(server: Server) -> None:
    assert problems(server, "operation: SayHello\nresponse: {status: NOT_FOUND}\n") == [
        "m.yaml:2:20: warning: operation 'SayHello' declares no response NOT_FOUND (declared: OK)"
    ]


def test_a_body_on_a_status_without_one_is_an_error(server: Server) -> None:
    assert problems(server, "operation: deletePet\nresponse: {body: {a: 1}}\n") == [
        "m.yaml:2:12: status 204 has no body; remove 'body' or choose another status"
    ]


def test_a_body_its_schema_refutes_is_a_warning_naming_the_field(server: Server) -> None:
    text = (
        "operation: getPet\n"
        "response:\n"
        "  body:\n"
        "    id: seven\n"
        "    name: Tom\n"
        "    tags: [1]\n"
        "    color: red\n"
    )
    assert problems(server, text) == [
        "m.yaml:4:5: warning: response.body: Additional properties are not allowed ('color' "
        "was unexpected) (the 200 application/json response schema of 'getPet')",
        'm.yaml:4:9: warning: response.body.id: "seven" is not of type "integer" (the 200 '
        "application/json response schema of 'getPet')",
        'm.yaml:6:12: warning: response.body.tags[0]: 1 is not of type "string" (the 200 '
        "application/json response schema of 'getPet')",
    ]
    assert problems(server, text, defs=False) == []


def test_error_bodies_are_checked_against_their_status_schema(server: Server) -> None:
    text = "operation: getPet\nresponses:\n  - {status: 404, body: {code: x}}\n"
    assert problems(server, text) == [
        'm.yaml:3:32: warning: responses[0].body.code: "x" is not of type "integer" (the '
        "404 application/json response schema of 'getPet')"
    ]


def test_templates_are_not_judged_but_what_is_static_around_them_is(server: Server) -> None:
    text = (
        "operation: getPet\n"
        "response:\n"
        "  body: {id: '{{ request.path.id }}', kind: '{{ request.query.kind }}', tags: $.body.t}\n"
    )
    assert problems(server, text) == [
        'm.yaml:3:9: warning: response.body: "name" is a required property (the 200 '
        "application/json response schema of 'getPet')"
    ]


def test_every_problem_of_a_file_is_reported_in_one_run(server: Server) -> None:
    text = (
        "operation: getPet\n"
        "priority: high\n"
        "responses:\n"
        "  - {status: abc}\n"
        "  - {body: {id: x, name: Tom}}\n"
        '  - {headers: {X-A: "a\\nb"}}\n'
    )
    assert problems(server, text) == [
        "m.yaml:2:11: priority must be an integer, found text 'high'",
        "m.yaml:4:14: status 'abc' is not an HTTP status (200-599); operation 'getPet' "
        "answers over HTTP",
        'm.yaml:5:17: warning: responses[1].body.id: "x" is not of type "integer" (the 200 '
        "application/json response schema of 'getPet')",
        "m.yaml:6:22: the value of header 'X-A' holds the control character U+000A; header "
        "values cannot hold NUL, CR, LF or other controls",
    ]


def test_the_registry_refuses_invalid_statuses_and_keeps_warnings(server: Server) -> None:
    registry = server.registry(operations=OPERATIONS, defs=DEFS)
    with pytest.raises(MockError) as refused:
        registry.create_mock({"operation": "getPet", "response": {"status": "abc"}})
    assert "status 'abc' is not an HTTP status" in str(refused.value)
    listing = registry.create_mock(
        {"operation": "getPet", "response": {"body": {"id": "x", "name": "Tom"}}}
    )
    assert listing["served"] is True
    assert "is not of type" in listing["problems"][0]


def test_a_file_with_an_invalid_status_is_not_served(server: Server, tmp_path: Path) -> None:
    server.mock("bad.yaml", "operation: getPet\nresponse: {status: abc}\n")
    registry = server.registry(operations=OPERATIONS, defs=DEFS)
    assert registry.active_mock_count == 0
    assert [problem.line for problem in registry.problems()] == [2]


def test_a_crud_preset_that_cannot_find_ids_is_an_error(server: Server) -> None:
    operations = {
        "getThing": http_operation(
            "getThing", (Output("200", (Content("application/json", PET),)),), path=("thingId",)
        ),
        "search": http_operation(
            "search",
            (Output("200", (Content("application/json", PET),)),),
            query=(("q", {}),),
            path=(),
        ),
    }
    server.mock("a.yaml", "operation: search\ncrud: {collection: c, action: get}\n")
    server.mock("b.yaml", "operation: getThing\ncrud: {collection: c, action: get, id_param: x}\n")
    server.mock("c.yaml", "operation: search\ncrud: {collection: c, action: get, id_param: q}\n")
    server.mock("d.yaml", "operation: search\ncrud: {collection: c, action: list}\n")
    found = validate_mock_folder(server.root / "mocks", operations, DEFS)
    assert [(Path(problem.file).name, problem.line, problem.message) for problem in found] == [
        (
            "a.yaml",
            2,
            "crud action get needs the record's id, but operation 'search' has no path "
            "parameter; set crud.id_param to a query parameter",
        ),
        (
            "b.yaml",
            2,
            "crud.id_param 'x' is not a path or query parameter of 'getThing' (declared: thingId)",
        ),
    ]


def test_a_media_type_with_control_characters_is_an_error(server: Server) -> None:
    text = 'operation: getPet\nresponse: {media_type: "application/json; a=\\0"}\n'
    assert problems(server, text) == [
        "m.yaml:2:25: the value of header 'Content-Type' holds the control character U+0000; "
        "header values cannot hold NUL, CR, LF or other controls"
    ]


def test_the_registry_refuses_documents_that_cannot_be_files(server: Server) -> None:
    registry = server.registry(operations=OPERATIONS, defs=DEFS)
    deep: object = 1
    for _ in range(2000):
        deep = [deep]
    for body, message in (
        ({"\ud800": 1}, "surrogate"),
        ("x\udfff", "surrogate"),
        (deep, "nested more than 64 levels deep"),
    ):
        with pytest.raises(MockError) as refused:
            registry.create_mock({"operation": "getPet", "response": {"body": body}})
        assert message in str(refused.value)
    assert registry.list_mocks() == []
