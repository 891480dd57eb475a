"""Writing a target's file plan into the output folder: generated files
rewritten, the user's files merged, nothing of the user's ever lost.

The folder keeps ``.mockc/``:

- ``manifest.json``: every file of the last generation, its owner and a digest
  of what was written, plus the merge state (mocks mockc flagged orphaned,
  merge bases retained for mocks no longer generated);
- ``base/``: the user-owned files exactly as last generated — the base of the
  three-way merge (:mod:`mockc.compiler.merge`);
- ``backup/``: hand edits of *generated* files, saved before mockc replaced
  them (generated files are mockc's, but mockc still loses nothing);
- ``cache.json``: what the last generation was made from, so an unchanged one
  compiles nothing (:mod:`.reuse`; local to a checkout, git-ignored).

Generation is planned completely — every merge done in memory — before
anything is written, so a user file mockc cannot read stops it with nothing
changed; ``dry_run`` (``mockc generate --check``) stops there. A folder whose
``.mockc/`` is missing or damaged is refused with the ways forward: mockc
never guesses destructively.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from collections.abc import Collection
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from mockc.targets.common import FileOwner, GeneratedFile

from .errors import Diagnostic, GenerationError
from .merge import (
    CONFLICTS_FILE,
    MOCK_SUFFIXES,
    Conflict,
    Entry,
    Kind,
    MergeError,
    MergeReport,
    MockFile,
    MockMergeOptions,
    dump_conflicts,
    load_conflicts,
    load_mock,
    merge_mocks,
    merge_python,
)
from .mockgen import MOCKS_DIR

__all__ = [
    "BACKUP_DIR",
    "BASE_DIR",
    "CONFLICTS",
    "MANIFEST",
    "STATE_DIR",
    "MergeOptions",
    "WriteReport",
    "check_writable",
    "write_output",
]

STATE_DIR = ".mockc"
MANIFEST = f"{STATE_DIR}/manifest.json"
BASE_DIR = f"{STATE_DIR}/base"
"""Copies of user-owned files as mockc generated them: the base of a future merge."""
BACKUP_DIR = f"{STATE_DIR}/backup"
"""Hand edits of generated files, saved before mockc replaced them."""
CONFLICTS = f"{STATE_DIR}/{CONFLICTS_FILE}"
"""Conflicts left open, until resolved (:mod:`mockc.compiler.merge.conflicts`)."""


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


def write_output(
    out: Path,
    files: list[GeneratedFile],
    *,
    manifest_extra: dict[str, str],
    operations: Collection[str] | None = None,
    options: MergeOptions = MergeOptions(),
) -> WriteReport:
    """Write (or with ``dry_run`` only plan) ``files`` into ``out``, merging
    user-owned files; ``operations`` are the ids of the spec's operations (for
    orphaned mocks; None: unknown, none is orphaned)."""
    state = _read_state(out, adopt=options.adopt)
    planner = _Planner(out, files, state, operations, options, manifest_extra)
    planner.plan()
    if not options.dry_run:
        planner.apply()
    return planner.report


def check_writable(out: Path, *, adopt: bool = False) -> None:
    """Refuse an output folder whose files mockc cannot account for."""
    _read_state(out, adopt=adopt)


# -- the state of the folder ---------------------------------------------------


@dataclass(kw_only=True)
class _State:
    files: dict[str, dict[str, str]] = field(default_factory=dict)
    retained: dict[str, str] = field(default_factory=dict)
    orphaned: set[str] = field(default_factory=set)
    has_base: bool = False
    """A previous generation is on record: ``base/`` can be trusted."""


def _read_state(out: Path, *, adopt: bool) -> _State:
    if out.exists() and not out.is_dir():
        raise GenerationError(Diagnostic(file=str(out), message="output path is not a folder"))
    if not out.is_dir() or not any(out.iterdir()):
        return _State()
    manifest = out / MANIFEST
    if not manifest.is_file():
        if adopt:
            return _State()
        raise GenerationError(
            Diagnostic(
                file=str(out),
                message=(
                    f"the folder is not empty and has no {MANIFEST}, so mockc cannot tell "
                    "your files from its own, and overwrites nothing. Ways forward: restore "
                    f"{STATE_DIR}/ from version control (git checkout -- {out / STATE_DIR}); or "
                    "run again with --adopt to keep every file here as yours and merge this "
                    "generation into them (a generated file it replaces is saved under "
                    f"{out / BACKUP_DIR} first); or move the folder aside and generate into "
                    "an empty one"
                ),
            )
        )
    try:
        return _parse_state(out)
    except _Damaged as damage:
        if adopt:
            return _State()
        raise GenerationError(
            Diagnostic(
                file=str(damage.path),
                message=(
                    f"{damage.what}, so mockc cannot tell your edits from its own output and "
                    f"overwrites nothing in {out}. Ways forward: restore {STATE_DIR}/ from "
                    f"version control (git checkout -- {out / STATE_DIR}); or run again with "
                    "--adopt to keep every file here as yours and rebuild the merge state from "
                    f"this generation (a generated file it replaces is saved under "
                    f"{out / BACKUP_DIR} first); or generate into a new folder"
                ),
            )
        ) from None


class _Damaged(Exception):
    def __init__(self, path: Path, what: str) -> None:
        super().__init__(what)
        self.path = path
        self.what = what


def _parse_state(out: Path) -> _State:
    path = out / MANIFEST
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        files = data["files"]
        merge = data.get("merge", {})
        if not isinstance(files, dict) or not isinstance(merge, dict):
            raise TypeError("files is not a mapping")
        for name, entry in files.items():
            if not isinstance(entry, dict) or entry.get("owner") not in set(FileOwner):
                raise TypeError(f"entry {name!r} has no valid owner")
            if not isinstance(entry.get("sha256"), str):
                raise TypeError(f"entry {name!r} has no digest")
        retained = merge.get("retained_base", {})
        orphaned = merge.get("orphaned", [])
        if not isinstance(retained, dict) or not isinstance(orphaned, list):
            raise TypeError("merge state is malformed")
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
        raise _Damaged(path, f"the manifest is damaged ({exc})") from None
    state = _State(
        files=files,
        retained={str(k): str(v) for k, v in retained.items()},
        orphaned={str(i) for i in orphaned},
        has_base=True,
    )
    expected = {p: e["sha256"] for p, e in files.items() if e["owner"] == FileOwner.USER}
    expected.update(state.retained)
    for relative, digest in sorted(expected.items()):
        copy = out / BASE_DIR / relative
        if not copy.is_file():
            raise _Damaged(copy, f"the merge base is damaged: {BASE_DIR}/{relative} is missing")
        if _sha(copy.read_bytes()) != digest:
            raise _Damaged(copy, f"the merge base is damaged: {BASE_DIR}/{relative} was changed")
    return state


# -- planning ------------------------------------------------------------------


class _Planner:
    def __init__(
        self,
        out: Path,
        files: list[GeneratedFile],
        state: _State,
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
        mocks = [f for f in self.files if f.owner is FileOwner.USER and _is_mock(f.path)]
        for generated in self.files:
            if generated.owner is FileOwner.GENERATED:
                self._generated(generated)
            elif not _is_mock(generated.path):
                self._user_file(generated)
        self._mocks(mocks)
        self._stale()
        self._bookkeeping()
        changed = set(self.writes) | {p for p in self.deletes if (self.out / p).exists()}
        self.report.merge.changed_files = sorted(changed)

    # -- generated files: mockc's own ------------------------------------------

    def _generated(self, generated: GeneratedFile) -> None:
        current = _read(self.out / generated.path)
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
        if previous is not None and previous.get("sha256") == _sha(current):
            return None
        backup = f"{BACKUP_DIR}/{path}"
        number = 1
        while (existing := _read(self.out / backup)) is not None and existing != current:
            number += 1
            backup = f"{BACKUP_DIR}/{path}.{number}"
        self.writes[backup] = current
        return backup

    # -- user-owned files other than mocks ---------------------------------------

    def _user_file(self, generated: GeneratedFile) -> None:
        path = generated.path
        theirs = generated.content
        current = _read(self.out / path)
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
                base=_text(base, self.out / BASE_DIR / path) if base is not None else None,
                ours=_text(current, self.out / path),
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
                _text(content, self.out / rel),
                shown_as=str(self.out / rel),
                known_id=known.get(content),
            )
            for rel, content in _mock_files(self.out, MOCKS_DIR)
        ]
        base: list[MockFile] = []
        if self.state.has_base:
            for rel, content in _mock_files(self.out / BASE_DIR, MOCKS_DIR):
                if rel in self.state.files or rel in self.state.retained:
                    where = self.out / BASE_DIR / rel
                    base.append(
                        load_mock(
                            rel,
                            _text(content, where),
                            shown_as=str(where),
                            known_id=known.get(content),
                        )
                    )
        occupied = {rel for rel, _ in _mock_files(self.out, MOCKS_DIR, every_file=True)}
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
                content = _read(target)
                if content is None:
                    continue
                saved = self._save_hand_edits(path, content)
                detail = "no longer generated" + (
                    f"; your hand edits saved as {saved}" if saved else ""
                )
                self.deletes.add(path)
                self.report.removed.append(path)
                self._entry(path, Kind.REMOVED, detail, generated=not saved)
            elif not _is_mock(path) and target.exists():
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
        manifest: dict[str, Any] = {
            **self.manifest_extra,
            "files": {
                f.path: {"owner": f.owner.value, "sha256": _sha(f.content)} for f in self.files
            },
            "merge": {
                "orphaned": sorted(self.orphaned),
                "retained_base": {p: _sha(c) for p, c in sorted(retained.items())},
            },
        }
        text = json.dumps(manifest, indent=1, sort_keys=True) + "\n"
        self._put(MANIFEST, text.encode("utf-8"))
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
        return _read(self.out / BASE_DIR / path)

    def _put(self, path: str, content: bytes, *, executable: bool = False) -> None:
        """Plan writing ``content`` at ``path`` unless it is there already."""
        if _read(self.out / path) == content:
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
        manifest = self.writes.pop(MANIFEST, None)
        backups = sorted(p for p in self.writes if p.startswith(f"{BACKUP_DIR}/"))
        for path in backups + sorted(p for p in self.writes if p not in backups):
            _atomic_write(self.out / path, self.writes[path], path in self.executable)
        for path in sorted(self.deletes):
            target = self.out / path
            if target.is_file():
                target.unlink()
                _remove_empty_parents(target.parent, self.out)
        if manifest is not None:
            _atomic_write(self.out / MANIFEST, manifest, False)
            self.writes[MANIFEST] = manifest


def _is_mock(path: str) -> bool:
    return path.startswith(f"{MOCKS_DIR}/") and PurePosixPath(path).suffix in MOCK_SUFFIXES


def _mock_files(root: Path, folder: str, *, every_file: bool = False) -> list[tuple[str, bytes]]:
    """Mock files (every file) under ``root/folder`` as (path relative to ``root``, content)."""
    directory = root / folder
    if not directory.is_dir():
        return []
    found = []
    for path in sorted(directory.rglob("*")):
        relative = path.relative_to(root)
        if (
            path.is_file()
            and (every_file or path.suffix in MOCK_SUFFIXES)
            and not any(part.startswith(".") for part in relative.parts)
        ):
            found.append((relative.as_posix(), b"" if every_file else path.read_bytes()))
    return found


def _read(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except (FileNotFoundError, NotADirectoryError):
        return None
    except IsADirectoryError:
        raise GenerationError(
            Diagnostic(file=str(path), message="is a folder where mockc writes a file")
        ) from None


def _text(content: bytes, where: Path) -> str:
    try:
        return content.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise MergeError(
            Diagnostic(file=str(where), message=f"is not UTF-8 text ({exc.reason}); cannot merge")
        ) from None


def _sha(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def _atomic_write(path: Path, content: bytes, executable: bool) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(content)
        os.chmod(temp, 0o755 if executable else 0o644)
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def _remove_empty_parents(directory: Path, out: Path) -> None:
    """Remove folders that only held a removed file (and its bytecode)."""
    while directory != out and directory.is_dir():
        leftovers = [p for p in directory.iterdir() if p.name != "__pycache__"]
        if leftovers:
            return
        shutil.rmtree(directory)
        directory = directory.parent
