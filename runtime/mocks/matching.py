"""Match conditions: compiled once from a mock's ``match``, tested per request.

A condition under ``path``, ``query``, ``headers``, ``cookies`` or ``body``
tests one request value with one operator; an operator object with several
operators (``{gte: 1, lte: 9}``) gives one condition per operator. ``when``
gives one condition per expression. Conditions are checked in the order path,
query, headers, cookies, body, when; within each, in the order written.
"""

from __future__ import annotations

from collections.abc import Callable
from operator import attrgetter
from typing import Any

import regex

from ..engine import Request
from ..expressions import (
    Expression,
    ExpressionError,
    Origin,
    RenderLimitError,
    Scope,
    compile_condition,
)
from .problems import MockProblem, expression_problem
from .source import DocPath, SourceDocument
from .values import MISSING, as_text, flow, loose_equal, number_of, parse_body_path, show, walk

__all__ = ["REGEX_TIMEOUT", "SECTIONS", "Condition", "compile_conditions"]

REGEX_TIMEOUT = 0.05
"""Seconds one ``matches`` search may take; a search that takes longer fails."""
SECTIONS = ("path", "query", "headers", "cookies", "body")

Test = Callable[[Any], bool]
_SYMBOLS = {"equals": "==", "not": "!=", "gt": ">", "gte": ">=", "lt": "<", "lte": "<="}


class Condition:
    """One condition: ``text`` as the user wrote it, ``line`` where."""

    __slots__ = ("line", "text")
    needs_scope = False
    """True when testing needs a Scope (expressions)."""

    def __init__(self, text: str, line: int) -> None:
        self.text = text
        self.line = line

    def holds(self, request: Request, scope: Scope | None) -> bool:
        raise NotImplementedError

    def failure(self, request: Request) -> str:
        """Why the condition failed for ``request``, for a near-miss report."""
        raise NotImplementedError


class _FieldCondition(Condition):
    __slots__ = ("fetch", "key", "test")

    def __init__(self, text: str, line: int, section: str, key: str, test: Test) -> None:
        super().__init__(text, line)
        self.fetch = attrgetter(section)
        self.key = key
        self.test = test

    def holds(self, request: Request, scope: Scope | None) -> bool:
        return self.test(self.fetch(request).get(self.key, MISSING))

    def failure(self, request: Request) -> str:
        return f"{self.text} — got {show(self.fetch(request).get(self.key, MISSING))}"


class _BodyCondition(Condition):
    __slots__ = ("path", "test")

    def __init__(self, text: str, line: int, path: tuple[str | int, ...], test: Test) -> None:
        super().__init__(text, line)
        self.path = path
        self.test = test

    def holds(self, request: Request, scope: Scope | None) -> bool:
        return self.test(walk(request.body, self.path))

    def failure(self, request: Request) -> str:
        return f"{self.text} — got {show(walk(request.body, self.path))}"


class _WhenCondition(Condition):
    __slots__ = ("expression",)
    needs_scope = True

    def __init__(self, text: str, line: int, expression: Expression) -> None:
        super().__init__(text, line)
        self.expression = expression

    def holds(self, request: Request, scope: Scope | None) -> bool:
        try:
            return bool(self.expression.evaluate(scope or Scope(request)))
        except RenderLimitError:
            return False

    def failure(self, request: Request) -> str:
        return f"{self.text} — was false"


def compile_conditions(
    document: SourceDocument,
    file: str,
    problems: list[MockProblem],
    valid: Callable[[DocPath], bool] | None = None,
) -> tuple[Condition, ...]:
    """The conditions of the document's ``match``; those at paths ``valid`` refuses
    (against the schema) are skipped."""
    match = document.data.get("match")
    if not isinstance(match, dict):
        return ()
    conditions: list[Condition] = []
    for section in SECTIONS:
        fields = match.get(section)
        if not isinstance(fields, dict):
            continue
        for key, value in fields.items():
            path: DocPath = ("match", section, key)
            if valid is None or valid(path):
                conditions.extend(_field(document, file, problems, section, key, value, path))
    when = match.get("when")
    if valid is not None and not valid(("match", "when")):
        when = None
    expressions = [when] if isinstance(when, str) else list(when or ())
    for index, text in enumerate(expressions):
        path = ("match", "when") if isinstance(when, str) else ("match", "when", index)
        line, column = document.text_at(path)
        try:
            expression = compile_condition(text, Origin(file, line, column))
        except ExpressionError as error:
            problems.append(expression_problem(error, document))
            continue
        conditions.append(_WhenCondition(" ".join(text.split()), line, expression))
    return tuple(conditions)


def _field(
    document: SourceDocument,
    file: str,
    problems: list[MockProblem],
    section: str,
    key: str,
    value: Any,
    path: DocPath,
) -> list[Condition]:
    body_path: tuple[str | int, ...] = ()
    if section == "body":
        try:
            body_path = parse_body_path(key)
        except ValueError as error:
            message, offset = error.args
            line, column = document.key_at(path)
            problems.append(
                MockProblem(file, line, column + offset, f"invalid body path {key!r}: {message}")
            )
            return []
    name = key.lower() if section == "headers" else key
    operators = value.items() if isinstance(value, dict) else [("equals", value)]
    conditions: list[Condition] = []
    for operator, operand in operators:
        where = (*path, operator) if isinstance(value, dict) else path
        test = _test(operator, operand, document, file, where, problems)
        if test is None:
            continue
        text = _describe(f"{section}.{key}", operator, operand)
        line = document.key_at(where)[0]
        if section == "body":
            conditions.append(_BodyCondition(text, line, body_path, test))
        else:
            conditions.append(_FieldCondition(text, line, section, name, test))
    return conditions


def _describe(subject: str, operator: str, operand: Any) -> str:
    if operator == "exists":
        return f"{subject} exists" if operand else f"{subject} is absent"
    return f"{subject} {_SYMBOLS.get(operator, operator)} {flow(operand)}"


def _test(
    operator: str,
    operand: Any,
    document: SourceDocument,
    file: str,
    path: DocPath,
    problems: list[MockProblem],
) -> Test | None:
    if operator == "equals":
        return _equals(operand)
    if operator == "not":
        equals = _equals(operand)
        return lambda value: not equals(value)
    if operator == "in":
        return _one_of(operand)
    if operator == "exists":
        return (lambda value: value is not MISSING) if operand else (lambda value: value is MISSING)
    if operator == "contains":
        return _contains(operand)
    if operator == "matches":
        try:
            pattern = regex.compile(operand)
        except (regex.error, ValueError, OverflowError, RecursionError) as error:
            line, column = document.text_at(path)
            offset = getattr(error, "pos", None)
            if isinstance(offset, int) and "\n" not in operand[:offset]:
                column += offset
            reason = getattr(error, "msg", None) or str(error)
            problems.append(
                MockProblem(file, line, column, f"invalid regular expression: {reason}")
            )
            return None
        return _matches(pattern)
    limit = operand
    if operator == "gt":
        return lambda value: (number := number_of(value)) is not None and number > limit
    if operator == "gte":
        return lambda value: (number := number_of(value)) is not None and number >= limit
    if operator == "lt":
        return lambda value: (number := number_of(value)) is not None and number < limit
    return lambda value: (number := number_of(value)) is not None and number <= limit


def _equals(expected: Any) -> Test:
    """Loose equality, with a shortcut for the common case of the same type."""
    kind = type(expected)
    if kind is not str and kind is not int and kind is not float:
        return lambda value: loose_equal(expected, value)

    text = expected if kind is str else str(expected)

    def test(value: Any) -> bool:
        if type(value) is kind:
            return bool(value == expected)
        if type(value) is str and value == text:
            return True
        return loose_equal(expected, value)

    return test


def _one_of(options: list[Any]) -> Test:
    texts = frozenset(option for option in options if type(option) is str)
    others = [option for option in options if type(option) is not str]

    def test(value: Any) -> bool:
        if type(value) is str:  # text equals text only when identical
            return value in texts or any(loose_equal(option, value) for option in others)
        return any(loose_equal(option, value) for option in options)

    return test


def _matches(pattern: regex.Pattern[str]) -> Test:
    def test(value: Any) -> bool:
        text = as_text(value)
        if text is None:
            return False
        try:
            return pattern.search(text, timeout=REGEX_TIMEOUT) is not None
        except TimeoutError:
            return False

    return test


def _contains(operand: Any) -> Test:
    needle = as_text(operand)

    def test(value: Any) -> bool:
        kind = type(value)
        if kind is str:
            return needle is not None and needle in value
        if kind is list:
            return any(loose_equal(operand, item) for item in value)
        if kind is dict:
            return needle is not None and needle in value
        return False

    return test
