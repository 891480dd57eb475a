"""JSON pointers and the places they name in a spec's documents."""

from __future__ import annotations

from typing import NamedTuple

__all__ = ["Location", "escape_segment", "split_pointer"]


def escape_segment(segment: str) -> str:
    """One JSON pointer segment, escaped (``~`` -> ``~0``, ``/`` -> ``~1``)."""
    return segment.replace("~", "~0").replace("/", "~1")


def split_pointer(pointer: str) -> list[str]:
    """The unescaped segments of a JSON pointer (``""`` is the whole document)."""
    if not pointer:
        return []
    return [part.replace("~1", "/").replace("~0", "~") for part in pointer[1:].split("/")]


class Location(NamedTuple):
    """A place in a document: the document's id (its path as given, normalised,
    or its URL) and a JSON pointer inside it."""

    doc: str
    pointer: str = ""

    def child(self, *segments: str | int) -> Location:
        pointer = self.pointer
        for segment in segments:
            text = segment if segment.__class__ is str else str(segment)
            if "~" in text or "/" in text:
                text = escape_segment(text)  # type: ignore[arg-type]
            pointer = f"{pointer}/{text}"
        # tuple.__new__ skips the named tuple's keyword-taking constructor: front
        # ends make a location for every schema keyword they read (106,000 for
        # GitHub's spec).
        return _new_location(Location, (self.doc, pointer))

    @property
    def last_segment(self) -> str:
        parts = split_pointer(self.pointer)
        return parts[-1] if parts else ""


_new_location = tuple.__new__
