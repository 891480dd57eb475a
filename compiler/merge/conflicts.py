"""Open conflicts, recorded until the user resolves them.

A conflict is a field of a mock (or a whole user file) that both the user and
the spec changed since the last generation. The user's version is kept, and
the conflict is recorded in ``OUT/.mockc/conflicts.json`` with the value both
sides started from. The next generation merges that field against the
recorded value rather than against the last generation, so the conflict is
found again — and ``--theirs`` can still take the spec's value — until it is
resolved: the user's value equals the spec's (they took it by hand, or the
spec came round to it), ``--theirs`` took the spec's, or ``mockc merge
--ours`` accepted the user's.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Iterable, Mapping, MutableMapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import Diagnostic
from .documents import MergeError, plain
from .fields import MISSING, short
from .report import field_path

__all__ = [
    "CONFLICTS_FILE",
    "Conflict",
    "dump_conflicts",
    "load_conflicts",
    "with_recorded_base",
]

CONFLICTS_FILE = "conflicts.json"
"""Its name inside the output folder's ``.mockc/``."""

_FORMAT = 1


@dataclass(frozen=True, kw_only=True)
class Conflict:
    file: str
    """Path inside the output folder, forward slashes."""
    id: str | None = None
    """The mock's id; None for a whole user file that is not a mock."""
    field: tuple[Any, ...] | None = None
    """Where in the mock; None for the whole mock (or file)."""
    base: Any = MISSING
    """What both sides started from: a field's value, a whole mock's data, or
    the text of a whole file; MISSING when it was absent."""
    ours: Any = MISSING
    """The user's value when the conflict was found."""
    theirs: Any = MISSING
    """The spec's value when the conflict was found."""

    @property
    def where(self) -> str:
        return self.file + (f" [{field_path(self.field)}]" if self.field else "")

    def describe(self) -> str:
        if self.field is None and self.id is not None:
            return f"{self.where}: you deleted this mock and the spec changed it"
        if self.field is None:
            return f"{self.where}: you and the spec both changed this file"
        return f"{self.where}: yours is {short(self.ours)}, the spec's is {short(self.theirs)}"

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"file": self.file, "id": self.id}
        data["field"] = list(self.field) if self.field is not None else None
        for name in ("base", "ours", "theirs"):
            value = getattr(self, name)
            if value is not MISSING:
                data[name] = plain(value)
        return data


def dump_conflicts(conflicts: Iterable[Conflict]) -> bytes | None:
    """The file's content (stable order), or None when nothing is open."""
    records = sorted(
        (conflict.to_json() for conflict in conflicts),
        key=lambda r: (r["file"], json.dumps(r["field"]), r["id"] or ""),
    )
    if not records:
        return None
    text = json.dumps({"format": _FORMAT, "conflicts": records}, indent=1, ensure_ascii=False)
    return (text + "\n").encode("utf-8")


def load_conflicts(path: Path) -> list[Conflict]:
    """The conflicts recorded at ``path`` (none when there is no such file)."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return []
    except (OSError, UnicodeDecodeError) as exc:
        raise _damaged(path, str(exc)) from None
    try:
        data = json.loads(text)
        records = data["conflicts"]
        if not isinstance(records, list):
            raise TypeError("conflicts is not a list")
        return [_conflict(record) for record in records]
    except (ValueError, KeyError, TypeError) as exc:
        raise _damaged(path, str(exc)) from None


def _conflict(record: Mapping[str, Any]) -> Conflict:
    file, mock_id, where = record["file"], record.get("id"), record.get("field")
    if not isinstance(file, str) or not isinstance(mock_id, str | None):
        raise TypeError(f"bad record {record!r}")
    if where is not None and (not isinstance(where, list) or not where):
        raise TypeError(f"bad field in {file}: {where!r}")
    return Conflict(
        file=file,
        id=mock_id,
        field=tuple(where) if where is not None else None,
        base=record.get("base", MISSING),
        ours=record.get("ours", MISSING),
        theirs=record.get("theirs", MISSING),
    )


def _damaged(path: Path, reason: str) -> MergeError:
    return MergeError(
        Diagnostic(
            file=str(path),
            message=f"the record of open conflicts is damaged ({reason}); restore it from "
            "version control, or delete it to forget the open conflicts",
        )
    )


def with_recorded_base(data: Any, conflicts: Sequence[Conflict]) -> Any:
    """A copy of a mock's base ``data`` with the recorded conflicts' starting
    values put back, so that merging against it finds them again."""
    result = copy.deepcopy(data)
    for conflict in conflicts:
        if conflict.field is None:
            result = copy.deepcopy(conflict.base)
            continue
        if not isinstance(result, MutableMapping):
            continue
        node: MutableMapping[Any, Any] = result
        *parents, last = conflict.field
        for key in parents:
            child = node.get(key)
            if not isinstance(child, MutableMapping):
                child = {}
                node[key] = child
            node = child
        if conflict.base is MISSING:
            node.pop(last, None)
        else:
            node[last] = copy.deepcopy(conflict.base)
    return result
