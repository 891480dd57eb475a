"""Minimal valid arguments of a suds method, built from suds' own view of its
types (the schema objects it marshals from)."""

from __future__ import annotations

from typing import Any

from suds.xsd.sxbasic import Choice, Enumeration, Restriction

XSD = "http://www.w3.org/2001/XMLSchema"
BUILTINS: dict[str, str] = {
    "boolean": "true",
    "int": "1",
    "integer": "1",
    "long": "1",
    "short": "1",
    "byte": "1",
    "unsignedInt": "1",
    "unsignedShort": "1",
    "unsignedLong": "1",
    "unsignedByte": "1",
    "positiveInteger": "1",
    "nonNegativeInteger": "1",
    "decimal": "1.5",
    "double": "1.5",
    "float": "1.5",
    "dateTime": "2026-01-02T03:04:05",
    "date": "2026-01-02",
    "time": "03:04:05",
    "duration": "PT1S",
    "base64Binary": "bW9ja2M=",
    "hexBinary": "6d6f636b63",
    "anyURI": "http://example.com/",
    "QName": "xsd:string",
}
"""A valid lexical value of each XSD builtin that is not free text."""
DEPTH = 8


def minimal_suds_arguments(method: Any) -> dict[str, Any]:
    """Keyword arguments of a suds ``Method``: every required parameter with
    a valid value of its type."""
    arguments: dict[str, Any] = {}
    for definition in method.binding.input.param_defs(method):
        name, element = definition[0], definition[1]
        ancestry = definition[2] if len(definition) > 2 else []
        if element.required() and _on_first_branches(element, ancestry):
            arguments[name] = _value(element, 0)
    return arguments


def _on_first_branches(child: Any, ancestry: list[Any]) -> bool:
    """Whether every choice above ``child`` is entered by its first branch."""
    path = [*ancestry, child]
    for parent, below in zip(path, path[1:], strict=False):
        if isinstance(parent, Choice) and parent.rawchildren and parent.rawchildren[0] is not below:
            return False
    return True


def _value(element: Any, depth: int) -> Any:
    resolved = element.resolve()
    if resolved.builtin():
        return BUILTINS.get(resolved.name, "x")
    if resolved.enum():
        return next(child.name for child, _ in resolved if isinstance(child, Enumeration))
    members = [(child, ancestry) for child, ancestry in resolved]
    if not members and not _is_complex(resolved):
        return _restricted(resolved)
    if depth >= DEPTH:
        return {}
    value: dict[str, Any] = {}
    for child, ancestry in members:
        if not child.required() or not _on_first_branches(child, ancestry):
            continue
        key = f"_{child.name}" if child.isattr() else child.name
        value[key] = _value(child, depth + 1)
    return value


def _is_complex(resolved: Any) -> bool:
    return type(resolved).__name__ == "Complex"


def _restricted(resolved: Any) -> str:
    """A simple type restricting another: a valid value of its builtin base."""
    for raw in resolved.rawchildren:
        if isinstance(raw, Restriction) and raw.ref is not None:
            name, namespace = raw.ref
            if namespace == XSD:
                return BUILTINS.get(name, "x")
    return "x"
