"""The merge state an output folder keeps under ``.mockc/``, read and checked.

- ``manifest.json``: every file of the last generation, its owner and a digest
  of what was written, plus the merge state (mocks mockc flagged orphaned,
  merge bases retained for mocks no longer generated);
- ``base/``: the user-owned files exactly as last generated — the base of the
  three-way merge;
- ``backup/``: hand edits of *generated* files, saved before mockc replaced
  them (generated files are mockc's, but mockc still loses nothing);
- ``cache.json``: what the last generation was made from, so an unchanged one
  compiles nothing (:mod:`mockc.compiler.reuse`; local to a checkout, git-ignored).

A folder whose ``.mockc/`` is missing or damaged is refused with the ways
forward: mockc never guesses destructively.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mockc.targets.common import FileOwner, GeneratedFile

from ..errors import Diagnostic, GenerationError
from .conflicts import CONFLICTS_FILE

__all__ = [
    "BACKUP_DIR",
    "BASE_DIR",
    "CONFLICTS",
    "MANIFEST",
    "STATE_DIR",
    "FolderState",
    "check_writable",
    "digest",
    "manifest_bytes",
    "read_state",
]

STATE_DIR = ".mockc"
MANIFEST = f"{STATE_DIR}/manifest.json"
BASE_DIR = f"{STATE_DIR}/base"
"""Copies of user-owned files as mockc generated them: the base of a future merge."""
BACKUP_DIR = f"{STATE_DIR}/backup"
"""Hand edits of generated files, saved before mockc replaced them."""
CONFLICTS = f"{STATE_DIR}/{CONFLICTS_FILE}"
"""Conflicts left open, until resolved (:mod:`mockc.compiler.merge.conflicts`)."""


def check_writable(out: Path, *, adopt: bool = False) -> None:
    """Refuse an output folder whose files mockc cannot account for."""
    read_state(out, adopt=adopt)


# -- the state of the folder ---------------------------------------------------


@dataclass(kw_only=True)
class FolderState:
    files: dict[str, dict[str, str]] = field(default_factory=dict)
    retained: dict[str, str] = field(default_factory=dict)
    orphaned: set[str] = field(default_factory=set)
    has_base: bool = False
    """A previous generation is on record: ``base/`` can be trusted."""


def read_state(out: Path, *, adopt: bool) -> FolderState:
    if out.exists() and not out.is_dir():
        raise GenerationError(Diagnostic(file=str(out), message="output path is not a folder"))
    if not out.is_dir() or not any(out.iterdir()):
        return FolderState()
    manifest = out / MANIFEST
    if not manifest.is_file():
        if adopt:
            return FolderState()
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
            return FolderState()
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


def _parse_state(out: Path) -> FolderState:
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
    state = FolderState(
        files=files,
        retained={str(k): str(v) for k, v in retained.items()},
        orphaned={str(i) for i in orphaned},
        has_base=True,
    )
    expected = {p: e["sha256"] for p, e in files.items() if e["owner"] == FileOwner.USER}
    expected.update(state.retained)
    for relative, recorded in sorted(expected.items()):
        copy = out / BASE_DIR / relative
        if not copy.is_file():
            raise _Damaged(copy, f"the merge base is damaged: {BASE_DIR}/{relative} is missing")
        if digest(copy.read_bytes()) != recorded:
            raise _Damaged(copy, f"the merge base is damaged: {BASE_DIR}/{relative} was changed")
    return state


def manifest_bytes(
    extra: Mapping[str, str],
    files: Collection[GeneratedFile],
    orphaned: Collection[str],
    retained: Mapping[str, bytes],
) -> bytes:
    """The manifest of a generation (as :func:`read_state` reads it back):
    ``extra`` fields, every file's owner and digest, the merge state."""
    manifest: dict[str, Any] = {
        **extra,
        "files": {f.path: {"owner": f.owner.value, "sha256": digest(f.content)} for f in files},
        "merge": {
            "orphaned": sorted(orphaned),
            "retained_base": {p: digest(c) for p, c in sorted(retained.items())},
        },
    }
    return (json.dumps(manifest, indent=1, sort_keys=True) + "\n").encode("utf-8")


def digest(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()
