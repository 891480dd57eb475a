"""The contract a generated gRPC server is built from, as plain JSON data.

The format is the runtime's ``contract.json`` (``mockc.runtime.contract``),
the one every target writes, so that the engine, ``mockc validate OUT`` and
the admin API read operations the same way whatever the protocol:

- ``method`` and ``path`` are gRPC's own HTTP/2 request line
  (``POST /routeguide.RouteGuide/GetFeature``); there are no parameters;
- ``body`` is the request message, ``responses`` the ``OK`` message and one
  response per gRPC error status, whose body is a ``google.rpc.Status``
  (message and rich error details);
- ``protocol`` is ``"grpc"`` and each operation has a ``grpc`` object: the
  service, the method, the message types and the streaming shape.

The messages' wire details are in ``protos/descriptors.binpb`` beside it.
"""

from __future__ import annotations

from typing import Any

from mockc.compiler import ir
from mockc.compiler.naming import schema_name

CONTRACT_FORMAT = 1
MEDIA_TYPE = "application/grpc+proto"
STATUS_TYPE = "google.rpc.Status"
ANY_TYPE = "google.protobuf.Any"
ERROR_STATUSES = (
    "CANCELLED",
    "UNKNOWN",
    "INVALID_ARGUMENT",
    "DEADLINE_EXCEEDED",
    "NOT_FOUND",
    "ALREADY_EXISTS",
    "PERMISSION_DENIED",
    "RESOURCE_EXHAUSTED",
    "FAILED_PRECONDITION",
    "ABORTED",
    "OUT_OF_RANGE",
    "UNIMPLEMENTED",
    "INTERNAL",
    "UNAVAILABLE",
    "DATA_LOSS",
    "UNAUTHENTICATED",
)
"""Every gRPC status but OK, in code order (1–16): any method may answer them."""

_STATUS_SCHEMA = {
    "description": "google.rpc.Status: the message and rich details of a gRPC error "
    "(the code is the call's status).",
    "type": "object",
    "properties": {
        "code": {"type": "integer", "format": "int32", "minimum": 0, "maximum": 16},
        "message": {"type": "string"},
        "details": {"type": "array", "items": {"$ref": f"#/$defs/{ANY_TYPE}"}},
    },
}
_ANY_SCHEMA = {
    "type": "object",
    "required": ["@type"],
    "properties": {
        "@type": {"type": "string", "examples": ["type.googleapis.com/google.protobuf.Empty"]}
    },
    "additionalProperties": True,
}


def build_contract(api: ir.Api, *, generated_by: str) -> dict[str, Any]:
    defs = {named.name: ir.thaw(named.schema) for named in api.schemas}
    defs.setdefault(STATUS_TYPE, _STATUS_SCHEMA)
    defs.setdefault(ANY_TYPE, _ANY_SCHEMA)
    return {
        "format": CONTRACT_FORMAT,
        "protocol": "grpc",
        "generated_by": generated_by,
        "api": {"name": api.name, "title": api.title or api.name, "version": api.version},
        "defs": defs,
        "operations": [
            _operation(operation)
            for operation in api.operations
            if isinstance(operation.binding, ir.GrpcBinding)
        ],
    }


def _operation(operation: ir.Operation) -> dict[str, Any]:
    binding = operation.binding
    assert isinstance(binding, ir.GrpcBinding)
    service = f"{binding.package}.{binding.service}" if binding.package else binding.service
    return {
        "id": operation.id,
        "method": "POST",
        "path": binding.full_method,
        "parameters": [],
        "body": {
            "required": True,
            "contents": {MEDIA_TYPE: {"schema": _ref(binding.input_type)}},
        },
        "responses": [_ok(operation, binding), *(_error(status) for status in ERROR_STATUSES)],
        "grpc": {
            "service": service,
            "method": binding.method,
            "input_type": binding.input_type,
            "output_type": binding.output_type,
            "shape": operation.shape.value,
        },
    }


def _ok(operation: ir.Operation, binding: ir.GrpcBinding) -> dict[str, Any]:
    examples: dict[str, Any] = {}
    for output in operation.outputs:
        for content in output.message.contents:
            for example in content.examples:
                examples.setdefault(example.name, ir.thaw(example.value))
    return {
        "status": "OK",
        "description": "",
        "headers": [],
        "contents": {MEDIA_TYPE: {"schema": _ref(binding.output_type), "examples": examples}},
    }


def _error(status: str) -> dict[str, Any]:
    return {
        "status": status,
        "description": "",
        "headers": [],
        "contents": {
            MEDIA_TYPE: {
                "schema": _ref(STATUS_TYPE),
                "examples": {"default": {"message": f"mockc: {status}"}},
            }
        },
    }


def _ref(full_name: str) -> dict[str, str]:
    return {"$ref": f"{ir.SCHEMA_REF_PREFIX}{schema_name(full_name)}"}
