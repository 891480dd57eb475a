"""JSON Schema validators that always compile: one registry of the named
schemas shared by every validator, and a fallback for patterns jsonschema-rs
refuses.

jsonschema-rs refuses some regular expressions that real specs use (a
``pattern: "^.{0,262144}$"`` exceeds its size limit; ``\\p{…}`` classes it does
not know; Python-style groups). :func:`portable` moves each such ``pattern``
to the :data:`FALLBACK_PATTERN` keyword, checked with the ``regex`` module
(bounded in time); a pattern neither engine compiles is left out. Every change
is reported as a :class:`PatternProblem` with its JSON pointer, so callers can
warn once (at generation, at start-up) and never fail a request over it.

Named schemas are compiled through a :func:`defs_registry`: the ``$defs`` are
handed to jsonschema-rs once, and each validator compiles only its own schema
with ``$ref``\\ s into the registry (:func:`registry_refs`) — instead of carrying
every named schema again.

:class:`NamedSchemas` goes further for callers that check many schemas against
the same named schemas (fake data): every named schema is compiled once, into
one validator, and a schema is compiled with each ``$ref`` to a named schema
turned into the :data:`NAMED_REF` keyword, which asks that shared validator
(:func:`named_refs`). A validator compiled through a registry holds its own
compiled copy of every schema its references reach — megabytes each on a
large, tightly linked spec — where one compiled through :class:`NamedSchemas`
holds only its own schema.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import jsonschema_rs
import orjson
import regex

from .exceptions import RuntimeFailure

__all__ = [
    "DEFS_URI",
    "FALLBACK_PATTERN",
    "NAMED_REF",
    "NamedSchemas",
    "PatternProblem",
    "SchemaCompileError",
    "compile_validator",
    "defs_registry",
    "named_refs",
    "portable",
    "refused_pattern",
    "registry_refs",
]

DEFS_URI = "urn:mockc:defs"
"""Where the named schemas are in a registry: ``urn:mockc:defs#/$defs/<Name>``."""
FALLBACK_PATTERN = "x-mockc-pattern"
"""The keyword a ``pattern`` jsonschema-rs refuses is moved to."""
NAMED_REF = "x-mockc-named"
"""The keyword a ``$ref`` to a named schema becomes under :func:`named_refs`."""
FALLBACK_TIMEOUT = 0.05
"""Seconds one fallback-pattern search may take; a slower one counts as a match."""
_DEF_PREFIX = "#/$defs/"
_MAX_REFUSED_DEFS = 16
"""Named schemas left out of a :class:`NamedSchemas` before it gives up checking."""
_DATA_KEYWORDS = frozenset({"examples", "example", "default", "const", "enum"})
"""Keywords whose values are instance data, not schemas."""
_NAMED_SUBSCHEMAS = frozenset({"properties", "patternProperties", "$defs", "definitions"})
"""Keywords whose values map names (not keywords) to schemas."""


class SchemaCompileError(RuntimeFailure):
    """A schema no validator can be compiled for, even with the fallbacks."""

    def __init__(self, message: str, *, location: tuple[str, ...] = ()) -> None:
        super().__init__(message)
        self.location = location
        """Path of the refused keyword inside the schema, when jsonschema-rs names it."""


@dataclass(frozen=True, kw_only=True)
class PatternProblem:
    pointer: str
    """JSON pointer of the ``pattern`` keyword (or ``patternProperties`` key) in the schema."""
    pattern: str
    checked: bool
    """True: checked with the ``regex`` module instead; False: not checked at all."""

    def describe(self) -> str:
        how = (
            "it is checked with the regex module instead"
            if self.checked
            else "neither regex engine compiles it, so it is not checked"
        )
        return f"pattern {_shown(self.pattern)} is refused by jsonschema-rs; {how}"


@functools.lru_cache(maxsize=4096)
def refused_pattern(pattern: str) -> bool:
    """True when jsonschema-rs cannot compile ``pattern``."""
    try:
        jsonschema_rs.validator_for({"pattern": pattern})
    except (ValueError, jsonschema_rs.ValidationError):
        return True
    return False


@functools.lru_cache(maxsize=1024)
def _fallback_regex(pattern: str) -> Any:
    try:
        return regex.compile(pattern)
    except (regex.error, ValueError, OverflowError, RecursionError):
        return None


class _FallbackPattern:
    """The :data:`FALLBACK_PATTERN` keyword: ``pattern`` with the ``regex`` module."""

    def __init__(self, parent: Any, value: Any, path: Any) -> None:
        self.pattern = value if isinstance(value, str) else ""
        self.compiled = _fallback_regex(self.pattern)

    def validate(self, instance: Any) -> None:
        if not isinstance(instance, str) or self.compiled is None:
            return
        try:
            found = self.compiled.search(instance, timeout=FALLBACK_TIMEOUT)
        except TimeoutError:
            return
        if found is None:
            raise ValueError(f"{_shown(instance)} does not match {_shown(self.pattern)}")


KEYWORDS: dict[str, Any] = {FALLBACK_PATTERN: _FallbackPattern}


def portable(schema: Any, pointer: str = "") -> tuple[Any, list[PatternProblem]]:
    """``schema`` with every pattern jsonschema-rs refuses moved to the fallback
    keyword (or left out), and the list of what was changed; ``schema`` itself
    when nothing needed to change (it is never modified)."""
    problems: list[PatternProblem] = []
    if not _may_hold_patterns(schema):
        return schema, problems
    return _portable(schema, pointer, problems), problems


def _may_hold_patterns(schema: Any) -> bool:
    """False when no ``pattern`` or ``patternProperties`` key can be in
    ``schema``: its JSON text (made in C, far faster than walking it) never
    says ``"pattern``. Anything orjson cannot write is walked."""
    try:
        return b'"pattern' in orjson.dumps(schema)
    except TypeError:
        return True


def _portable(node: Any, pointer: str, problems: list[PatternProblem]) -> Any:
    if isinstance(node, list):
        items = [_portable(item, f"{pointer}/{n}", problems) for n, item in enumerate(node)]
        return node if all(a is b for a, b in zip(items, node, strict=True)) else items
    if not isinstance(node, Mapping):
        return node
    changed: dict[str, Any] = {}
    for key, value in node.items():
        where = f"{pointer}/{_escape(key)}"
        if key in _DATA_KEYWORDS:
            continue
        if key == "pattern" and isinstance(value, str):
            if refused_pattern(value):
                checked = _fallback_regex(value) is not None
                problems.append(PatternProblem(pointer=where, pattern=value, checked=checked))
                changed[key] = _DROPPED
                if checked:
                    changed[FALLBACK_PATTERN] = value
            continue
        if key in _NAMED_SUBSCHEMAS and isinstance(value, Mapping):
            members = {}
            for name, sub in value.items():
                inner = f"{where}/{_escape(name)}"
                if key == "patternProperties" and refused_pattern(name):
                    problems.append(PatternProblem(pointer=inner, pattern=name, checked=False))
                    members[name] = _DROPPED
                    continue
                new = _portable(sub, inner, problems)
                if new is not sub:
                    members[name] = new
            if members:
                changed[key] = {
                    name: members.get(name, sub)
                    for name, sub in value.items()
                    if members.get(name) is not _DROPPED
                }
            continue
        new = _portable(value, where, problems)
        if new is not value:
            changed[key] = new
    if not changed:
        return node
    out = {key: changed.get(key, value) for key, value in node.items()}
    out.update((key, value) for key, value in changed.items() if key not in out)
    return {key: value for key, value in out.items() if value is not _DROPPED}


_DROPPED = object()


def registry_refs(schema: Any) -> Any:
    """``schema`` with its ``#/$defs/…`` references pointing into the registry of
    :func:`defs_registry` (a copy; data keywords are left alone)."""
    if isinstance(schema, list):
        return [registry_refs(item) for item in schema]
    if not isinstance(schema, Mapping):
        return schema
    out: dict[str, Any] = {}
    for key, value in schema.items():
        if key == "$ref" and isinstance(value, str) and value.startswith(_DEF_PREFIX):
            out[key] = DEFS_URI + value
        elif key in _DATA_KEYWORDS:
            out[key] = value
        elif key in _NAMED_SUBSCHEMAS and isinstance(value, Mapping):  # names, not keywords
            out[key] = {name: registry_refs(sub) for name, sub in value.items()}
        else:
            out[key] = registry_refs(value)
    return out


def defs_registry(
    defs: Mapping[str, Any], on_problem: Callable[[PatternProblem], None] | None = None
) -> Any:
    """A jsonschema-rs registry holding ``defs`` (made :func:`portable`) at :data:`DEFS_URI`;
    raises :class:`SchemaCompileError` when jsonschema-rs cannot read them."""
    # Each named schema on its own: most hold no pattern and are not walked.
    document: dict[str, Any] = {"$defs": {}}
    for name, schema in defs.items():
        document["$defs"][name], problems = portable(schema, f"/$defs/{_escape(name)}")
        for problem in problems:
            if on_problem is not None:
                on_problem(problem)
    try:
        return jsonschema_rs.Registry([(DEFS_URI, document)], draft=jsonschema_rs.Draft202012)
    except ValueError as exc:  # text jsonschema-rs cannot take (a lone surrogate)
        message = str(exc).splitlines()[0] if str(exc) else repr(exc)
        raise SchemaCompileError(f"the named schemas cannot be read: {message}") from None


def compile_validator(
    schema: Any,
    *,
    registry: Any = None,
    on_problem: Callable[[PatternProblem], None] | None = None,
    keywords: Mapping[str, Any] | None = None,
) -> Any:
    """A Draft 2020-12 validator of ``schema`` (formats checked, unknown formats
    ignored), with refused patterns falling back; ``registry`` resolves
    ``urn:mockc:defs`` references; ``keywords`` adds custom keywords. Raises
    :class:`SchemaCompileError` when jsonschema-rs still refuses it."""
    document, problems = portable(schema)
    for problem in problems:
        if on_problem is not None:
            on_problem(problem)
    try:
        return jsonschema_rs.Draft202012Validator(
            document,
            validate_formats=True,
            ignore_unknown_formats=True,
            registry=registry,
            keywords={**KEYWORDS, **keywords} if keywords else KEYWORDS,
        )
    except (ValueError, jsonschema_rs.ValidationError, jsonschema_rs.ReferencingError) as exc:
        where = getattr(exc, "instance_path", None) or ()
        raise SchemaCompileError(
            str(exc).splitlines()[0] if str(exc) else repr(exc),
            location=tuple(str(step) for step in where),
        ) from None


def named_refs(schema: Any, names: Mapping[str, Any]) -> tuple[Any, bool]:
    """``schema`` with every ``{"$ref": "#/$defs/<Name>"}`` whose name is in
    ``names`` turned into ``{NAMED_REF: "<Name>"}`` (a copy; data keywords are
    left alone), and whether any other ``#/$defs/…`` reference is left."""
    left = False

    def rewrite(node: Any) -> Any:
        nonlocal left
        if isinstance(node, list):
            return [rewrite(item) for item in node]
        if not isinstance(node, Mapping):
            return node
        out: dict[str, Any] = {}
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str) and value.startswith(_DEF_PREFIX):
                name = _unescape(value[len(_DEF_PREFIX) :])
                if name in names:
                    out[NAMED_REF] = name
                else:
                    out[key], left = value, True
            elif key in _DATA_KEYWORDS:
                out[key] = value
            elif key in _NAMED_SUBSCHEMAS and isinstance(value, Mapping):  # names, not keywords
                out[key] = {name: rewrite(sub) for name, sub in value.items()}
            else:
                out[key] = rewrite(value)
        return out

    return rewrite(schema), left


class NamedSchemas:
    """Every named schema compiled once, into one validator, and validators of
    other schemas that refer to them through it.

    The shared validator is a schema whose ``properties`` map each name to its
    ``$ref``, so ``{"<Name>": value}`` checks ``value`` against that named
    schema alone; it is compiled on first use. A named schema jsonschema-rs
    refuses even with the fallbacks is left out (any value is valid against
    it); when the refusal names no named schema, every value is taken as valid.
    """

    def __init__(
        self,
        defs: Mapping[str, Any],
        on_problem: Callable[[PatternProblem], None] | None = None,
    ) -> None:
        self._defs = defs
        self._on_problem = on_problem
        self._shared: Any = None
        self._compiled = False
        self._keywords = {NAMED_REF: self._keyword()}

    def __contains__(self, name: object) -> bool:
        return name in self._defs

    def is_valid(self, name: str, value: Any) -> bool:
        """True when ``value`` validates against the named schema ``name``."""
        shared = self._shared if self._compiled else self._validator()
        if shared is None:
            return True
        try:
            return bool(shared.is_valid({name: value}))
        except Exception:  # a validator error is no reason to fail generation
            return True

    def compile(self, schema: Any, *, registry: Any = None) -> Any:
        """A validator of ``schema`` (whose named references are already
        :func:`named_refs`), like :func:`compile_validator`."""
        return compile_validator(
            schema, registry=registry, on_problem=self._on_problem, keywords=self._keywords
        )

    def _validator(self) -> Any:
        if not self._compiled:
            self._compiled = True
            self._shared = self._compile_shared()
        return self._shared

    def _compile_shared(self) -> Any:
        defs: dict[str, Any] = dict(self._defs)
        refs = {name: {"$ref": _DEF_PREFIX + _escape(name)} for name in defs}
        for _ in range(_MAX_REFUSED_DEFS + 1):
            try:
                return compile_validator(
                    {"$defs": defs, "properties": refs}, on_problem=self._on_problem
                )
            except SchemaCompileError as exc:
                where = exc.location
                if len(where) < 2 or where[0] != "$defs" or defs.get(where[1], True) is True:
                    return None
                defs[where[1]] = True
        return None

    def _keyword(self) -> type:
        named = self

        class NamedRef:
            """The :data:`NAMED_REF` keyword: valid against the named schema."""

            def __init__(self, parent: Any, value: Any, path: Any) -> None:
                self.name = value if isinstance(value, str) else ""

            def validate(self, instance: Any) -> None:
                if self.name in named and not named.is_valid(self.name, instance):
                    raise ValueError(f"not valid against {self.name}")

        return NamedRef


def _unescape(token: str) -> str:
    return token.replace("~1", "/").replace("~0", "~")


def _escape(token: str) -> str:
    return str(token).replace("~", "~0").replace("/", "~1")


def _shown(text: str, limit: int = 60) -> str:
    return repr(text if len(text) <= limit else text[:limit] + "…")
