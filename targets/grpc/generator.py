"""The gRPC target: an IR Api from .proto files in, a standalone grpc.aio server out."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from mockc.compiler import ir

from ..common import CORE_REQUIREMENTS, GeneratedFile, ServerGenerator, TargetOptions
from ..common.generator import Contract
from .contract import build_contract
from .protos import DESCRIPTORS_FILE, PROTOS_DIR, descriptor_set, proto_modules

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
DEFAULT_ADMIN_PORT = 8081
_SHAPES = {
    ir.Shape.UNARY: "unary",
    ir.Shape.SERVER_STREAM: "server streaming",
    ir.Shape.CLIENT_STREAM: "client streaming",
    ir.Shape.BIDI: "bidirectional streaming",
}

GrpcOptions = TargetOptions
"""The gRPC target needs nothing beyond what every target is told."""


class GrpcServer(ServerGenerator):
    name = "grpc"
    binding = ir.GrpcBinding
    templates = Path(__file__).parent / "templates"
    requirements = tuple(
        sorted((*GRPC_REQUIREMENTS, *ADMIN_REQUIREMENTS, *CORE_REQUIREMENTS), key=str.lower)
    )
    port = 50051
    source_limit = 5
    build_contract = build_contract

    def row(self, operation: ir.Operation) -> dict[str, str]:
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

    def hook_doc(self, operation: ir.Operation) -> str:
        binding = operation.binding
        assert isinstance(binding, ir.GrpcBinding)
        row = self.row(operation)
        lines = [f"{binding.full_method} ({row['shape']}: {row['input']} → {row['output']})"]
        if operation.summary:
            lines += ["", operation.summary]
        return "\n".join(lines)

    def context(
        self, api: ir.Api, operations: list[ir.Operation], contract: Contract
    ) -> Mapping[str, object]:
        return {
            "admin_port": DEFAULT_ADMIN_PORT,
            "services": sorted({self.row(op)["service"] for op in operations}),
            "protos_dir": PROTOS_DIR,
        }

    def extra_files(self, api: ir.Api, header: str) -> list[GeneratedFile]:
        files = descriptor_set(api)
        return [
            GeneratedFile(path=DESCRIPTORS_FILE, content=files.SerializeToString()),
            *proto_modules(files),
        ]


def generate(api: ir.Api, options: GrpcOptions) -> list[GeneratedFile]:
    return GrpcServer().generate(api, options)
