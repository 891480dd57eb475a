"""Regenerating with unchanged inputs: the file plan read back from the folder.

After a generation, ``OUT/.mockc/cache.json`` records what it was made from —
a digest of every spec file read (paths relative to ``OUT``), the options, a
digest of mockc's own code — and what it made: the operations, the id of each
generated mock, the warnings. When a later generation finds all of it the same
(and every generated file as the manifest says it was written), the specs are
not compiled again: the plan is the folder's generated files plus the merge
base of the user's files (``.mockc/base/``), byte for byte what compiling would
give, and it is merged as usual, so the user's edits are handled exactly as in
a full run.

The cache is local to a checkout (its digest of mockc's code differs between
installs): ``.mockc/.gitignore`` keeps it out of version control, and a
checkout without it simply compiles once.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from functools import cache
from pathlib import Path
from typing import Any

from mockc.targets.common import FileOwner, GeneratedFile

from .errors import Diagnostic

__all__ = ["CACHE", "IGNORE", "Reusable", "record", "reusable"]

CACHE = ".mockc/cache.json"
IGNORE = ".mockc/.gitignore"
_FORMAT = 1
_CODE_FOLDERS = ("compiler", "targets", "runtime")
_MOCKC_ROOT = Path(__file__).resolve().parents[1]


@dataclass(frozen=True, kw_only=True)
class Reusable:
    """What the last generation made, valid for this one."""

    files: list[GeneratedFile]
    operations: tuple[str, ...]
    name: str
    sources: tuple[str, ...]
    target: str
    diagnostics: tuple[Diagnostic, ...]


def settings(specs: Sequence[Path], out: Path, options: dict[str, Any]) -> dict[str, Any]:
    """The options and spec paths a generation depends on, as recorded."""
    return {
        "code": _code_digest(),
        "specs": [_relative(spec, out) for spec in specs],
        "options": {
            key: [_relative(Path(p), out) for p in value] if key == "include_paths" else value
            for key, value in sorted(options.items())
        },
    }


def reusable(out: Path, specs: Sequence[Path], options: dict[str, Any]) -> Reusable | None:
    """The plan of the last generation when nothing it depends on has changed."""
    try:
        cached = json.loads((out / CACHE).read_text(encoding="utf-8"))
        manifest = json.loads((out / ".mockc" / "manifest.json").read_text(encoding="utf-8"))
        if cached.get("format") != _FORMAT or cached["settings"] != settings(specs, out, options):
            return None
        for relative, digest in cached["inputs"].items():
            if _sha((out / relative).read_bytes()) != digest:
                return None
        mock_ids: dict[str, str] = cached["mocks"]
        files = []
        for path, entry in sorted(manifest["files"].items()):
            owner = FileOwner(entry["owner"])
            where = out / path if owner is FileOwner.GENERATED else out / ".mockc" / "base" / path
            content = where.read_bytes()
            if _sha(content) != entry["sha256"]:
                return None
            files.append(
                GeneratedFile(
                    path=path,
                    content=content,
                    owner=owner,
                    executable=owner is FileOwner.GENERATED and os.access(where, os.X_OK),
                    mock_id=mock_ids.get(path),
                )
            )
        return Reusable(
            files=files,
            operations=tuple(cached["operations"]),
            name=str(cached["name"]),
            sources=tuple(_absolute(source, out) for source in cached["sources"]),
            target=str(cached["target"]),
            diagnostics=tuple(
                Diagnostic(**{**item, "file": _absolute(item["file"], out)})
                for item in cached["diagnostics"]
            ),
        )
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None


def record(
    out: Path,
    specs: Sequence[Path],
    options: dict[str, Any],
    *,
    name: str,
    sources: Sequence[str],
    target: str,
    operations: Sequence[str],
    files: Sequence[GeneratedFile],
    diagnostics: Sequence[Diagnostic],
) -> None:
    """Write the cache after a generation (nothing when a source is remote)."""
    if any("://" in source for source in sources):
        (out / CACHE).unlink(missing_ok=True)
        return
    inputs = {}
    try:
        for source in sources:
            inputs[_relative(Path(source), out)] = _sha(Path(source).read_bytes())
    except OSError:
        (out / CACHE).unlink(missing_ok=True)
        return
    data = {
        "format": _FORMAT,
        "settings": settings(specs, out, options),
        "inputs": dict(sorted(inputs.items())),
        "name": name,
        "sources": [_shown(source, out) for source in sources],
        "target": target,
        "operations": list(operations),
        "mocks": {f.path: f.mock_id for f in files if f.mock_id is not None},
        "diagnostics": [
            {**asdict(diagnostic), "file": _shown(diagnostic.file, out)}
            for diagnostic in diagnostics
        ],
    }
    _write(out / IGNORE, "# local to this checkout\n/cache.json\n")
    _write(out / CACHE, json.dumps(data, indent=1, sort_keys=True) + "\n")


@cache
def _code_digest() -> str:
    """A digest of mockc's code and templates: another build regenerates in full."""
    digest = hashlib.sha256()
    for folder in _CODE_FOLDERS:
        for path in sorted((_MOCKC_ROOT / folder).rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                digest.update(path.relative_to(_MOCKC_ROOT).as_posix().encode() + b"\0")
                digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def _relative(path: Path, out: Path) -> str:
    try:
        return Path(os.path.relpath(path.resolve(), out.resolve())).as_posix()
    except ValueError:
        return path.resolve().as_posix()


def _shown(source: str, out: Path) -> str:
    """A path as recorded: relative to ``out`` (nothing in the folder depends on
    where it is); URLs and "" as they are."""
    return source if not source or "://" in source else _relative(Path(source), out)


def _absolute(recorded: str, out: Path) -> str:
    if not recorded or "://" in recorded:
        return recorded
    return os.path.normpath(out.resolve() / recorded)


def _sha(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def _write(path: Path, text: str) -> None:
    content = text.encode("utf-8")
    try:
        if path.read_bytes() == content:
            return
    except OSError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    with os.fdopen(handle, "wb") as stream:
        stream.write(content)
    os.chmod(temp, 0o644)
    os.replace(temp, path)
