"""Mutated real GraphQL schemas and protos from the corpus never crash the CLI:
``mockc validate`` exits 0, or 1 with a located message (file:line:col or a
JSON pointer); never 3, never a traceback, always within a bound."""

from __future__ import annotations

import json
import re
import time
from pathlib import Path

from click.testing import CliRunner
from graphql import build_schema, introspection_from_schema
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mockc.compiler.cli import main
from tests.support.corpus import CORPUS

SWAPI = (CORPUS / "graphql" / "swapi" / "schema.graphql").read_text(encoding="utf-8")
SALEOR = CORPUS / "graphql" / "saleor" / "schema.graphql"
ROUTE_GUIDE = (CORPUS / "proto" / "grpc-route-guide" / "route_guide.proto").read_bytes()
HELLOWORLD = (CORPUS / "proto" / "grpc-helloworld" / "helloworld.proto").read_bytes()
LOCATED = re.compile(r"^\S+?(:\d+(:\d+)?)?: (#\S*: )?error: ", re.MULTILINE)
FRAGMENTS = (
    "@deprecated(reason: 5)",
    "@deprecated(reason: [1, {a: 2}])",
    "@specifiedBy(url: 7)",
    "[" * 70 + "String" + "]" * 70,
    "[" * 20 + "Int" + "]" * 20,
    "{",
    "}",
    ")",
    "type",
    "extend type Query { x: Int }",
    "union U = ",
    "interface I implements I { a: Int }",
    'directive @d(a: Int = "x") on FIELD_DEFINITION',
    "\x00",
    "\ud800",
    '"""',
    "#",
    "= 5",
    "Query",
)
PROTO_FRAGMENTS = (
    b"// \xff\xfe not UTF-8\n",
    b"/* \xc3\x28 */",
    b"\xff",
    b"{",
    b"}",
    b";",
    b"message",
    b"rpc X(Y) returns (Z);",
    b'import "missing.proto";',
    b"option (x) = 1;",
    b"repeated",
    b"= 536870912",
    b"\x00",
    b'"',
    b"map<string, map<int32, int32>> m = 9;",
)
SETTINGS = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
BOUND_S = 60.0
"""A generous bound (the machine is shared): a hang or an exponential blow-up
takes far longer."""


def _check(path: Path, *extra: str) -> None:
    started = time.monotonic()
    result = CliRunner().invoke(main, ["validate", str(path), *extra], catch_exceptions=True)
    elapsed = time.monotonic() - started
    output = result.stdout + result.stderr
    assert result.exception is None or isinstance(result.exception, SystemExit), output
    assert result.exit_code in (0, 1), output
    assert "Traceback" not in output and "internal error" not in output, output
    if result.exit_code == 1:
        assert LOCATED.search(result.stderr), result.stderr
    assert elapsed < BOUND_S, f"validate took {elapsed:.1f} s"


def _splice(text: str, at: int, cut: int, fragment: str) -> str:
    at %= len(text) + 1
    return text[:at] + fragment + text[at + cut :]


@SETTINGS
@given(
    edits=st.lists(
        st.tuples(
            st.integers(min_value=0),
            st.integers(min_value=0, max_value=8),
            st.sampled_from(FRAGMENTS) | st.text(max_size=6),
        ),
        min_size=1,
        max_size=4,
    )
)
def test_mutated_sdl_never_crashes(tmp_path_factory: object, edits: list[tuple]) -> None:
    text = SWAPI
    for at, cut, fragment in edits:
        text = _splice(text, at, cut, fragment)
    folder = tmp_path_factory.mktemp("sdl")  # type: ignore[attr-defined]
    path = folder / "schema.graphql"
    path.write_text(text, encoding="utf-8", errors="surrogatepass")
    _check(path)


_INTROSPECTION = introspection_from_schema(build_schema(SWAPI))
_HOSTILE_VALUES = st.sampled_from(
    [
        "Query",
        5,
        None,
        [],
        {},
        True,
        {"kind": "LIST"},
        {"kind": "OBJECT", "name": 5},
        {"kind": "NOPE", "name": "X"},
        "\ud800",
    ]
) | st.recursive(st.none() | st.integers() | st.text(max_size=4), st.lists, max_leaves=4)


def _paths(value: object, prefix: tuple = ()) -> list[tuple]:
    found = [prefix]
    if isinstance(value, dict):
        for key, item in value.items():
            found.extend(_paths(item, (*prefix, key)))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found.extend(_paths(item, (*prefix, index)))
    return found


_PLACES = _paths(_INTROSPECTION)


def _replace(document: object, place: tuple, value: object) -> object:
    if not place:
        return value
    head, rest = place[0], place[1:]
    if isinstance(document, dict):
        return {**document, head: _replace(document[head], rest, value)}
    assert isinstance(document, list)
    copy = list(document)
    copy[head] = _replace(copy[head], rest, value)
    return copy


def _wrapped(depth: int) -> dict:
    reference: dict = {"kind": "SCALAR", "name": "String", "ofType": None}
    for _ in range(depth):
        reference = {"kind": "LIST", "name": None, "ofType": reference}
    return reference


@SETTINGS
@given(
    edits=st.lists(
        st.tuples(
            st.sampled_from(_PLACES), _HOSTILE_VALUES | st.builds(_wrapped, st.integers(60, 600))
        ),
        min_size=1,
        max_size=3,
    )
)
def test_mutated_introspection_never_crashes(tmp_path_factory: object, edits: list[tuple]) -> None:
    document: object = {"__schema": _INTROSPECTION["__schema"]}
    for place, value in edits:
        try:
            document = _replace(document, ("__schema", *place[1:]), value)
        except (KeyError, IndexError, AssertionError, TypeError):
            continue  # an earlier edit removed the place
    folder = tmp_path_factory.mktemp("introspection")  # type: ignore[attr-defined]
    path = folder / "schema.json"
    path.write_text(json.dumps(document), encoding="utf-8", errors="surrogatepass")
    _check(path)


@settings(SETTINGS, max_examples=25)
@given(
    source=st.sampled_from([ROUTE_GUIDE, HELLOWORLD]),
    edits=st.lists(
        st.tuples(
            st.integers(min_value=0),
            st.integers(min_value=0, max_value=6),
            st.sampled_from(PROTO_FRAGMENTS) | st.binary(max_size=4),
        ),
        min_size=1,
        max_size=3,
    ),
)
def test_mutated_protos_never_crash(
    tmp_path_factory: object, source: bytes, edits: list[tuple]
) -> None:
    data = source
    for at, cut, fragment in edits:
        at %= len(data) + 1
        data = data[:at] + fragment + data[at + cut :]
    folder = tmp_path_factory.mktemp("proto")  # type: ignore[attr-defined]
    path = folder / "service.proto"
    path.write_bytes(data)
    _check(path)


def test_the_crashes_found_by_fuzzing_are_located_errors(tmp_path: Path) -> None:
    cases = {
        "deprecated.graphql": "type Query { a: String @deprecated(reason: 5) }\n",
        "wrapped.graphql": "type Query { a: " + "[" * 100 + "String" + "]" * 100 + " }\n",
        "query-type.json": json.dumps(
            {"__schema": {**_INTROSPECTION["__schema"], "queryType": "Query"}}
        ),
        "wrapped.json": json.dumps(
            _replace(
                {"__schema": _INTROSPECTION["__schema"]},
                ("__schema", "types", 0, "fields", 0, "type"),
                _wrapped(80),  # deeper JSON is refused when the file is read
            )
        ),
    }
    expected = {
        "deprecated.graphql": ":1:44: error: @deprecated(reason:) takes a String, not 5",
        "wrapped.graphql": ":1:14: error: the type is wrapped in more than 64",
        "query-type.json": ": #/__schema: error: not a valid introspection result",
        "wrapped.json": ": #/__schema/types/0/fields/0/type: error: the type is wrapped",
    }
    for name, text in cases.items():
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        result = CliRunner().invoke(main, ["validate", str(path)])
        assert result.exit_code == 1, result.stderr
        assert f"{path}{expected[name]}" in result.stderr


def test_a_comment_that_is_not_utf8_is_read_with_replacement(tmp_path: Path) -> None:
    path = tmp_path / "service.proto"
    path.write_bytes(
        HELLOWORLD.replace(b"// The request message", b"// The \xff\xfe request message", 1)
    )
    assert b"\xff\xfe" in path.read_bytes()
    result = CliRunner().invoke(main, ["inspect", str(path)])
    assert result.exit_code == 0, result.stderr
    assert "The \ufffd\ufffd request message" in result.stdout


def test_deeply_nested_lists_generate_a_small_mock(tmp_path: Path) -> None:
    spec = tmp_path / "schema.graphql"
    spec.write_text("type Query { a: " + "[" * 20 + "String" + "]" * 20 + " }\n")
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["generate", str(spec), "-o", str(out), "-q"])
    assert result.exit_code == 0, result.stderr
    mock = (out / "mocks" / "query_a.yaml").read_bytes()
    assert len(mock) < 10_000


def test_saleor_validates(tmp_path: Path) -> None:
    """The corpus schema the mutations are not run on (it is large) still reads."""
    _check(SALEOR)
