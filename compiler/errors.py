"""Typed compiler errors. Each carries the place in the spec it is about.

A bad spec never shows a traceback: the CLI catches :class:`MockcError` and
prints :meth:`Diagnostic.render`, i.e. ``file:line:col: #/json/pointer: message``
followed by the source line and a caret when the line is known.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .ir import Source

__all__ = [
    "Diagnostic",
    "MockcError",
    "SpecError",
    "RefError",
    "UnsupportedSpecError",
    "GenerationError",
    "IrError",
]


@dataclass(frozen=True, kw_only=True)
class Diagnostic:
    message: str
    file: str = ""
    pointer: str | None = None
    """JSON pointer in ``file`` (``/paths/~1pets/get``); None when not applicable."""
    line: int | None = None
    column: int | None = None
    level: str = "error"
    code: str | None = None
    """The kind of problem, for grouping many of them (``example-mismatch``);
    None: the message's shape is its kind."""

    @classmethod
    def at(cls, source: Source | None, message: str, **fields: Any) -> Diagnostic:
        """A diagnostic about the IR node read from ``source`` (its file,
        pointer, line and column; none of them when the place is unknown)."""
        if source is None:
            return cls(message=message, **fields)
        return cls(
            message=message,
            file=source.file,
            pointer=source.pointer,
            line=source.line,
            column=source.column,
            **fields,
        )

    def location(self) -> str:
        where = self.file or "<input>"
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        return where

    def render(self, *, excerpt: bool = True) -> str:
        head = self.location() + ": "
        if self.pointer is not None:
            head += f"#{self.pointer}: "
        text = f"{head}{self.level}: {self.message}"
        if excerpt and self.line is not None and self.file:
            source_line = _read_line(self.file, self.line)
            if source_line is not None:
                caret_at = max((self.column or 1) - 1, 0)
                text += f"\n    {source_line}\n    {' ' * caret_at}^"
        return text


def _read_line(file: str, line: int) -> str | None:
    try:
        with Path(file).open(encoding="utf-8", errors="replace") as handle:
            for number, text in enumerate(handle, start=1):
                if number == line:
                    return text.rstrip("\n")[:200]
    except OSError:
        return None
    return None


class MockcError(Exception):
    """Base of every error mockc reports to a user (exit code 1, no traceback)."""

    def __init__(self, diagnostics: Diagnostic | list[Diagnostic] | str) -> None:
        if isinstance(diagnostics, str):
            diagnostics = Diagnostic(message=diagnostics)
        if isinstance(diagnostics, Diagnostic):
            diagnostics = [diagnostics]
        self.diagnostics: list[Diagnostic] = diagnostics
        super().__init__(self.render(excerpt=False))

    def render(self, *, excerpt: bool = True) -> str:
        return "\n".join(d.render(excerpt=excerpt) for d in self.diagnostics)


class SpecError(MockcError):
    """The spec is malformed or violates its format's rules."""


class RefError(SpecError):
    """A ``$ref`` (or import) that cannot be resolved."""


class UnsupportedSpecError(SpecError):
    """A well-formed input mockc does not handle (unknown format or version)."""


class GenerationError(MockcError):
    """The output cannot be written as asked (bad output folder, bad option)."""


class IrError(MockcError):
    """The IR breaks an invariant of docs/ir.md (a fault of the front end or
    pass that built it, named at the place in the spec it came from)."""
