"""The contract a generated HTTP server is built from, as plain JSON data.

The format is ``mockc.runtime.contract`` (documented there); this module only
builds it from the IR. Parameter styles and explode flags are filled in here,
so the runtime never has to know OpenAPI's defaults.
"""

from __future__ import annotations

from typing import Any

from mockc.compiler import ir

CONTRACT_FORMAT = 1

_DEFAULT_STYLE = {
    ir.ParameterLocation.PATH: "simple",
    ir.ParameterLocation.QUERY: "form",
    ir.ParameterLocation.HEADER: "simple",
    ir.ParameterLocation.COOKIE: "form",
}
_HTTP_LOCATIONS = tuple(_DEFAULT_STYLE)


def build_contract(api: ir.Api, *, generated_by: str) -> dict[str, Any]:
    return {
        "format": CONTRACT_FORMAT,
        "generated_by": generated_by,
        "api": {"name": api.name, "title": api.title or api.name, "version": api.version},
        "defs": {named.name: ir.thaw(named.schema) for named in api.schemas},
        "operations": [
            _operation(operation)
            for operation in api.operations
            if isinstance(operation.binding, ir.HttpBinding)
        ],
    }


def _operation(operation: ir.Operation) -> dict[str, Any]:
    binding = operation.binding
    assert isinstance(binding, ir.HttpBinding)
    return {
        "id": operation.id,
        "method": binding.method.upper(),
        "path": binding.path,
        "parameters": [
            _parameter(parameter)
            for parameter in binding.parameters
            if parameter.location in _HTTP_LOCATIONS
        ],
        "body": _body(operation.input),
        "responses": [_response(output) for output in operation.outputs],
    }


def _parameter(parameter: ir.Parameter) -> dict[str, Any]:
    style = parameter.style or _DEFAULT_STYLE[parameter.location]
    explode = parameter.explode if parameter.explode is not None else style == "form"
    spec: dict[str, Any] = {
        "name": parameter.name,
        "location": parameter.location.value,
        "required": parameter.required or parameter.location is ir.ParameterLocation.PATH,
        "schema": _schema(parameter.schema),
        "style": style,
        "explode": explode,
    }
    if parameter.media_type:
        spec["media_type"] = parameter.media_type
    return spec


def _body(message: ir.Message | None) -> dict[str, Any] | None:
    if message is None or not message.contents:
        return None
    contents: dict[str, Any] = {}
    for content in message.contents:
        entry: dict[str, Any] = {"schema": _schema(content.schema)}
        if content.encoding:
            entry["encoding"] = ir.thaw(content.encoding)
        contents[content.media_type] = entry
    return {"required": message.required, "contents": contents}


def _response(output: ir.Output) -> dict[str, Any]:
    return {
        "status": output.key,
        "description": output.description,
        "headers": [
            {"name": header.name, "required": header.required, "schema": _schema(header.schema)}
            for header in output.headers
        ],
        "contents": {
            content.media_type: {
                "schema": ir.thaw(content.schema),
                "examples": {example.name: ir.thaw(example.value) for example in content.examples},
            }
            for content in output.message.contents
        },
    }


def _schema(schema: ir.JsonValue) -> Any:
    return {} if schema is None else ir.thaw(schema)
