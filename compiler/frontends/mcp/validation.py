"""The published JSON Schema of MCP configs, and a config checked against it
with every violation located (file, line, column, JSON pointer)."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema_rs

from mockc.compiler.errors import Diagnostic, SpecError

from ..documents import DocumentStore, Location, escape_segment

__all__ = ["CONFIG_SCHEMA_FILE", "SCHEMA_ID", "check_config", "config_schema"]

CONFIG_SCHEMA_FILE = Path(__file__).with_name("config.schema.json")
"""The schema (``docs/mcp-config.schema.json`` is a copy, kept equal by a test)."""
SCHEMA_ID = "https://mockc.dev/schemas/mcp-config.schema.json"
_MOST_REPORTED = 20


@cache
def config_schema() -> dict[str, Any]:
    schema: dict[str, Any] = json.loads(CONFIG_SCHEMA_FILE.read_text(encoding="utf-8"))
    return schema


@cache
def _validator() -> Any:
    return jsonschema_rs.validator_for(config_schema())


def check_config(store: DocumentStore, root: Location, data: Any) -> None:
    """Raise SpecError naming each place where ``data`` breaks the schema."""
    errors = list(_validator().iter_errors(data))
    if not errors:
        return
    errors.sort(key=lambda error: [str(segment) for segment in error.instance_path])
    diagnostics = [
        store.diagnostic(_location(root, error.instance_path), error.message)
        for error in errors[:_MOST_REPORTED]
    ]
    raise SpecError(diagnostics)


def _location(root: Location, path: Any) -> Location:
    pointer = "".join("/" + escape_segment(str(segment)) for segment in path)
    return Location(root.doc, pointer)


def not_a_config(file: str, message: str) -> SpecError:
    return SpecError(Diagnostic(file=file, line=1, column=1, message=message))
