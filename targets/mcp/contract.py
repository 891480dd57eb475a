"""The contract of a generated MCP server (``contract.json``), from the IR.

The format is ``mockc.runtime.contract``: each tool, resource (or resource
template) and prompt is an operation with an ``mcp`` binding (its primitive,
name, title, description and the primitive's own fields; a tool made from
an HTTP operation also its ``http`` block: where each argument goes), and an ``mcp``
block holds the server's name, title, version and instructions.
"""

from __future__ import annotations

from typing import Any

from mockc.compiler import ir

from ..common.contract import contract_document, message_spec, operation_spec, output_spec


def build_contract(api: ir.Api, *, generated_by: str) -> dict[str, Any]:
    operations = [
        operation_spec(
            operation.id,
            shape=operation.shape,
            binding=_binding(operation, operation.binding),
            input=message_spec(operation.input),
            outputs=[output_spec(output) for output in operation.outputs],
        )
        for operation in api.operations
        if isinstance(operation.binding, ir.McpBinding)
    ]
    return contract_document(
        api,
        protocol="mcp",
        generated_by=generated_by,
        defs={named.name: ir.thaw(named.schema) for named in api.schemas},
        operations=operations,
        mcp={
            "server": {
                "name": api.name,
                "title": api.title,
                "version": api.version,
                "instructions": api.description,
            }
        },
    )


def _binding(operation: ir.Operation, binding: ir.McpBinding) -> dict[str, Any]:
    spec: dict[str, Any] = {
        "kind": "mcp",
        "primitive": binding.primitive,
        "name": binding.name,
        "title": binding.title,
        "description": operation.description,
    }
    if binding.primitive == "tool" and binding.annotations is not None:
        hints = binding.annotations
        spec["annotations"] = {
            key: value
            for key, value in (
                ("title", hints.title or None),
                ("readOnlyHint", hints.read_only),
                ("destructiveHint", hints.destructive),
                ("idempotentHint", hints.idempotent),
                ("openWorldHint", hints.open_world),
            )
            if value is not None
        }
    http = next((b for b in operation.alternate_bindings if isinstance(b, ir.HttpBinding)), None)
    if binding.primitive == "tool" and http is not None:
        spec["http"] = {
            "method": http.method,
            "path": http.path,
            "arguments": [
                {"argument": argument.name, "in": parameter.location.value, "name": parameter.name}
                for argument, parameter in zip(binding.parameters, http.parameters, strict=True)
            ],
            "body": binding.body_argument,
        }
    completions = _completions(operation, binding)
    if completions:
        spec["completions"] = completions
    if binding.primitive == "resource":
        spec["uri_template"] = binding.uri_template
        spec["variables"] = [parameter.name for parameter in binding.parameters]
        spec["mime_type"] = binding.mime_type
    if binding.listed is not None:
        spec["listed"] = ir.thaw(binding.listed)
    if binding.primitive == "prompt":
        spec["arguments"] = [
            {
                "name": argument.name,
                "title": argument.title,
                "description": argument.description,
                "required": argument.required,
            }
            for argument in binding.arguments
        ]
    return spec


def _completions(operation: ir.Operation, binding: ir.McpBinding) -> dict[str, list[str]]:
    """What completion/complete offers per prompt argument or template variable:
    its schema's ``enum``, then its ``examples``."""
    schemas: dict[str, Any] = {}
    if binding.primitive == "prompt" and operation.input is not None:
        schema = ir.thaw(operation.input.contents[0].schema) if operation.input.contents else {}
        schemas = dict((schema or {}).get("properties") or {})
    elif binding.primitive == "resource":
        schemas = {parameter.name: ir.thaw(parameter.schema) for parameter in binding.parameters}
    offered = {}
    for name, schema in schemas.items():
        if not isinstance(schema, dict):
            continue
        values = [
            str(value)
            for keyword in ("enum", "examples")
            for value in schema.get(keyword) or ()
            if isinstance(value, str | int | float)
        ]
        if values:
            offered[name] = list(dict.fromkeys(values))
    return offered
