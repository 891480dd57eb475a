"""The expression language: literals, request fields, lookups, operators,
filters and functions, evaluated against real requests."""

from __future__ import annotations

import re
from typing import Any

import pytest

from mockc.runtime.engine import Request
from mockc.runtime.exceptions import RuntimeFailure
from mockc.runtime.expressions import (
    Expression,
    Origin,
    Scope,
    compile_condition,
    compile_expression,
)

ORIGIN = Origin("mocks/pet.yaml", 4, 11)

PET_REQUEST = Request(
    "showPetById",
    path={"petId": 7},
    query={"limit": 20, "status": "available", "name": "Tom", "empty": ""},
    headers={"x-tenant": "acme", "content-type": "application/json"},
    cookies={"session": "s-1"},
    body={
        "total": 150,
        "price": 9.5,
        "items": [{"sku": "A-1", "qty": 2}, {"sku": "B-2", "qty": 1}],
        "tags": ["cat", "small"],
        "owner": {"name": "Ann", "x-id": "o-9"},
        "flag": True,
        "nothing": None,
    },
    method="GET",
    target="/pets/7",
)


def value(text: str, request: Request = PET_REQUEST) -> Any:
    return compile_expression(text, ORIGIN).evaluate(Scope(request))


def holds(text: str, request: Request = PET_REQUEST) -> bool:
    result = compile_condition(text, ORIGIN).evaluate(Scope(request))
    assert type(result) is bool
    return result


# -- literals ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('"text"', "text"),
        ("'text'", "text"),
        (r'"a\"b"', 'a"b'),
        (r"'it\'s'", "it's"),
        (r'"line\nnext\ttab\\"', "line\nnext\ttab\\"),
        (r'"\u00e9t\u00e9"', "été"),
        (r'"\ud83d\ude00"', "😀"),
        (r'"^\d+$"', r"^\d+$"),
        ("42", 42),
        ("3.25", 3.25),
        ("1e3", 1000.0),
        ("2.5E-1", 0.25),
        ("true", True),
        ("false", False),
        ("null", None),
        ("[1, 'a', null]", [1, "a", None]),
        ("[1, 2,]", [1, 2]),
        ("[]", []),
        ('{"a": 1, b: [true]}', {"a": 1, "b": [True]}),
        ("{}", {}),
        ('{"x-y": {"z": 1},}', {"x-y": {"z": 1}}),
    ],
)
def test_literals(text: str, expected: Any) -> None:
    result = value(text)
    assert result == expected
    assert type(result) is type(expected)


def test_constant_expressions_are_known_at_compile_time() -> None:
    expression = compile_expression("[1 + 2, 'a' | upper]", ORIGIN)
    assert expression.is_constant
    assert expression.constant_value == [3, "A"]
    assert not compile_expression("request.path.petId", ORIGIN).is_constant


# -- request fields and lookups ------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("request.path.petId", 7),
        ("request.query.limit", 20),
        ("request.cookies.session", "s-1"),
        ("request.body.items[0].sku", "A-1"),
        ("request.body.items[1]['qty']", 1),
        ('request.body.owner["x-id"]', "o-9"),
        ("request.body.items[-1].sku", "B-2"),
        ("request.body.tags[0][1]", "a"),
        ("request.method", "GET"),
        ("request.operation", "showPetById"),
        ("request.target", "/pets/7"),
        ("request.body.items[request.query.limit - 19].sku", "B-2"),
        ('request.body["owner"].name', "Ann"),
        ("request['path'].petId", 7),
    ],
)
def test_request_fields(text: str, expected: Any) -> None:
    assert value(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "request.path.missing",
        "request.body.items[5]",
        "request.body.items[-5]",
        "request.body.nothing.deeper",
        "request.body.total.digits",
        "request.body.tags.first",
        "request.body.items['0']",
        "request.body.items[true]",
        "request.body.owner[null]",
        "request.query.name.length",
        '"text".upper',
        "[1, 2].length",
        "request.body.items[0.5]",
    ],
)
def test_missing_keys_indexes_and_non_containers_give_null(text: str) -> None:
    assert value(text) is None


def test_an_empty_request_reads_as_nulls() -> None:
    bare = Request("op")
    assert value("request.path.id", bare) is None
    assert value("request.body.a.b[0]", bare) is None
    assert value("request.method", bare) == ""


def test_headers_are_case_insensitive() -> None:
    assert value('request.headers["X-Tenant"]') == "acme"
    assert value('request.headers["x-tenant"]') == "acme"
    assert value("request.headers.Content_Type") is None
    assert value('request.headers["CONTENT-TYPE"]') == "application/json"
    dynamic = Request("op", headers={"x-tenant": "acme"}, query={"h": "X-TENANT"})
    assert value("request.headers[request.query.h]", dynamic) == "acme"


def test_request_alone_is_a_read_only_view_of_its_fields() -> None:
    view = value("request")
    assert view["path"] == {"petId": 7}
    assert view["operation"] == "showPetById"
    assert value("request | json").startswith('{"path":{"petId":7}')


def test_object_keys_given_as_numbers_are_read_as_text() -> None:
    request = Request("op", body={"1": "one"})
    assert value("request.body[1]", request) == "one"


# -- operators -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("request.query.limit > 10", True),
        ("request.query.limit >= 20", True),
        ("request.query.limit < 20", False),
        ("request.query.limit <= 20.0", True),
        ("request.body.price > 9", True),
        ("'b' > 'a'", True),
        ("'10' < '9'", True),
        ("request.query.status > 10", False),
        ("request.query.missing < 10", False),
        ("request.query.missing >= 10", False),
        ("[1] < [2]", False),
        ("true > false", False),
        ("1 < request.query.limit", True),
        ("null < 1", False),
        ("1 == 1.0", True),
        ("true == 1", False),
        ("'1' == 1", False),
        ("null == null", True),
        ("request.query.missing == null", True),
        ("[1, 'a'] == [1, 'a']", True),
        ("[1] == [true]", False),
        ('{"a": 1} == {"a": 1}', True),
        ("request.query.status == 'available'", True),
        ("request.query.status != 'available'", False),
        ("request.path.petId != '7'", True),
        ("'cat' in request.body.tags", True),
        ("'dog' not in request.body.tags", True),
        ("'vail' in request.query.status", True),
        ("'owner' in request.body", True),
        ("1 in [true]", False),
        ("1 in [1.0]", True),
        ("1 in 'a1'", False),
        ("'x' in null", False),
        ("'x' not in null", True),
        ("request.body.items[0] in request.body.items", True),
        ("request.body.items[0].sku =~ '^A-'", True),
        ("request.body.items[0].sku =~ '1$'", True),
        ("request.body.items[0].sku =~ 'Z'", False),
        ("request.path.petId =~ '^7$'", True),
        ("request.body.tags =~ 'cat'", False),
        ("request.body.flag =~ 'True'", False),
        ("request.query.name =~ request.query.status", False),
        ("'available' =~ request.query.status", True),
        ("'x' =~ request.query.missing", False),
    ],
)
def test_comparisons(text: str, expected: bool) -> None:
    assert holds(text) is expected


def test_an_invalid_pattern_computed_at_evaluation_never_matches() -> None:
    request = Request("op", query={"p": "(unclosed", "s": "(unclosed"})
    assert holds("request.query.s =~ request.query.p", request) is False


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("request.query.empty or 'default'", "default"),
        ("request.query.name or 'default'", "Tom"),
        ("request.query.name and request.query.limit", 20),
        ("request.query.empty and request.query.limit", ""),
        ("not request.query.empty", True),
        ("not request.query.name", False),
        ("not not request.query.limit", True),
        ("true and false or true", True),
        ("true or false and false", True),
        ("not 1 == 2", True),
        ("not 'a' in ['a']", False),
    ],
)
def test_logic_returns_operands_like_python(text: str, expected: Any) -> None:
    assert value(text) == expected


@pytest.mark.parametrize(
    ("text", "truth"),
    [
        ("null", False),
        ("false", False),
        ("0", False),
        ("0.0", False),
        ("''", False),
        ("[]", False),
        ("{}", False),
        ("request.query.missing", False),
        ("1", True),
        ("-1", True),
        ("'0'", True),
        ("'false'", True),
        ("[0]", True),
        ('{"a": null}', True),
        ("request.body", True),
    ],
)
def test_conditions_use_python_like_truthiness(text: str, truth: bool) -> None:
    assert holds(text) is truth


def test_and_or_short_circuit() -> None:
    request = Request("op")
    unique = "short-circuit-test"
    assert holds(f"false and counter('{unique}')", request) is False
    assert holds(f"true or counter('{unique}')", request) is True
    assert value(f"counter('{unique}')", request) == 1


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1 + 2 * 3", 7),
        ("(1 + 2) * 3", 9),
        ("10 - 4 - 3", 3),
        ("7 / 2", 3.5),
        ("6 / 2", 3),
        ("6.0 / 2", 3.0),
        ("7 % 3", 1),
        ("-7 % 3", 2),
        ("7.5 % 2", 1.5),
        ("-request.path.petId", -7),
        ("+request.path.petId", 7),
        ("- -3", 3),
        ("request.body.price * 2", 19.0),
        ("request.body.total + request.body.price", 159.5),
        ("'a' + 'b'", "ab"),
        ("'pet-' + request.path.petId", "pet-7"),
        ("request.path.petId + '-x'", "7-x"),
        ("1.5 + 'x'", "1.5x"),
        ("[1] + [2, 3]", [1, 2, 3]),
        ("'ab' * 3", "ababab"),
        ("3 * 'ab'", "ababab"),
        ("[0] * 3", [0, 0, 0]),
        ("'ab' * 0", ""),
        ("'ab' * -2", ""),
        ("[1] * -1", []),
    ],
)
def test_arithmetic(text: str, expected: Any) -> None:
    result = value(text)
    assert result == expected
    assert type(result) is type(expected)


@pytest.mark.parametrize(
    "text",
    [
        "1 / 0",
        "1 % 0",
        "1.5 / 0.0",
        "request.query.missing + 1",
        "true + 1",
        "'a' - 'b'",
        "'a' + null",
        "'a' + true",
        "[1] + 'a'",
        "{} + {}",
        "-'a'",
        "-true",
        "'a' * 'b'",
        "'a' * 1.5",
        "1e308 * 10",
        "-1e308 - 1e308",
        "request.body.items / 2",
    ],
)
def test_meaningless_arithmetic_and_division_by_zero_give_null(text: str) -> None:
    assert value(text) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("-1 | str", "-1"),
        ("request.query.limit | str + 'x'", "20x"),
        ("'2' | int * 3", 6),
        ("'2' | int + 1 > 2", True),
        ("1 + 2 | str", "12"),
        ("not request.query.missing | default(false)", True),
    ],
)
def test_precedence_of_filters(text: str, expected: Any) -> None:
    assert value(text) == expected


# -- filters -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("'42' | int", 42),
        ("' 42 ' | int", 42),
        ("'-3' | int", -3),
        ("'3.7' | int", 3),
        ("3.9 | int", 3),
        ("true | int", 1),
        ("'abc' | int", None),
        ("'' | int", None),
        ("null | int", None),
        ("[1] | int", None),
        ("'1e400' | int", None),
        ("'nan' | int", None),
        ("'2.5' | float", 2.5),
        ("2 | float", 2.0),
        ("'x' | float", None),
        ("'inf' | float", None),
        ("'nan' | float", None),
        ("7 | str", "7"),
        ("2.5 | str", "2.5"),
        ("true | str", "true"),
        ("null | str", ""),
        ("[1, 'a'] | str", '[1,"a"]'),
        ("'MiXeD' | lower", "mixed"),
        ("'MiXeD' | upper", "MIXED"),
        ("true | upper", "TRUE"),
        ("null | lower", None),
        ("request.query.missing | default('none')", "none"),
        ("request.query.empty | default('none')", ""),
        ("false | default(true)", False),
        ("request.query.missing | default(request.path.petId)", 7),
        ("request.body.owner | json", '{"name":"Ann","x-id":"o-9"}'),
        ("'é' | json", '"é"'),
        ("null | json", "null"),
        ("request.body.tags | length", 2),
        ("'abc' | length", 3),
        ("request.body.owner | length", 2),
        ("7 | length", None),
        ("'5' | int | str | length", 1),
    ],
)
def test_filters(text: str, expected: Any) -> None:
    result = value(text)
    assert result == expected
    assert type(result) is type(expected)


# -- functions -----------------------------------------------------------------


def test_now_is_iso_8601_utc_by_default_and_strftime_with_a_format() -> None:
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", value("now()"))
    assert re.fullmatch(r"\d{4}-\d\d-\d\d", value("now('%Y-%m-%d')"))
    assert value("now(42)") is None
    assert value("now('%Y' * 200)") is None


def test_uuid_is_a_fresh_version_4_uuid() -> None:
    first, second = value("uuid()"), value("uuid()")
    pattern = r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}"
    assert re.fullmatch(pattern, first)
    assert first != second


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("len(request.body.items)", 2),
        ("len('abc')", 3),
        ("len(request.body.owner)", 2),
        ("len(request.path.petId)", None),
        ("len(null)", None),
    ],
)
def test_len(text: str, expected: Any) -> None:
    assert value(text) == expected


def test_counter_without_a_store_counts_per_process() -> None:
    request = Request("op")
    name = "language-test-counter"
    assert [value(f"counter('{name}')", request) for _ in range(3)] == [1, 2, 3]
    assert value("counter(['not', 'a', 'name'])", request) is None


# -- the compiled object -------------------------------------------------------


def test_expressions_keep_their_text_and_origin() -> None:
    expression = compile_expression("request.path.petId", ORIGIN)
    assert isinstance(expression, Expression)
    assert expression.text == "request.path.petId"
    assert expression.origin == ORIGIN
    assert expression.origin.file == "mocks/pet.yaml"


def test_an_expression_is_reusable_across_requests() -> None:
    expression = compile_condition("request.query.limit > 10", ORIGIN)
    assert expression.evaluate(Scope(Request("op", query={"limit": 11}))) is True
    assert expression.evaluate(Scope(Request("op", query={"limit": 9}))) is False
    assert expression.evaluate(Scope(Request("op", query={"limit": "11"}))) is False


def test_keywords_are_not_confused_with_names_that_start_like_them() -> None:
    request = Request("op", body={"index": 1, "notes": 2, "order": 3, "android": 4, "nullable": 5})
    assert value("request.body.index + request.body.notes", request) == 3
    assert value("request.body.order + request.body.android", request) == 7
    assert value("request.body.nullable", request) == 5


def test_errors_are_runtime_failures() -> None:
    from mockc.runtime.expressions import ExpressionError, RenderLimitError

    assert issubclass(ExpressionError, RuntimeFailure)
    assert issubclass(RenderLimitError, RuntimeFailure)
