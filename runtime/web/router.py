"""Path routing: static paths in a dict, templated paths in compiled regexes.

Templated paths are grouped by their number of slashes (a placeholder never
matches one, so only templates with as many slashes as a path can match it);
each group is one regex, compiled when a path of its kind is first routed:
compiling one regex of a large API's every template costs a noticeable part
of a server's start-up.

Static segments win over templated ones (``/pets/mine`` before ``/pets/{id}``):
templates are tried most-specific first. A trailing slash is forgiven when
only the path without it exists. Path parameters come back percent-decoded.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Generic, TypeVar
from urllib.parse import unquote

__all__ = ["Match", "MethodNotAllowed", "NoRoute", "Router", "placeholders"]

T = TypeVar("T")
_PLACEHOLDER = re.compile(r"\{([^{}/]+)\}")


@dataclass(slots=True)
class Match(Generic[T]):
    target: T
    template: str
    params: dict[str, str]


@dataclass(frozen=True, slots=True)
class MethodNotAllowed:
    allowed: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class NoRoute:
    closest: tuple[str, ...]


@dataclass(slots=True)
class _Template(Generic[T]):
    template: str
    pattern: str
    names: tuple[str, ...]
    methods: dict[str, T]
    compiled: re.Pattern[str] | None = None

    @property
    def regex(self) -> re.Pattern[str]:
        """This template alone, compiled when first needed (a method missing on
        a more specific template): most never are, and compiling costs."""
        if self.compiled is None:
            self.compiled = re.compile(f"^{self.pattern}$")
        return self.compiled


@dataclass(slots=True)
class _Group:
    """Templates with one number of slashes, most specific first, as one regex."""

    indices: list[int]
    """Their indices in the router's templates."""
    alternatives: list[str]
    widths: list[int]
    """How many groups each alternative captures."""
    compiled: re.Pattern[str] | None = None
    owners: dict[int, tuple[int, int]] | None = None
    """The regex group of each alternative → the template's index and width."""

    def match(self, path: str) -> tuple[int, tuple[str, ...]] | None:
        """(template index, its placeholder values) of the first template matching ``path``."""
        if self.compiled is None or self.owners is None:
            self.owners = {}
            group = 1
            for index, width in zip(self.indices, self.widths, strict=True):
                self.owners[group] = (index, width)
                group += 1 + width
            self.compiled = re.compile("^(?:" + "|".join(self.alternatives) + ")$")
        found = self.compiled.match(path)
        if found is None:
            return None
        first = found.lastindex or 1
        index, width = self.owners[first]
        values: tuple[str, ...] = found.groups()[first : first + width]
        return index, values


def _specificity(template: str) -> tuple[tuple[int, str], ...]:
    """Sort key: static segments (0) before templated ones (1), segment by segment."""
    return tuple(
        (1 if "{" in segment else 0, segment) for segment in template.strip("/").split("/")
    )


def _segment_pattern(template: str) -> tuple[str, tuple[str, ...]]:
    names: list[str] = []
    parts: list[str] = []
    position = 0
    for found in _PLACEHOLDER.finditer(template):
        parts.append(re.escape(template[position : found.start()]))
        parts.append("([^/]+)")
        names.append(found.group(1))
        position = found.end()
    parts.append(re.escape(template[position:]))
    return "".join(parts), tuple(names)


class Router(Generic[T]):
    """Maps (method, path) to a target registered for a path template."""

    def __init__(self, routes: Iterable[tuple[str, str, T]]) -> None:
        self._static: dict[str, dict[str, T]] = {}
        templated: dict[str, dict[str, T]] = {}
        for method, template, target in routes:
            table = templated if "{" in template else self._static
            table.setdefault(template, {})[method.upper()] = target
        ordered = sorted(templated, key=_specificity)
        self._templates: list[_Template[T]] = []
        self._groups: dict[int, _Group] = {}
        for index, template in enumerate(ordered):
            pattern, names = _segment_pattern(template)
            self._templates.append(_Template(template, pattern, names, templated[template]))
            group = self._groups.setdefault(template.count("/"), _Group([], [], []))
            group.indices.append(index)
            group.alternatives.append(f"({pattern})")
            group.widths.append(len(names))
        self._all_templates = sorted({*self._static, *templated})

    @property
    def templates(self) -> list[str]:
        return list(self._all_templates)

    def match(self, method: str, path: str) -> Match[T] | MethodNotAllowed | NoRoute:
        """Route ``path`` (its raw, still percent-encoded form) for ``method``."""
        found = self._match(method, path)
        if found is None and len(path) > 1 and path.endswith("/"):
            found = self._match(method, path.rstrip("/") or "/")
        if found is not None:
            return found
        return NoRoute(tuple(self.closest(path, limit=5)))

    def closest(self, path: str, limit: int = 3) -> list[str]:
        return difflib.get_close_matches(unquote(path), self._all_templates, n=limit, cutoff=0.5)

    def _match(self, method: str, path: str) -> Match[T] | MethodNotAllowed | None:
        allowed: set[str] = set()
        static = self._static.get(unquote(path) if "%" in path else path)
        if static is not None:
            target = static.get(method)
            if target is not None:
                return Match(target, unquote(path), {})
            allowed.update(static)
        group = self._groups.get(path.count("/"))
        found = group.match(path) if group is not None else None
        if found is None:
            return MethodNotAllowed(_allow(allowed)) if allowed else None
        index, values = found
        entry = self._templates[index]
        target = entry.methods.get(method)
        if target is not None and not allowed:
            return Match(target, entry.template, _params(entry.names, values))
        # The most specific template lacks the method: look for another that has it.
        for entry in self._templates[index:]:
            alone = entry.regex.match(path)
            if alone is None:
                continue
            target = entry.methods.get(method)
            if target is not None:
                return Match(target, entry.template, _params(entry.names, alone.groups()))
            allowed.update(entry.methods)
        return MethodNotAllowed(_allow(allowed))


def _params(names: tuple[str, ...], values: Iterable[str]) -> dict[str, str]:
    return {
        name: (unquote(value) if "%" in value else value)
        for name, value in zip(names, values, strict=False)
    }


def _allow(methods: set[str]) -> tuple[str, ...]:
    if "GET" in methods:
        methods = methods | {"HEAD"}
    return tuple(sorted(methods))


def placeholders(template: str) -> set[str]:
    """The names of a path template's ``{parameters}``."""
    names: set[str] = set()
    for piece in template.split("{")[1:]:
        name, closed, _ = piece.partition("}")
        if closed:
            names.add(name)
    return names
