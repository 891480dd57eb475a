"""The gRPC adapter, served in this process: the four method shapes, matching on
messages and metadata, errors with details, faults, delays and deadlines,
hooks, reflection, health, the journal and the metrics."""

from __future__ import annotations

import json
import textwrap
import time
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import grpc
import pytest
from google.rpc import error_details_pb2
from grpc_health.v1 import health_pb2, health_pb2_grpc
from grpc_reflection.v1alpha.proto_reflection_descriptor_database import (
    ProtoReflectionDescriptorDatabase,
)
from grpc_status import rpc_status

from mockc.compiler.driver import GenerateOptions, generate
from tests.support.corpus import CORPUS
from tests.support.grpc_kit import InProcessServer, compile_stubs

ROUTE_GUIDE = CORPUS / "proto" / "grpc-route-guide"

MOCKS = {
    "feature-acme.yaml": """\
        operation: RouteGuide_GetFeature
        match:
          body: {latitude: 1}
          headers: {x-tenant: acme}
        response:
          body: {name: "acme at {{ request.body.longitude }}", location: {latitude: 1}}
          headers: {x-answered-by: mock}
        """,
    "feature-negative.yaml": """\
        operation: RouteGuide_GetFeature
        match: {body: {latitude: {lt: 0}}}
        response:
          status: INVALID_ARGUMENT
          headers: {x-debug: negative}
          body:
            message: latitude must not be negative
            details:
              - "@type": type.googleapis.com/google.rpc.BadRequest
                fieldViolations: [{field: latitude, description: must be >= 0}]
        """,
    "feature-slow.yaml": """\
        operation: RouteGuide_GetFeature
        match: {body: {latitude: 99}}
        response: {body: {name: slow}, delay: 400}
        """,
    "feature-reset.yaml": """\
        operation: RouteGuide_GetFeature
        match: {body: {latitude: 98}}
        response: {body: {name: reset}, fault: {kind: reset}}
        """,
    "feature-malformed.yaml": """\
        operation: RouteGuide_GetFeature
        match: {body: {latitude: 97}}
        response: {body: {name: a long enough name}, fault: {kind: malformed}}
        """,
    "feature-http.yaml": """\
        operation: RouteGuide_GetFeature
        match: {body: {latitude: 96}}
        response: {status: 503}
        """,
    "list.yaml": """\
        operation: RouteGuide_ListFeatures
        match: {body: {"lo.latitude": 5}}
        responses:
          - body: {name: a}
          - body: {name: b}
          - body: {name: c}
        stream: {interval_ms: 50}
        """,
    "list-many.yaml": """\
        operation: RouteGuide_ListFeatures
        match: {body: {"lo.latitude": 6}}
        response: {body: {name: "{{ counter('n') }}"}}
        stream: {count: 5}
        """,
    "list-error.yaml": """\
        operation: RouteGuide_ListFeatures
        match: {body: {"lo.latitude": 7}}
        responses:
          - body: {name: first}
          - {status: NOT_FOUND, body: {message: gone}}
        """,
    "record.yaml": """\
        operation: RouteGuide_RecordRoute
        match: {when: "len(request.body) >= 3", body: {"[0].latitude": 1}}
        response:
          body: {pointCount: "{{ len(request.body) }}", featureCount: 7}
        """,
    "chat-summary.yaml": """\
        operation: RouteGuide_RouteChat
        priority: 5
        match: {headers: {x-mode: summary}}
        stream: {per: call}
        response:
          body: {message: "got {{ len(request.body) }} notes"}
        """,
    "chat-echo.yaml": """\
        operation: RouteGuide_RouteChat
        match: {body: {message: {matches: "^echo"}}}
        response:
          body: {message: "you said {{ request.body.message }}"}
        """,
    "chat-twice.yaml": """\
        operation: RouteGuide_RouteChat
        match: {body: {message: twice}}
        stream: {count: 2}
        response:
          body: {message: again}
        """,
}

HANDLERS = """\
def RouteGuide_GetFeature(request):
    if request.body.get("latitude") == 42:
        return request.reply(status="PERMISSION_DENIED", body={"message": "hook says no"})
    if request.body.get("latitude") == 43:
        return request.reply(body={"name": "from the hook"})
    return None
"""


@pytest.fixture(scope="module")
def stubs(tmp_path_factory: pytest.TempPathFactory) -> tuple[ModuleType, ModuleType]:
    compiled = compile_stubs(tmp_path_factory.mktemp("stubs"), ROUTE_GUIDE, ["route_guide.proto"])
    return compiled.modules("route_guide")


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("route-guide") / "server"
    generate([ROUTE_GUIDE / "route_guide.proto"], out, GenerateOptions(link_runtime=True))
    (out / "mocks" / "RouteGuide_GetFeature.yaml").unlink()
    (out / "mocks" / "RouteGuide_ListFeatures.yaml").unlink()  # the engine's fallback answers
    for name, text in MOCKS.items():
        (out / "mocks" / name).write_text(textwrap.dedent(text), encoding="utf-8")
    (out / "handlers.py").write_text(HANDLERS, encoding="utf-8")
    return out


@pytest.fixture(scope="module")
def server(folder: Path) -> Iterator[InProcessServer]:
    with InProcessServer(folder, {"MOCKC_JOURNAL": str(folder / "journal.sqlite")}) as running:
        assert running.app.service.load_problems == []
        yield running


@pytest.fixture(scope="module")
def stub(server: InProcessServer, stubs: tuple[ModuleType, ModuleType]) -> Iterator[Any]:
    channel = grpc.insecure_channel(server.target)
    yield stubs[1].RouteGuideStub(channel)
    channel.close()


def point(stubs: tuple[ModuleType, ModuleType], latitude: int, longitude: int = 0) -> Any:
    return stubs[0].Point(latitude=latitude, longitude=longitude)


def test_unary_mock_matches_body_and_metadata(stub: Any, stubs: Any) -> None:
    reply, call = stub.GetFeature.with_call(point(stubs, 1, 9), metadata=[("x-tenant", "acme")])
    assert reply.name == "acme at 9"
    assert reply.location.latitude == 1
    assert ("x-answered-by", "mock") in tuple(call.initial_metadata())
    other = stub.GetFeature(point(stubs, 1, 9), metadata=[("x-tenant", "globex")])
    assert other.name != "acme at 9", "metadata conditions select the mock"
    assert isinstance(other, stubs[0].Feature)


def test_fake_answers_are_of_the_declared_type_and_stable(stub: Any, stubs: Any) -> None:
    first = stub.GetFeature(point(stubs, 2))
    assert first.name and first == stub.GetFeature(point(stubs, 3))


def test_error_status_message_details_and_trailing_metadata(stub: Any, stubs: Any) -> None:
    with pytest.raises(grpc.RpcError) as caught:
        stub.GetFeature(point(stubs, -3))
    error = caught.value
    assert error.code() is grpc.StatusCode.INVALID_ARGUMENT
    assert error.details() == "latitude must not be negative"
    assert ("x-debug", "negative") in tuple(error.trailing_metadata())
    status = rpc_status.from_call(error)
    assert status is not None and status.code == grpc.StatusCode.INVALID_ARGUMENT.value[0]
    bad_request = error_details_pb2.BadRequest()
    assert status.details[0].Unpack(bad_request)
    assert [(v.field, v.description) for v in bad_request.field_violations] == [
        ("latitude", "must be >= 0")
    ]


def test_prefer_metadata_asks_for_an_error_status(stub: Any, stubs: Any) -> None:
    with pytest.raises(grpc.RpcError) as caught:
        stub.GetFeature(point(stubs, 2), metadata=[("prefer", "code=NOT_FOUND")])
    assert caught.value.code() is grpc.StatusCode.NOT_FOUND
    assert caught.value.details() == "mockc: NOT_FOUND"


def test_http_statuses_map_to_grpc_codes(stub: Any, stubs: Any) -> None:
    with pytest.raises(grpc.RpcError) as caught:
        stub.GetFeature(point(stubs, 96))
    assert caught.value.code() is grpc.StatusCode.UNAVAILABLE


def test_delay_beyond_the_deadline_is_deadline_exceeded(stub: Any, stubs: Any) -> None:
    started = time.monotonic()
    with pytest.raises(grpc.RpcError) as caught:
        stub.GetFeature(point(stubs, 99), timeout=0.15)
    assert caught.value.code() is grpc.StatusCode.DEADLINE_EXCEEDED
    assert time.monotonic() - started < 0.4
    assert stub.GetFeature(point(stubs, 99), timeout=5).name == "slow"


def test_faults(stub: Any, stubs: Any) -> None:
    with pytest.raises(grpc.RpcError) as reset:
        stub.GetFeature(point(stubs, 98))
    assert reset.value.code() is grpc.StatusCode.UNAVAILABLE
    with pytest.raises(grpc.RpcError) as malformed:
        stub.GetFeature(point(stubs, 97))
    assert malformed.value.code() is grpc.StatusCode.INTERNAL


def test_hooks_answer_before_the_mocks(stub: Any, stubs: Any) -> None:
    assert stub.GetFeature(point(stubs, 43)).name == "from the hook"
    with pytest.raises(grpc.RpcError) as caught:
        stub.GetFeature(point(stubs, 42))
    assert (caught.value.code(), caught.value.details()) == (
        grpc.StatusCode.PERMISSION_DENIED,
        "hook says no",
    )


def test_server_stream_sends_responses_in_order_at_the_interval(stub: Any, stubs: Any) -> None:
    rectangle = stubs[0].Rectangle(lo=point(stubs, 5))
    started = time.monotonic()
    names = [feature.name for feature in stub.ListFeatures(rectangle)]
    assert names == ["a", "b", "c"]
    assert time.monotonic() - started >= 0.1
    assert [f.name for f in stub.ListFeatures(rectangle)] == ["a", "b", "c"], "per call"


def test_server_stream_count_and_default(stub: Any, stubs: Any) -> None:
    many = list(stub.ListFeatures(stubs[0].Rectangle(lo=point(stubs, 6))))
    assert len(many) == 5
    assert len({feature.name for feature in many}) == 5, "templates render per message"
    fallback = list(stub.ListFeatures(stubs[0].Rectangle()))
    assert len(fallback) == 3 and all(isinstance(f, stubs[0].Feature) for f in fallback)
    assert len({f.SerializeToString() for f in fallback}) == 3, "each message is another fake"


def test_an_error_ends_a_stream_after_the_messages_before_it(stub: Any, stubs: Any) -> None:
    received = []
    with pytest.raises(grpc.RpcError) as caught:
        for feature in stub.ListFeatures(stubs[0].Rectangle(lo=point(stubs, 7))):
            received.append(feature.name)
    assert received == ["first"]
    assert caught.value.code() is grpc.StatusCode.NOT_FOUND


def test_client_stream_matches_on_the_list_of_messages(stub: Any, stubs: Any) -> None:
    summary = stub.RecordRoute(iter([point(stubs, 1), point(stubs, 2), point(stubs, 3)]))
    assert (summary.point_count, summary.feature_count) == (3, 7)
    fallback = stub.RecordRoute(iter([point(stubs, 1)]))
    assert isinstance(fallback, stubs[0].RouteSummary) and fallback.feature_count != 7


def test_bidi_answers_each_message(stub: Any, stubs: Any) -> None:
    notes = [stubs[0].RouteNote(message=text) for text in ("echo 1", "twice", "echo 2")]
    answers = [note.message for note in stub.RouteChat(iter(notes))]
    assert answers[:1] == ["you said echo 1"]
    assert answers[1:3] == ["again", "again"]
    assert answers[3:] == ["you said echo 2"]


def test_bidi_answers_once_at_the_end_when_the_mock_says(stub: Any, stubs: Any) -> None:
    notes = [stubs[0].RouteNote(message=text) for text in ("a", "b", "c")]
    answers = list(stub.RouteChat(iter(notes), metadata=[("x-mode", "summary")]))
    assert [note.message for note in answers] == ["got 3 notes"]


def test_reflection_lists_the_services(server: InProcessServer) -> None:
    with grpc.insecure_channel(server.target) as channel:
        services = ProtoReflectionDescriptorDatabase(channel).get_services()
    assert set(services) == {
        "routeguide.RouteGuide",
        "grpc.health.v1.Health",
        "grpc.reflection.v1.ServerReflection",
        "grpc.reflection.v1alpha.ServerReflection",
    }


def test_health_is_serving(server: InProcessServer) -> None:
    with grpc.insecure_channel(server.target) as channel:
        health = health_pb2_grpc.HealthStub(channel)
        for service in ("", "routeguide.RouteGuide"):
            answer = health.Check(health_pb2.HealthCheckRequest(service=service))
            assert answer.status == health_pb2.HealthCheckResponse.SERVING


def test_undecodable_requests_are_invalid_argument(server: InProcessServer) -> None:
    with grpc.insecure_channel(server.target) as channel:
        call = channel.unary_unary("/routeguide.RouteGuide/GetFeature")
        with pytest.raises(grpc.RpcError) as caught:
            call(b"\x0f\xff")
    assert caught.value.code() is grpc.StatusCode.INVALID_ARGUMENT


def test_journal_and_metrics_see_grpc_calls(server: InProcessServer, stub: Any, stubs: Any) -> None:
    stub.GetFeature(point(stubs, 1, 5), metadata=[("x-tenant", "acme")])
    service = server.app.service
    service.journal.flush()
    entries = service.journal.search(operation="RouteGuide_GetFeature", limit=50)["entries"]
    matched = next(e for e in entries if e["source"] == "mock:feature-acme")
    assert matched["protocol"] == "grpc"
    assert matched["target"] == "/routeguide.RouteGuide/GetFeature"
    assert matched["status"] == "OK"
    assert matched["request"]["headers"]["x-tenant"] == "acme"
    assert json.loads(matched["request"]["body"]["data"])["latitude"] == 1
    assert json.loads(matched["response"]["body"]["data"])["name"] == "acme at 5"
    statuses = {entry["status"] for entry in entries}
    assert {"OK", "INVALID_ARGUMENT"} <= statuses
    metrics, _ = service.metrics.render()
    assert b'protocol="grpc"' in metrics and b'status="INVALID_ARGUMENT"' in metrics
