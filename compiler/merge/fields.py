"""Three-way merge of one mock document, field by field.

``base`` is what mockc generated last time, ``ours`` the user's current
document, ``theirs`` what mockc generates now. ``ours`` is changed in place
(so a round-trip YAML mapping keeps its comments, key order and quoting):

- a field the user did not change takes the new generated value;
- a field the user changed (or added, or deleted) is kept; when the spec
  changed it too, that is a conflict and the user's value still wins, unless
  ``prefer_theirs``;
- mappings are merged key by key, recursively; any other value (lists
  included) is merged as one whole value.

A missing base (a mock mockc has no record of) merges two ways: fields only
one side has are kept, fields both have and disagree on are conflicts.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, MutableMapping
from dataclasses import dataclass
from typing import Any, Final

from .documents import plain
from .report import Kind

__all__ = ["MISSING", "FieldEvent", "merge_document", "same", "short"]


class _Missing:
    def __repr__(self) -> str:
        return "MISSING"


MISSING: Final[Any] = _Missing()
"""An absent field (distinct from ``null``)."""


@dataclass(frozen=True, kw_only=True)
class FieldEvent:
    kind: Kind
    path: tuple[Any, ...]
    detail: str
    changes: bool
    """True when ``ours`` was changed by this event."""
    base: Any = MISSING
    """For a conflict: the value before both sides changed it (recorded so that
    the conflict stays open until resolved)."""
    ours: Any = MISSING
    theirs: Any = MISSING


def merge_document(
    ours: MutableMapping[Any, Any],
    base: Mapping[Any, Any] | None,
    theirs: Mapping[Any, Any],
    *,
    prefer_theirs: bool = False,
) -> list[FieldEvent]:
    """Merge ``base → theirs`` into ``ours`` in place; the events say what happened."""
    events: list[FieldEvent] = []
    _merge_mapping(ours, base if base is not None else {}, theirs, (), prefer_theirs, events)
    return events


def same(a: Any, b: Any) -> bool:
    """Equal as data: key order ignored, ``true`` never equal to ``1``."""
    if a is MISSING or b is MISSING:
        return a is b
    if isinstance(a, Mapping) or isinstance(b, Mapping):
        return (
            isinstance(a, Mapping)
            and isinstance(b, Mapping)
            and len(a) == len(b)
            and all(key in b and same(value, b[key]) for key, value in a.items())
        )
    if isinstance(a, list) or isinstance(b, list):
        return (
            isinstance(a, list)
            and isinstance(b, list)
            and len(a) == len(b)
            and all(same(x, y) for x, y in zip(a, b, strict=True))
        )
    if isinstance(a, bool) or isinstance(b, bool):
        return isinstance(a, bool) and isinstance(b, bool) and a == b
    if isinstance(a, int | float) and isinstance(b, int | float):
        return a == b
    if isinstance(a, str) or isinstance(b, str):
        return isinstance(a, str) and isinstance(b, str) and str(a) == str(b)
    return type(a) is type(b) and bool(a == b)


def short(value: Any, limit: int = 60) -> str:
    """A value as compact JSON for a report line."""
    if value is MISSING:
        return "(absent)"
    try:
        text = json.dumps(plain(value), ensure_ascii=False, separators=(",", ":"))
    except (TypeError, ValueError):
        text = repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _merge_mapping(
    ours: MutableMapping[Any, Any],
    base: Mapping[Any, Any],
    theirs: Mapping[Any, Any],
    path: tuple[Any, ...],
    prefer_theirs: bool,
    events: list[FieldEvent],
) -> None:
    keys = list(ours) + [key for key in theirs if key not in ours]
    for key in keys:
        mine = ours.get(key, MISSING)
        old = base.get(key, MISSING)
        new = theirs.get(key, MISSING)
        result = _merge_value(mine, old, new, (*path, key), prefer_theirs, events)
        if result is mine:
            continue
        if result is MISSING:
            _delete(ours, key)
        elif key in ours:
            ours[key] = result
        else:
            _insert(ours, key, result, theirs)


def _merge_value(
    mine: Any,
    old: Any,
    new: Any,
    path: tuple[Any, ...],
    prefer_theirs: bool,
    events: list[FieldEvent],
) -> Any:
    if same(mine, new):
        return mine
    if (
        isinstance(mine, MutableMapping)
        and isinstance(new, Mapping)
        and (old is MISSING or isinstance(old, Mapping))
    ):
        _merge_mapping(mine, {} if old is MISSING else old, new, path, prefer_theirs, events)
        return mine
    if same(mine, old):
        if old is MISSING:
            events.append(
                FieldEvent(kind=Kind.ADDED, path=path, detail=f"new: {short(new)}", changes=True)
            )
        elif new is MISSING:
            events.append(
                FieldEvent(
                    kind=Kind.UPDATED,
                    path=path,
                    detail="removed: no longer generated from the spec",
                    changes=True,
                )
            )
        else:
            events.append(
                FieldEvent(
                    kind=Kind.UPDATED,
                    path=path,
                    detail=f"{short(old)} → {short(new)}",
                    changes=True,
                )
            )
        return new
    if same(new, old):
        if mine is MISSING:
            detail = "you deleted it; stays deleted"
        elif old is MISSING:
            detail = "yours"
        else:
            detail = f"yours: {short(mine)} (generated: {short(old)})"
        events.append(FieldEvent(kind=Kind.KEPT_USER_EDIT, path=path, detail=detail, changes=False))
        return mine
    both = (
        f"you made it {short(mine)}, the spec now makes it {short(new)}"
        if old is not MISSING
        else f"yours is {short(mine)}, the generated one is {short(new)} (no merge base)"
    )
    if prefer_theirs:
        events.append(
            FieldEvent(
                kind=Kind.CONFLICT,
                path=path,
                detail=f"{both}; the spec's taken (--theirs)",
                changes=True,
            )
        )
        return new
    events.append(
        FieldEvent(
            kind=Kind.CONFLICT,
            path=path,
            detail=f"{both}; yours kept (--theirs takes the spec's)",
            changes=False,
            base=old,
            ours=mine,
            theirs=new,
        )
    )
    return mine


def _delete(mapping: MutableMapping[Any, Any], key: Any) -> None:
    """Delete ``key``, moving the comments that ride on it (its end-of-line
    comment and the comment lines below it) to the key that follows, or after
    the one before: a comment is the user's even when the field is not."""
    keys = list(mapping)
    items = getattr(getattr(mapping, "ca", None), "items", {})
    lines = _comment_lines(items.get(key))
    del mapping[key]
    items.pop(key, None)
    if not lines:
        return
    # Comments exist only in YAML read by ruamel (a large import: not for JSON).
    from ruamel.yaml.error import CommentMark
    from ruamel.yaml.tokens import CommentToken

    index = keys.index(key)
    indent = _column(mapping, keys, index)
    if index + 1 < len(keys):
        entry = items.setdefault(keys[index + 1], [None, [], None, None])
        if entry[1] is None:
            entry[1] = []
        entry[1][:0] = [CommentToken(line + "\n", CommentMark(indent)) for line in lines]
        return
    holder, last, slot = _last_scalar(mapping)
    if holder is None:
        return  # the mapping is empty now: nowhere to hang the comment
    entry = holder.ca.items.setdefault(last, [None, None, None, None])
    text = "".join(" " * indent + line + "\n" for line in lines)
    if entry[slot] is None:
        entry[slot] = CommentToken("\n" + text, CommentMark(0))
    else:
        entry[slot].value += text


def _comment_lines(entry: list[Any] | None) -> list[str]:
    """The comment text riding on a key: lines before it, its end-of-line
    comment, the comment lines after its value."""
    if not entry:
        return []
    tokens = list(entry[1] or []) + [entry[2]]
    lines = []
    for token in tokens:
        if token is None:
            continue
        for line in str(token.value).split("\n"):
            if line.strip().startswith("#"):
                lines.append(line.strip())
    return lines


def _column(mapping: MutableMapping[Any, Any], keys: list[Any], index: int) -> int:
    lc = getattr(mapping, "lc", None)
    for key in (keys[index], *keys):
        try:
            return int(lc.key(key)[1]) if lc is not None else 0
        except (KeyError, TypeError, AttributeError):
            continue
    return 0


def _last_scalar(collection: Any) -> tuple[Any, Any, int]:
    """Where a comment after ``collection`` hangs in ruamel: the collection,
    index or key, and comment slot of its last scalar (or flow collection)."""
    holder = collection
    while hasattr(holder, "ca") and holder:
        last = list(holder)[-1] if isinstance(holder, Mapping) else len(holder) - 1
        value = holder[last]
        slot = 2 if isinstance(holder, Mapping) else 0
        nested = isinstance(value, Mapping | list) and hasattr(value, "ca") and value
        if nested and not value.fa.flow_style():
            holder = value
            continue
        return holder, last, slot
    return None, None, 0


def _insert(
    ours: MutableMapping[Any, Any], key: Any, value: Any, theirs: Mapping[Any, Any]
) -> None:
    """Add ``key`` after the key that precedes it in ``theirs`` (so generated
    fields keep their generated order), at the start when none does."""
    insert = getattr(ours, "insert", None)
    if insert is None:  # a plain dict (JSON): rebuild it in order
        items = list(ours.items())
        position = _position(list(ours), key, theirs)
        items.insert(position, (key, value))
        ours.clear()
        ours.update(items)
        return
    insert(_position(list(ours), key, theirs), key, value)


def _position(present: list[Any], key: Any, theirs: Mapping[Any, Any]) -> int:
    order = list(theirs)
    for earlier in reversed(order[: order.index(key)]):
        if earlier in present:
            return present.index(earlier) + 1
    return 0
