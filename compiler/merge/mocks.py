"""Merging the ``mocks/`` folder: generated mocks into the user's, by id.

Mocks are matched across base (last generation), ours (the folder now) and
theirs (this generation) by ``id`` — never by file name, so a mock the user
renamed or moved is still found — and merged field by field
(:mod:`.fields`). Around that, the cases a folder adds:

=========================  ==========================================================
base / ours / theirs       outcome
=========================  ==========================================================
– / – / T                  a new operation: its generated mock is written (added)
B / – / T                  the user deleted it: it stays deleted (kept-user-edit), or
                           a conflict when the spec changed it (``--theirs`` restores)
B / O / T, – / O / T       merged per field, into the user's file and format
B / O / –                  no longer generated: if its operation left the spec it is
                           orphaned (or pruned); else dropped when the user never
                           edited it, kept when they did
– / O / –                  the user's own mock: untouched, unless its operation left
                           the spec (orphaned, or pruned)
=========================  ==========================================================

Orphaned mocks get ``orphaned: true`` (not served unless asked); mockc removes
the flag again when the operation comes back. The merge base of a mock that is
kept but no longer generated is retained, so that a returning operation merges
three ways again.
"""

from __future__ import annotations

import copy
import dataclasses
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import Any

from .conflicts import Conflict, with_recorded_base
from .documents import MockFile, plain
from .fields import MISSING, FieldEvent, merge_document, same
from .report import Entry, Kind, field_path

__all__ = ["MockMerge", "MockMergeOptions", "merge_mocks"]

ORPHANED_KEY = "orphaned"


@dataclass(frozen=True, kw_only=True)
class MockMergeOptions:
    prune: bool = False
    """Delete the mocks of operations that left the spec instead of flagging them."""
    prefer_theirs: bool = False
    """On a conflict take the spec's value (and restore deleted mocks the spec changed)."""
    base_folder: str = ".mockc/base"
    """Where base copies live, for messages only."""


@dataclass(kw_only=True)
class MockMerge:
    writes: dict[str, bytes] = field(default_factory=dict)
    deletes: list[str] = field(default_factory=list)
    entries: list[Entry] = field(default_factory=list)
    orphaned: set[str] = field(default_factory=set)
    """Ids of the mocks mockc has flagged orphaned (recorded for un-flagging later)."""
    retained_base: dict[str, bytes] = field(default_factory=dict)
    """Base copies to keep although this generation has no such mock."""
    conflicts: list[Conflict] = field(default_factory=list)
    """The conflicts left open (the user's version kept), to record."""


def merge_mocks(
    *,
    base: Iterable[MockFile],
    ours: Iterable[MockFile],
    theirs: Iterable[tuple[MockFile, bytes]],
    operations: Collection[str] | None,
    orphaned_before: Collection[str] = (),
    occupied: Collection[str] = (),
    recorded: Iterable[Conflict] = (),
    options: MockMergeOptions = MockMergeOptions(),
) -> MockMerge:
    """Plan the new state of the mocks folder (nothing is written here).

    ``operations`` are the operation ids of the new spec (None: unknown, no
    mock is orphaned); ``occupied`` the paths in use in the output folder;
    ``recorded`` the conflicts still open from earlier generations (merged
    against the values they started from, so they are found again).
    """
    merge = MockMerge()
    base_by_id = _by_id(base, merge, report=False)
    _put_back_recorded(base_by_id, recorded)
    ours_by_id = _by_id(ours, merge, report=True)
    theirs_by_id: dict[str, tuple[MockFile, bytes]] = {}
    for mock, content in theirs:
        theirs_by_id.setdefault(mock.id, (mock, content))
    taken = set(occupied)
    ids = list(theirs_by_id) + [i for i in ours_by_id if i not in theirs_by_id]
    ids += [i for i in base_by_id if i not in theirs_by_id and i not in ours_by_id]
    for mock_id in ids:
        old = base_by_id.get(mock_id)
        mine = ours_by_id.get(mock_id)
        generated = theirs_by_id.get(mock_id)
        if mine is None:
            if generated is not None:
                _missing(mock_id, old, generated, merge, taken, options)
            continue
        if generated is None:
            _not_generated(mock_id, old, mine, operations, orphaned_before, merge, options)
            continue
        new, content = generated
        if mine.text == new.text:  # as generated: nothing to merge, nothing to parse
            continue
        if old is not None and mine.text == old.text:
            # Untouched since generated: take the new file as generated, byte for byte.
            events = merge_document(_copy(mine), old.data, new.data)
            _report(merge, mine.path, mock_id, events)
            if mine.text.encode("utf-8") != content:
                merge.writes[mine.path] = content
            continue
        events = merge_document(
            mine.data, old.data if old else None, new.data, prefer_theirs=options.prefer_theirs
        )
        _report(merge, mine.path, mock_id, events)
        changed = any(event.changes for event in events)
        changed |= _unflag(mock_id, mine, operations, orphaned_before, merge)
        if changed:
            merge.writes[mine.path] = mine.dump().encode("utf-8")
    return merge


def _missing(
    mock_id: str,
    old: MockFile | None,
    generated: tuple[MockFile, bytes],
    merge: MockMerge,
    taken: set[str],
    options: MockMergeOptions,
) -> None:
    new, content = generated
    if old is None:
        path = _free_path(new.path, taken)
        taken.add(path)
        merge.writes[path] = content
        detail = f"mock of operation {new.operation or mock_id}"
        if path != new.path:
            detail += f" ({new.path} holds another mock)"
        merge.entries.append(Entry(file=path, kind=Kind.ADDED, id=mock_id, detail=detail))
        return
    restore = f"copy {options.base_folder}/{old.path} back to restore it"
    if same(old.data, new.data):
        merge.entries.append(
            Entry(
                file=new.path,
                kind=Kind.KEPT_USER_EDIT,
                id=mock_id,
                detail=f"you deleted this mock; it stays deleted ({restore})",
                changes_file=False,
            )
        )
    elif options.prefer_theirs:
        path = _free_path(new.path, taken)
        taken.add(path)
        merge.writes[path] = content
        merge.entries.append(
            Entry(
                file=path,
                kind=Kind.CONFLICT,
                id=mock_id,
                detail="you deleted this mock and the spec changed it; restored (--theirs)",
            )
        )
    else:
        merge.entries.append(
            Entry(
                file=new.path,
                kind=Kind.CONFLICT,
                id=mock_id,
                detail="you deleted this mock and the spec changed it; it stays deleted "
                "(--theirs restores it)",
                changes_file=False,
            )
        )
        merge.conflicts.append(
            Conflict(file=new.path, id=mock_id, base=plain(old.data), theirs=plain(new.data))
        )


def _not_generated(
    mock_id: str,
    old: MockFile | None,
    mine: MockFile,
    operations: Collection[str] | None,
    orphaned_before: Collection[str],
    merge: MockMerge,
    options: MockMergeOptions,
) -> None:
    operation = mine.operation
    gone = operations is not None and operation is not None and operation not in operations
    if gone:
        if options.prune:
            merge.deletes.append(mine.path)
            merge.entries.append(
                Entry(
                    file=mine.path,
                    kind=Kind.PRUNED,
                    id=mock_id,
                    detail=f"operation {operation} is no longer in the spec",
                )
            )
            return
        merge.orphaned.add(mock_id)
        if old is not None:
            merge.retained_base[old.path] = old.text.encode("utf-8")
        flagged = mine.data.get(ORPHANED_KEY) is True
        if not flagged:
            _set_flag(mine)
            merge.writes[mine.path] = mine.dump().encode("utf-8")
        merge.entries.append(
            Entry(
                file=mine.path,
                kind=Kind.ORPHANED,
                id=mock_id,
                detail=f"operation {operation} is no longer in the spec; kept"
                + ("" if flagged else " and marked orphaned: true")
                + ", not served unless MOCKC_SERVE_ORPHANED=1 (--prune removes it)",
                changes_file=not flagged,
            )
        )
        return
    if old is None:  # the user's own mock
        if _unflag(mock_id, mine, operations, orphaned_before, merge):
            merge.writes[mine.path] = mine.dump().encode("utf-8")
        return
    if same(mine.data, old.data):
        merge.deletes.append(mine.path)
        merge.entries.append(
            Entry(
                file=mine.path,
                kind=Kind.REMOVED,
                id=mock_id,
                detail="no longer generated, and you had not edited it",
            )
        )
        return
    merge.retained_base[old.path] = old.text.encode("utf-8")
    merge.entries.append(
        Entry(
            file=mine.path,
            kind=Kind.KEPT_USER_EDIT,
            id=mock_id,
            detail="no longer generated; kept because you edited it",
            changes_file=False,
        )
    )


def _unflag(
    mock_id: str,
    mine: MockFile,
    operations: Collection[str] | None,
    orphaned_before: Collection[str],
    merge: MockMerge,
) -> bool:
    """Remove the orphaned flag mockc set once the operation is back."""
    operation = mine.operation
    if (
        mock_id not in orphaned_before
        or operations is None
        or operation not in operations
        or mine.data.get(ORPHANED_KEY) is not True
    ):
        return False
    del mine.data[ORPHANED_KEY]
    merge.entries.append(
        Entry(
            file=mine.path,
            kind=Kind.UPDATED,
            id=mock_id,
            field=ORPHANED_KEY,
            detail=f"operation {operation} is back in the spec; no longer orphaned",
        )
    )
    return True


def _set_flag(mine: MockFile) -> None:
    data = mine.data
    keys = list(data)
    position = keys.index("operation") + 1 if "operation" in keys else len(keys)
    if hasattr(data, "insert"):
        data.insert(position, ORPHANED_KEY, True)
        return
    items = list(data.items())
    items.insert(position, (ORPHANED_KEY, True))
    data.clear()
    data.update(items)


def _by_id(mocks: Iterable[MockFile], merge: MockMerge, *, report: bool) -> dict[str, MockFile]:
    found: dict[str, MockFile] = {}
    for mock in sorted(mocks, key=lambda m: m.path):
        first = found.setdefault(mock.id, mock)
        if first is not mock and report:
            merge.entries.append(
                Entry(
                    file=mock.path,
                    kind=Kind.CONFLICT,
                    id=mock.id,
                    detail=f"id {mock.id!r} is also used by {first.path}; mockc merges into "
                    "that one and leaves this one alone (give every mock its own id)",
                    changes_file=False,
                )
            )
    return found


def _put_back_recorded(base_by_id: dict[str, MockFile], recorded: Iterable[Conflict]) -> None:
    by_id: dict[str, list[Conflict]] = {}
    for conflict in recorded:
        if conflict.id is not None:
            by_id.setdefault(conflict.id, []).append(conflict)
    for mock_id, conflicts in by_id.items():
        old = base_by_id.get(mock_id)
        if old is not None:
            data = with_recorded_base(old.data, conflicts)
            base_by_id[mock_id] = dataclasses.replace(old, data=data)


def _report(merge: MockMerge, path: str, mock_id: str, events: list[FieldEvent]) -> None:
    for event in events:
        if event.kind is Kind.CONFLICT and not event.changes:
            merge.conflicts.append(
                Conflict(
                    file=path,
                    id=mock_id,
                    field=event.path,
                    base=_plain(event.base),
                    ours=_plain(event.ours),
                    theirs=_plain(event.theirs),
                )
            )
        merge.entries.append(
            Entry(
                file=path,
                kind=event.kind,
                id=mock_id,
                field=field_path(event.path),
                detail=event.detail,
                changes_file=event.changes,
            )
        )


def _plain(value: Any) -> Any:
    return value if value is MISSING else plain(value)


def _copy(mock: MockFile) -> Any:
    return copy.deepcopy(mock.data)


def _free_path(path: str, taken: set[str]) -> str:
    if path not in taken:
        return path
    pure = PurePosixPath(path)
    number = 2
    while True:
        candidate = str(pure.with_name(f"{pure.stem}-{number}{pure.suffix}"))
        if candidate not in taken:
            return candidate
        number += 1
