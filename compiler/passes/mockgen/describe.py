"""Small facts about operations and values that every kind of mock uses."""

from __future__ import annotations

from typing import Any

from mockc.compiler import ir

__all__ = ["describe", "json_type"]


def describe(operation: ir.Operation) -> str:
    binding = operation.binding
    where = ""
    if isinstance(binding, ir.HttpBinding):
        where = f"{binding.method.upper()} {binding.path}"
    elif isinstance(binding, ir.GrpcBinding):
        shape = "" if operation.shape is ir.Shape.UNARY else f", {operation.shape.value}"
        where = f"{binding.full_method} ({binding.input_type} → {binding.output_type}{shape})"
    elif isinstance(binding, ir.GraphqlBinding):
        where = f"{binding.root} {binding.field}: {binding.return_type}"
    return " — ".join(part for part in (where, operation.summary.strip()) if part)


def json_type(value: Any) -> str:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, str):
        return "string"
    return "other"
