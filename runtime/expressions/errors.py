"""Where an expression comes from, and the two errors of the expression language."""

from __future__ import annotations

from typing import NamedTuple

from ..exceptions import RuntimeFailure

__all__ = ["ExpressionError", "Origin", "RenderLimitError", "origin_at"]


class Origin(NamedTuple):
    """The 1-based position of the first character of an expression or template
    text in its file."""

    file: str
    line: int
    column: int


class ExpressionError(RuntimeFailure):
    """An expression or template cannot be compiled; names the file, line and column."""

    def __init__(self, message: str, file: str, line: int, column: int) -> None:
        super().__init__(f"{file}:{line}:{column}: {message}")
        self.message = message
        self.file = file
        self.line = line
        self.column = column

    @classmethod
    def at(cls, message: str, origin: Origin, text: str, offset: int) -> ExpressionError:
        """The error for character ``offset`` of ``text``, which starts at ``origin``."""
        where = origin_at(origin, text, offset)
        return cls(message, where.file, where.line, where.column)


class RenderLimitError(RuntimeFailure):
    """Evaluating or rendering would produce a value larger than the size bound."""


def origin_at(origin: Origin, text: str, offset: int) -> Origin:
    """The position in the file of character ``offset`` of ``text`` (which starts at
    ``origin``); an offset at the end of the text points just past its last character."""
    offset = max(0, min(offset, len(text)))
    newlines = text.count("\n", 0, offset)
    if newlines == 0:
        return Origin(origin.file, origin.line, origin.column + offset)
    line_start = text.rindex("\n", 0, offset) + 1
    return Origin(origin.file, origin.line + newlines, offset - line_start + 1)
