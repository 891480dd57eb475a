"""The errors and warnings found while reading a spec, located when reported."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

from ...errors import Diagnostic, RefError, SpecError
from .pointers import Location

if TYPE_CHECKING:
    from .store import DocumentStore

__all__ = ["Problems"]


class Problems:
    """Errors and warnings found while reading a spec.

    Positions are computed once, when the problems are reported: errors by
    :meth:`raise_errors`, warnings by :meth:`flush_warnings`.
    """

    def __init__(self, store: DocumentStore) -> None:
        self._store = store
        self._errors: list[tuple[Location | Diagnostic, str, bool]] = []
        self._warnings: list[tuple[Location, str]] = []

    def error(self, at: Location, message: str, *, is_ref: bool = False) -> None:
        self._errors.append((at, message, is_ref))

    def add(self, error: SpecError) -> None:
        """Keep the diagnostics of an error raised while reading (to report later)."""
        is_ref = isinstance(error, RefError)
        for diagnostic in error.diagnostics:
            self._errors.append((diagnostic, diagnostic.message, is_ref))

    def warn(self, at: Location, message: str) -> None:
        self._warnings.append((at, message))

    @property
    def has_errors(self) -> bool:
        return bool(self._errors)

    def raise_errors(self) -> None:
        if not self._errors:
            return
        diagnostics = list(
            _unique(self._diagnostic(where, text) for where, text, _ in self._errors)
        )
        if all(is_ref for _, _, is_ref in self._errors):
            raise RefError(diagnostics)
        raise SpecError(diagnostics)

    def flush_warnings(self, sink: list[Diagnostic] | None) -> None:
        if sink is not None:
            found = (
                self._store.diagnostic(at, text, level="warning") for at, text in self._warnings
            )
            sink.extend(_unique(found))
        self._warnings.clear()

    def _diagnostic(self, where: Location | Diagnostic, message: str) -> Diagnostic:
        if isinstance(where, Diagnostic):
            return where
        return self._store.diagnostic(where, message)

    def guard(self, action: Callable[[], Any]) -> Any:
        """Run ``action``; a :class:`SpecError` it raises is kept, and None returned."""
        try:
            return action()
        except SpecError as error:
            self.add(error)
            return None


def _unique(diagnostics: Iterator[Diagnostic]) -> Iterator[Diagnostic]:
    seen: set[Diagnostic] = set()
    for diagnostic in diagnostics:
        if diagnostic not in seen:
            seen.add(diagnostic)
            yield diagnostic
