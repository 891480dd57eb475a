"""The files behind the registry: finding mock files, writing them atomically,
and remembering the active scenario across restarts."""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
from pathlib import Path
from typing import Any

import yaml

from ..exceptions import RuntimeFailure
from .source import MAX_DEPTH

__all__ = [
    "DATA_DIR",
    "MOCKS_DIR",
    "MOCK_SUFFIXES",
    "SCENARIOS_DIR",
    "UnwritableDocument",
    "display_path",
    "dump_document",
    "mock_files",
    "read_active_scenario",
    "write_active_scenario",
    "write_atomic",
]

MOCKS_DIR = "mocks"
SCENARIOS_DIR = "scenarios"
DATA_DIR = ".mockc-data"
"""Where the server keeps what it must remember (the active scenario)."""
MOCK_SUFFIXES = frozenset({".yaml", ".yml", ".json"})
_SCENARIO_FILE = "scenario.json"
_DUMPER: Any = getattr(yaml, "CSafeDumper", None) or yaml.SafeDumper


def mock_files(folder: Path) -> list[Path]:
    """Every mock file under ``folder`` (subfolders too), sorted; names starting
    with a dot (editor and temporary files, hidden folders) are skipped."""
    found: list[Path] = []
    if not folder.is_dir():
        return found
    for root, folders, files in os.walk(folder):
        folders[:] = sorted(name for name in folders if not name.startswith("."))
        for name in sorted(files):
            path = Path(root, name)
            if not name.startswith(".") and path.suffix.lower() in MOCK_SUFFIXES:
                found.append(path)
    return sorted(found)


def display_path(path: Path, base: Path) -> str:
    """``path`` relative to ``base``, with forward slashes (as problems show it)."""
    try:
        return path.relative_to(base).as_posix()
    except ValueError:
        return path.as_posix()


class UnwritableDocument(RuntimeFailure, ValueError):
    """A document that cannot be a mock file: nested too deeply, or holding text
    that is not characters (a lone UTF-16 surrogate)."""


def dump_document(document: Any, format: str) -> str:
    """The text of a mock file: YAML (keys in their order) or indented JSON;
    :class:`UnwritableDocument` when no file could hold ``document``."""
    _check_writable(document)
    try:
        if format == "json":
            return json.dumps(document, indent=2, ensure_ascii=False) + "\n"
        text: str = yaml.dump(
            document, Dumper=_DUMPER, sort_keys=False, allow_unicode=True, width=100
        )
    except (yaml.YAMLError, ValueError, TypeError, RecursionError) as error:
        raise UnwritableDocument(f"the mock cannot be written as a file: {error}") from None
    return text


def _check_writable(document: Any) -> None:
    """Refuse what a mock file cannot hold, level by level (never recursing)."""
    level = [document]
    depth = 0
    while level:
        depth += 1
        following: list[Any] = []
        for value in level:
            if isinstance(value, dict):
                following.extend(value.keys())
                following.extend(value.values())
            elif isinstance(value, list):
                following.extend(value)
            elif isinstance(value, str) and not value.isascii():
                try:
                    value.encode("utf-8")
                except UnicodeEncodeError as error:
                    character = f"U+{ord(value[error.start]):04X}"
                    raise UnwritableDocument(
                        f"a string holds {character}, a lone UTF-16 surrogate, "
                        "which is not a character and cannot be written as UTF-8"
                    ) from None
        if (
            following
            and depth >= MAX_DEPTH
            and any(isinstance(value, dict | list) for value in following)
        ):
            raise UnwritableDocument(f"the mock is nested more than {MAX_DEPTH} levels deep")
        level = following


def write_atomic(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` so that readers see the old file or the new one,
    never a part: a hidden temporary file beside it, then a rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as stream:
            stream.write(text)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


def read_active_scenario(directory: Path) -> str | None:
    """The scenario last activated for the server in ``directory`` (None: base mocks)."""
    try:
        data = json.loads((directory / DATA_DIR / _SCENARIO_FILE).read_text("utf-8"))
    except (OSError, ValueError):
        return None
    active = data.get("active") if isinstance(data, dict) else None
    return active if isinstance(active, str) and active else None


def write_active_scenario(directory: Path, name: str | None) -> None:
    """Remember ``name`` as the active scenario, atomically."""
    text = json.dumps({"active": name}, indent=2) + "\n"
    write_atomic(directory / DATA_DIR / _SCENARIO_FILE, text)
