"""The merge report: what a regeneration did to every file, and why.

One entry per event: a file (or a field of a mock, or a hook in
``handlers.py``) was added, updated from the spec, kept because the user had
edited it, in conflict (both changed it; the user's version kept unless
``--theirs``), orphaned (its operation left the spec), pruned or removed.
``mockc generate`` prints it; ``--report-json`` writes it as JSON.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

__all__ = ["LISTED", "Entry", "Kind", "MergeReport", "field_path"]


class Kind(StrEnum):
    ADDED = "added"
    """New: a generated file, a mock of a new operation, a new hook stub or field."""
    UPDATED = "updated"
    """Rewritten with what the spec now says (the user had not changed it)."""
    KEPT_USER_EDIT = "kept-user-edit"
    """The user changed (or added, or deleted) it and the spec did not: kept."""
    CONFLICT = "conflict"
    """Both the user and the spec changed it: the user's version kept unless --theirs."""
    ORPHANED = "orphaned"
    """Its operation left the spec: kept, marked, not served (--prune removes it)."""
    PRUNED = "pruned"
    """Removed by --prune because its operation left the spec."""
    REMOVED = "removed"
    """A generated file (or untouched generated mock) that is no longer generated."""


LISTED = 8
"""Entries of one kind listed before the rest are only counted (but conflicts: all)."""

_ORDER = (
    Kind.CONFLICT,
    Kind.ORPHANED,
    Kind.PRUNED,
    Kind.REMOVED,
    Kind.UPDATED,
    Kind.KEPT_USER_EDIT,
    Kind.ADDED,
)


CHANGES = frozenset({Kind.ADDED, Kind.UPDATED, Kind.PRUNED, Kind.REMOVED})
"""Kinds that always mean a file changed on disk (others may or may not)."""


@dataclass(frozen=True, kw_only=True)
class Entry:
    file: str
    """Path inside the output folder, with forward slashes."""
    kind: Kind
    detail: str
    field: str | None = None
    """Where in the file: a mock field path (``response.body.name``) or ``hook NAME``."""
    id: str | None = None
    """The mock id or hook name the entry is about, when there is one."""
    generated: bool = False
    """True for files mockc owns outright (rewritten on every generation)."""
    changes_file: bool = True
    """False when the entry records a state, not a change (a kept edit, a standing orphan)."""

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"file": self.file, "kind": self.kind.value}
        if self.id is not None:
            data["id"] = self.id
        if self.field is not None:
            data["field"] = self.field
        data["detail"] = self.detail
        return data

    def render(self) -> str:
        where = self.file + (f" [{self.field}]" if self.field else "")
        return f"{self.kind.value:<15} {where}: {self.detail}"


@dataclass(kw_only=True)
class MergeReport:
    out: str = ""
    entries: list[Entry] = field(default_factory=list)
    changed_files: list[str] = field(default_factory=list)
    """Every path under the output folder that was (or, with --check, would be)
    written or deleted, sorted; ``.mockc/`` bookkeeping included."""

    def add(self, entry: Entry) -> None:
        self.entries.append(entry)

    def extend(self, entries: Iterable[Entry]) -> None:
        self.entries.extend(entries)

    @property
    def changed(self) -> bool:
        return bool(self.changed_files)

    def of_kind(self, kind: Kind) -> list[Entry]:
        return [entry for entry in self.entries if entry.kind is kind]

    def counts(self) -> dict[str, int]:
        return {kind.value: len(self.of_kind(kind)) for kind in Kind}

    def to_json(self) -> dict[str, Any]:
        return {
            "out": self.out,
            "changed": self.changed,
            "changed_files": list(self.changed_files),
            "counts": self.counts(),
            "entries": [entry.to_json() for entry in self.entries],
        }

    def summary(self) -> str:
        """The counts per kind that are not zero: ``added 95, conflict 1``."""
        counts = self.counts()
        return ", ".join(f"{kind} {count}" for kind, count in counts.items() if count)

    def render(self, *, verbose: bool = False, limit: int = LISTED) -> list[str]:
        """Text lines of :meth:`lines`."""
        return [text for _, text in self.lines(verbose=verbose, limit=limit)]

    def lines(self, *, verbose: bool = False, limit: int = LISTED) -> list[tuple[Kind, str]]:
        """The report as (kind, text) lines, most pressing kind first: entries
        about the user's files (every conflict; of other kinds the first
        ``limit`` and a count of the rest), then the generated files counted
        per kind. ``verbose`` lists every entry."""
        lines: list[tuple[Kind, str]] = []
        generated: dict[Kind, list[str]] = {}
        yours: dict[Kind, list[Entry]] = {kind: [] for kind in _ORDER}
        for entry in self.entries:
            if entry.generated and not verbose:
                generated.setdefault(entry.kind, []).append(entry.file)
            else:
                yours[entry.kind].append(entry)
        for kind, entries in yours.items():
            shown = entries if verbose or kind is Kind.CONFLICT else entries[:limit]
            lines.extend((kind, entry.render()) for entry in shown)
            if len(entries) > len(shown):
                more = len(entries) - len(shown)
                lines.append((kind, f"{kind.value:<15} … and {more} more (--verbose lists all)"))
        for kind, files in generated.items():
            rest = f" and {len(files) - 4} more" if len(files) > 4 else ""
            listed = ", ".join(files[:4]) + rest
            noun = "file" if len(files) == 1 else "files"
            lines.append((kind, f"{kind.value:<15} {len(files)} generated {noun}: {listed}"))
        return lines


_PLAIN_KEY = re.compile(r"[A-Za-z0-9_$-]+")


def field_path(path: Iterable[object]) -> str:
    """``("response", "body", "x.y")`` → ``response.body["x.y"]``."""
    text = ""
    for part in path:
        if isinstance(part, str) and _PLAIN_KEY.fullmatch(part):
            text += f".{part}" if text else part
        else:
            text += f"[{json.dumps(part) if isinstance(part, str) else repr(part)}]"
    return text
