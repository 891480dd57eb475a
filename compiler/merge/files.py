"""Reading and writing the files of an output folder: mock files found, files
read without surprises, writes atomic, folders emptied by a removal removed."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterable
from pathlib import Path, PurePosixPath

from ..errors import Diagnostic, GenerationError
from ..passes.mockgen import MOCKS_DIR
from .documents import MOCK_SUFFIXES, MergeError
from .state import BACKUP_DIR, MANIFEST

__all__ = ["atomic_write", "decode_text", "is_mock", "mock_files", "read_file", "write_files"]


def is_mock(path: str) -> bool:
    return path.startswith(f"{MOCKS_DIR}/") and PurePosixPath(path).suffix in MOCK_SUFFIXES


def mock_files(root: Path, folder: str, *, every_file: bool = False) -> list[tuple[str, bytes]]:
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


def read_file(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except (FileNotFoundError, NotADirectoryError):
        return None
    except IsADirectoryError:
        raise GenerationError(
            Diagnostic(file=str(path), message="is a folder where mockc writes a file")
        ) from None


def decode_text(content: bytes, where: Path) -> str:
    try:
        return content.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise MergeError(
            Diagnostic(file=str(where), message=f"is not UTF-8 text ({exc.reason}); cannot merge")
        ) from None


def atomic_write(path: Path, content: bytes, executable: bool) -> None:
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


def remove_empty_parents(directory: Path, out: Path) -> None:
    """Remove folders that only held a removed file (and its bytecode)."""
    while directory != out and directory.is_dir():
        leftovers = [p for p in directory.iterdir() if p.name != "__pycache__"]
        if leftovers:
            return
        shutil.rmtree(directory)
        directory = directory.parent


def write_files(
    out: Path, writes: dict[str, bytes], executable: Iterable[str], deletes: Iterable[str]
) -> None:
    """Write ``writes`` (paths inside ``out``), then delete ``deletes``; the
    manifest is written last (and backups first), so an interrupted run leaves
    the old state and no hand edit unsaved."""
    manifest = writes.get(MANIFEST)
    backups = sorted(p for p in writes if p.startswith(f"{BACKUP_DIR}/"))
    rest = sorted(p for p in writes if p not in backups and p != MANIFEST)
    executables = set(executable)
    for path in backups + rest:
        atomic_write(out / path, writes[path], path in executables)
    for path in sorted(deletes):
        target = out / path
        if target.is_file():
            target.unlink()
            remove_empty_parents(target.parent, out)
    if manifest is not None:
        atomic_write(out / MANIFEST, manifest, False)
