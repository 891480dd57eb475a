"""Resolving recorded conflicts after the generation that found them
(``mockc merge --theirs PATH`` / ``--ours PATH``).

Taking the spec's side writes the spec's value (recorded with the conflict)
into the user's mock, restores a deleted mock or file from the last
generation (``.mockc/base/``), and forgets the conflict; taking the user's
side only forgets it. Nothing else in the folder changes, and no spec is
read: the next ``mockc generate`` merges from there as usual.
"""

from __future__ import annotations

from collections.abc import Collection, MutableMapping
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path, PurePosixPath
from typing import Any

from ..errors import Diagnostic
from .conflicts import Conflict, dump_conflicts, load_conflicts
from .documents import MergeError, load_mock
from .fields import MISSING
from .files import atomic_write
from .state import BASE_DIR, CONFLICTS, MANIFEST

__all__ = ["Side", "Resolution", "find_output_folder", "open_conflicts", "resolve"]


class Side(StrEnum):
    THEIRS = "theirs"
    """The spec's version."""
    OURS = "ours"
    """The user's version (as it is now)."""


@dataclass(kw_only=True)
class Resolution:
    resolved: list[Conflict] = field(default_factory=list)
    written: list[str] = field(default_factory=list)
    """Files changed in the output folder (paths inside it)."""
    remaining: list[Conflict] = field(default_factory=list)


def find_output_folder(path: Path) -> Path | None:
    """The generated server folder ``path`` is (or is inside), if any."""
    start = path.resolve()
    for folder in (start, *start.parents):
        if (folder / MANIFEST).is_file():
            return folder
    return None


def open_conflicts(out: Path) -> list[Conflict]:
    return load_conflicts(out / CONFLICTS)


def resolve(out: Path, side: Side, files: Collection[str] | None = None) -> Resolution:
    """Resolve the open conflicts of ``out`` in ``files`` (paths inside it;
    None: all of them) by taking ``side``."""
    result = Resolution()
    for conflict in open_conflicts(out):
        if files is not None and conflict.file not in files:
            result.remaining.append(conflict)
            continue
        if side is Side.THEIRS:
            written = _take_theirs(out, conflict)
            if written is not None and written not in result.written:
                result.written.append(written)
        result.resolved.append(conflict)
    if result.resolved:
        record = out / CONFLICTS
        content = dump_conflicts(result.remaining)
        if content is None:
            record.unlink(missing_ok=True)
        else:
            atomic_write(record, content, False)
    return result


def _take_theirs(out: Path, conflict: Conflict) -> str | None:
    if conflict.field is None:
        return _restore(out, conflict)
    target = out / conflict.file
    try:
        text = target.read_text(encoding="utf-8")
    except FileNotFoundError:
        return _restore(out, conflict)
    except (OSError, UnicodeDecodeError) as exc:
        raise MergeError(Diagnostic(file=str(target), message=f"cannot read it ({exc})")) from None
    mock = load_mock(conflict.file, text, shown_as=str(target))
    _set(mock.data, conflict.field, conflict.theirs)
    atomic_write(target, mock.dump().encode("utf-8"), False)
    return conflict.file


def _restore(out: Path, conflict: Conflict) -> str:
    """Put the last generated copy of a file back, or of a deleted mock (beside
    any other file that took its place)."""
    copy = out / BASE_DIR / conflict.file
    try:
        content = copy.read_bytes()
    except OSError:
        raise MergeError(
            Diagnostic(
                file=str(copy),
                message="the generated copy to restore is missing; run mockc generate --theirs "
                "to take the spec's version",
            )
        ) from None
    path = conflict.file
    number = 2
    while (
        conflict.id is not None and (out / path).exists() and (out / path).read_bytes() != content
    ):
        pure = PurePosixPath(conflict.file)
        path = str(pure.with_name(f"{pure.stem}-{number}{pure.suffix}"))
        number += 1
    atomic_write(out / path, content, False)
    return path


def _set(data: MutableMapping[Any, Any], where: tuple[Any, ...], value: Any) -> None:
    node = data
    *parents, last = where
    for key in parents:
        child = node.get(key)
        if not isinstance(child, MutableMapping):
            child = {}
            node[key] = child
        node = child
    if value is MISSING:
        node.pop(last, None)
    else:
        node[last] = value
