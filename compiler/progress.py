"""How long work tells the command line where it is: a phase (with a total
when it is counted) and steps within it. The pipeline reports; the CLI's
console (:mod:`.console`) decides what, if anything, the user sees."""

from __future__ import annotations

from typing import Protocol

__all__ = ["NO_PROGRESS", "Progress"]


class Progress(Protocol):
    def phase(self, name: str, total: int | None = None) -> None:
        """A new phase begins (``total`` steps, when they are counted)."""

    def advance(self, steps: int = 1) -> None:
        """Steps of the current phase are done."""


class _Silent:
    def phase(self, name: str, total: int | None = None) -> None:
        return None

    def advance(self, steps: int = 1) -> None:
        return None


NO_PROGRESS: Progress = _Silent()
"""Reports to nobody."""
