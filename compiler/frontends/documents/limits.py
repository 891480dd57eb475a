"""Limits on what a spec document may be, checked while it is parsed.

Hostile or broken documents must fail with a located error, never crash the
parser or the passes after it: nesting is bounded before anything recurses
(libyaml's composer recurses in C, and 25,000 levels overflow the C stack), and
YAML aliases may neither refer to themselves nor expand to far more nodes than
the document has ("billion laughs").
"""

from __future__ import annotations

import re
from typing import Any

import orjson

__all__ = [
    "MAX_DOCUMENT_DEPTH",
    "DepthBoundLoader",
    "DocumentLimitError",
    "alias_problem",
    "has_anchors",
    "json_depth",
    "too_deep",
]

MAX_DOCUMENT_DEPTH = 200
"""The deepest nesting of mappings and lists in a spec document (real specs stay
under 40)."""
MIN_EXPANSION_BUDGET = 1_000_000
"""Nodes every document may reach through aliases, whatever its size."""
EXPANSION_FACTOR = 4
"""How many times its own nodes a document may reach through aliases."""


class DocumentLimitError(ValueError):
    """The document exceeds a limit; the message says which, ``position`` (1-based
    line and column) where, when known."""

    def __init__(self, message: str, position: tuple[int, int] | None = None) -> None:
        super().__init__(message)
        self.position = position


def too_deep(position: tuple[int, int] | None = None) -> DocumentLimitError:
    return DocumentLimitError(
        f"the document is nested more than {MAX_DOCUMENT_DEPTH} levels deep (the limit)",
        position,
    )


class DepthBoundLoader:
    """Mixed into a PyYAML loader: counts nesting as nodes are composed and stops
    past :data:`MAX_DOCUMENT_DEPTH`, before libyaml's composer can recurse further.
    (The composer tells the resolver each time it enters and leaves a collection.)"""

    _depth = 0

    def descend_resolver(self, current_node: Any, current_index: Any) -> None:
        self._depth += 1
        if self._depth > MAX_DOCUMENT_DEPTH:
            raise too_deep(self._position())

    def ascend_resolver(self) -> None:
        self._depth -= 1

    def _position(self) -> tuple[int, int] | None:
        """Where the parser is (the next event), 1-based."""
        try:
            mark = self.peek_event().start_mark  # type: ignore[attr-defined]
        except Exception:  # the position is a courtesy; the limit holds without it
            return None
        return mark.line + 1, mark.column + 1


_STRINGS = re.compile(r'"(?:[^"\\]|\\.)*"', re.DOTALL)
_BRACKETS = re.compile(r"[\[\]{}]")


_DIGITS_AS_ZERO = bytes.maketrans(b"0123456789", b"0000000000")
_LONG_DIGITS = b"0" * 19
"""Integers of 19 digits or more may be past 64 bits, which orjson reads as floats."""
_BEFORE_NUMBER = frozenset(b"[:,")
_BLANKS = frozenset(b" \t\r\n")
_ORJSON_MAX_DEPTH = 1024


def quick_json(text: str, max_depth: int) -> tuple[Any] | None:
    """``(data,)``, when orjson reads ``text`` exactly as ``json.loads`` does and it
    nests at most ``max_depth`` deep: three times faster than :func:`json_depth`
    and ``json.loads`` together on a large spec. None otherwise (long numbers,
    ``NaN``, lone surrogates, malformed or too deep text): then the json module
    reads it, or says what is wrong, as before."""
    try:
        raw = text.encode("utf-8")
    except UnicodeEncodeError:
        return None
    if _long_integer(raw):
        return None
    # orjson refuses nesting past 1,024 levels: inside this many arrays, only
    # text at most ``max_depth`` deep parses. The arrays are then taken off.
    padding = _ORJSON_MAX_DEPTH - max_depth
    try:
        value = orjson.loads(b"[" * padding + raw + b"]" * padding)
    except orjson.JSONDecodeError:
        return None
    for _ in range(padding):
        if len(value) != 1:  # "1],[2" is no JSON, yet padded it parses
            return None
        value = value[0]
    return (value,)


def _long_integer(raw: bytes) -> bool:
    """Whether ``raw`` may hold an integer of 19 digits or more: a run of that
    many digits where a JSON number can start (after ``[``, ``:``, ``,`` or at
    the start, blanks and a minus sign aside). Runs inside strings (GitHub's
    spec quotes log lines full of them) mostly follow other characters; one that
    looks like a number start inside a string only costs the slower path."""
    zeros = raw.translate(_DIGITS_AS_ZERO)
    found = zeros.find(_LONG_DIGITS)
    while found != -1:
        start = found
        while start and zeros[start - 1] == 0x30:  # the run's first digit
            start -= 1
        end = found + len(_LONG_DIGITS)
        while end < len(zeros) and zeros[end] == 0x30:
            end += 1
        found = zeros.find(_LONG_DIGITS, end)
        if start and raw[start - 1] == 0x2D:  # "-"
            start -= 1
        while start and raw[start - 1] in _BLANKS:
            start -= 1
        if not start or raw[start - 1] in _BEFORE_NUMBER:
            return True
    return False


def json_depth(text: str, bound: int = MAX_DOCUMENT_DEPTH) -> int:
    """The nesting of arrays and objects in JSON ``text``, counted outside strings
    without parsing; exact for JSON, an upper estimate for other text. Texts with
    fewer brackets than ``bound`` are not scanned (their count is returned)."""
    count = text.count("[") + text.count("{")
    if count <= bound:
        return count
    depth = deepest = 0
    for bracket in _BRACKETS.findall(_STRINGS.sub("", text)):
        if bracket in "[{":
            depth += 1
            deepest = max(deepest, depth)
        else:
            depth -= 1
    return deepest


_ANCHOR = re.compile(r"(?:^|[\s\[{,:?-])&[^\s\[\]{},]+", re.MULTILINE)


def has_anchors(text: str) -> bool:
    """Whether YAML ``text`` may define anchors (then its data may share or loop)."""
    return _ANCHOR.search(text) is not None


def alias_problem(data: Any) -> tuple[list[str | int], str] | None:
    """Where and why the data of a YAML document with anchors cannot be used: a
    collection that contains itself, or aliases expanding to many more nodes than
    the document holds. None when it can."""
    sizes: dict[int, int] = {}
    on_path: set[int] = set()
    stack: list[tuple[Any, list[str | int], bool]] = [(data, [], False)]
    while stack:
        value, path, done = stack.pop()
        key = id(value)
        if done:
            on_path.discard(key)
            members = value.values() if isinstance(value, dict) else value
            sizes[key] = 1 + sum(sizes.get(id(member), 1) for member in members)
            continue
        if not isinstance(value, dict | list) or key in sizes:
            continue
        if key in on_path:
            return path, "a YAML alias refers to a collection that contains it (a cycle)"
        on_path.add(key)
        stack.append((value, path, True))
        items = value.items() if isinstance(value, dict) else enumerate(value)
        stack.extend((member, [*path, name], False) for name, member in items)
    unique = len(sizes)
    budget = max(MIN_EXPANSION_BUDGET, EXPANSION_FACTOR * unique)
    if sizes.get(id(data), 1) > budget:
        return [], (
            f"YAML aliases expand the document to more than {budget} nodes "
            f"({EXPANSION_FACTOR} times its own, at least {MIN_EXPANSION_BUDGET})"
        )
    return None
