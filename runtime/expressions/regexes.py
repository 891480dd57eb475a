"""Regular-expression search for ``=~``, bounded in time.

Patterns are compiled with the ``regex`` module: literal patterns once, when the
expression is compiled; patterns computed at evaluation through a small cache.
A search that takes longer than :data:`REGEX_TIMEOUT` seconds counts as no match.

Counted repetitions are expanded when a pattern is compiled (``(?:a{1000}){1000}``
would take a million steps and gigabytes), so a pattern is first measured by
:func:`pattern_size`, and one larger than :data:`MAX_PATTERN_SIZE` is refused.
"""

from __future__ import annotations

import functools
import re
from typing import Any

import regex

from .values import is_number, to_text

__all__ = [
    "MAX_PATTERN_LENGTH",
    "MAX_PATTERN_SIZE",
    "REGEX_TIMEOUT",
    "compile_pattern",
    "dynamic_search",
    "pattern_size",
    "search",
]

REGEX_TIMEOUT = 0.05
"""Seconds a single search may take before it is abandoned (and counts as false)."""
MAX_PATTERN_LENGTH = 4096
"""The longest pattern computed at evaluation that is compiled; longer ones never match."""
MAX_PATTERN_SIZE = 10_000
"""The most steps a pattern may expand to once its counted repetitions are unrolled."""

_QUANTIFIER = re.compile(r"\{(\d*)(?:,(\d*))?\}")
_BRACED_ESCAPES = frozenset("pPNxXgu")


def compile_pattern(pattern: str) -> regex.Pattern[str]:
    """Compile ``pattern``; raises ValueError when it is too large, ``regex.error``
    (or ValueError) when it is invalid."""
    size = pattern_size(pattern)
    if size > MAX_PATTERN_SIZE:
        raise ValueError(
            f"the pattern expands to more than {MAX_PATTERN_SIZE} steps "
            "(nested or large counted repetitions)"
        )
    return regex.compile(pattern)


def pattern_size(pattern: str) -> int:
    """An upper estimate of the steps ``pattern`` compiles to: one per atom, each
    counted repetition ``{n}`` / ``{n,m}`` multiplying what it repeats by ``n``.
    Stops counting beyond MAX_PATTERN_SIZE."""
    frames: list[list[int]] = [[0, 0]]
    index = 0
    length = len(pattern)
    while index < length:
        char = pattern[index]
        frame = frames[-1]
        cost = 1
        if char == "\\":
            index += 2
            if index - 1 < length and pattern[index - 1] in _BRACED_ESCAPES and index < length:
                closing = {"{": "}", "<": ">"}.get(pattern[index])
                if closing is not None:
                    end = pattern.find(closing, index)
                    index = end + 1 if end >= 0 else length
        elif char == "[":
            index = _class_end(pattern, index + 1)
        elif char == "(":
            frames.append([0, 0])
            index += 1
            continue
        elif char == ")" and len(frames) > 1:
            cost = frames.pop()[0]
            frame = frames[-1]
            index += 1
        elif char == "{" and (match := _QUANTIFIER.match(pattern, index)) is not None:
            times = int(match.group(1) or "0")
            if times > 1:
                frame[0] += frame[1] * (times - 1)
                frame[1] *= times
            if frame[0] > MAX_PATTERN_SIZE:
                return frame[0]
            index = match.end()
            continue
        elif char in "*+?|":
            index += 1
            continue
        else:
            index += 1
        frame[0] += cost
        frame[1] = cost
        if frame[0] > MAX_PATTERN_SIZE:
            return frame[0]
    return sum(frame[0] for frame in frames)


def _class_end(pattern: str, index: int) -> int:
    """The offset just past the ``]`` closing a character class opened before ``index``."""
    if index < len(pattern) and pattern[index] == "^":
        index += 1
    if index < len(pattern) and pattern[index] == "]":
        index += 1
    while index < len(pattern):
        char = pattern[index]
        if char == "\\":
            index += 2
            continue
        if char == "[" and pattern.startswith("[:", index):
            end = pattern.find(":]", index + 2)
            index = end + 2 if end >= 0 else index + 1
            continue
        if char == "]":
            return index + 1
        index += 1
    return index


def search(pattern: regex.Pattern[str], value: Any) -> bool:
    """True when ``pattern`` occurs in ``value`` (a string, or a number read as text)."""
    if type(value) is not str:
        if not is_number(value):
            return False
        value = to_text(value)
    try:
        return pattern.search(value, timeout=REGEX_TIMEOUT) is not None
    except TimeoutError:
        return False


def dynamic_search(pattern: Any, value: Any) -> bool:
    """``search`` with a pattern computed at evaluation; an invalid pattern never matches."""
    if type(pattern) is not str or len(pattern) > MAX_PATTERN_LENGTH:
        return False
    compiled = _cached(pattern)
    return compiled is not None and search(compiled, value)


@functools.lru_cache(maxsize=256)
def _cached(pattern: str) -> regex.Pattern[str] | None:
    try:
        return compile_pattern(pattern)
    except (regex.error, ValueError, OverflowError, RecursionError):
        return None
