"""Hostile input: mocks and requests written to run code, exhaust memory or
time, or crash the compiler. Each must end in a clean ExpressionError,
RenderLimitError, null or false, quickly."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest

from mockc.runtime.engine import Request
from mockc.runtime.expressions import (
    MAX_EXPRESSION_LENGTH,
    MAX_VALUE_BYTES,
    ExpressionError,
    Origin,
    RenderLimitError,
    Scope,
    compile_condition,
    compile_expression,
    compile_template,
    compile_text_template,
)
from mockc.runtime.state import MemoryStore

ORIGIN = Origin("mocks/evil.yaml", 1, 1)
SECONDS = 5.0
"""CPU seconds a case may spend: a bound on runaway work, not a speed target
(each case takes milliseconds)."""
HANG_SECONDS = 60.0
"""Wall seconds: a hang guard only (the suite runs beside servers, in parallel)."""


def short(value: Any) -> str | None:
    """Readable test ids for long generated expressions."""
    if isinstance(value, str) and len(value) > 40:
        return f"{value[:30]}…({len(value)} chars)"
    return None


@contextmanager
def quickly(limit: float = SECONDS) -> Iterator[None]:
    """At most ``limit`` seconds of this process's CPU time (wall time, which other
    processes on a busy machine stretch, only guards against a hang)."""
    started, cpu = time.perf_counter(), time.process_time()
    yield
    assert time.process_time() - cpu < limit
    assert time.perf_counter() - started < HANG_SECONDS


def outcome(text: str, request: Request | None = None) -> Any:
    """ "compile error", "limit", or the value."""
    with quickly():
        try:
            expression = compile_expression(text, ORIGIN)
        except ExpressionError:
            return "compile error"
        try:
            return expression.evaluate(Scope(request or Request("op"), MemoryStore()))
        except RenderLimitError:
            return "limit"


# -- code execution ------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "__class__",
        "__import__('os')",
        "__import__('os').system('id')",
        "__builtins__",
        "request.__dict__",
        "request.__class__",
        "request.__init__.__globals__",
        "request.reply",
        "request.raw_body",
        "().__class__",
        "().__class__.__bases__[0].__subclasses__()",
        "[].__class__.__mro__[1].__subclasses__()",
        "request.body.keys()",
        "request.body.__class__.__base__()",
        "''.join(['a'])",
        "'{0.__class__}'.format(request)",
        "eval('1')",
        "exec('x=1')",
        "getattr(request, 'path')",
        "open('/etc/passwd')",
        "lambda: 1",
        "[x for x in request.body]",
        "import os",
        "globals()",
        "state.get.__self__",
        "state.clear()",
        "state.snapshot()",
        "state.collection('x')",
        "fake.faker",
        "fake.seed",
        "fake.__class__",
        "fake._faker.__class__",
        "now.__globals__",
        "len.__self__",
        "counter",
        "request.body; 1",
        "request.body = 1",
        "request.path.id := 1",
        "`id`",
        "$.__class__",
        "$.body.__class__.__mro__()",
    ],
)
def test_code_execution_attempts_fail_at_compile_time(text: str) -> None:
    assert outcome(text) == "compile error"


class _Secret:
    secret = "do not read"

    def __getitem__(self, key: str) -> str:
        return "do not index"


@pytest.mark.parametrize(
    "text",
    [
        '"".__class__',
        "(1).__class__",
        "[].__class__.__mro__",
        "{}.__class__",
        "request.body.__class__",
        "request.body.__class__.__mro__",
        "request.body['__class__']",
        "request.body.__dict__",
        "request.body.__len__",
        "request.path.__class__.__init__.__globals__",
        "state.get('__class__')",
        "state['__dict__']",
        "state.__class__",
        "state._values",
        "request.body.secret",
        "request.body['secret']",
        "$.body.__globals__",
    ],
)
def test_dunder_lookups_into_data_are_null(text: str) -> None:
    assert outcome(text, Request("op", body={"a": 1})) is None
    assert outcome(text, Request("op", body=_Secret())) is None


def test_values_are_never_evaluated_again() -> None:
    request = Request("op", body={"x": "{{ 7 * 7 }}", "y": "$.body.x", "z": "__import__('os')"})
    scope = Scope(request)
    rendered = compile_template(
        {"a": "{{ request.body.x }}", "b": "$.body.y", "c": "<{{ request.body.z }}>"},
        lambda path: ORIGIN,
    ).render(scope)
    assert rendered == {"a": "{{ 7 * 7 }}", "b": "$.body.x", "c": "<__import__('os')>"}
    assert compile_text_template("{{ request.body.x }}", ORIGIN).render(scope) == "{{ 7 * 7 }}"


@pytest.mark.parametrize(
    "template",
    ["{0.__class__}", "%(x)s %s", "${7*7}", "#{7*7}", "<%= 7*7 %>", "{% for x in y %}"],
)
def test_other_template_syntaxes_are_plain_text(template: str) -> None:
    assert compile_text_template(template, ORIGIN).render(Scope(Request("op"))) == template


# -- memory --------------------------------------------------------------------

BIG = Request(
    "op",
    query={"s": "abcd", "n": 99999},
    body={
        "half": "x" * (MAX_VALUE_BYTES // 2 + 1),
        "list": list(range(1000)),
        "n": 10**30,
        "ess": "ß" * (MAX_VALUE_BYTES // 2 + 10),
    },
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('"a" * 1000000000', "compile error"),
        ('"a" * 99999999999999999999999999999999', "compile error"),
        ("[1] * 1000000000", "compile error"),
        ("[[1, 2, 3]] * 400000", "compile error"),
        ("request.query.s * 1000000000", "limit"),
        ("request.query.s * 99999999999999999999999999999999", "limit"),
        ("[request.query.s] * 100000000", "limit"),
        ("[[request.query.s] * 100000] * 100000", "limit"),
        ("request.body.list * 100000", "limit"),
        ("request.body.half + request.body.half", "limit"),
        ("request.body.half * 2", "limit"),
        ("[request.body.half, request.body.half]", "limit"),
        ('{"a": request.body.half, "b": request.body.half}', "limit"),
        ("[request.body.half] + [request.body.half]", "limit"),
        ("[request.body.half, request.body.half] | json", "limit"),
        ("request.body.ess | upper", "limit"),
        ("request.body.n * request.body.n * request.body.n", "limit"),
        ("99999 * 99999 * 99999 * 99999 * 99999 * 99999 * 99999 * 99999" * 1, 99999**8),
        ("99999" + " * 99999" * 100, "compile error"),
        ("request.query.n" + " * request.query.n" * 100, "limit"),
        ("9" * 81, "compile error"),
        ("'" + "a" * 4000 + "'", "a" * 4000),
        ("1e999999", "compile error"),
        ("now('%Y' * 1000)", None),
    ],
    ids=short,
)
def test_memory_exhaustion_attempts_are_bounded(text: str, expected: Any) -> None:
    assert outcome(text, BIG) == expected


def test_expressions_are_bounded_in_length() -> None:
    assert outcome("1" + " + 1" * (MAX_EXPRESSION_LENGTH // 4)) == "compile error"
    assert outcome("'" + "a" * MAX_EXPRESSION_LENGTH + "'") == "compile error"
    with pytest.raises(ExpressionError, match="the limit is 4096"):
        compile_expression("x" * 100_000, ORIGIN)


def test_templates_with_many_large_parts_are_bounded() -> None:
    template = compile_text_template("{{ request.body.half }}" * 50, ORIGIN)
    with quickly(), pytest.raises(RenderLimitError):
        template.render(Scope(BIG))
    body = compile_template(["$.body.half"] * 50, lambda path: ORIGIN)
    with quickly(), pytest.raises(RenderLimitError):
        body.render(Scope(BIG))


def test_state_values_built_from_repetition_are_bounded() -> None:
    assert outcome("state.put('k', [request.body.half] * 3)", BIG) == "limit"


# -- time ----------------------------------------------------------------------

REDOS = Request(
    "op",
    body={
        "xs": "x" * 5000,
        "as": "a" * 5000 + "!",
        "words": "word " * 2000 + "!",
        "patterns": ["(x+x+)+y", "(a|aa)+$", "^(\\w+\\s?)*$", "(.*){1,32000}[bc]"],
    },
)


@pytest.mark.parametrize(
    "text",
    [
        "request.body.xs =~ '(x+x+)+y'",
        "request.body.as =~ '(a|aa)+$'",
        "request.body.as =~ '(a+)+$'",
        "request.body.words =~ '^(\\w+\\s?)*$'",
        "request.body.as =~ '(.*){1,32000}[bc]'",
        "request.body.xs =~ request.body.patterns[0]",
        "request.body.as =~ request.body.patterns[1]",
        "request.body.words =~ request.body.patterns[2]",
        "request.body.as =~ request.body.patterns[3]",
    ],
)
def test_catastrophic_regular_expressions_are_false_within_the_timeout(text: str) -> None:
    with quickly(0.5):
        assert compile_condition(text, ORIGIN).evaluate(Scope(REDOS)) is False


@pytest.mark.parametrize(
    "pattern",
    [
        "((?:a{1000}){1000}){1000}",
        "(?:a{1000}){1000}",
        "a{4294967294}",
        "(?:[ab]{1000}){1000}",
        "(?:(?:(?:a{100}){100}){100}){100}",
    ],
)
def test_regular_expressions_that_expand_hugely_are_refused(pattern: str) -> None:
    with quickly(), pytest.raises(ExpressionError, match="expands to more than"):
        compile_expression(f"request.body.as =~ '{pattern}'", ORIGIN)
    request = Request("op", body={"p": pattern, "s": "aaaa"})
    with quickly():
        assert (
            compile_condition("request.body.s =~ request.body.p", ORIGIN).evaluate(Scope(request))
            is False
        )


# -- nesting -------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "(" * 2000 + "1" + ")" * 2000,
        "[" * 2000 + "]" * 2000,
        '{"a":' * 600 + "1" + "}" * 600,
        "len(" * 600 + "1" + ")" * 600,
        "request.body[" * 250 + "0" + "]" * 250,
        "not " * 1000 + "true",
        "-" * 4000 + "1",
        "1" + "+1" * 2000,
        "1" + " | str" * 600,
        "true" + " and true" * 400,
        "(" * 65 + "1" + ")" * 65,
    ],
    ids=short,
)
def test_deep_nesting_is_a_compile_error_not_a_recursion_error(text: str) -> None:
    with quickly(), pytest.raises(ExpressionError, match="nest"):
        compile_expression(text, ORIGIN)


def test_moderate_nesting_compiles() -> None:
    assert outcome("(" * 64 + "1" + ")" * 64) == 1
    assert outcome("[" * 30 + "]" * 30) is not None
    assert outcome("not " * 150 + "true") is True
    assert outcome("1" + " + 1" * 150) == 151
    assert outcome("request.body" + ".a" * 1500) is None


def test_deeply_nested_template_values_are_a_compile_error() -> None:
    value: Any = "{{ 1 }}"
    for _ in range(20_000):
        value = [value]
    with quickly(), pytest.raises(ExpressionError, match="nests too deeply"):
        compile_template(value, lambda path: ORIGIN)


def test_deeply_nested_request_data_is_handled_without_errors() -> None:
    deep: Any = 1
    for _ in range(100_000):
        deep = [deep]
    scope = Scope(Request("op", body=deep, query={"other": [[1]]}))
    with quickly(2.0):
        assert compile_expression("request.body | json", ORIGIN).evaluate(scope) == ""
        assert compile_condition("request.body == request.body", ORIGIN).evaluate(scope) is False
        assert (
            compile_condition("request.query.other in request.body", ORIGIN).evaluate(scope)
            is False
        )
        assert compile_expression("len(request.body)", ORIGIN).evaluate(scope) == 1
        assert compile_template("$.body", lambda path: ORIGIN).render(scope) is deep


# -- odd data never raises -----------------------------------------------------


@pytest.mark.parametrize(
    "body",
    [
        float("nan"),
        float("inf"),
        10**1000,
        b"\xff\xfe bytes",
        ("a", "tuple"),
        {1: "int key", None: "none key"},
        _Secret(),
        {"nested": {"set": {1, 2}}},
    ],
)
@pytest.mark.parametrize(
    "text",
    [
        "request.body",
        "request.body + 1",
        "request.body * 1.5",
        "request.body - 1",
        "-request.body",
        "request.body / 3",
        "request.body % 3",
        "request.body > 1",
        "request.body == request.body",
        "request.body | int",
        "request.body | float",
        "request.body | str",
        "request.body | json",
        "request.body | upper",
        "request.body | length",
        "request.body[0]",
        "request.body.nested.set",
        "request.body =~ 'a'",
        "'a' in request.body",
        "state.put('k', request.body)",
        "counter(request.body)",
        "[request.body] + [request.body]",
    ],
)
def test_odd_request_data_never_raises_anything_but_the_limit(body: Any, text: str) -> None:
    result = outcome(text, Request("op", body=body))
    assert result != "compile error"
