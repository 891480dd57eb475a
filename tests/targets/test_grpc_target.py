"""The gRPC target's file plan: contract, protos and their Python modules, the
run files; deterministic; hostile spec text stays inert."""

from __future__ import annotations

import ast
import json
import re
import tomllib
from pathlib import Path

import pytest

from mockc.compiler import ir
from mockc.compiler.driver import Compiled, GenerateOptions, compile_specs, plan_files
from mockc.compiler.errors import GenerationError
from mockc.runtime.contract import CONTRACT_FORMAT
from mockc.targets.common import CORE_REQUIREMENTS, FileOwner, GeneratedFile, TargetOptions
from mockc.targets.grpc import generate
from mockc.targets.grpc.contract import ERROR_STATUSES
from mockc.targets.grpc.generator import GRPC_REQUIREMENTS, GrpcServer
from tests.support.corpus import CORPUS

ROOT = Path(__file__).resolve().parents[2]
PROTO = CORPUS / "proto"
ROUTE_GUIDE = PROTO / "grpc-route-guide" / "route_guide.proto"
PUBSUB = PROTO / "googleapis-pubsub-v1" / "google" / "pubsub" / "v1" / "pubsub.proto"
HOSTILE = 'Ends with a quote" and """triple""" and \\ backslash\n\x00import os; os.system("x")'


@pytest.fixture(scope="module")
def route_guide() -> Compiled:
    return compile_specs([ROUTE_GUIDE])


def by_path(files: list[GeneratedFile]) -> dict[str, GeneratedFile]:
    return {file.path: file for file in files}


def options(**given: object) -> TargetOptions:
    return TargetOptions(version="9.9.9", **given)  # type: ignore[arg-type]


def test_the_file_plan(route_guide: Compiled) -> None:
    files = by_path(generate(route_guide.api, options()))
    for path in (
        "contract.json",
        "protos/descriptors.binpb",
        "protos/route_guide_pb2.py",
        "protos/route_guide_pb2_grpc.py",
        "server.py",
        "requirements.txt",
        "Dockerfile",
        "docker-compose.yml",
        "k8s.yaml",
        "README.md",
        "handlers.py",
        "_vendor/mockc_runtime/grpc/server.py",
        "_vendor/mockc_runtime/admin/app.py",
    ):
        assert path in files, path
    assert files["handlers.py"].owner is FileOwner.USER
    assert files["server.py"].executable
    assert not any(path.startswith("_vendor/mockc_runtime/graphql/") for path in files)
    for path, file in files.items():
        if path.endswith(".py"):
            ast.parse(file.content.decode("utf-8"), filename=path)


def test_requirements_are_the_runtime_ones_without_grpcio_tools(route_guide: Compiled) -> None:
    text = by_path(generate(route_guide.api, options()))["requirements.txt"].content.decode()
    listed = [line for line in text.splitlines() if line and not line.startswith("#")]
    assert listed == list(GrpcServer.requirements)
    assert set(CORE_REQUIREMENTS) <= set(listed)
    assert not any(line.startswith("grpcio-tools") for line in listed)
    pinned = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]
    assert set(GRPC_REQUIREMENTS) <= set(pinned), "pinned as in pyproject.toml"
    linked = by_path(generate(route_guide.api, options(link_runtime=True)))
    assert linked["requirements.txt"].content.decode().count("mockc==9.9.9") == 1
    assert not any(path.startswith("_vendor/") for path in linked)


def test_the_contract_is_the_runtime_format_with_grpc_bindings(route_guide: Compiled) -> None:
    contract = json.loads(by_path(generate(route_guide.api, options()))["contract.json"].content)
    assert (contract["format"], contract["protocol"]) == (CONTRACT_FORMAT, "grpc")
    chat = next(op for op in contract["operations"] if op["id"] == "RouteGuide_RouteChat")
    assert chat["shape"] == "bidi"
    assert chat["binding"] == {
        "kind": "grpc",
        "full_method": "/routeguide.RouteGuide/RouteChat",
        "service": "routeguide.RouteGuide",
        "method": "RouteChat",
        "input_type": "routeguide.RouteNote",
        "output_type": "routeguide.RouteNote",
    }
    assert chat["input"]["contents"]["application/grpc+proto"]["schema"] == {
        "$ref": "#/$defs/routeguide.RouteNote"
    }
    assert [r["key"] for r in chat["outputs"]] == ["OK", *ERROR_STATUSES]
    assert len(ERROR_STATUSES) == 16
    error = chat["outputs"][5]["contents"]["application/grpc+proto"]
    assert error["schema"] == {"$ref": "#/$defs/google.rpc.Status"}
    assert {"google.rpc.Status", "google.protobuf.Any", "routeguide.RouteNote"} <= set(
        contract["defs"]
    )


def test_well_known_protos_are_left_to_the_protobuf_package() -> None:
    files = by_path(plan_files(compile_specs([PUBSUB]), GenerateOptions()))
    assert "protos/google/pubsub/v1/pubsub_pb2_grpc.py" in files
    assert "protos/google/api/annotations_pb2.py" in files
    assert not any(path.startswith("protos/google/protobuf/") for path in files)


def test_run_files_name_both_ports(route_guide: Compiled) -> None:
    files = by_path(generate(route_guide.api, options()))
    dockerfile = files["Dockerfile"].content.decode()
    assert "EXPOSE 50051 8081" in dockerfile
    assert re.search(r"^CMD \[\"python\", \"server.py\"\]$", dockerfile, re.MULTILINE)
    assert "MOCKC_ADMIN_PORT" in dockerfile
    assert "grpc:\n              port: 50051" in files["k8s.yaml"].content.decode()
    readme = files["README.md"].content.decode()
    assert (
        "| `RouteGuide_RouteChat` | `routeguide.RouteGuide` | `RouteChat` | bidirectional" in readme
    )


def test_hostile_spec_text_stays_inert(route_guide: Compiled) -> None:
    operation = route_guide.api.operations[0]
    hostile = ir.Api(
        name="x",
        title=HOSTILE,
        extensions=route_guide.api.extensions,
        operations=(
            ir.Operation(
                id=operation.id, summary=HOSTILE, binding=operation.binding, shape=operation.shape
            ),
        ),
    )
    files = by_path(generate(hostile, options()))
    for name in ("server.py", "handlers.py"):
        tree = ast.parse(files[name].content.decode())
        calls = [node for node in ast.walk(tree) if isinstance(node, ast.Call)]
        assert not any(getattr(c.func, "attr", "") == "system" for c in calls)


def test_a_spec_without_protos_is_refused() -> None:
    with pytest.raises(GenerationError, match=r"\.proto"):
        generate(ir.Api(name="x"), options())
