"""Reading GraphQL schema files into one validated graphql-core schema.

SDL files are parsed one by one (each keeps its own name, so every location
points into the right file) and merged into one document, so that ``extend
type`` in one file extends a type of another. An introspection result (the
``__schema`` JSON many teams export) is read with ``build_client_schema``; SDL
files given with it extend it. Problems become located diagnostics: syntax
and SDL errors stop the run, a few faults found in published schemas are
repaired with a warning (see :func:`_repairable`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from graphql import (
    DocumentNode,
    GraphQLError,
    GraphQLSchema,
    GraphQLSyntaxError,
    build_ast_schema,
    build_client_schema,
    extend_schema,
    parse,
    validate_schema,
)
from graphql.language import (
    DefinitionNode,
    DirectiveNode,
    ExecutableDefinitionNode,
    FieldDefinitionNode,
    InputValueDefinitionNode,
    ListTypeNode,
    Node,
    NonNullTypeNode,
    NullValueNode,
    Source,
    StringValueNode,
    TypeSystemDefinitionNode,
    TypeSystemExtensionNode,
    Visitor,
    print_ast,
    visit,
)
from graphql.validation.validate import validate_sdl

from ...errors import Diagnostic, SpecError
from ..documents import DocumentStore, Location

__all__ = ["ReadSchema", "is_introspection_text", "read_schema"]

_UNNAMED_SOURCE = "GraphQL request"
"""graphql-core's name of text parsed without a file name."""
_INTROSPECTION = re.compile(r'"__schema"\s*:')
_COMMENTS = re.compile(r"#[^\n\r]*")
_DUPLICATE_FIELD = re.compile(r"^Field '(\w+)\.(\w+)' can only be defined once\.$")


def is_introspection_text(text: str) -> bool:
    """Whether ``text`` (the head of a file) is an introspection result in JSON."""
    return text.lstrip().startswith("{") and bool(_INTROSPECTION.search(text))


@dataclass(kw_only=True)
class ReadSchema:
    """The schema, the files it was read from, and where its introspection part is."""

    schema: GraphQLSchema
    sources: tuple[str, ...]
    introspection_file: str | None = None
    """The introspection file, when the schema (or its base) came from one."""
    introspection_root: str = ""
    """JSON pointer of the ``__schema`` object in that file (``/data/__schema``)."""
    type_indexes: dict[str, int] = field(default_factory=dict)
    """Type name → its index under ``types`` of the introspection result."""
    introspection_types: list[Any] = field(default_factory=list)
    """The ``types`` list of the introspection result, as read."""


def read_schema(paths: Sequence[Path], warnings: list[Diagnostic]) -> ReadSchema:
    """One schema from ``paths``; raises SpecError listing every fault found."""
    documents: list[DocumentNode] = []
    introspections: list[tuple[str, Any]] = []
    errors: list[Diagnostic] = []
    for path in paths:
        name = str(path)
        text = _read_text(path)
        if is_introspection_text(text[:65536]):
            introspections.append((name, _read_json(name)))
            continue
        if not _COMMENTS.sub("", text).strip():
            warnings.append(
                Diagnostic(file=name, level="warning", message="the file has no definitions")
            )
            continue
        try:
            documents.append(parse(Source(text, name)))
        except GraphQLSyntaxError as error:
            errors.append(_diagnostic(error, name))
    if errors:
        raise SpecError(errors)
    if len(introspections) > 1:
        raise SpecError(
            [
                Diagnostic(
                    file=name,
                    message="only one introspection result can be read at a time "
                    "(SDL files may extend it)",
                )
                for name, _ in introspections[1:]
            ]
        )
    definitions = _type_system_definitions(documents)
    document = DocumentNode(definitions=tuple(definitions))
    sources = tuple(str(path) for path in paths)
    if introspections:
        name, data = introspections[0]
        return _from_introspection(name, data, document, sources, warnings)
    if not definitions:
        raise SpecError(
            Diagnostic(file=str(paths[0]), message="no type definitions: the schema is empty")
        )
    document = _checked_sdl(document, warnings)
    _check_built_in_directive_values(document)
    _check_sdl_wrapping(document)
    try:
        schema = build_ast_schema(document, assume_valid_sdl=True)
    except GraphQLError as error:
        # A value SDL validation lets through (``@deprecated(reason: 5)``) fails
        # when the types are built; the error still points at the value.
        raise SpecError(_error_diagnostic(error, str(paths[0]))) from None
    _check_schema(schema, warnings, fallback_file=str(paths[0]))
    return ReadSchema(schema=schema, sources=sources)


def _read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise SpecError(Diagnostic(file=str(path), message="no such file")) from None
    except (OSError, UnicodeDecodeError) as error:
        reason = error.strerror if isinstance(error, OSError) and error.strerror else error
        raise SpecError(Diagnostic(file=str(path), message=f"cannot read file: {reason}")) from None


def _read_json(name: str) -> Any:
    store = DocumentStore()
    root = store.load_entry(Path(name))
    return store.data(root.doc)


def _type_system_definitions(documents: Iterable[DocumentNode]) -> list[DefinitionNode]:
    """Every definition of ``documents``; an operation or fragment is an error."""
    definitions: list[DefinitionNode] = []
    errors: list[Diagnostic] = []
    for document in documents:
        for definition in document.definitions:
            if isinstance(definition, TypeSystemDefinitionNode | TypeSystemExtensionNode):
                definitions.append(definition)
            elif isinstance(definition, ExecutableDefinitionNode):
                errors.append(
                    _node_diagnostic(
                        definition,
                        "a schema file holds type definitions, not operations or fragments "
                        f"({definition.kind.replace('_', ' ')})",
                    )
                )
    if errors:
        raise SpecError(errors)
    return definitions


def _checked_sdl(document: DocumentNode, warnings: list[Diagnostic]) -> DocumentNode:
    """``document`` after SDL validation, with repairable faults repaired."""
    dropped: set[int] = set()
    errors: list[Diagnostic] = []
    for error in validate_sdl(document):
        nodes = list(error.nodes or ())
        if _DUPLICATE_FIELD.match(error.message) and len(nodes) >= 2:
            first = nodes[0]
            for node in nodes[1:]:
                dropped.add(id(node))
                warnings.append(
                    _node_diagnostic(
                        node,
                        f"{error.message[:-1]}; the definition at line {_line(first)} is used "
                        "and this one is ignored",
                        level="warning",
                    )
                )
            continue
        errors.append(_error_diagnostic(error))
    if errors:
        raise SpecError(errors)
    if not dropped:
        return document
    return DocumentNode(definitions=tuple(_without(d, dropped) for d in document.definitions))


def _without(definition: DefinitionNode, dropped: set[int]) -> DefinitionNode:
    fields = getattr(definition, "fields", None)
    if not fields or not any(id(node) in dropped for node in fields):
        return definition
    kept = tuple(node for node in fields if id(node) not in dropped)
    return type(definition)(**{**_node_kwargs(definition), "fields": kept})


_STRING_ARGUMENTS = {"deprecated": ("reason", True), "specifiedBy": ("url", False)}
"""Built-in directives whose argument the schema builder reads: (name, nullable)."""


def _check_built_in_directive_values(document: DocumentNode) -> None:
    """``@deprecated(reason:)`` and ``@specifiedBy(url:)`` take text: SDL validation
    does not check applied values, and the schema builder fails on them without a
    location, so they are checked here, where the node is known."""
    errors: list[Diagnostic] = []

    class Checker(Visitor):
        def enter_directive(self, node: DirectiveNode, *_: Any) -> None:
            expected = _STRING_ARGUMENTS.get(node.name.value)
            if expected is None:
                return
            name, nullable = expected
            for argument in node.arguments or ():
                value = argument.value
                if argument.name.value != name or isinstance(value, StringValueNode):
                    continue
                if nullable and isinstance(value, NullValueNode):
                    continue
                errors.append(
                    _node_diagnostic(
                        value,
                        f"@{node.name.value}({name}:) takes a String, not {print_ast(value)}",
                    )
                )

    visit(document, Checker())
    if errors:
        raise SpecError(errors)


def _node_kwargs(node: Node) -> dict[str, Any]:
    return {key: getattr(node, key) for key in node.keys}


def _check_schema(
    schema: GraphQLSchema,
    warnings: list[Diagnostic],
    *,
    fallback_file: str,
    fallback_pointer: str | None = None,
) -> None:
    errors = []
    for error in validate_schema(schema):
        diagnostic = _error_diagnostic(error, fallback_file, fallback_pointer)
        if _repairable(error):
            warnings.append(
                Diagnostic(
                    file=diagnostic.file,
                    pointer=diagnostic.pointer,
                    line=diagnostic.line,
                    column=diagnostic.column,
                    level="warning",
                    message=f"{error.message} (served as written)",
                )
            )
        else:
            errors.append(diagnostic)
    if errors:
        raise SpecError(errors)


def _repairable(error: GraphQLError) -> bool:
    """Faults of published schemas that do not stop a mock from serving them.

    GraphQL.js 17 (graphql-core 3.3) requires an implementation field to be
    deprecated only when the interface field is; GitHub's schema predates the
    rule. Serving it as written answers exactly what the real API answers.
    """
    return "is not deprecated, so implementation field" in error.message


def _from_introspection(
    name: str,
    data: Any,
    extensions: DocumentNode,
    sources: tuple[str, ...],
    warnings: list[Diagnostic],
) -> ReadSchema:
    root = Location(name)
    result = data
    if isinstance(result, dict) and isinstance(result.get("data"), dict):
        result, root = result["data"], root.child("data")
    if not isinstance(result, dict) or not isinstance(result.get("__schema"), dict):
        raise SpecError(
            Diagnostic(
                file=name,
                pointer=root.pointer,
                message="an introspection result needs a '__schema' object (or data.__schema)",
            )
        )
    _check_wrapping(result["__schema"], name, root.child("__schema"))
    _check_nesting(result["__schema"], name, root.child("__schema"))
    try:
        schema = build_client_schema(result)  # type: ignore[arg-type]
        for type_ in schema.type_map.values():  # fields are built lazily: build them now
            _build_fields(type_)
    except (GraphQLError, TypeError, KeyError, ValueError, AttributeError) as error:
        raise SpecError(
            Diagnostic(
                file=name,
                pointer=root.child("__schema").pointer,
                message=f"not a valid introspection result: {_reason(error)}",
            )
        ) from None
    if extensions.definitions:
        try:
            schema = extend_schema(schema, extensions)
        except (GraphQLError, TypeError) as error:
            if isinstance(error, GraphQLError) and error.nodes:
                raise SpecError(_error_diagnostic(error)) from None
            raise SpecError(
                Diagnostic(file=sources[-1], message=f"cannot extend the schema: {error}")
            ) from None
    _check_schema(
        schema, warnings, fallback_file=name, fallback_pointer=root.child("__schema").pointer
    )
    types = result["__schema"].get("types") or []
    indexes = {
        item["name"]: index
        for index, item in enumerate(types)
        if isinstance(item, dict) and isinstance(item.get("name"), str)
    }
    return ReadSchema(
        schema=schema,
        sources=sources,
        introspection_file=name,
        introspection_root=root.child("__schema").pointer,
        type_indexes=indexes,
        introspection_types=types,
    )


MAX_TYPE_WRAPPERS = 64
"""Most ``LIST``/``NON_NULL`` wrappers around one type reference in an
introspection result (real schemas use three or four; SDL is bounded by its
parser's nesting limit)."""


MAX_JSON_DEPTH = 128
"""Deepest nesting of an introspection result (real ones nest about 15 levels)."""


def _check_nesting(value: Any, file: str, root: Location) -> None:
    """Refuse JSON nested deeper than :data:`MAX_JSON_DEPTH` (walked without recursion)."""
    pending: list[tuple[Any, Location, int]] = [(value, root, 0)]
    while pending:
        item, place, depth = pending.pop()
        if depth > MAX_JSON_DEPTH:
            raise SpecError(
                Diagnostic(
                    file=file,
                    pointer=place.pointer,
                    message="the introspection result is nested deeper than "
                    f"{MAX_JSON_DEPTH} levels",
                )
            )
        if isinstance(item, dict):
            pending.extend((member, place.child(key), depth + 1) for key, member in item.items())
        elif isinstance(item, list):
            pending.extend(
                (member, place.child(index), depth + 1) for index, member in enumerate(item)
            )


def _check_wrapping(schema: Any, file: str, root: Location) -> None:
    """Refuse type references wrapped deeper than :data:`MAX_TYPE_WRAPPERS`,
    before anything recurses through them, naming the first one found."""
    types = schema.get("types")
    if not isinstance(types, list):
        return
    for type_index, item in enumerate(types):
        if not isinstance(item, dict):
            continue
        for group in ("fields", "inputFields"):
            members = item.get(group)
            if not isinstance(members, list):
                continue
            for index, member in enumerate(members):
                if not isinstance(member, dict):
                    continue
                place = root.child("types").child(type_index).child(group).child(index)
                _check_reference(member.get("type"), file, place.child("type"))
                arguments = member.get("args")
                if isinstance(arguments, list):
                    for arg_index, argument in enumerate(arguments):
                        if isinstance(argument, dict):
                            where = place.child("args").child(arg_index).child("type")
                            _check_reference(argument.get("type"), file, where)


def _check_sdl_wrapping(document: DocumentNode) -> None:
    """The SDL form of :func:`_check_wrapping`: ``[[[…String…]]]`` on a field or argument."""
    errors: list[Diagnostic] = []

    class Checker(Visitor):
        def enter(self, node: Node, *_: Any) -> Any:
            if not isinstance(node, FieldDefinitionNode | InputValueDefinitionNode):
                return None
            depth, reference = 0, node.type
            while isinstance(reference, ListTypeNode | NonNullTypeNode):
                depth, reference = depth + 1, reference.type
            if depth > MAX_TYPE_WRAPPERS:
                errors.append(
                    _node_diagnostic(
                        node,
                        f"the type is wrapped in more than {MAX_TYPE_WRAPPERS} "
                        "list/non-null levels",
                    )
                )
            return None

    visit(document, Checker())
    if errors:
        raise SpecError(errors)


def _check_reference(reference: Any, file: str, place: Location) -> None:
    depth = 0
    while isinstance(reference, dict) and reference.get("kind") in ("LIST", "NON_NULL"):
        depth += 1
        if depth > MAX_TYPE_WRAPPERS:
            raise SpecError(
                Diagnostic(
                    file=file,
                    pointer=place.pointer,
                    message=f"the type is wrapped in more than {MAX_TYPE_WRAPPERS} "
                    "LIST/NON_NULL levels",
                )
            )
        reference = reference.get("ofType")


def _build_fields(type_: Any) -> None:
    for group in ("fields", "interfaces", "types"):
        if hasattr(type_, group):
            getattr(type_, group)


def _reason(error: Exception) -> str:
    if isinstance(error, GraphQLError | KeyError | ValueError):
        return str(error)
    # graphql-core reads the introspection result as typed dicts; a value of the
    # wrong JSON type surfaces as an AttributeError/TypeError about Python types.
    return f"a value has the wrong JSON type ({error})"


# -- locations -----------------------------------------------------------------


def node_location(node: Node | None) -> tuple[str, int, int] | None:
    """(file, line, column) of ``node``'s name (else its start), when it has one."""
    if node is None or node.loc is None:
        return None
    name = getattr(node, "name", None)
    loc = name.loc if name is not None and name.loc is not None else node.loc
    token = loc.start_token  # tokens know their line and column: no rescan of the text
    return loc.source.name, token.line, token.column


def _line(node: Node) -> int | None:
    found = node_location(node)
    return found[1] if found else None


def _node_diagnostic(node: Node, message: str, *, level: str = "error") -> Diagnostic:
    found = node_location(node)
    if found is None:
        return Diagnostic(message=message, level=level)
    file, line, column = found
    return Diagnostic(file=file, line=line, column=column, message=message, level=level)


def _error_diagnostic(
    error: GraphQLError, fallback_file: str = "", fallback_pointer: str | None = None
) -> Diagnostic:
    # nodes parsed from an introspection result's text (default values) are not in a file
    nodes = [
        node
        for node in error.nodes or ()
        if node.loc is not None and node.loc.source.name != _UNNAMED_SOURCE
    ]
    if nodes:
        repeated = "only be defined once" in error.message or "only one" in error.message
        node = nodes[-1] if repeated else nodes[0]  # a repeat: point at the second one
        found = node_location(node)
        if found is not None:
            file, line, column = found
            return Diagnostic(file=file, line=line, column=column, message=error.message)
    return Diagnostic(file=fallback_file, pointer=fallback_pointer, message=error.message)


def _diagnostic(error: GraphQLSyntaxError, file: str) -> Diagnostic:
    location = error.locations[0] if error.locations else None
    message = error.message.removeprefix("Syntax Error: ")
    return Diagnostic(
        file=file,
        line=location.line if location else None,
        column=location.column if location else None,
        message=f"syntax error: {message}",
    )
