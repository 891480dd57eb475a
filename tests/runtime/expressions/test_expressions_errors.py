"""Compile-time errors: plain-words messages at the exact file:line:column."""

from __future__ import annotations

import pytest

from mockc.runtime.expressions import (
    ExpressionError,
    Origin,
    compile_condition,
    compile_expression,
    compile_template,
    compile_text_template,
)

AT_START = Origin("mocks/a.yaml", 1, 1)
OFFSET = Origin("mocks/a.yaml", 12, 9)


def error(text: str, origin: Origin = OFFSET) -> ExpressionError:
    with pytest.raises(ExpressionError) as caught:
        compile_expression(text, origin)
    return caught.value


def test_the_error_carries_its_parts_and_formats_them() -> None:
    problem = error("request.query.limit >", AT_START)
    assert (problem.file, problem.line, problem.column) == ("mocks/a.yaml", 1, 22)
    assert problem.message == "unexpected end of the expression; expected a value"
    assert str(problem) == f"mocks/a.yaml:1:22: {problem.message}"


@pytest.mark.parametrize(
    ("text", "line", "column", "message"),
    [
        ("request.query.limit >", 12, 30, "unexpected end of the expression; expected a value"),
        ("request.query.limit 10", 12, 29, "unexpected number 10; expected an operator"),
        ("(request.path.id", 12, 25, "expected ')'"),
        ("[1, 2", 12, 14, "expected ']', ','"),
        ('{"a" 1}', 12, 14, "unexpected number 1; expected ':'"),
        ("request.path.id # x", 12, 25, "unexpected character '#'"),
        ("request.path.id < 1 < 2", 12, 29, "unexpected '<'"),
        ("request.", 12, 17, "expected a name"),
        ("request.body |", 12, 23, "expected a name"),
        ("", 12, 9, "expected a value"),
        ("request.path.id not 3", 12, 29, "expected 'in'"),
        ("'unterminated", 12, 9, "unexpected character"),
        ("=~ 'x'", 12, 9, "unexpected '=~'"),
    ],
)
def test_syntax_errors_say_what_was_expected(
    text: str, line: int, column: int, message: str
) -> None:
    problem = error(text)
    assert (problem.line, problem.column) == (line, column)
    assert message in problem.message


def test_positions_in_multi_line_text_count_lines_and_columns_from_the_line_start() -> None:
    problem = error("request.body.total > 100\n  and not\n    request.query.dryRun ==")
    assert (problem.line, problem.column) == (14, 28)
    problem = error("request.body.total > 100\n  and request.bdy.x")
    assert (problem.line, problem.column) == (13, 15)
    assert problem.message.startswith("request has no field 'bdy'")


@pytest.mark.parametrize(
    ("text", "column", "message"),
    [
        ("requst.path.id", 9, "unknown name 'requst'; did you mean 'request'?"),
        ("pets", 9, "unknown name 'pets'"),
        ("request.pathh.id", 17, "request has no field 'pathh'"),
        ("1 + frobnicate(2)", 13, "unknown function 'frobnicate'"),
        ("now(1, 2, 3)", 9, "now() takes 0 to 1 arguments, not 3"),
        ("uuid(1)", 9, "uuid() takes 0 arguments, not 1"),
        ("len()", 9, "len() takes 1 argument, not 0"),
        ("state.fetch('k')", 15, "unknown state function 'fetch'"),
        ("state.put('k')", 15, "state.put() takes 2 arguments, not 1"),
        ("state", 9, "state is read with state.get"),
        ("state.get", 15, "state.get is a function"),
        ("request.body.get('k')", 22, "get() cannot be called here"),
        ("request.body | reverse", 24, "unknown filter 'reverse'"),
        ("request.body | intt", 24, "did you mean 'int'?"),
        ("request.body | default", 24, "filter default takes 1 argument, not 0"),
        ("request.body | upper(1)", 24, "filter upper takes 0 arguments, not 1"),
        ("fake.emial", 14, "unknown fake data name 'emial'; did you mean fake.email?"),
        ("'a' =~ '(unclosed'", 16, "invalid regular expression"),
        ("'a' =~ 5", 16, "must be a regular expression string"),
        (
            "123456789012345678901234567890123456789012345678901234567890123456789012345678901",
            9,
            "more than 80 digits",
        ),
        ("2e999", 9, "out of range"),
        ("$.nope.x", 11, "unknown alias root '$.nope'"),
    ],
)
def test_unknown_names_and_misuse_are_compile_errors(text: str, column: int, message: str) -> None:
    problem = error(text)
    assert (problem.line, problem.column) == (12, column)
    assert message in problem.message


def test_conditions_report_errors_like_expressions() -> None:
    with pytest.raises(ExpressionError) as caught:
        compile_condition("request.query.limit >> 3", OFFSET)
    assert (caught.value.line, caught.value.column) == (12, 30)


def test_template_errors_are_placed_inside_the_template() -> None:
    with pytest.raises(ExpressionError) as caught:
        compile_text_template("Hello\n  {{ request.body.name | uper }}!", OFFSET)
    assert (caught.value.line, caught.value.column) == (13, 26)
    with pytest.raises(ExpressionError) as caught:
        compile_text_template("abc {{ 1 + ", OFFSET)
    assert (caught.value.line, caught.value.column) == (12, 13)
    assert "never closed" in caught.value.message
    with pytest.raises(ExpressionError) as caught:
        compile_text_template("{{ }}", OFFSET)
    assert (caught.value.line, caught.value.column) == (12, 12)


def test_template_values_report_the_origin_of_their_string() -> None:
    origins = {("responses", 0, "body"): Origin("mocks/b.yaml", 40, 17)}
    with pytest.raises(ExpressionError) as caught:
        compile_template(
            {"responses": [{"body": "{{ fake.nmae }}"}]},
            lambda path: origins.get(path, AT_START),
        )
    assert str(caught.value) == (
        "mocks/b.yaml:40:25: unknown fake data name 'nmae'; did you mean fake.name?"
    )
    with pytest.raises(ExpressionError) as caught:
        compile_template({"a": ["  $.body.items[0].x", " $.fake.Nmae"]}, lambda path: OFFSET)
    assert (caught.value.line, caught.value.column) == (12, 17)
