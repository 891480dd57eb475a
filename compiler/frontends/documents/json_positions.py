"""Positions in JSON text: where a JSON pointer's place starts, found without
building the document. Members passed on the way are skipped with the C JSON
decoder, so finding one place in a 10 MB document costs at most one parse of it."""

from __future__ import annotations

import json
import re
from json.decoder import scanstring  # type: ignore[attr-defined]

__all__ = ["json_offset"]


def json_offset(text: str, segments: list[str]) -> int | None:
    """Offset in ``text`` of the place the pointer ``segments`` names (of the
    member's key for an object member); the deepest place found when the
    pointer goes further than the text; None when the text is not JSON."""
    try:
        position = _skip_space(text, 0)
        found = position
        for segment in segments:
            step = _member(text, position, segment)
            if step is None:
                break
            found, position = step
        return found
    except (ValueError, IndexError):
        return None


_WHITESPACE = re.compile(r"[ \t\n\r]*")
_DECODER = json.JSONDecoder()


def _skip_space(text: str, position: int) -> int:
    match = _WHITESPACE.match(text, position)
    return match.end() if match else position


def _member(text: str, position: int, segment: str) -> tuple[int, int] | None:
    """(offset to report, offset of the value) of ``segment`` in the container
    starting at ``position``, or None."""
    opening = text[position]
    if opening == "{":
        return _object_member(text, position + 1, segment)
    if opening == "[" and segment.isdigit():
        return _array_item(text, position + 1, int(segment))
    return None


def _object_member(text: str, position: int, segment: str) -> tuple[int, int] | None:
    position = _skip_space(text, position)
    while text[position] != "}":
        key_at = position
        key, position = scanstring(text, position + 1)
        position = _skip_space(text, position)
        position = _skip_space(text, position + 1)  # the colon
        if key == segment:
            return key_at, position
        position = _after_value(text, position)
        if text[position] == ",":
            position = _skip_space(text, position + 1)
    return None


def _array_item(text: str, position: int, index: int) -> tuple[int, int] | None:
    position = _skip_space(text, position)
    current = 0
    while text[position] != "]":
        if current == index:
            return position, position
        position = _after_value(text, position)
        if text[position] == ",":
            position = _skip_space(text, position + 1)
        current += 1
    return None


def _after_value(text: str, position: int) -> int:
    _, end = _DECODER.raw_decode(text, position)
    return _skip_space(text, end)
