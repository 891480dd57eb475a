"""HTTP operations as MCP tools: the pass that lets ``--target mcp`` serve an
OpenAPI document (``mockc generate openapi.yaml --target mcp``).

Each operation with an HTTP binding becomes a tool, the same operation (same
id, same mocks) seen through MCP: its primary binding an ``McpBinding`` (the
HTTP binding kept among the alternates, saying where each argument goes),
its input the tool's arguments, its outputs MCP's ``result`` and ``isError``.

- name: the operation's id (its ``operationId``, made an identifier, else
  its method and path); title: its summary; description: its description,
  else its summary;
- arguments: one per parameter (path, query, header, cookie), named after it
  (``<location>_<name>`` when two locations share a name), and ``body`` for
  the request body (``request_body`` when a parameter is named ``body``);
- ``result``: the success response (the lowest 2xx, else ``default``) —
  its JSON schema as ``outputSchema``, wrapped as ``{"result": …}`` when it is
  not an object (MCP's structured content is an object), its examples kept;
  a response without JSON is text;
- hints from the method: GET, HEAD and OPTIONS read only and idempotent;
  PUT idempotent and destructive; DELETE destructive and idempotent; POST
  and PATCH neither.

Schemas keep their references to the Api's named schemas; the server lists
each one self-contained (``runtime/mcp/schemas.py``).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any

from mockc.compiler import ir
from mockc.compiler.errors import Diagnostic

__all__ = ["BODY_ARGUMENT", "run"]

BODY_ARGUMENT = "body"
JSON = "application/json"
TEXT = "text/plain"
RESULT = "result"
ERROR_RESULT = "isError"
_STRING = {"type": "string"}
_HINTS: dict[str, tuple[bool, bool | None, bool | None]] = {
    # method: read only, destructive, idempotent
    "GET": (True, None, True),
    "HEAD": (True, None, True),
    "OPTIONS": (True, None, True),
    "PUT": (False, True, True),
    "DELETE": (False, True, True),
    "POST": (False, False, False),
    "PATCH": (False, False, False),
}


def run(api: ir.Api, diagnostics: list[Diagnostic]) -> ir.Api:
    """``api`` with every HTTP operation a tool; other operations unchanged."""
    if not any(isinstance(op.binding, ir.HttpBinding) for op in api.operations):
        return api
    defs = {named.name: ir.thaw(named.schema) for named in api.schemas}
    return dataclasses.replace(
        api,
        operations=tuple(
            _tool(operation, operation.binding, defs)
            if isinstance(operation.binding, ir.HttpBinding)
            else operation
            for operation in api.operations
        ),
    )


def _tool(operation: ir.Operation, http: ir.HttpBinding, defs: Mapping[str, Any]) -> ir.Operation:
    arguments = _argument_names(http)
    body = _body(operation.input)
    body_argument = ""
    properties: dict[str, Any] = {}
    required: list[str] = []
    for parameter, argument in zip(http.parameters, arguments, strict=True):
        schema = dict(ir.thaw(parameter.schema) or {})
        if parameter.description and "description" not in schema:
            schema["description"] = parameter.description
        properties[argument] = schema
        if parameter.required:
            required.append(argument)
    if body is not None:
        body_argument = "request_body" if BODY_ARGUMENT in arguments else BODY_ARGUMENT
        schema = dict(ir.thaw(body.schema) or {})
        if operation.input is not None and operation.input.description:
            schema.setdefault("description", operation.input.description)
        properties[body_argument] = schema
        if operation.input is not None and operation.input.required:
            required.append(body_argument)
    input_schema: dict[str, Any] = {"type": "object", "properties": properties}
    if required:
        input_schema["required"] = required
    read_only, destructive, idempotent = _HINTS.get(http.method, (False, None, None))
    binding = ir.McpBinding(
        primitive="tool",
        name=operation.id,
        title=operation.summary,
        annotations=ir.McpToolAnnotations(
            read_only=read_only,
            destructive=None if read_only else destructive,
            idempotent=idempotent,
        ),
        parameters=tuple(
            dataclasses.replace(parameter, name=argument)
            for parameter, argument in zip(http.parameters, arguments, strict=True)
        ),
        body_argument=body_argument,
        security=http.security,
    )
    return dataclasses.replace(
        operation,
        input=ir.Message(
            required=True,
            contents=(ir.Content(media_type=JSON, schema=ir.freeze(input_schema)),),
        ),
        outputs=(
            _result(operation, defs),
            ir.Output(
                key=ERROR_RESULT,
                is_error=True,
                message=ir.Message(
                    contents=(ir.Content(media_type=TEXT, schema=ir.freeze(_STRING)),)
                ),
            ),
        ),
        binding=binding,
        alternate_bindings=(http, *operation.alternate_bindings),
        description=operation.description or operation.summary,
    )


def _argument_names(http: ir.HttpBinding) -> list[str]:
    """One argument per parameter: its name, or ``<location>_<name>`` when
    parameters of several locations share the name."""
    counts: dict[str, int] = {}
    for parameter in http.parameters:
        counts[parameter.name] = counts.get(parameter.name, 0) + 1
    names: list[str] = []
    for parameter in http.parameters:
        name = parameter.name
        if counts[name] > 1 or name in names:
            name = f"{parameter.location.value}_{name}"
        while name in names:
            name += "_"
        names.append(name)
    return names


def _body(message: ir.Message | None) -> ir.Content | None:
    """The request body's content a tool takes: the JSON one, else the first."""
    if message is None or not message.contents:
        return None
    return next((c for c in message.contents if _is_json(c.media_type)), message.contents[0])


def _is_json(media_type: str) -> bool:
    return media_type == JSON or media_type.endswith("+json") or "/json" in media_type


def _success(operation: ir.Operation) -> ir.Output | None:
    """The output a call answers: the lowest 2xx, else ``default``, else the first."""
    statuses = sorted(o.key for o in operation.outputs if o.key.startswith("2") and not o.is_error)
    if statuses:
        return next(o for o in operation.outputs if o.key == statuses[0])
    return next((o for o in operation.outputs if o.key == "default"), None) or next(
        iter(operation.outputs), None
    )


def _result(operation: ir.Operation, defs: Mapping[str, Any]) -> ir.Output:
    """The tool's ``result``: the success response's JSON (wrapped when it is not
    an object), else text (its examples, or its status and description)."""
    success = _success(operation)
    content = None
    if success is not None:
        content = next((c for c in success.message.contents if _is_json(c.media_type)), None)
    if content is not None and content.schema is not None:
        schema = ir.thaw(content.schema)
        wrapped = not _is_object(schema, defs)
        examples = tuple(
            dataclasses.replace(
                example,
                value=ir.freeze({RESULT: ir.thaw(example.value)}) if wrapped else example.value,
            )
            for example in content.examples
        )
        if wrapped:
            schema = {"type": "object", "properties": {RESULT: schema}, "required": [RESULT]}
        else:
            schema = _inlined(schema, defs)
        result = ir.Content(media_type=JSON, schema=ir.freeze(schema), examples=examples)
    else:
        said = success.description if success is not None else ""
        status = success.key if success is not None else ""
        text = " ".join(part for part in (status, said or "done") if part)
        result = ir.Content(
            media_type=TEXT,
            schema=ir.freeze(_STRING),
            examples=(ir.Example(name="default", value=text),),
        )
    return ir.Output(
        key=RESULT,
        message=ir.Message(contents=(result,)),
        description=success.description if success is not None else "",
        source=success.source if success is not None else operation.source,
    )


def _resolved(schema: Any, defs: Mapping[str, Any]) -> Any:
    """``schema`` with a top-level ``$ref`` to a named schema followed (a few times)."""
    for _ in range(8):
        if not isinstance(schema, dict):
            return schema
        target = _ref_name(schema.get("$ref"))
        if target is None or target not in defs:
            return schema
        schema = defs[target]
    return schema


def _is_object(schema: Any, defs: Mapping[str, Any]) -> bool:
    schema = _resolved(schema, defs)
    if not isinstance(schema, dict):
        return False
    kind = schema.get("type")
    if kind == "object":
        return True
    if kind is None and "properties" in schema:
        return True
    parts = schema.get("allOf")
    return isinstance(parts, list) and any(_is_object(part, defs) for part in parts)


def _inlined(schema: Any, defs: Mapping[str, Any]) -> Any:
    """An object schema whose top is a ``$ref``: the named schema itself (MCP
    lists ``outputSchema`` as an object with ``type: object`` at its top)."""
    resolved = _resolved(schema, defs)
    if isinstance(resolved, dict) and "type" not in resolved:
        return {"type": "object", **resolved}
    return resolved


def _ref_name(ref: Any) -> str | None:
    if isinstance(ref, str) and ref.startswith(ir.SCHEMA_REF_PREFIX):
        return ref[len(ir.SCHEMA_REF_PREFIX) :]
    return None
