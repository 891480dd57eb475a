"""Strings that match a regular expression, built from its parse tree.

The tree comes from the standard library's regex parser; every result is
checked with ``re.search`` before it is returned, so an exotic construct the
walker does not understand makes it return ``None`` rather than a wrong string.
"""

from __future__ import annotations

import random
import re
import string
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from ..exceptions import RuntimeFailure

try:  # Python 3.11+
    from re import _constants as sre_constants  # type: ignore[attr-defined, unused-ignore]
    from re import _parser as sre_parse  # type: ignore[attr-defined, unused-ignore]
except ImportError:  # pragma: no cover - older interpreters
    import sre_constants  # type: ignore[no-redef, unused-ignore]
    import sre_parse  # type: ignore[no-redef, unused-ignore]

__all__ = ["string_matching"]

_OPEN_REPEAT_EXTRA = 3
"""How many repetitions beyond the minimum an unbounded repeat (``*``, ``+``) may add."""

_PRINTABLE = string.ascii_letters + string.digits + "-_."
_CATEGORY_CHARS: dict[Any, str] = {
    sre_constants.CATEGORY_DIGIT: string.digits,
    sre_constants.CATEGORY_NOT_DIGIT: string.ascii_letters + "-_",
    sre_constants.CATEGORY_WORD: string.ascii_letters + string.digits + "_",
    sre_constants.CATEGORY_NOT_WORD: " -.,:/",
    sre_constants.CATEGORY_SPACE: " ",
    sre_constants.CATEGORY_NOT_SPACE: string.ascii_letters + string.digits,
}
_CANDIDATES = string.ascii_letters + string.digits + " -_.,:/@+#"


@dataclass(frozen=True)
class _Budget:
    """How far an unbounded or wide repeat may go beyond its minimum."""

    extra: int
    greedy: bool
    """Always take the largest count allowed, instead of a random one."""


class _Unsupported(RuntimeFailure):
    """The pattern uses a construct the walker cannot generate."""


@lru_cache(maxsize=512)
def _parse(pattern: str) -> tuple[Any, re.Pattern[str]] | None:
    try:
        return sre_parse.parse(pattern), re.compile(pattern)
    except (re.error, RecursionError, OverflowError, ValueError):
        return None


def string_matching(
    pattern: str,
    rng: random.Random,
    *,
    min_length: int = 0,
    max_length: int | None = None,
    attempts: int = 8,
) -> str | None:
    """A string ``s`` with ``re.search(pattern, s)`` and a length within bounds, or None."""
    parsed = _parse(pattern)
    if parsed is None:
        return None
    tree, compiled = parsed
    long_extra = max(min_length, _OPEN_REPEAT_EXTRA)
    # ordinary tries, then repeats stretched towards a minimum length, then minimal ones
    schedule = (
        (_OPEN_REPEAT_EXTRA, False),
        (long_extra, True),
        (max(long_extra // 2, 1), True),
        (long_extra, False),
        (0, False),
    )
    for attempt in range(attempts):
        extra, greedy = schedule[min(attempt * len(schedule) // max(attempts, 1), 4)]
        try:
            text = _emit(tree, rng, {}, _Budget(extra, greedy))
        except (_Unsupported, RecursionError, IndexError, ValueError):
            return None
        fitted = _fit_length(text, compiled, rng, min_length, max_length)
        if fitted is not None:
            return fitted
    return None


def _fit_length(
    text: str,
    compiled: re.Pattern[str],
    rng: random.Random,
    min_length: int,
    max_length: int | None,
) -> str | None:
    """``text`` itself, or ``text`` padded to ``min_length`` when the pattern still matches."""
    if compiled.search(text) is None:
        return None
    if len(text) < min_length:
        pad = "".join(rng.choice(string.ascii_lowercase) for _ in range(min_length - len(text)))
        for candidate in (text + pad, pad + text):
            if compiled.search(candidate) is not None:
                text = candidate
                break
        else:
            return None
    if max_length is not None and len(text) > max_length:
        return None
    return text


def _emit(items: Any, rng: random.Random, groups: dict[int, str], extra: _Budget) -> str:
    return "".join(_emit_one(op, av, rng, groups, extra) for op, av in items)


def _emit_one(op: Any, av: Any, rng: random.Random, groups: dict[int, str], extra: _Budget) -> str:
    c = sre_constants
    if op is c.LITERAL:
        return chr(av)
    if op is c.NOT_LITERAL:
        return _choose_outside({av}, rng)
    if op is c.ANY:
        return rng.choice(_PRINTABLE)
    if op is c.IN:
        return _emit_class(av, rng)
    if op in (c.MAX_REPEAT, c.MIN_REPEAT, getattr(c, "POSSESSIVE_REPEAT", c.MAX_REPEAT)):
        low, high, body = av
        top = low + extra.extra if high is c.MAXREPEAT else min(high, low + extra.extra)
        count = top if extra.greedy else rng.randint(low, top)
        return "".join(_emit(body, rng, groups, extra) for _ in range(count))
    if op is c.SUBPATTERN:
        group, _add_flags, _del_flags, body = av
        text = _emit(body, rng, groups, extra)
        if group is not None:
            groups[group] = text
        return text
    if op is c.BRANCH:
        return _emit(rng.choice(av[1]), rng, groups, extra)
    if op is c.GROUPREF:
        return groups.get(av, "")
    if op in (c.AT, c.ASSERT, c.ASSERT_NOT):
        return ""
    if op is getattr(c, "ATOMIC_GROUP", None):
        return _emit(av, rng, groups, extra)
    raise _Unsupported(str(op))


_CLASS_POOLS: dict[int, tuple[Any, str]] = {}
"""Characters each parsed ``[...]`` class may produce, keyed by the id of its (kept) items."""


def _emit_class(items: Any, rng: random.Random) -> str:
    """One character of a ``[...]`` class (or of a category such as ``\\d``)."""
    entry = _CLASS_POOLS.get(id(items))
    if entry is None or entry[0] is not items:
        if len(_CLASS_POOLS) > 4096:
            _CLASS_POOLS.clear()
        entry = (items, _class_pool(items))
        _CLASS_POOLS[id(items)] = entry
    if not entry[1]:
        raise _Unsupported("empty class")
    return rng.choice(entry[1])


def _class_pool(items: Any) -> str:
    c = sre_constants
    negated = bool(items) and items[0][0] is c.NEGATE
    choices: list[str] = []
    excluded: set[int] = set()
    for op, av in items[1:] if negated else items:
        if op is c.LITERAL:
            choices.append(chr(av))
            excluded.add(av)
        elif op is c.RANGE:
            low, high = av
            span = range(low, min(high, low + 200) + 1)
            choices.extend(chr(code) for code in span)
            excluded.update(range(low, high + 1) if high - low < 5000 else span)
        elif op is c.CATEGORY:
            chars = _CATEGORY_CHARS.get(av)
            if chars is None:
                raise _Unsupported(str(av))
            choices.extend(chars)
            excluded.update(ord(ch) for ch in chars)
        else:
            raise _Unsupported(str(op))
    if negated:
        return _outside(excluded, items[1:])
    return "".join(choices)


def _outside(excluded: set[int], classes: Any = ()) -> str:
    """Candidate characters not in ``excluded`` (and, for categories, not matched by them)."""
    category_pattern = None
    if classes:
        body = "".join(_class_source(op, av) for op, av in classes)
        category_pattern = re.compile(f"[{body}]") if body else None
    return "".join(
        ch
        for ch in _CANDIDATES
        if ord(ch) not in excluded and (category_pattern is None or not category_pattern.match(ch))
    )


def _choose_outside(excluded: set[int], rng: random.Random) -> str:
    pool = _outside(excluded)
    if not pool:
        raise _Unsupported("nothing outside the class")
    return rng.choice(pool)


def _class_source(op: Any, av: Any) -> str:
    c = sre_constants
    if op is c.CATEGORY:
        for source, category in (
            (r"\d", c.CATEGORY_DIGIT),
            (r"\D", c.CATEGORY_NOT_DIGIT),
            (r"\w", c.CATEGORY_WORD),
            (r"\W", c.CATEGORY_NOT_WORD),
            (r"\s", c.CATEGORY_SPACE),
            (r"\S", c.CATEGORY_NOT_SPACE),
        ):
            if av is category:
                return source
    return ""
