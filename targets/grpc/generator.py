"""The gRPC target: an IR Api from .proto files in, a standalone grpc.aio server out."""

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
from .protos import DESCRIPTORS_FILE, PROTOS_DIR, descriptor_set, proto_modules

TEMPLATES = Path(__file__).parent / "templates"

GRPC_REQUIREMENTS = (
    "googleapis-common-protos==1.76.0",
    "grpcio==1.85.1",
    "grpcio-health-checking==1.85.1",
    "grpcio-reflection==1.85.1",
    "grpcio-status==1.85.1",
    "protobuf==7.36.2",
)
"""What the gRPC adapter needs at run time, pinned as in pyproject.toml (not grpcio-tools)."""
ADMIN_REQUIREMENTS = ("granian==2.8.7",)
"""The admin API's HTTP server."""
RUNTIME_REQUIREMENTS = tuple(
    sorted((*GRPC_REQUIREMENTS, *ADMIN_REQUIREMENTS, *CORE_REQUIREMENTS), key=str.lower)
)
INSTALL_COMMAND = "pip install --no-cache-dir -r requirements.txt"
START_COMMAND = ("python", "server.py")
DEFAULT_PORT = 50051
DEFAULT_ADMIN_PORT = 8081
_SHAPES = {
    ir.Shape.UNARY: "unary",
    ir.Shape.SERVER_STREAM: "server streaming",
    ir.Shape.CLIENT_STREAM: "client streaming",
    ir.Shape.BIDI: "bidirectional streaming",
}

GrpcOptions = TargetOptions
"""The gRPC target needs nothing beyond what every target is told."""


@dataclass(frozen=True, kw_only=True)
class _Hook:
    name: str
    docstring: str


def generate(api: ir.Api, options: GrpcOptions) -> list[GeneratedFile]:
    header = generated_header(options, api.sources)
    operations = [op for op in api.operations if isinstance(op.binding, ir.GrpcBinding)]
    files = descriptor_set(api)
    title = api.title or api.name
    context = {
        "header": header,
        "title": title,
        "title_text": docstring_text(title),
        "sources": source_names(options, api.sources, limit=5),
        "service": api.name.replace("_", "-"),
        "port": DEFAULT_PORT,
        "admin_port": DEFAULT_ADMIN_PORT,
        "seed": options.seed,
        "vendored": not options.link_runtime,
        "requirements": pinned_requirements(options, RUNTIME_REQUIREMENTS),
        "install_command": INSTALL_COMMAND,
        "start_command_json": json.dumps(list(START_COMMAND)),
        "operations": [_row(op) for op in operations],
        "services": sorted({_row(op)["service"] for op in operations}),
        "hooks": [
            _Hook(name=op.id, docstring=python_docstring(_hook_doc(op))) for op in operations
        ],
        "protos_dir": PROTOS_DIR,
    }
    contract = build_contract(api, generated_by=f"mockc {options.version}")
    out = [
        contract_file(contract),
        GeneratedFile(path=DESCRIPTORS_FILE, content=files.SerializeToString()),
        *proto_modules(files),
        *server_files(TEMPLATES, context),
    ]
    if not options.link_runtime:
        # the admin API is an HTTP app: it uses the HTTP adapter's small helpers
        out.extend(runtime_files(subpackages=("grpc", "http")))
    return out


def _row(operation: ir.Operation) -> dict[str, str]:
    binding = operation.binding
    assert isinstance(binding, ir.GrpcBinding)
    service = f"{binding.package}.{binding.service}" if binding.package else binding.service
    return {
        "id": operation.id,
        "service": service,
        "method": binding.method,
        "shape": _SHAPES[operation.shape],
        "input": binding.input_type,
        "output": binding.output_type,
    }


def _hook_doc(operation: ir.Operation) -> str:
    binding = operation.binding
    assert isinstance(binding, ir.GrpcBinding)
    row = _row(operation)
    lines = [f"{binding.full_method} ({row['shape']}: {row['input']} → {row['output']})"]
    if operation.summary:
        lines += ["", operation.summary]
    return "\n".join(lines)
