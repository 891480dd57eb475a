"""The plan of one generation: every file of the output folder decided — a
generated file rewritten (hand edits backed up), a user file merged three ways
(:mod:`.mocks`, :mod:`.handlers`), files no longer generated removed or
orphaned, the merge state renewed — all in memory, before anything is
written, so a user file mockc cannot read stops it with nothing changed."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from pathlib import Path

from mockc.targets.common import FileOwner, GeneratedFile

from ..passes.mockgen import MOCKS_DIR
from .conflicts import Conflict, dump_conflicts, load_conflicts
from .documents import MockFile, load_mock
from .files import decode_text, is_mock, mock_files, read_file, write_files
from .mocks import MockMergeOptions, merge_mocks
from .python_files import merge_python
from .report import Entry, Kind, MergeReport
from .state import (
    BACKUP_DIR,
    BASE_DIR,
    CONFLICTS,
    MANIFEST,
    FolderState,
    digest,
    manifest_bytes,
)

__all__ = ["MergeOptions", "Planner", "WriteReport"]


@dataclass(frozen=True, kw_only=True)
class MergeOptions:
    prune: bool = False
    """Delete mocks (and unedited hook stubs) of operations that left the spec."""
    theirs: bool = False
    """On a conflict in a mock, take the spec's value instead of the user's."""
    adopt: bool = False
    """Accept a folder whose ``.mockc/`` is missing or damaged: its files are the
    user's, merged with this generation with no base (generated files replaced
    are saved under ``.mockc/backup/`` first)."""
    dry_run: bool = False
    """Plan and report, write nothing (``--check``)."""


@dataclass(kw_only=True)
class WriteReport:
    written: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    kept_user_files: list[str] = field(default_factory=list)
    """User-owned files whose content is (partly) the user's rather than generated."""
    removed: list[str] = field(default_factory=list)
    merge: MergeReport = field(default_factory=MergeReport)
    """Everything that happened, file by file and field by field."""


class Planner:
    def __init__(
        self,
        out: Path,
        files: list[GeneratedFile],
        state: FolderState,
        operations: Collection[str] | None,
        options: MergeOptions,
        manifest_extra: dict[str, str],
    ) -> None:
        self.out = out
        self.files = sorted(files, key=lambda f: f.path)
        self.state = state
        self.operations = operations
        self.options = options
        self.manifest_extra = manifest_extra
        self.writes: dict[str, bytes] = {}
        self.executable: set[str] = set()
        self.deletes: set[str] = set()
        self.report = WriteReport(merge=MergeReport(out=str(out)))
        self.orphaned: set[str] = set()
        self.retained: dict[str, bytes] = {}
        self.recorded = load_conflicts(out / CONFLICTS) if state.has_base else []
        self.conflicts: list[Conflict] = []

    @property
    def entries(self) -> list[Entry]:
        return self.report.merge.entries

    def plan(self) -> None:
        mocks = [f for f in self.files if f.owner is FileOwner.USER and is_mock(f.path)]
        for generated in self.files:
            if generated.owner is FileOwner.GENERATED:
                self._generated(generated)
            elif not is_mock(generated.path):
                self._user_file(generated)
        self._mocks(mocks)
        self._stale()
        self._bookkeeping()
        changed = set(self.writes) | {p for p in self.deletes if (self.out / p).exists()}
        self.report.merge.changed_files = sorted(changed)

    # -- generated files: mockc's own ------------------------------------------

    def _generated(self, generated: GeneratedFile) -> None:
        current = read_file(self.out / generated.path)
        if current == generated.content:
            self.report.unchanged.append(generated.path)
            return
        if current is None:
            self._entry(generated.path, Kind.ADDED, "generated", generated=True)
        else:
            saved = self._save_hand_edits(generated.path, current)
            detail = "regenerated" + (f"; your hand edits saved as {saved}" if saved else "")
            self._entry(generated.path, Kind.UPDATED, detail, generated=not saved)
        self._put(generated.path, generated.content, executable=generated.executable)
        self.report.written.append(generated.path)

    def _save_hand_edits(self, path: str, current: bytes) -> str | None:
        """Back up a generated file someone edited (or a file mockc never wrote)."""
        previous = self.state.files.get(path)
        if previous is not None and previous.get("sha256") == digest(current):
            return None
        backup = f"{BACKUP_DIR}/{path}"
        number = 1
        while (existing := read_file(self.out / backup)) is not None and existing != current:
            number += 1
            backup = f"{BACKUP_DIR}/{path}.{number}"
        self.writes[backup] = current
        return backup

    # -- user-owned files other than mocks ---------------------------------------

    def _user_file(self, generated: GeneratedFile) -> None:
        path = generated.path
        theirs = generated.content
        current = read_file(self.out / path)
        base = self._recorded_base(path)
        if current is None:
            self._missing_user_file(generated, base)
            return
        if current == theirs:
            self.report.unchanged.append(path)
            return
        if path.endswith(".py"):
            text, entries = merge_python(
                path=path,
                base=decode_text(base, self.out / BASE_DIR / path) if base is not None else None,
                ours=decode_text(current, self.out / path),
                theirs=theirs.decode("utf-8"),
                prune=self.options.prune,
                shown_as=str(self.out / path),
            )
            self.entries.extend(entries)
            merged = text.encode("utf-8")
        elif base == current:
            merged = theirs
            self._entry(path, Kind.UPDATED, "you had not edited it: replaced by the new version")
        elif base == theirs:
            merged = current
            self._entry(path, Kind.KEPT_USER_EDIT, "your version", changes=False)
        elif self.options.theirs:
            merged = theirs
            self._entry(path, Kind.CONFLICT, "you and the spec both changed it; the spec's taken")
        else:
            merged = current
            self._entry(
                path,
                Kind.CONFLICT,
                "you and the spec both changed it; yours kept (--theirs takes the spec's)",
                changes=False,
            )
            self._record_file_conflict(path, base)
        if merged != theirs:
            self.report.kept_user_files.append(path)
        if merged != current:
            self._put(path, merged, executable=generated.executable)
            self.report.written.append(path)
        else:
            self.report.unchanged.append(path)

    def _missing_user_file(self, generated: GeneratedFile, base: bytes | None) -> None:
        path = generated.path
        if base is None:
            self._entry(path, Kind.ADDED, "yours to edit: mockc merges its changes into it")
        elif base == generated.content:
            self._entry(
                path,
                Kind.KEPT_USER_EDIT,
                f"you deleted it; it stays deleted (copy {BASE_DIR}/{path} back to restore it)",
                changes=False,
            )
            return
        elif not self.options.theirs:
            self._entry(
                path,
                Kind.CONFLICT,
                "you deleted it and the spec changed it; it stays deleted (--theirs restores it)",
                changes=False,
            )
            self._record_file_conflict(path, base)
            return
        else:
            self._entry(path, Kind.CONFLICT, "you deleted it and the spec changed it; restored")
        self._put(path, generated.content, executable=generated.executable)
        self.report.written.append(path)

    # -- mocks ---------------------------------------------------------------------

    def _mocks(self, generated: list[GeneratedFile]) -> None:
        # A file with the bytes of a generated mock is read without parsing: a
        # merge parses only the files that differ from what is generated now.
        known = {f.content: f.mock_id for f in generated if f.mock_id is not None}
        theirs = [
            (load_mock(f.path, f.content.decode("utf-8"), known_id=f.mock_id), f.content)
            for f in generated
        ]
        ours = [
            load_mock(
                rel,
                decode_text(content, self.out / rel),
                shown_as=str(self.out / rel),
                known_id=known.get(content),
            )
            for rel, content in mock_files(self.out, MOCKS_DIR)
        ]
        base: list[MockFile] = []
        if self.state.has_base:
            for rel, content in mock_files(self.out / BASE_DIR, MOCKS_DIR):
                if rel in self.state.files or rel in self.state.retained:
                    where = self.out / BASE_DIR / rel
                    base.append(
                        load_mock(
                            rel,
                            decode_text(content, where),
                            shown_as=str(where),
                            known_id=known.get(content),
                        )
                    )
        occupied = {rel for rel, _ in mock_files(self.out, MOCKS_DIR, every_file=True)}
        merged = merge_mocks(
            base=base,
            ours=ours,
            theirs=theirs,
            operations=self.operations,
            orphaned_before=self.state.orphaned,
            occupied=occupied,
            recorded=self.recorded,
            options=MockMergeOptions(
                prune=self.options.prune,
                prefer_theirs=self.options.theirs,
                base_folder=BASE_DIR,
            ),
        )
        self.entries.extend(merged.entries)
        for path, content in sorted(merged.writes.items()):
            self._put(path, content)
            self.report.written.append(path)
        self.deletes.update(merged.deletes)
        ours_by_id = {mock.id: mock for mock in reversed(sorted(ours, key=lambda m: m.path))}
        for mock, content in theirs:
            kept = ours_by_id.get(mock.id)
            if kept is None or kept.path in merged.deletes:
                continue
            final = merged.writes.get(kept.path, kept.text.encode("utf-8"))
            if final != content:
                self.report.kept_user_files.append(kept.path)
            elif kept.path not in merged.writes:
                self.report.unchanged.append(kept.path)
        self.orphaned = merged.orphaned
        self.retained = merged.retained_base
        self.conflicts.extend(merged.conflicts)

    # -- files no longer generated ------------------------------------------------

    def _stale(self) -> None:
        current = {f.path for f in self.files}
        for path, entry in sorted(self.state.files.items()):
            if path in current:
                continue
            target = self.out / path
            if entry.get("owner") == FileOwner.GENERATED:
                content = read_file(target)
                if content is None:
                    continue
                saved = self._save_hand_edits(path, content)
                detail = "no longer generated" + (
                    f"; your hand edits saved as {saved}" if saved else ""
                )
                self.deletes.add(path)
                self.report.removed.append(path)
                self._entry(path, Kind.REMOVED, detail, generated=not saved)
            elif not is_mock(path) and target.exists():
                self._entry(
                    path,
                    Kind.ORPHANED,
                    "no longer generated; kept as yours (mockc no longer merges into it)",
                    changes=False,
                )

    # -- .mockc/ ---------------------------------------------------------------------

    def _bookkeeping(self) -> None:
        bases = {f.path: f.content for f in self.files if f.owner is FileOwner.USER}
        retained = {p: c for p, c in self.retained.items() if p not in bases}
        for path, content in {**bases, **retained}.items():
            self._put(f"{BASE_DIR}/{path}", content)
        recorded = {p for p, e in self.state.files.items() if e.get("owner") == FileOwner.USER}
        for path in sorted((recorded | set(self.state.retained)) - set(bases) - set(retained)):
            self.deletes.add(f"{BASE_DIR}/{path}")
        manifest = manifest_bytes(self.manifest_extra, self.files, self.orphaned, retained)
        self._put(MANIFEST, manifest)
        conflicts = dump_conflicts(self.conflicts)
        if conflicts is not None:
            self._put(CONFLICTS, conflicts)
        else:
            self.deletes.add(CONFLICTS)

    # -- helpers -----------------------------------------------------------------------

    def _recorded_base(self, path: str) -> bytes | None:
        """The base of a user file: what both sides started from when a
        conflict about it is still open, else the last generation."""
        for conflict in self.recorded:
            if conflict.id is None and conflict.file == path and isinstance(conflict.base, str):
                return conflict.base.encode("utf-8")
        return self._base(path)

    def _record_file_conflict(self, path: str, base: bytes | None) -> None:
        try:
            text = base.decode("utf-8") if base is not None else None
        except UnicodeDecodeError:
            return  # a binary file: reported each time, not recorded
        if text is not None:
            self.conflicts.append(Conflict(file=path, base=text))

    def _base(self, path: str) -> bytes | None:
        if not self.state.has_base:
            return None
        return read_file(self.out / BASE_DIR / path)

    def _put(self, path: str, content: bytes, *, executable: bool = False) -> None:
        """Plan writing ``content`` at ``path`` unless it is there already."""
        if read_file(self.out / path) == content:
            return
        self.writes[path] = content
        if executable:
            self.executable.add(path)

    def _entry(
        self,
        path: str,
        kind: Kind,
        detail: str,
        *,
        generated: bool = False,
        changes: bool = True,
    ) -> None:
        self.entries.append(
            Entry(file=path, kind=kind, detail=detail, generated=generated, changes_file=changes)
        )

    # -- writing ---------------------------------------------------------------------------

    def apply(self) -> None:
        write_files(self.out, self.writes, self.executable, self.deletes)
