"""What can be wrong with a mock file, and the error that carries it."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from ..exceptions import RuntimeFailure
from ..expressions import ExpressionError
from .source import SourceDocument

__all__ = ["ERROR", "WARNING", "MockError", "MockProblem", "expression_problem", "sort_problems"]

ERROR = "error"
"""The mock is not served (or, through the admin API, not written)."""
WARNING = "warning"
"""The mock is served, but probably not as its author meant."""


@dataclass(frozen=True, slots=True)
class MockProblem:
    """One problem at a 1-based line and column of a file (0, 0: the file as a whole)."""

    file: str
    line: int
    column: int
    message: str
    level: str = ERROR

    def render(self) -> str:
        """``file:line:column: message`` (``warning:`` marks warnings)."""
        prefix = "warning: " if self.level == WARNING else ""
        if self.line <= 0:
            return f"{self.file}: {prefix}{self.message}"
        return f"{self.file}:{self.line}:{self.column}: {prefix}{self.message}"

    @property
    def is_error(self) -> bool:
        return self.level == ERROR

    def as_dict(self) -> dict[str, object]:
        return {
            "file": self.file,
            "line": self.line,
            "column": self.column,
            "message": self.message,
            "level": self.level,
        }


def expression_problem(error: ExpressionError, document: SourceDocument) -> MockProblem:
    """The problem of an expression that does not compile, at its place in the file."""
    line, column = document.in_file(error.line, error.column)
    return MockProblem(error.file, line, column, error.message)


def sort_problems(problems: Iterable[MockProblem]) -> list[MockProblem]:
    """By file, then line, then column; duplicates dropped."""
    return sorted(set(problems), key=lambda p: (p.file, p.line, p.column, p.message, p.level))


class MockError(RuntimeFailure):
    """A mock (or scenario) given to the registry is not valid; ``problems`` says why.

    ``file``, ``line`` and ``column`` name the first problem's position."""

    def __init__(self, problems: Iterable[MockProblem]) -> None:
        self.problems = sort_problems(problems)
        first = self.problems[0] if self.problems else MockProblem("", 0, 0, "invalid mock")
        self.file = first.file
        self.line = first.line
        self.column = first.column
        detail = "; ".join(problem.render() for problem in self.problems[:3])
        more = len(self.problems) - 3
        super().__init__(detail + (f" (and {more} more)" if more > 0 else ""))
