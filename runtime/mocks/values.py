"""Comparing request values with the values a mock file names, and showing them.

Request parameters may arrive typed (``7``) or as text (``"7"``), so equality is
loose: a number equals its text, ``true`` equals ``"true"``, and a list of one
item equals that item. Everything else compares exactly.
"""

from __future__ import annotations

import json
import re
from typing import Any

__all__ = [
    "MISSING",
    "as_text",
    "flow",
    "loose_equal",
    "number_of",
    "parse_body_path",
    "show",
    "walk",
]


class _Missing:
    """The value of a request field that is not there."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "MISSING"


MISSING: Any = _Missing()

_NUMBER = re.compile(r"-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?")
_INTEGER = re.compile(r"-?(?:0|[1-9][0-9]*)")
_SEGMENT = re.compile(r"[^.\[\]]+")
_INDEX = re.compile(r"\[(-?[0-9]+)\]")
_QUOTED = re.compile(r"""\[(?:"((?:[^"\\]|\\.)*)"|'([^']*)')\]""")
_BARE = re.compile(r"[A-Za-z_][\w.@/:+-]*")
_RESERVED = frozenset({"true", "false", "null", "yes", "no", "on", "off", "~"})
_SHOWN = 60


def number_of(value: Any) -> int | float | None:
    """``value`` as a number: numbers themselves, and text written as a JSON number."""
    kind = type(value)
    if kind is int or kind is float:
        return value  # type: ignore[no-any-return]
    if kind is str and value.isdigit() and value.isascii() and len(value) <= 400:
        if value[0] != "0" or value == "0":
            return int(value)
        return None
    if kind is str and len(value) <= 400 and _NUMBER.fullmatch(value):
        try:
            return int(value) if _INTEGER.fullmatch(value) else float(value)
        except ValueError:
            return None
    return None


def as_text(value: Any) -> str | None:
    """``value`` as text for ``matches`` and ``contains``: text, numbers and booleans."""
    kind = type(value)
    if kind is str:
        return value  # type: ignore[no-any-return]
    if kind is bool:
        return "true" if value else "false"
    if kind is int or kind is float:
        return str(value)
    return None


def loose_equal(expected: Any, actual: Any) -> bool:
    """Whether the request value ``actual`` equals the mock's ``expected``.

    ``null`` equals an absent value too; a list of one item equals the item."""
    if expected is None:
        return actual is None or actual is MISSING
    if actual is MISSING or actual is None:
        return False
    kind = type(expected)
    actual_kind = type(actual)
    if kind is actual_kind and kind is not list and kind is not dict:
        return bool(expected == actual)
    if kind is list:
        return (
            actual_kind is list
            and len(actual) == len(expected)
            and all(loose_equal(e, a) for e, a in zip(expected, actual, strict=True))
        )
    if kind is dict:
        return (
            actual_kind is dict
            and actual.keys() == expected.keys()
            and all(loose_equal(value, actual[key]) for key, value in expected.items())
        )
    if actual_kind is list:
        return len(actual) == 1 and loose_equal(expected, actual[0])
    if kind is bool or actual_kind is bool:
        return as_text(expected) == (actual.lower() if actual_kind is str else as_text(actual))
    if kind is str and actual_kind is str:
        return False
    left = number_of(expected)
    right = number_of(actual)
    return left is not None and right is not None and left == right


def parse_body_path(text: str) -> tuple[str | int, ...]:
    """``items[0].sku`` → ``("items", 0, "sku")``; ``["a.b"]`` quotes a key.

    Raises ValueError(message, offset) when the path is malformed."""
    parts: list[str | int] = []
    offset = 0
    expect_segment = True
    while offset < len(text):
        char = text[offset]
        if char == "[":
            found = _INDEX.match(text, offset)
            if found:
                parts.append(int(found.group(1)))
            else:
                found = _QUOTED.match(text, offset)
                if found is None:
                    raise ValueError('expected [number] or ["key"]', offset)
                quoted = found.group(1)
                parts.append(
                    json.loads(f'"{quoted}"') if quoted is not None else str(found.group(2))
                )
            offset = found.end()
            expect_segment = False
        elif char == ".":
            if expect_segment:
                raise ValueError("expected a key before '.'", offset)
            offset += 1
            expect_segment = True
            if offset == len(text):
                raise ValueError("expected a key after '.'", offset)
        else:
            found = _SEGMENT.match(text, offset)
            if found is None or (parts and not expect_segment):
                raise ValueError("expected '.' or '[' between keys", offset)
            parts.append(found.group(0))
            offset = found.end()
            expect_segment = False
    if not parts:
        raise ValueError("the path is empty", 0)
    return tuple(parts)


def walk(value: Any, path: tuple[str | int, ...]) -> Any:
    """The part of ``value`` at ``path``, or MISSING."""
    for part in path:
        kind = type(value)
        if kind is dict:
            if part in value:
                value = value[part]
            elif type(part) is int and str(part) in value:
                value = value[str(part)]
            else:
                return MISSING
        elif kind is list:
            if type(part) is str:
                if not _INTEGER.fullmatch(part):
                    return MISSING
                part = int(part)
            assert isinstance(part, int)
            if -len(value) <= part < len(value):
                value = value[part]
            else:
                return MISSING
        else:
            return MISSING
    return value


def show(value: Any) -> str:
    """A request value in a near-miss report: ``'sold'``, ``7``, ``nothing``."""
    if value is MISSING:
        return "nothing"
    if type(value) is str:
        return repr(_shorten(value))
    return _shorten(_json(value))


def flow(value: Any) -> str:
    """A mock value as a user writes it in YAML flow style: ``[available, pending]``."""
    kind = type(value)
    if kind is str:
        bare = _BARE.fullmatch(value) and value.lower() not in _RESERVED
        return _shorten(value if bare else _json(value))
    if kind is list:
        return _shorten("[" + ", ".join(flow(item) for item in value) + "]")
    if kind is dict:
        return _shorten(
            "{" + ", ".join(f"{flow(key)}: {flow(item)}" for key, item in value.items()) + "}"
        )
    return _json(value)


def _json(value: Any) -> str:
    try:
        return json.dumps(value, ensure_ascii=False, default=str)
    except (TypeError, ValueError):
        return str(value)


def _shorten(text: str) -> str:
    return text if len(text) <= _SHOWN else text[: _SHOWN - 1] + "…"
