"""The contract a generated gRPC server is built from, as plain JSON data.

The format is the runtime's ``contract.json`` (``mockc.runtime.contract``),
the one every target writes, so that the engine, ``mockc validate OUT`` and
the admin API read operations the same way whatever the protocol:

- ``input`` is the request message, ``outputs`` the ``OK`` message and one
  output per gRPC error status, whose body is a ``google.rpc.Status``
  (message and rich error details);
- the ``grpc`` binding has the full method (``/routeguide.RouteGuide/GetFeature``),
  the service, the method and the message types; ``shape`` is the streaming shape.

The messages' wire details are in ``protos/descriptors.binpb`` beside it.
"""

from __future__ import annotations

from typing import Any

from mockc.compiler import ir
from mockc.compiler.naming import schema_name

from ..common.contract import contract_document, operation_spec

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
    return contract_document(
        api,
        protocol="grpc",
        generated_by=generated_by,
        defs=defs,
        operations=(
            _operation(operation, operation.binding)
            for operation in api.operations
            if isinstance(operation.binding, ir.GrpcBinding)
        ),
    )


def _operation(operation: ir.Operation, binding: ir.GrpcBinding) -> dict[str, Any]:
    service = f"{binding.package}.{binding.service}" if binding.package else binding.service
    return operation_spec(
        operation.id,
        shape=operation.shape,
        input={"required": True, "contents": {MEDIA_TYPE: {"schema": _ref(binding.input_type)}}},
        outputs=(_ok(operation, binding), *(_error(status) for status in ERROR_STATUSES)),
        binding={
            "kind": "grpc",
            "full_method": binding.full_method,
            "service": service,
            "method": binding.method,
            "input_type": binding.input_type,
            "output_type": binding.output_type,
        },
    )


def _ok(operation: ir.Operation, binding: ir.GrpcBinding) -> dict[str, Any]:
    examples: dict[str, Any] = {}
    for output in operation.outputs:
        for content in output.message.contents:
            for example in content.examples:
                examples.setdefault(example.name, ir.thaw(example.value))
    return {
        "key": "OK",
        "description": "",
        "headers": [],
        "contents": {MEDIA_TYPE: {"schema": _ref(binding.output_type), "examples": examples}},
    }


def _error(status: str) -> dict[str, Any]:
    return {
        "key": status,
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
