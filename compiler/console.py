"""What ``mockc`` prints on standard error, and how.

Through rich: colour and a live progress display on a terminal; plain text
elsewhere (a pipe, a CI log), where long work reports with a plain line now
and then instead. ``NO_COLOR`` (and ``FORCE_COLOR``, ``TERM=dumb``) are
honoured by rich. Many warnings are grouped by kind and counted, the first
few of each shown; ``--verbose`` shows every one. Nothing from a spec is
read as markup.
"""

from __future__ import annotations

import re
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import TextIO

from rich.console import Console as RichConsole
from rich.progress import (
    BarColumn,
    SpinnerColumn,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)
from rich.progress import Progress as RichProgress
from rich.text import Text

from .errors import Diagnostic
from .merge import Kind
from .progress import NO_PROGRESS, Progress

__all__ = ["Console", "group_diagnostics"]

SHOWN_PER_KIND = 3
"""Warnings of one kind shown before the rest are counted."""
ALL_BELOW = 10
"""Up to this many warnings are simply all shown."""

KIND_STYLES = {
    Kind.CONFLICT: "bold red",
    Kind.ORPHANED: "yellow",
    Kind.PRUNED: "magenta",
    Kind.REMOVED: "magenta",
    Kind.UPDATED: "cyan",
    Kind.KEPT_USER_EDIT: "blue",
    Kind.ADDED: "green",
}


class Console:
    """Standard error of one ``mockc`` run."""

    def __init__(
        self,
        *,
        quiet: bool = False,
        verbose: bool = False,
        file: TextIO | None = None,
        plain_after: float = 2.0,
        plain_every: float = 10.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.quiet = quiet
        self.verbose = verbose
        self.rich = RichConsole(
            file=file if file is not None else sys.stderr,
            highlight=False,
            markup=False,
            emoji=False,
            soft_wrap=True,
        )
        self._plain_after = plain_after
        self._plain_every = plain_every
        self._clock = clock

    @property
    def is_terminal(self) -> bool:
        return self.rich.is_terminal

    def say(self, text: str, style: str | None = None) -> None:
        self.rich.print(Text(text, style=style or ""))

    # -- progress --------------------------------------------------------------

    @contextmanager
    def progress(self, label: str) -> Iterator[Progress]:
        """Progress of one long piece of work: live on a terminal, a plain line
        now and then elsewhere, nothing when quiet."""
        if self.quiet:
            yield NO_PROGRESS
        elif self.is_terminal:
            with _LiveProgress(self.rich, label) as live:
                yield live
        else:
            yield _PlainProgress(self, label, self._plain_after, self._plain_every, self._clock)

    # -- warnings ---------------------------------------------------------------

    def diagnostics(self, diagnostics: Sequence[Diagnostic], *, what: str = "the specs") -> None:
        """Warnings: all of them when few or ``verbose``, else grouped by kind."""
        if self.quiet or not diagnostics:
            return
        if self.verbose or len(diagnostics) <= ALL_BELOW:
            for diagnostic in diagnostics:
                self._diagnostic(diagnostic)
            return
        groups = group_diagnostics(diagnostics)
        self.rich.print(
            Text.assemble(
                "mockc: ",
                (f"{len(diagnostics)} warnings", "bold yellow"),
                f" about {what}, {len(groups)} kind(s); the first {SHOWN_PER_KIND} of each "
                "(--verbose shows every one):",
            )
        )
        for kind, members in groups:
            self.rich.print(Text.assemble("  ", (f"{len(members)} × ", "bold"), (kind, "yellow")))
            for diagnostic in members[:SHOWN_PER_KIND]:
                self._diagnostic(diagnostic, indent="    ")
            if len(members) > SHOWN_PER_KIND:
                self.say(f"    … and {len(members) - SHOWN_PER_KIND} more")

    def _diagnostic(self, diagnostic: Diagnostic, indent: str = "") -> None:
        text = diagnostic.render(excerpt=False)
        marker = f": {diagnostic.level}: "
        head, found, tail = text.partition(marker)
        if not found:
            self.say(indent + text)
            return
        style = "yellow" if diagnostic.level == "warning" else "red"
        self.rich.print(Text.assemble(indent + head + ": ", (diagnostic.level, style), ": " + tail))

    # -- the merge report ----------------------------------------------------------

    def report_lines(self, lines: Sequence[tuple[Kind, str]], indent: str = "  ") -> None:
        for kind, text in lines:
            word = kind.value
            rest = text[len(word) :] if text.startswith(word) else text
            self.rich.print(
                Text.assemble(indent, (word, KIND_STYLES.get(kind, "")), rest)
                if rest is not text
                else Text(indent + text)
            )


def group_diagnostics(diagnostics: Sequence[Diagnostic]) -> list[tuple[str, list[Diagnostic]]]:
    """Diagnostics by kind (their ``code``, else the shape of their message),
    the largest group first, ties in order of first appearance."""
    groups: dict[str, list[Diagnostic]] = {}
    for diagnostic in diagnostics:
        groups.setdefault(diagnostic.code or message_shape(diagnostic.message), []).append(
            diagnostic
        )
    return sorted(groups.items(), key=lambda item: -len(item[1]))


_QUOTED = re.compile(r"'[^']*'|\"[^\"]*\"|`[^`]*`|\([^()]*\)")
_NUMBER = re.compile(r"\b\d+\b")


def message_shape(message: str, limit: int = 100) -> str:
    """A message with its particulars (quoted names, numbers, parentheses)
    left out: the kind of problem it reports."""
    shape = _NUMBER.sub("N", _QUOTED.sub("…", message))
    return shape if len(shape) <= limit else shape[: limit - 1] + "…"


class _LiveProgress:
    """rich's live display; it disappears when the work is done."""

    def __init__(self, console: RichConsole, label: str) -> None:
        self._label = label
        self._progress = RichProgress(
            SpinnerColumn(),
            TextColumn("{task.description}"),
            BarColumn(),
            TextColumn("{task.fields[counted]}"),
            TimeElapsedColumn(),
            console=console,
            transient=True,
        )
        self._task: TaskID | None = None
        self._total: int | None = None

    def __enter__(self) -> _LiveProgress:
        self._progress.start()
        self.phase("starting")
        return self

    def __exit__(self, *exc: object) -> None:
        self._progress.stop()

    def phase(self, name: str, total: int | None = None) -> None:
        if self._task is not None:
            self._progress.remove_task(self._task)
        self._total = total
        counted = f"0/{total}" if total is not None else ""
        self._task = self._progress.add_task(f"{self._label}: {name}", total=total, counted=counted)

    def advance(self, steps: int = 1) -> None:
        assert self._task is not None
        self._progress.advance(self._task, steps)
        if self._total is not None:
            done = int(self._progress.tasks[-1].completed)
            self._progress.update(self._task, counted=f"{done}/{self._total}")


class _PlainProgress:
    """Plain lines for logs: nothing for quick work; once the work has taken
    ``after`` seconds, the current phase, then a line every ``every`` seconds."""

    def __init__(
        self,
        console: Console,
        label: str,
        after: float,
        every: float,
        clock: Callable[[], float],
    ) -> None:
        self._console = console
        self._label = label
        self._every = every
        self._clock = clock
        self._next = clock() + after
        self._name = ""
        self._done = 0
        self._total: int | None = None

    def phase(self, name: str, total: int | None = None) -> None:
        self._name, self._done, self._total = name, 0, total
        self._tick()

    def advance(self, steps: int = 1) -> None:
        self._done += steps
        self._tick()

    def _tick(self) -> None:
        now = self._clock()
        if now < self._next:
            return
        self._next = now + self._every
        counted = f" {self._done}/{self._total}" if self._total is not None else "…"
        self._console.say(f"mockc: {self._label}: {self._name}{counted}")
