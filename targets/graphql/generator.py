"""The GraphQL target: an IR Api (from a GraphQL schema) in, the files of a
standalone GraphQL mock server out."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from mockc.compiler import ir

from ..common import (
    CORE_REQUIREMENTS,
    GeneratedFile,
    TargetOptions,
    docstring_text,
    generated_header,
    pinned_requirements,
    python_docstring,
    runtime_files,
    server_files,
    source_names,
)
from ..common.contract import contract_file
from .contract import SCHEMA_FILE, build_contract
from .sdl import print_sdl

TEMPLATES = Path(__file__).parent / "templates"

# The runtime's own dependencies for this protocol, pinned as in pyproject.toml.
RUNTIME_REQUIREMENTS = tuple(sorted(("granian==2.8.7", "graphql-core==3.3.2", *CORE_REQUIREMENTS)))
RUNTIME_SUBPACKAGES = ("graphql", "http")
"""The admin API reads and writes HTTP, so the HTTP adapter's helpers come along."""
INSTALL_COMMAND = "pip install --no-cache-dir -r requirements.txt"
START_COMMAND = ("python", "server.py")
DEFAULT_PORT = 8080

GraphqlOptions = TargetOptions
"""The GraphQL target needs nothing beyond what every target is told."""


@dataclass(frozen=True, kw_only=True)
class _Hook:
    name: str
    docstring: str


def generate(api: ir.Api, options: GraphqlOptions) -> list[GeneratedFile]:
    header = generated_header(options, api.sources)
    operations = [op for op in api.operations if isinstance(op.binding, ir.GraphqlBinding)]
    title = api.title or api.name
    contract = build_contract(api, generated_by=f"mockc {options.version}")
    types = [spec["id"] for spec in contract["operations"] if "object_type" in spec["binding"]]
    context = {
        "header": header,
        "title": title,
        "title_text": docstring_text(title),
        "sources": source_names(options, api.sources),
        "service": api.name.replace("_", "-"),
        "port": DEFAULT_PORT,
        "seed": options.seed,
        "vendored": not options.link_runtime,
        "requirements": pinned_requirements(options, RUNTIME_REQUIREMENTS),
        "install_command": INSTALL_COMMAND,
        "start_command_json": json.dumps(list(START_COMMAND)),
        "operations": [_row(op) for op in operations],
        "type_count": len(types),
        "type_example": types[0] if types else "",
        "subscription": next(
            (row for row in map(_row, operations) if row["root"] == "subscription"), None
        ),
        "hooks": [
            _Hook(name=op.id, docstring=python_docstring(_hook_doc(op))) for op in operations
        ],
    }
    files = [
        contract_file(contract),
        GeneratedFile(
            path=SCHEMA_FILE, content=(f"# {header}\n\n" + print_sdl(api)).encode("utf-8")
        ),
        *server_files(TEMPLATES, context),
    ]
    if not options.link_runtime:
        files.extend(runtime_files(subpackages=RUNTIME_SUBPACKAGES))
    return files


def _row(operation: ir.Operation) -> dict[str, str]:
    binding = operation.binding
    assert isinstance(binding, ir.GraphqlBinding)
    return {
        "id": operation.id,
        "root": binding.root,
        "field": binding.field,
        "type": binding.return_type.replace("|", "\\|"),
    }


def _hook_doc(operation: ir.Operation) -> str:
    binding = operation.binding
    assert isinstance(binding, ir.GraphqlBinding)
    lines = [f"{binding.root} {{ {binding.field} }}: {binding.return_type}"]
    if operation.description:
        lines += ["", operation.description]
    return "\n".join(lines)
