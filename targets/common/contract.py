"""What every target's ``contract.json`` shares, and how it is written.

The format is the runtime's (``mockc.runtime.contract``, ``CONTRACT_FORMAT``
declared there once): each target builds its operations' ``binding`` and
calls :func:`contract_document` and :func:`operation_spec` for the rest.

:func:`contract_bytes` writes it with orjson, two-space indented: an order of
magnitude faster than the standard library on large specs. Integers past 64
bits (rare, in schema bounds) fall back to the standard library's writer with
the same layout.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping
from typing import Any

import orjson

from mockc.compiler import ir
from mockc.runtime.contract import CONTRACT_FORMAT

from .emit import GeneratedFile

__all__ = [
    "CONTRACT_FILE",
    "CONTRACT_FORMAT",
    "channel_operation_spec",
    "channel_parameter_spec",
    "contract_bytes",
    "contract_document",
    "contract_file",
    "message_spec",
    "operation_spec",
    "output_spec",
    "schema_value",
]

CONTRACT_FILE = "contract.json"


def contract_document(
    api: ir.Api,
    *,
    protocol: str,
    generated_by: str,
    defs: Mapping[str, Any],
    operations: Iterable[dict[str, Any]],
    **extra: Any,
) -> dict[str, Any]:
    """The contract: header, named schemas, operations, then ``extra`` (a
    protocol's own block, e.g. ``graphql``)."""
    return {
        "format": CONTRACT_FORMAT,
        "generated_by": generated_by,
        "protocol": protocol,
        "api": {"name": api.name, "title": api.title or api.name, "version": api.version},
        "defs": dict(defs),
        "operations": list(operations),
        **extra,
    }


def operation_spec(
    operation_id: str,
    *,
    shape: ir.Shape,
    binding: dict[str, Any],
    input: dict[str, Any] | None = None,
    outputs: Iterable[dict[str, Any]] = (),
) -> dict[str, Any]:
    return {
        "id": operation_id,
        "shape": shape.value,
        "input": input,
        "outputs": list(outputs),
        "binding": binding,
    }


def message_spec(message: ir.Message | None) -> dict[str, Any] | None:
    """An input message: whether it is required and its schema per media type."""
    if message is None or not message.contents:
        return None
    contents: dict[str, Any] = {}
    for content in message.contents:
        entry: dict[str, Any] = {"schema": schema_value(content.schema)}
        if content.encoding:
            entry["encoding"] = ir.thaw(content.encoding)
        contents[content.media_type] = entry
    return {"required": message.required, "contents": contents}


def output_spec(output: ir.Output) -> dict[str, Any]:
    return {
        "key": output.key,
        "description": output.description,
        "headers": [
            {
                "name": header.name,
                "required": header.required,
                "schema": schema_value(header.schema),
            }
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


def channel_operation_spec(
    operation: ir.Operation,
    binding: Callable[[ir.Binding], dict[str, Any]],
    output: Callable[[ir.Output], dict[str, Any]] = output_spec,
) -> dict[str, Any]:
    """A channel operation's entry: its binding and outputs as the protocol writes them."""
    return operation_spec(
        operation.id,
        shape=operation.shape,
        binding=binding(operation.binding),
        input=message_spec(operation.input),
        outputs=[output(item) for item in operation.outputs],
    )


def channel_parameter_spec(parameter: ir.Parameter) -> dict[str, Any]:
    """A channel address's (or query's) parameter in a ``channel`` binding."""
    return {
        "name": parameter.name,
        "location": parameter.location.value,
        "required": parameter.required,
        "schema": schema_value(parameter.schema),
    }


def schema_value(schema: ir.JsonValue) -> Any:
    """A schema as contract data; ``{}`` when unconstrained."""
    return {} if schema is None else ir.thaw(schema)


def contract_bytes(contract: Mapping[str, Any]) -> bytes:
    """The contract as UTF-8 JSON, two-space indented, keys in insertion order."""
    try:
        return orjson.dumps(contract, option=orjson.OPT_INDENT_2 | orjson.OPT_APPEND_NEWLINE)
    except orjson.JSONEncodeError:
        text = json.dumps(contract, indent=2, ensure_ascii=False)
        return (text + "\n").encode("utf-8")


def contract_file(contract: Mapping[str, Any]) -> GeneratedFile:
    return GeneratedFile(path=CONTRACT_FILE, content=contract_bytes(contract), data=contract)


SCHEDULES_EXTENSION = "x-channels"
"""Where a channel config leaves the schedules it declares in the IR."""


def declared_schedules(api: ir.Api, served: Iterable[str]) -> dict[str, Any]:
    """The schedules a channel config declares for the ``served`` operations
    (operation id → the mocks' ``emit`` schedule shape)."""
    extension = ir.thaw((api.extensions or {}).get(SCHEDULES_EXTENSION)) or {}
    wanted = set(served)
    return {
        name: schedule
        for name, schedule in (extension.get("schedules") or {}).items()
        if name in wanted
    }
