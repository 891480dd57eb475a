"""Operations: one per method of every path item."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

from ... import ir
from ...naming import NameAllocator, python_identifier
from ..documents import Location
from .context import Context, json_value, kind_of_value, text
from .messages import outputs, request_body, swagger2_body
from .parameters import (
    SWAGGER2_BODY_LOCATIONS,
    ParameterObject,
    merge_parameters,
    parameter_objects,
    read_parameter,
)

METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
_TEMPLATE_NAME = re.compile(r"\{([^{}/]+)\}")


@dataclass(frozen=True)
class _Draft:
    """An operation read from the spec, before its id is allocated."""

    wanted_id: str
    declared_id: bool
    operation: ir.Operation


def read_operations(ctx: Context) -> tuple[ir.Operation, ...]:
    """Every operation of ``paths``, in spec order, with unique, stable ids.

    Declared ``operationId``s are allocated first, so an id derived from a
    method and path never takes a name the spec gave to another operation.
    """
    at = ctx.root.child("paths")
    paths = ctx.mapping(ctx.document.get("paths"), at, "paths")
    if not paths:
        return ()
    drafts: list[_Draft] = []
    for path, item in paths.items():
        if str(path).startswith("x-"):
            continue
        followed = ctx.followed_mapping(item, at.child(path), "a path item")
        if followed is not None:
            drafts.extend(_path_item(ctx, str(path), *followed))
    allocator = NameAllocator()
    ids: dict[int, str] = {}
    for declared in (True, False):
        for index, draft in enumerate(drafts):
            if draft.declared_id is declared:
                ids[index] = allocator.allocate(draft.wanted_id)
    return tuple(_with_id(draft.operation, ids[index]) for index, draft in enumerate(drafts))


def _with_id(operation: ir.Operation, operation_id: str) -> ir.Operation:
    return replace(operation, id=operation_id)


def _path_item(ctx: Context, path: str, item: Mapping[str, Any], at: Location) -> list[_Draft]:
    shared = parameter_objects(ctx, item.get("parameters"), at.child("parameters"))
    drafts: list[_Draft] = []
    for method in METHODS:
        if method not in item:
            continue
        followed = ctx.followed_mapping(item[method], at.child(method), "an operation")
        if followed is None:
            continue
        operation, here = followed
        draft = ctx.problems.guard(lambda: _operation(ctx, method, path, operation, here, shared))  # noqa: B023
        if draft is not None:
            drafts.append(draft)
    return drafts


def _operation(
    ctx: Context,
    method: str,
    path: str,
    operation: Mapping[str, Any],
    at: Location,
    shared: list[ParameterObject],
) -> _Draft:
    own = parameter_objects(ctx, operation.get("parameters"), at.child("parameters"))
    parameter_list = merge_parameters(shared, own)
    if ctx.is_swagger2:
        message = swagger2_body(ctx, parameter_list, _media_types(ctx, operation, "consumes"))
        parameter_list = [
            (value, where)
            for value, where in parameter_list
            if value.get("in") not in SWAGGER2_BODY_LOCATIONS
        ]
        produces = _media_types(ctx, operation, "produces")
    else:
        message = request_body(ctx, operation.get("requestBody"), at.child("requestBody"))
        produces = []
    parameters = [
        parameter
        for value, where in parameter_list
        if (parameter := read_parameter(ctx, value, where)) is not None
    ]
    parameters += _undeclared_path_parameters(ctx, path, parameters, at)
    declared = _operation_id(ctx, operation.get("operationId"), at.child("operationId"))
    declared_id = declared is not None and declared.strip() != ""
    wanted = python_identifier(declared if declared and declared_id else f"{method} {path}")
    built = ir.Operation(
        id=wanted,
        input=message,
        outputs=outputs(ctx, operation.get("responses"), at.child("responses"), produces),
        binding=ir.HttpBinding(
            method=method.upper(),
            path=path,
            parameters=tuple(parameters),
            security=_security(operation.get("security", ctx.document.get("security"))),
        ),
        summary=text(operation.get("summary")),
        description=text(operation.get("description")),
        tags=_tags(operation.get("tags")),
        deprecated=operation.get("deprecated") is True,
        source=ctx.source(at),
    )
    return _Draft(wanted_id=wanted, declared_id=declared_id, operation=built)


def _tags(value: Any) -> tuple[str, ...]:
    if not isinstance(value, list):
        return ()
    return tuple(
        str(tag) for tag in value if isinstance(tag, str | int) and not isinstance(tag, bool)
    )


def _operation_id(ctx: Context, value: Any, at: Location) -> str | None:
    """The declared ``operationId`` as text; a located error when it is not a string
    (numbers are taken as their text, with a warning)."""
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        ctx.warn(at, f"operationId should be a string, not the number {value!r}")
        return str(value)
    ctx.problems.error(at, f"operationId must be a string, not {kind_of_value(value)}")
    return None


def _media_types(ctx: Context, operation: Mapping[str, Any], key: str) -> list[str]:
    """Swagger 2.0 ``consumes``/``produces`` of the operation, else of the document."""
    value = operation.get(key, ctx.document.get(key))
    if not isinstance(value, list):
        return []
    return [str(item) for item in value if isinstance(item, str) and item]


def _undeclared_path_parameters(
    ctx: Context, path: str, parameters: list[ir.Parameter], at: Location
) -> list[ir.Parameter]:
    """Parameters for ``{names}`` in the path template that no parameter declares."""
    declared = {p.name for p in parameters if p.location is ir.ParameterLocation.PATH}
    missing: list[ir.Parameter] = []
    for name in dict.fromkeys(_TEMPLATE_NAME.findall(path)):
        if name not in declared:
            ctx.warn(at, f"path parameter {name!r} is not declared; read as a string")
            missing.append(
                ir.Parameter(
                    name=name,
                    location=ir.ParameterLocation.PATH,
                    schema=json_value({"type": "string"}),
                    required=True,
                    source=ctx.source(at),
                )
            )
    return missing


def _security(value: Any) -> tuple[Mapping[str, ir.JsonValue], ...]:
    if not isinstance(value, list):
        return ()
    return tuple(
        json_value(item)  # type: ignore[misc]
        for item in value
        if isinstance(item, Mapping)
    )
