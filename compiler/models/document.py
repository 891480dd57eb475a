"""The JSON Schema document models.py is generated from: one ``$defs`` entry
per named schema of the Api and per piece of each operation's input and
output, each under the class name it will have in models.py.

Names are decided here, once: every entry's key is already a unique
PascalCase Python identifier, so the generator has nothing to rename and the
hook types can name the classes it writes. References between schemas are
rewritten to those keys; a reference to anything else becomes ``{}`` (any
value), so that the generator reads nothing but this document.
"""

from __future__ import annotations

import builtins
import keyword
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from .. import ir
from ..naming import python_identifier

__all__ = ["HookTypes", "ModelsDocument", "build_document", "class_name"]

_DEFS_PREFIX = "#/$defs/"

RESERVED = (
    "Annotated",
    "Any",
    "Literal",
    "Mapping",
    "NotRequired",
    "Protocol",
    "Required",
    "TypeAlias",
    "TypedDict",
    "Reply",
    "GrpcError",
    "Model",
)
"""Names models.py imports or defines itself: no schema may take them."""

_ONE_REPLY = frozenset({ir.Shape.UNARY, ir.Shape.CLIENT_STREAM})

_DROPPED_KEYWORDS = frozenset({"$id", "$schema", "$anchor", "$dynamicRef", "$dynamicAnchor"})


@dataclass(frozen=True, kw_only=True)
class HookTypes:
    """The classes of models.py one operation's hook is typed with."""

    operation_id: str
    request: str
    """The Protocol class of the hook's ``request`` argument."""
    path: str | None
    query: str | None
    body: str
    output: str
    reply_body: str
    """The annotation of ``request.reply(body=...)``."""


@dataclass(frozen=True, kw_only=True)
class ModelsDocument:
    schema: dict[str, Any]
    """``{"$defs": {...}}``, keys in a stable order."""
    sources: Mapping[str, ir.Source | None]
    """Where each ``$defs`` entry comes from in the specs (for warnings)."""
    hooks: tuple[HookTypes, ...]


def class_name(text: str) -> str:
    """``routeguide.Point`` → ``RouteguidePoint``, ``showPetById`` → ``ShowPetById``."""
    words = [w for w in re.split(r"[^0-9A-Za-z]+", python_identifier(text, fallback="x")) if w]
    name = "".join(w[:1].upper() + w[1:] for w in words) or "X"
    return name if not name[0].isdigit() else "N" + name


class _Names:
    """Unique class names, compared case-insensitively."""

    def __init__(self) -> None:
        reserved = (*RESERVED, *dir(builtins), *keyword.kwlist)
        self._taken = {name.lower() for name in reserved}

    def allocate(self, wanted: str) -> str:
        name, counter = wanted, 2
        while name.lower() in self._taken:
            name, counter = f"{wanted}{counter}", counter + 1
        self._taken.add(name.lower())
        return name


def build_document(api: ir.Api) -> ModelsDocument:
    names = _Names()
    renamed = {named.name: names.allocate(class_name(named.name)) for named in api.schemas}
    defs: dict[str, Any] = {}
    sources: dict[str, ir.Source | None] = {}
    for named in api.schemas:
        key = renamed[named.name]
        defs[key] = _rewrite(named.schema, renamed)
        sources[key] = named.source
    hooks = []
    for operation in api.operations:
        base = class_name(operation.id)
        pieces = _operation_pieces(operation)
        keys: dict[str, str] = {}
        for piece, schema in pieces.items():
            key = names.allocate(base + piece)
            keys[piece] = key
            defs[key] = _rewrite(schema, renamed)
            sources[key] = operation.source
        request = names.allocate(base + "Request")
        hooks.append(
            HookTypes(
                operation_id=operation.id,
                request=request,
                path=keys.get("Path"),
                query=keys.get("Query", keys["Body"] if _query_is_body(operation) else None),
                body=keys["Body"],
                output=keys["Output"],
                reply_body=_reply_body(operation, keys["Output"]),
            )
        )
    return ModelsDocument(schema={"$defs": defs}, sources=sources, hooks=tuple(hooks))


def _operation_pieces(operation: ir.Operation) -> dict[str, Any]:
    """The schemas of one operation's hook: ``Path`` and ``Query`` (HTTP
    parameters), ``Body`` (the request body or message) and ``Output`` (any
    of its outputs' bodies)."""
    pieces: dict[str, Any] = {}
    binding = operation.binding
    if isinstance(binding, ir.HttpBinding):
        for location, piece in (
            (ir.ParameterLocation.PATH, "Path"),
            (ir.ParameterLocation.QUERY, "Query"),
        ):
            parameters = [p for p in binding.parameters if p.location == location]
            pieces[piece] = _object_of(parameters)
    message = operation.input or ir.Message()
    body = _any_of(_schemas(message.contents)) if message.contents else {"type": "null"}
    if message.contents and isinstance(binding, ir.HttpBinding) and not message.required:
        body = _any_of([body, {"type": "null"}])
    if operation.shape in (ir.Shape.CLIENT_STREAM, ir.Shape.BIDI):
        body = {"type": "array", "items": body}
    pieces["Body"] = body
    pieces["Output"] = _any_of(
        _schemas(content for output in operation.outputs for content in output.message.contents)
    )
    return pieces


def _query_is_body(operation: ir.Operation) -> bool:
    """GraphQL gives a field's arguments as ``request.query`` too."""
    return isinstance(operation.binding, ir.GraphqlBinding)


def _reply_body(operation: ir.Operation, output: str) -> str:
    """What ``request.reply(body=...)`` takes: an HTTP output's body, a gRPC
    reply message or status error; anything for GraphQL (a partial object,
    ``$error``) and streams."""
    if operation.shape not in _ONE_REPLY or isinstance(operation.binding, ir.GraphqlBinding):
        return "Any"
    if isinstance(operation.binding, ir.GrpcBinding):
        return f"{output} | GrpcError | None"
    return f"{output} | None"


def _object_of(parameters: Iterable[ir.Parameter]) -> dict[str, Any]:
    properties: dict[str, Any] = {}
    required: list[str] = []
    for parameter in parameters:
        properties[parameter.name] = parameter.schema if parameter.schema is not None else {}
        if parameter.required or parameter.location == ir.ParameterLocation.PATH:
            required.append(parameter.name)
    schema: dict[str, Any] = {"type": "object", "properties": properties}
    if required:
        schema["required"] = required
    return schema


def _schemas(contents: Iterable[ir.Content]) -> list[Any]:
    return [content.schema if content.schema is not None else {} for content in contents]


def _any_of(schemas: list[Any]) -> Any:
    unique: list[Any] = []
    for schema in schemas:
        if schema not in unique:
            unique.append(schema)
    if not unique:
        return {}
    if len(unique) == 1:
        return unique[0]
    if {} in unique or True in unique:
        return {}
    return {"anyOf": unique}


def _rewrite(schema: Any, renamed: Mapping[str, str]) -> Any:
    """``schema`` with its ``$defs`` references renamed; other references and
    the keywords that name documents dropped."""
    if isinstance(schema, list | tuple):
        return [_rewrite(item, renamed) for item in schema]
    if not isinstance(schema, Mapping):
        return schema
    result: dict[str, Any] = {}
    for key, value in schema.items():
        if key == "$ref" and isinstance(value, str):
            target = _defs_target(value, renamed)
            if target is not None:
                result[key] = _DEFS_PREFIX + target
        elif key in _DROPPED_KEYWORDS and isinstance(value, str):
            continue
        else:
            result[key] = _rewrite(value, renamed)
    return result


def _defs_target(ref: str, renamed: Mapping[str, str]) -> str | None:
    if not ref.startswith(_DEFS_PREFIX):
        return None
    name = ref[len(_DEFS_PREFIX) :].replace("~1", "/").replace("~0", "~")
    return renamed.get(name)
