"""Messages between JSON data and protobuf bytes, and status codes and errors."""

from __future__ import annotations

import base64
import json
from pathlib import Path

import grpc
import pytest
from google.protobuf import descriptor_pb2
from google.rpc import error_details_pb2, status_pb2

from mockc.compiler.frontends import proto
from mockc.runtime.engine import Reply
from mockc.runtime.grpc.codec import MEDIA_TYPE, Codec, CodecError, fit_scalars
from mockc.runtime.grpc.descriptors import Protos
from mockc.runtime.grpc.status import DETAILS_KEY, error_of, status_code
from tests.support.corpus import CORPUS

ROUTE_GUIDE = CORPUS / "proto" / "grpc-route-guide" / "route_guide.proto"
HEALTH = CORPUS / "proto" / "grpc-health-v1" / "grpc" / "health" / "v1" / "health.proto"


def protos_of(path: Path) -> Protos:
    api = proto.load(path)
    return Protos(
        descriptor_pb2.FileDescriptorSet.FromString(base64.b64decode(proto.descriptor_set_of(api)))
    )


@pytest.fixture(scope="module")
def codec() -> Codec:
    return Codec(protos_of(ROUTE_GUIDE))


def ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/$defs/{name}"}


def test_json_data_round_trips_through_the_message_type(codec: Codec) -> None:
    data = {"name": "Tower", "location": {"latitude": 1, "longitude": -2}}
    encoded = codec.encode(data, MEDIA_TYPE, ref("routeguide.Feature"))
    feature = codec.protos.message_class("routeguide.Feature").FromString(encoded)
    assert (feature.name, feature.location.longitude) == ("Tower", -2)
    assert codec.json_of(encoded) == json.dumps(data, separators=(",", ":")).encode()
    decoded = codec.to_data(encoded, codec.protos.message_class("routeguide.Feature"))
    assert decoded == data
    empty = codec.to_data(b"", codec.protos.message_class("routeguide.Point"))
    assert empty == {"latitude": 0, "longitude": 0}, "fields without presence are shown"


def test_proto_field_names_are_accepted_too(codec: Codec) -> None:
    encoded = codec.encode({"point_count": 3}, MEDIA_TYPE, ref("routeguide.RouteSummary"))
    summary = codec.protos.message_class("routeguide.RouteSummary").FromString(encoded)
    assert summary.point_count == 3


def test_template_numbers_fit_text_fields(codec: Codec) -> None:
    encoded = codec.encode(
        {"name": 7, "location": {"latitude": "5"}}, MEDIA_TYPE, ref("routeguide.Feature")
    )
    feature = codec.protos.message_class("routeguide.Feature").FromString(encoded)
    assert (feature.name, feature.location.latitude) == ("7", 5)
    descriptor = codec.protos.message_class("routeguide.Feature").DESCRIPTOR
    assert fit_scalars({"name": True, "other": 1}, descriptor) == {"name": "true", "other": 1}


def test_wrong_data_is_a_codec_error_naming_the_type(codec: Codec) -> None:
    with pytest.raises(CodecError, match="not a valid routeguide.Feature.*nam"):
        codec.encode({"nam": "x"}, MEDIA_TYPE, ref("routeguide.Feature"))
    with pytest.raises(CodecError, match="no message type"):
        codec.encode({}, MEDIA_TYPE, {"type": "object"})
    with pytest.raises(CodecError, match="no message type 'nope.Nope'"):
        codec.encode({}, MEDIA_TYPE, ref("nope.Nope"))
    with pytest.raises(CodecError, match="not a valid routeguide.Point message"):
        codec.to_data(b"\x0f\xff", codec.protos.message_class("routeguide.Point"))


def test_other_media_types_are_json(codec: Codec) -> None:
    assert codec.encode({"a": 1}, "application/json", None) == b'{"a":1}'
    assert codec.encode(b"raw", MEDIA_TYPE, None) == b"raw"


def test_the_pool_is_private_and_has_google_rpc() -> None:
    protos = protos_of(HEALTH)  # the same file name as grpcio-health-checking's
    from grpc_health.v1 import health_pb2  # noqa: F401 - the default pool has its own

    assert protos.message_class("grpc.health.v1.HealthCheckRequest")
    assert protos.message_class("google.rpc.BadRequest")
    assert protos.message_class("google.protobuf.Empty")
    assert protos.service_names(["grpc/health/v1/health.proto"]) == ["grpc.health.v1.Health"]


@pytest.mark.parametrize(
    ("status", "code"),
    [
        ("OK", grpc.StatusCode.OK),
        ("not_found", grpc.StatusCode.NOT_FOUND),
        ("5", grpc.StatusCode.NOT_FOUND),
        (200, grpc.StatusCode.OK),
        ("204", grpc.StatusCode.OK),
        ("404", grpc.StatusCode.NOT_FOUND),
        (429, grpc.StatusCode.RESOURCE_EXHAUSTED),
        ("500", grpc.StatusCode.INTERNAL),
        ("503", grpc.StatusCode.UNAVAILABLE),
        ("418", grpc.StatusCode.UNKNOWN),
        ("NOT_FUND", None),
        ("99", None),
    ],
)
def test_status_codes(status: str | int, code: grpc.StatusCode | None) -> None:
    assert status_code(status) is code


def test_errors_from_status_messages_json_and_text(codec: Codec) -> None:
    status = codec.protos.message_class("google.rpc.Status")(message="gone")
    reply = Reply("NOT_FOUND", media_type=MEDIA_TYPE, content=status.SerializeToString())
    error = error_of(reply, grpc.StatusCode.NOT_FOUND, codec)
    assert (error.message, error.trailers) == ("gone", ())
    problem = Reply(
        "404",
        media_type="application/problem+json",
        content=b'{"title": "No mock matched", "detail": "closest: x"}',
    )
    assert error_of(problem, grpc.StatusCode.NOT_FOUND, codec).message == "closest: x"
    assert (
        error_of(Reply("500", body={"title": "Injected"}), grpc.StatusCode.INTERNAL, codec).message
        == "Injected"
    )
    assert error_of(Reply("500"), grpc.StatusCode.INTERNAL, codec).message == ""


def test_error_details_travel_as_a_google_rpc_status(codec: Codec) -> None:
    body = {
        "message": "bad",
        "details": [
            {
                "@type": "type.googleapis.com/google.rpc.BadRequest",
                "fieldViolations": [{"field": "a", "description": "b"}],
            }
        ],
    }
    content = codec.encode(body, MEDIA_TYPE, ref("google.rpc.Status"))
    error = error_of(
        Reply("INVALID_ARGUMENT", media_type=MEDIA_TYPE, content=content),
        grpc.StatusCode.INVALID_ARGUMENT,
        codec,
    )
    ((key, raw),) = error.trailers
    assert key == DETAILS_KEY
    status = status_pb2.Status.FromString(raw)
    assert (status.code, status.message) == (3, "bad")
    violation = error_details_pb2.BadRequest()
    assert status.details[0].Unpack(violation) and violation.field_violations[0].field == "a"
    broken = Reply("INVALID_ARGUMENT", body={"message": "x", "details": [{"@type": "nope"}]})
    assert (
        error_of(broken, grpc.StatusCode.INVALID_ARGUMENT, codec).code is grpc.StatusCode.INTERNAL
    )


def test_metadata_becomes_headers_and_headers_metadata() -> None:
    from mockc.runtime.grpc.metadata import reply_metadata, request_headers

    headers = request_headers([("x-tenant", "a"), ("x-tenant", "b"), ("trace-bin", b"\x00\x01")])
    assert headers == {"x-tenant": "a, b", "trace-bin": "AAE="}
    assert request_headers(None) == {}
    sent = reply_metadata(
        {"X-Answer": "yes", "grpc-status": "0", "content-type": "x", "Key-Bin": "AAE="}
    )
    assert sent == (("x-answer", "yes"), ("key-bin", b"\x00\x01"))
