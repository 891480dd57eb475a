"""Comments and positions of a proto file, from protoc's ``SourceCodeInfo``.

protoc names each element by a path of field numbers through the
``FileDescriptorProto`` (``[6, 0, 2, 3]`` is method 3 of service 0) and gives
its span (0-based) and the comments around it.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass

from google.protobuf import descriptor_pb2

__all__ = [
    "ENUM",
    "ENUM_VALUE",
    "FIELD",
    "MESSAGE",
    "METHOD",
    "NESTED_ENUM",
    "NESTED_MESSAGE",
    "SERVICE",
    "Comments",
    "Place",
]

# Field numbers of FileDescriptorProto, DescriptorProto, ServiceDescriptorProto…
MESSAGE = 4
ENUM = 5
SERVICE = 6
FIELD = 2
NESTED_MESSAGE = 3
NESTED_ENUM = 4
METHOD = 2
ENUM_VALUE = 2

Path = tuple[int, ...]


@dataclass(frozen=True, slots=True)
class Place:
    line: int
    """1-based."""
    column: int
    """1-based."""
    comment: str
    """The leading comment (else the trailing one), dedented; "" when none."""


class Comments:
    """Places and comments of one file's elements, by path."""

    def __init__(self, file: descriptor_pb2.FileDescriptorProto) -> None:
        self._places: dict[Path, Place] = {}
        for location in file.source_code_info.location:
            path = tuple(location.path)
            if path in self._places or len(location.span) < 3:
                continue
            text = location.leading_comments or location.trailing_comments
            self._places[path] = Place(
                line=location.span[0] + 1, column=location.span[1] + 1, comment=_clean(text)
            )

    def at(self, path: Path) -> Place | None:
        return self._places.get(path)

    def comment(self, path: Path) -> str:
        place = self._places.get(path)
        return place.comment if place is not None else ""


def _clean(text: str | bytes) -> str:
    """A comment as prose: common indentation removed, outer blank lines dropped.
    protobuf hands over a comment that is not UTF-8 as bytes: it is decoded with
    U+FFFD for the bytes that are not text."""
    if isinstance(text, bytes):
        text = text.decode("utf-8", "replace")
    return textwrap.dedent(text).strip("\n").rstrip()


def summary_of(text: str, limit: int = 120) -> str:
    """The first sentence (or line) of a comment, at most ``limit`` characters."""
    first = text.strip().split("\n\n", 1)[0].replace("\n", " ")
    first = " ".join(first.split())
    end = first.find(". ")
    if end != -1:
        first = first[: end + 1]
    return first if len(first) <= limit else first[: limit - 1].rstrip() + "…"
