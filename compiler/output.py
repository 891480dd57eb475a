"""Writing a target's file plan into the output folder, safely.

The folder keeps ``.mockc/manifest.json``: every file mockc wrote, its owner
and a digest of what was written. With it mockc knows which files it may
rewrite (generated ones), which it must leave alone (user-owned ones, once
written) and which generated files have become stale. A non-empty folder
without a manifest is refused: mockc never guesses destructively.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from mockc.targets.common import FileOwner, GeneratedFile

from .errors import Diagnostic, GenerationError

STATE_DIR = ".mockc"
MANIFEST = f"{STATE_DIR}/manifest.json"
BASE_DIR = f"{STATE_DIR}/base"
"""Copies of user-owned files as mockc generated them: the base of a future merge."""


@dataclass(kw_only=True)
class WriteReport:
    written: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    kept_user_files: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)


def write_output(
    out: Path, files: list[GeneratedFile], *, manifest_extra: dict[str, str]
) -> WriteReport:
    previous = _read_manifest(out)
    report = WriteReport()
    for generated in files:
        target = out / generated.path
        if generated.owner is FileOwner.USER and target.exists():
            report.kept_user_files.append(generated.path)
        elif target.is_file() and target.read_bytes() == generated.content:
            report.unchanged.append(generated.path)
        else:
            _atomic_write(target, generated.content, generated.executable)
            report.written.append(generated.path)
        if generated.owner is FileOwner.USER:
            _atomic_write(out / BASE_DIR / generated.path, generated.content, False)
    current = {generated.path for generated in files}
    for path, entry in sorted(previous.items()):
        if path not in current and entry.get("owner") == FileOwner.GENERATED:
            stale = out / path
            if stale.is_file():
                stale.unlink()
                report.removed.append(path)
                _remove_empty_parents(stale.parent, out)
    manifest = {
        **manifest_extra,
        "files": {
            generated.path: {
                "owner": generated.owner.value,
                "sha256": hashlib.sha256(generated.content).hexdigest(),
            }
            for generated in sorted(files, key=lambda f: f.path)
        },
    }
    _atomic_write(
        out / MANIFEST, (json.dumps(manifest, indent=1, sort_keys=True) + "\n").encode(), False
    )
    return report


def check_writable(out: Path) -> None:
    """Refuse an output folder that holds files mockc did not write."""
    if out.exists() and not out.is_dir():
        raise GenerationError(Diagnostic(file=str(out), message="output path is not a folder"))
    if out.is_dir() and any(out.iterdir()) and not (out / MANIFEST).is_file():
        raise GenerationError(
            Diagnostic(
                file=str(out),
                message=(
                    f"the folder is not empty and has no {MANIFEST}, so mockc cannot tell "
                    "your files from its own; choose an empty or new folder (or move the "
                    f"files away), or restore {STATE_DIR}/ from version control"
                ),
            )
        )


def _read_manifest(out: Path) -> dict[str, dict[str, str]]:
    path = out / MANIFEST
    if not path.is_file():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        files = data["files"]
        if not isinstance(files, dict):
            raise TypeError("files is not a mapping")
        return files
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise GenerationError(
            Diagnostic(
                file=str(path),
                message=(
                    f"the manifest is damaged ({exc}); mockc will not overwrite files it "
                    f"cannot account for. Restore {STATE_DIR}/ from version control, or "
                    "generate into a new folder"
                ),
            )
        ) from exc


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
    """Remove folders that only held a stale generated file (and its bytecode)."""
    while directory != out and directory.is_dir():
        leftovers = [p for p in directory.iterdir() if p.name != "__pycache__"]
        if leftovers:
            return
        shutil.rmtree(directory)
        directory = directory.parent
