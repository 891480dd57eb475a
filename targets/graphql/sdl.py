"""The schema a generated GraphQL server serves, printed as SDL from the IR.

The IR keeps GraphQL types as JSON Schema with ``x-graphql`` annotations
(docs/ir.md, gap 10) and the root operation types and custom directives in
``Api.extensions["x-graphql"]``; this module prints them back. Spec text
(descriptions, deprecation reasons, defaults) reaches the SDL only through
GraphQL's own string printer.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from graphql import StringValueNode, print_ast
from graphql.language.block_string import is_printable_as_block_string

from mockc.compiler import ir

__all__ = ["DEFAULT_DEPRECATION", "graphql_annotation", "print_sdl"]

DEFAULT_DEPRECATION = "No longer supported"
_DEFAULT_ROOTS = {"query": "Query", "mutation": "Mutation", "subscription": "Subscription"}


def graphql_annotation(api: ir.Api) -> Mapping[str, Any]:
    """``Api.extensions["x-graphql"]``: root operation types and custom directives."""
    extensions = ir.thaw(api.extensions) if api.extensions is not None else {}
    found = extensions.get("x-graphql") if isinstance(extensions, dict) else None
    return found if isinstance(found, dict) else {}


def print_sdl(api: ir.Api) -> str:
    """The SDL of ``api``'s GraphQL schema (types in the order of ``api.schemas``)."""
    annotation = graphql_annotation(api)
    blocks = []
    roots: dict[str, str] = dict(annotation.get("operations") or {})
    if api.description or any(_DEFAULT_ROOTS[op] != name for op, name in roots.items()):
        operations = "".join(f"  {op}: {name}\n" for op, name in roots.items())
        blocks.append(_description(api.description or None) + "schema {\n" + operations + "}")
    for directive in annotation.get("directives") or ():
        blocks.append(_directive(directive))
    for named in api.schemas:
        schema = ir.thaw(named.schema)
        if isinstance(schema, dict) and isinstance(schema.get("x-graphql"), dict):
            blocks.append(_type(named.name, schema))
    return "\n\n".join(blocks) + "\n"


def _type(name: str, schema: dict[str, Any]) -> str:
    annotation = schema["x-graphql"]
    kind = annotation.get("kind")
    head = _description(schema.get("description"))
    if kind in ("OBJECT", "INTERFACE"):
        keyword = "type" if kind == "OBJECT" else "interface"
        implements = annotation.get("implements") or []
        head += f"{keyword} {name}" + (
            f" implements {' & '.join(implements)}" if implements else ""
        )
        return head + _fields(schema.get("properties") or {})
    if kind == "INPUT_OBJECT":
        head += f"input {name}" + (" @oneOf" if annotation.get("oneOf") else "")
        return head + _input_fields(schema.get("properties") or {})
    if kind == "UNION":
        members = [_ref_name(branch) for branch in schema.get("anyOf") or ()]
        return head + f"union {name}" + (f" = {' | '.join(members)}" if members else "")
    if kind == "ENUM":
        details = annotation.get("values") or {}
        lines = []
        for index, value in enumerate(schema.get("enum") or ()):
            about = details.get(value) or {}
            lines.append(
                _description(about.get("description"), "  ", first=index == 0)
                + f"  {value}{_deprecated(about)}"
            )
        return head + f"enum {name}" + _block(lines)
    url = annotation.get("specifiedBy")
    specified = f" @specifiedBy(url: {_string(url)})" if isinstance(url, str) else ""
    return head + f"scalar {name}{specified}"


def _fields(properties: Mapping[str, Any]) -> str:
    lines = []
    for index, (name, field) in enumerate(properties.items()):
        args = _arguments((field.get("x-graphql-args") or {}).get("properties") or {}, "  ")
        lines.append(
            _description(field.get("description"), "  ", first=index == 0)
            + f"  {name}{args}: {field['x-graphql-type']}{_deprecated(field)}"
        )
    return _block(lines)


def _input_fields(properties: Mapping[str, Any]) -> str:
    return _block(
        [
            _description(value.get("description"), "  ", first=index == 0)
            + f"  {_input_value(name, value)}"
            for index, (name, value) in enumerate(properties.items())
        ]
    )


def _arguments(arguments: Mapping[str, Any], indentation: str) -> str:
    if not arguments:
        return ""
    if not any(value.get("description") is not None for value in arguments.values()):
        return "(" + ", ".join(_input_value(n, v) for n, v in arguments.items()) + ")"
    inner = indentation + "  "
    lines = [
        _description(value.get("description"), inner, first=index == 0)
        + inner
        + _input_value(name, value)
        for index, (name, value) in enumerate(arguments.items())
    ]
    return "(\n" + "\n".join(lines) + "\n" + indentation + ")"


def _input_value(name: str, value: Mapping[str, Any]) -> str:
    text = f"{name}: {value['x-graphql-type']}"
    default = value.get("x-graphql-default")
    if isinstance(default, str):
        text += f" = {default}"
    return text + _deprecated(value)


def _directive(directive: Mapping[str, Any]) -> str:
    arguments = _arguments((directive.get("args") or {}).get("properties") or {}, "")
    repeatable = " repeatable" if directive.get("repeatable") else ""
    locations = " | ".join(directive.get("locations") or ())
    return (
        _description(directive.get("description"))
        + f"directive @{directive['name']}{arguments}{repeatable} on {locations}"
    )


def _deprecated(element: Mapping[str, Any]) -> str:
    reason = element.get("x-graphql-deprecated")
    if not isinstance(reason, str):
        return ""
    if reason == DEFAULT_DEPRECATION:
        return " @deprecated"
    return f" @deprecated(reason: {_string(reason)})"


def _description(text: Any, indentation: str = "", *, first: bool = True) -> str:
    if not isinstance(text, str):
        return ""
    node = StringValueNode(value=text, block=is_printable_as_block_string(text))
    prefix = "\n" + indentation if indentation and not first else indentation
    return prefix + print_ast(node).replace("\n", "\n" + indentation) + "\n"


def _string(text: str) -> str:
    return print_ast(StringValueNode(value=text, block=False))


def _block(lines: list[str]) -> str:
    return " {\n" + "\n".join(lines) + "\n}" if lines else ""


def _ref_name(schema: Mapping[str, Any]) -> str:
    ref = schema.get("$ref", "")
    return str(ref).removeprefix(ir.SCHEMA_REF_PREFIX)
