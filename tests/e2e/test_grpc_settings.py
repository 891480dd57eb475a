"""The settings every protocol shares, on a generated gRPC server, with stubs
made by grpcio-tools: ``MOCKC_VALIDATE`` checks request messages against
the contract (``INVALID_ARGUMENT`` with ``google.rpc.BadRequest`` details, read
with grpcio-status) or lets them through; ``MOCKC_MAX_BODY_BYTES`` bounds the
request messages received (``RESOURCE_EXHAUSTED``)."""

from __future__ import annotations

from pathlib import Path
from types import ModuleType

import grpc
import pytest
from google.rpc import error_details_pb2
from grpc_status import rpc_status

from mockc.compiler.driver import GenerateOptions, generate
from tests.support.grpc_kit import GrpcServer, compile_stubs

KINDS = """syntax = "proto3";
package kinds;
enum Kind { KIND_UNSPECIFIED = 0; ROUND = 1; SQUARE = 2; }
message Shape { Kind kind = 1; string name = 2; }
service Shapes { rpc Make(Shape) returns (Shape); }
"""


@pytest.fixture(scope="module")
def kinds(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, ModuleType, ModuleType]:
    folder = tmp_path_factory.mktemp("kinds")
    (folder / "kinds.proto").write_text(KINDS)
    out = folder / "server"
    generate([folder / "kinds.proto"], out, GenerateOptions())
    pb, pb_grpc = compile_stubs(folder / "stubs", folder, ["kinds.proto"]).modules("kinds")
    return out, pb, pb_grpc


def test_messages_breaking_the_contract_are_invalid_argument(kinds: tuple) -> None:
    out, pb, pb_grpc = kinds
    with GrpcServer(out) as server, grpc.insecure_channel(server.target) as channel:
        stub = pb_grpc.ShapesStub(channel)
        assert stub.Make(pb.Shape(kind=pb.ROUND, name="ok")) is not None
        with pytest.raises(grpc.RpcError) as raised:
            stub.Make(pb.Shape(kind=7, name="x"))  # an enum number the proto does not name
    error = raised.value
    assert error.code() == grpc.StatusCode.INVALID_ARGUMENT  # type: ignore[attr-defined]
    assert "not a valid kinds.Shape: /kind:" in error.details()  # type: ignore[attr-defined]
    status = rpc_status.from_call(error)  # type: ignore[arg-type]
    assert status is not None
    bad_request = error_details_pb2.BadRequest()
    assert status.details[0].Unpack(bad_request)
    assert {violation.field for violation in bad_request.field_violations} == {"/kind"}


def test_validation_off_lets_them_through(kinds: tuple) -> None:
    out, pb, pb_grpc = kinds
    env = {"MOCKC_VALIDATE": "0"}
    with GrpcServer(out, env) as server, grpc.insecure_channel(server.target) as channel:
        answer = pb_grpc.ShapesStub(channel).Make(pb.Shape(kind=7, name="x"))
    assert isinstance(answer.name, str)


def test_max_body_bytes_bounds_request_messages(kinds: tuple) -> None:
    out, pb, pb_grpc = kinds
    env = {"MOCKC_MAX_BODY_BYTES": "1000"}
    with GrpcServer(out, env) as server, grpc.insecure_channel(server.target) as channel:
        stub = pb_grpc.ShapesStub(channel)
        assert stub.Make(pb.Shape(name="x" * 900)) is not None
        with pytest.raises(grpc.RpcError) as raised:
            stub.Make(pb.Shape(name="x" * 2000))
    assert raised.value.code() == grpc.StatusCode.RESOURCE_EXHAUSTED  # type: ignore[attr-defined]
