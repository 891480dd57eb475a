"""Checking a document against :data:`~.schema.MOCK_SCHEMA`, in words a person reads.

The validator reports keyword failures; each becomes one sentence placed at
the offending node (at the key itself for an unknown key). When a value may
take several forms (``anyOf``), the form whose type fits the value explains
the failure; when none fits, the forms are listed.
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from typing import Any, NamedTuple

import jsonschema_rs

from .schema import MOCK_SCHEMA
from .source import DocPath, Position, SourceDocument, format_path

__all__ = ["SchemaProblem", "schema_problems"]

_validator: Any = None

_TYPE_WORDS = {
    "integer": "an integer",
    "number": "a number",
    "string": "text",
    "boolean": "true or false",
    "object": "a mapping",
    "array": "a list",
    "null": "null",
}

Found = tuple[Position, str]
MAX_SCHEMA_PROBLEMS = 20
"""Schema problems explained per file; a file with more is hopeless anyway."""


class SchemaProblem(NamedTuple):
    path: DocPath
    """The value that is wrong (for an unknown key: the mapping holding it)."""
    position: Position
    message: str
    blocking: bool
    """False when the value can still be read (an unknown key beside valid ones,
    a problem of the document as a whole)."""


def schema_problems(document: SourceDocument) -> list[SchemaProblem]:
    """Every schema violation of ``document``, in file order."""
    global _validator
    if _validator is None:
        _validator = jsonschema_rs.validator_for(MOCK_SCHEMA)
    if _validator.is_valid(document.data):
        return []
    found: dict[tuple[Position, str], SchemaProblem] = {}
    for error in _validator.iter_errors(document.data):
        if len(found) >= MAX_SCHEMA_PROBLEMS:
            break
        path = tuple(error.instance_path)
        blocking = bool(path) and type(error.kind).__name__ != "AdditionalProperties"
        for position, message in _explain(error, document):
            problem = SchemaProblem(path, position, message, blocking)
            found.setdefault((position, message), problem)
    return [found[key] for key in sorted(found)][:MAX_SCHEMA_PROBLEMS]


def _explain(error: Any, document: SourceDocument) -> list[Found]:
    kind = error.kind
    name = type(kind).__name__
    path: DocPath = tuple(error.instance_path)
    where = format_path(path)
    at = document.value_at(path)
    instance = error.instance
    schema_path = list(error.schema_path)
    if name in ("AnyOf", "OneOfNotValid"):
        return _explain_alternatives(error, document)
    if name == "OneOfMultipleValid":
        present = [key for key in _required_names(schema_path) if key in (instance or {})]
        return [(at, f"{_joined(present)} exclude each other; keep one")]
    if name == "AdditionalProperties":
        allowed = sorted(_subschema(schema_path[:-1]).get("properties", {}))
        return [
            (document.key_at((*path, key)), _unknown_key(key, where, allowed))
            for key in kind.unexpected[:MAX_SCHEMA_PROBLEMS]
        ]
    if name == "Required":
        if schema_path and schema_path[-1] == "dependentRequired":
            rules = _subschema(schema_path)
            needing = [
                key
                for key, needed in rules.items()
                if key in (instance or {}) and kind.property in needed
            ]
            return [
                (document.key_at((*path, key)), f"'{key}' needs '{kind.property}'")
                for key in needing
            ]
        return [(at, f"{where}: '{kind.property}' is missing")]
    if name == "Type":
        declared = _subschema(schema_path[:-1]).get("type")
        types: list[str] = declared if isinstance(declared, list) else list(kind.types)
        expected = " or ".join(_TYPE_WORDS.get(t, str(t)) for t in types)
        return [(at, f"{where} must be {expected}, found {_describe(instance)}")]
    if name == "Enum":
        options = ", ".join(str(option) for option in kind.options)
        return [(at, f"{where} must be one of {options}, found {_describe(instance)}")]
    if name == "Not":
        excluded = _subschema(schema_path).get("required", [])
        return [(at, f"{where}: {_joined(excluded)} exclude each other; keep one")]
    if name == "Pattern":
        hint = _subschema(schema_path[:-1]).get("x-hint") or f"it must match {kind.pattern}"
        return [(at, f"{where} {_describe(instance)} is not valid: {hint}")]
    if name in ("MinItems", "MinProperties") or (name == "MinLength" and kind.limit == 1):
        return [(at, f"{where} must not be empty")]
    limits = {
        "Minimum": "at least",
        "Maximum": "at most",
        "ExclusiveMinimum": "more than",
        "ExclusiveMaximum": "less than",
    }
    if name in limits:
        return [(at, f"{where} must be {limits[name]} {kind.limit}, found {instance}")]
    if name == "MaxLength":
        return [(at, f"{where} must be at most {kind.limit} characters long")]
    if name == "MinLength":
        return [(at, f"{where} must be at least {kind.limit} characters long")]
    return [(at, f"{where}: {error.message}")]


def _explain_alternatives(error: Any, document: SourceDocument) -> list[Found]:
    path = tuple(error.instance_path)
    branches: list[list[Any]] = list(error.kind.context)
    at = document.value_at(path)
    if branches and all(
        branch and all(type(e.kind).__name__ == "Required" for e in branch) for branch in branches
    ):
        names = _required_names(list(error.schema_path))
        return [(at, f"{format_path(path)} needs one of {_joined(names, 'or')}")]
    fitting = [branch for branch in branches if not _type_mismatch(branch, path)]
    if not fitting:
        forms = [
            str(option.get("title") or option.get("type") or "a value")
            for option in _subschema(list(error.schema_path))
            if isinstance(option, dict)
        ]
        where = format_path(path)
        return [(at, f"{where} must be {' or '.join(forms)}, found {_describe(error.instance)}")]
    best = min(fitting, key=len)
    found: list[Found] = []
    for inner in best:
        found.extend(_explain(inner, document))
    return found


def _type_mismatch(branch: Sequence[Any], path: DocPath) -> bool:
    return any(type(e.kind).__name__ == "Type" and tuple(e.instance_path) == path for e in branch)


def _subschema(schema_path: Sequence[str | int]) -> Any:
    node: Any = MOCK_SCHEMA
    for part in schema_path:
        if isinstance(node, dict) and "$ref" in node and part not in node:
            node = _resolve(node["$ref"])
        try:
            node = node[part]
        except (KeyError, IndexError, TypeError):
            return {}
    if isinstance(node, dict) and "$ref" in node:
        node = _resolve(node["$ref"])
    return node


def _resolve(reference: str) -> Any:
    node: Any = MOCK_SCHEMA
    for part in reference.removeprefix("#/").split("/"):
        node = node[part]
    return node


def _required_names(schema_path: Sequence[str | int]) -> list[str]:
    names: list[str] = []
    for option in _subschema(schema_path):
        if isinstance(option, dict):
            names.extend(option.get("required", []))
    return names


def _unknown_key(key: str, where: str, allowed: list[str]) -> str:
    place = "" if where == "the mock" else f" in {where}"
    close = difflib.get_close_matches(key, allowed, n=1, cutoff=0.6)
    if close:
        return f"unknown key '{key}'{place}; did you mean '{close[0]}'?"
    return f"unknown key '{key}'{place}; expected one of {', '.join(allowed)}"


def _joined(names: Sequence[str], word: str = "and") -> str:
    quoted = [f"'{name}'" for name in names]
    if len(quoted) <= 1:
        return "".join(quoted)
    return ", ".join(quoted[:-1]) + f" {word} " + quoted[-1]


def _describe(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "null"
    if isinstance(value, str):
        shown = value if len(value) <= 40 else value[:39] + "…"
        return f"text {shown!r}"
    if isinstance(value, int | float):
        return f"the number {value}"
    if isinstance(value, list):
        return "a list"
    return "a mapping"
