"""The mock document of one (non-GraphQL) operation: the answer the spec's
fallback would give, with fields named like path parameters echoing them."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from mockc.compiler import ir
from mockc.runtime.engine import Content as EngineContent
from mockc.runtime.engine import Operation as EngineOperation
from mockc.runtime.engine import Output as EngineOutput
from mockc.runtime.engine import header_text
from mockc.runtime.fake import FakeData
from mockc.runtime.http.outputs import OUTPUTS as HTTP_OUTPUTS
from mockc.runtime.http.outputs import answered_status

from .checked import CheckedFakes
from .describe import describe, json_type

__all__ = ["mock_document"]

_SKIPPED_HEADERS = frozenset({"content-type", "content-length"})
_STREAMS: dict[ir.Shape, dict[str, Any]] = {
    ir.Shape.SERVER_STREAM: {"count": 3, "interval_ms": 0},
    ir.Shape.BIDI: {"per": "message", "count": 1, "interval_ms": 0},
}
"""What a generated mock of a streaming gRPC method says about its stream, so the
knobs are in sight (the same as the server's defaults)."""


def mock_document(operation: ir.Operation, fake: FakeData | CheckedFakes) -> dict[str, Any]:
    """The mock answering ``operation`` as the spec fallback would, without conditions."""
    document: dict[str, Any] = {"id": operation.id, "operation": operation.id}
    summary = describe(operation)
    if summary:
        document["description"] = summary
    if isinstance(fake, CheckedFakes):
        fake.operation = operation
    output = _engine_operation(operation).default_output
    if output is None:
        document["response"] = {}
        return document
    status = answered_status(output.status)
    response: dict[str, Any] = {"status": int(status) if status.isdigit() else status}
    soap = isinstance(operation.binding, ir.SoapBinding)
    headers = {
        name: _header_value(
            soap, fake.generate(schema or {}, key=f"{operation.id}/{output.status}/{name}")
        )
        for name, schema in output.headers
        if name.lower() not in _SKIPPED_HEADERS
    }
    if headers:
        response["headers"] = headers
    if output.contents:
        content = output.contents[0]
        key = f"{operation.id}/{status}/{content.media_type}"
        if content.examples:
            body = next(iter(content.examples.values()))
            if isinstance(fake, CheckedFakes):
                body = fake.example(_ir_content(operation, output.status), body, key=key)
        else:
            body = fake.generate(content.schema or {}, key=key)
        if status.startswith("2"):
            body = _echo_path_params(body, _path_params(operation))
        response["body"] = body
    document["response"] = response
    stream = _STREAMS.get(operation.shape)
    if stream is not None and isinstance(operation.binding, ir.GrpcBinding):
        document["stream"] = dict(stream)
    return document


def _header_value(soap: bool, value: Any) -> str:
    """A header's text; a structured SOAP header element as compact JSON,
    which the SOAP adapter writes as XML."""
    if soap and isinstance(value, dict | list):
        return json.dumps(value, separators=(",", ":"), ensure_ascii=False)
    return header_text(value)


def _ir_content(operation: ir.Operation, key: str) -> ir.Content:
    """The first content of the output answered (the engine's view of it is thawed)."""
    output = next(output for output in operation.outputs if output.key == key)
    return output.message.contents[0]


def _engine_operation(operation: ir.Operation) -> EngineOperation:
    return EngineOperation(
        id=operation.id,
        outputs=tuple(
            EngineOutput(
                status=output.key,
                contents=tuple(
                    EngineContent(
                        content.media_type,
                        ir.thaw(content.schema),
                        {example.name: ir.thaw(example.value) for example in content.examples},
                    )
                    for content in output.message.contents
                ),
                headers=tuple((header.name, ir.thaw(header.schema)) for header in output.headers),
            )
            for output in operation.outputs
        ),
        # the HTTP reading of output keys, which generated mocks of every
        # protocol were written with (their bytes stay as they were)
        policy=HTTP_OUTPUTS,
    )


def _path_params(operation: ir.Operation) -> dict[str, str]:
    """Path parameter name → JSON type of its schema, in declaration order."""
    binding = operation.binding
    if not isinstance(binding, ir.HttpBinding):
        return {}
    found = {}
    for parameter in binding.parameters:
        if parameter.location is ir.ParameterLocation.PATH:
            schema = ir.thaw(parameter.schema)
            kind = schema.get("type") if isinstance(schema, Mapping) else None
            found[parameter.name] = kind if isinstance(kind, str) else "string"
    return found


def _echo_path_params(body: Any, params: Mapping[str, str]) -> Any:
    """Fields named like a path parameter (or ``id`` for a last ``…Id`` integer
    parameter) become templates echoing it, when the types agree."""
    if not isinstance(body, dict) or not params:
        return body
    echoed = dict(body)
    names = list(params)
    for name in names:
        fields = [name]
        if name == names[-1] and name.lower().endswith("id") and params[name] == "integer":
            fields.append("id")
        for field in fields:
            if field in echoed and json_type(echoed[field]) == params[name]:
                echoed[field] = "{{ " + _path_reference(name) + " }}"
    return echoed


def _path_reference(name: str) -> str:
    if name.isidentifier():
        return f"request.path.{name}"
    return "request.path[" + json.dumps(name) + "]"
