"""Merging user-editable Python (``handlers.py``), the entry point.

The three-way merge itself (:mod:`.handlers`) works on libcst syntax trees;
libcst is a large import (about a third of a second), loaded only when the
user's file and the generated one really differ.
"""

from __future__ import annotations

from .report import Entry

__all__ = ["ORPHAN_MARK", "merge_python"]

ORPHAN_MARK = "# mockc: orphaned:"
"""The comment flagging the hook of an operation that left the spec."""


def merge_python(
    *, path: str, base: str | None, ours: str, theirs: str, prune: bool = False, shown_as: str = ""
) -> tuple[str, list[Entry]]:
    """The merged text of ``path`` and what happened to each hook."""
    if ours == theirs and not (prune and ORPHAN_MARK in ours):
        return ours, []
    from .handlers import merge_trees

    return merge_trees(
        path=path, base=base, ours=ours, theirs=theirs, prune=prune, shown_as=shown_as
    )
