"""The HTTP target: an IR Api in, the files of a standalone mock server out."""

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
from .contract import build_contract

TEMPLATES = Path(__file__).parent / "templates"

# The runtime's own dependencies for this protocol, pinned as in pyproject.toml.
RUNTIME_REQUIREMENTS = tuple(sorted(("defusedxml==0.7.1", "granian==2.8.7", *CORE_REQUIREMENTS)))
INSTALL_COMMAND = "pip install --no-cache-dir -r requirements.txt"
START_COMMAND = ("python", "server.py")
DEFAULT_PORT = 8080


HttpOptions = TargetOptions
"""The HTTP target needs nothing beyond what every target is told."""


@dataclass(frozen=True, kw_only=True)
class _Hook:
    name: str
    docstring: str


def generate(api: ir.Api, options: HttpOptions) -> list[GeneratedFile]:
    header = generated_header(options, api.sources)
    operations = [op for op in api.operations if isinstance(op.binding, ir.HttpBinding)]
    title = api.title or api.name
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
        "operations": [_route_row(op) for op in operations],
        "hooks": [
            _Hook(name=op.id, docstring=python_docstring(_hook_doc(op))) for op in operations
        ],
    }
    contract = build_contract(api, generated_by=f"mockc {options.version}")
    files = [
        contract_file(contract),
        *server_files(TEMPLATES, context),
    ]
    if not options.link_runtime:
        files.extend(runtime_files(subpackages=("http",)))
    return files


def _route_row(operation: ir.Operation) -> dict[str, str]:
    binding = operation.binding
    assert isinstance(binding, ir.HttpBinding)
    return {"id": operation.id, "method": binding.method, "path": binding.path.replace("|", "\\|")}


def _hook_doc(operation: ir.Operation) -> str:
    binding = operation.binding
    assert isinstance(binding, ir.HttpBinding)
    lines = [f"{binding.method} {binding.path}"]
    if operation.summary:
        lines.append("")
        lines.append(operation.summary)
    return "\n".join(lines)
