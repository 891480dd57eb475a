"""Recorded calls (journal entries) compared with what a test expects, and
the failure message that lists what was called instead."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

__all__ = ["CONDITIONS", "Call", "CallExpectation", "describe_calls"]

CONDITIONS = ("method", "status", "target", "path", "body", "headers", "source")
"""The conditions :meth:`CallExpectation.mismatch` understands."""

_MISSING = object()


@dataclass(frozen=True)
class Call:
    """One journal entry, read for comparison."""

    entry: Mapping[str, Any]

    @property
    def operation(self) -> str | None:
        return self.entry.get("operation")

    @property
    def summary(self) -> str:
        entry = self.entry
        return (
            f"#{entry.get('id')} {entry.get('method')} {entry.get('target')} "
            f"→ {entry.get('status')} ({entry.get('operation') or 'no operation'})"
        )

    @property
    def body(self) -> Any:
        """The request body: decoded JSON when it is JSON, else its text (None: none kept)."""
        body = (self.entry.get("request") or {}).get("body")
        if not body or body.get("encoding") != "utf-8":
            return None if not body else body.get("data")
        text = body.get("data", "")
        try:
            return json.loads(text)
        except ValueError:
            return text

    @property
    def headers(self) -> Mapping[str, Any]:
        headers = (self.entry.get("request") or {}).get("headers") or {}
        return {str(name).lower(): value for name, value in headers.items()}


@dataclass(frozen=True)
class CallExpectation:
    """An operation and conditions on its calls.

    ``status``, ``method``, ``target`` (path and query as sent) and ``source``
    compare as text; ``path`` is the target without its query; ``body`` holds
    when the request body contains it (objects: these keys with these values,
    recursively; anything else: equality); ``headers`` likewise, names in any
    case."""

    operation: str
    conditions: Mapping[str, Any]

    def __post_init__(self) -> None:
        unknown = sorted(set(self.conditions) - set(CONDITIONS))
        if unknown:
            raise TypeError(
                f"unknown call condition(s) {', '.join(unknown)}; "
                f"known: {', '.join(CONDITIONS)}, times"
            )

    @property
    def text(self) -> str:
        shown = ", ".join(f"{name}={value!r}" for name, value in self.conditions.items())
        return self.operation + (f" with {shown}" if shown else "")

    def mismatch(self, call: Call) -> str | None:
        """Why ``call`` is not such a call (None: it is)."""
        if call.operation != self.operation:
            return f"operation is {call.operation!r}"
        for name, expected in self.conditions.items():
            reason = _mismatch(name, expected, call)
            if reason is not None:
                return reason
        return None

    def matching(self, calls: Sequence[Call]) -> list[Call]:
        return [call for call in calls if self.mismatch(call) is None]


def _mismatch(name: str, expected: Any, call: Call) -> str | None:
    entry = call.entry
    if name in ("method", "status", "target", "source"):
        got = entry.get(name)
        wanted = str(expected).upper() if name == "method" else str(expected)
        return None if str(got) == wanted else f"{name} is {got!r}, not {wanted!r}"
    if name == "path":
        got = str(entry.get("target", "")).split("?", 1)[0]
        return None if got == str(expected) else f"path is {got!r}, not {str(expected)!r}"
    if name == "body":
        where = _contains(call.body, expected, "body")
        return None if where is None else where
    if name == "headers":
        headers = call.headers
        for header, value in dict(expected).items():
            got = headers.get(str(header).lower(), _MISSING)
            if got is _MISSING:
                return f"header {header!r} is absent"
            if str(got) != str(value):
                return f"header {header!r} is {got!r}, not {str(value)!r}"
        return None
    raise AssertionError(name)  # pragma: no cover - CallExpectation checks the names


def _contains(got: Any, expected: Any, where: str) -> str | None:
    """Where ``got`` fails to contain ``expected`` (None: it contains it)."""
    if isinstance(expected, Mapping):
        if not isinstance(got, Mapping):
            return f"{where} is {_short(got)}, not an object"
        for key, value in expected.items():
            if key not in got:
                return f"{where}.{key} is absent"
            reason = _contains(got[key], value, f"{where}.{key}")
            if reason is not None:
                return reason
        return None
    if got != expected:
        return f"{where} is {_short(got)}, not {_short(expected)}"
    return None


def _short(value: Any, limit: int = 80) -> str:
    text = json.dumps(value, ensure_ascii=False, default=str)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def describe_calls(expectation: CallExpectation, calls: Sequence[Call], limit: int = 10) -> str:
    """What was called instead: the calls of the operation, each with its
    first failed condition (the near misses), then a count of the others."""
    same = [call for call in calls if call.operation == expectation.operation]
    lines: list[str] = []
    if same:
        lines.append(f"calls of {expectation.operation} ({len(same)}):")
        for call in same[:limit]:
            reason = expectation.mismatch(call)
            lines.append(f"  {call.summary}: " + (reason or "matches"))
        if len(same) > limit:
            lines.append(f"  … and {len(same) - limit} more")
    else:
        lines.append(f"{expectation.operation} was not called")
    others = Counter(
        call.operation or "(no operation)"
        for call in calls
        if call.operation != expectation.operation
    )
    if others:
        counted = ", ".join(f"{name} ×{count}" for name, count in sorted(others.items()))
        lines.append(f"other calls: {counted}")
    elif not calls:
        lines.append("nothing was called")
    return "\n".join(lines)
