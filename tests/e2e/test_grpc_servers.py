"""Generated gRPC servers, end to end: generate from corpus protos, run
``python server.py``, call them with stubs made by grpcio-tools."""

from __future__ import annotations

import filecmp
import json
import re
import shutil
import sqlite3
import subprocess
import sys
import venv
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType, SimpleNamespace
from typing import Any

import grpc
import httpx
import pytest
from google.protobuf import descriptor_pb2, descriptor_pool, message_factory
from google.rpc import error_details_pb2
from grpc_health.v1 import health_pb2, health_pb2_grpc
from grpc_reflection.v1alpha.proto_reflection_descriptor_database import (
    ProtoReflectionDescriptorDatabase,
)
from grpc_status import rpc_status

from mockc.compiler.driver import GenerateOptions, generate
from tests.support.corpus import CORPUS
from tests.support.grpc_kit import GrpcServer, compile_stubs

PROTO = CORPUS / "proto"
ROUTE_GUIDE = PROTO / "grpc-route-guide"
HELLOWORLD = PROTO / "grpc-helloworld"
PUBSUB_ROOT = PROTO / "googleapis-pubsub-v1"
MOCKC = str(Path(sys.executable).with_name("mockc"))


# -- route guide: the four shapes, mocks, errors, reflection, admin -----------


@pytest.fixture(scope="module")
def rg_stubs(tmp_path_factory: pytest.TempPathFactory) -> tuple[ModuleType, ModuleType]:
    stubs = compile_stubs(tmp_path_factory.mktemp("rg-stubs"), ROUTE_GUIDE, ["route_guide.proto"])
    return stubs.modules("route_guide")


@pytest.fixture(scope="module")
def rg_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("route-guide") / "server"
    generate([ROUTE_GUIDE / "route_guide.proto"], out, GenerateOptions())
    return out


@pytest.fixture(scope="module")
def rg(rg_dir: Path) -> Iterator[GrpcServer]:
    with GrpcServer(rg_dir) as running:
        yield running


@pytest.fixture(scope="module")
def stub(rg: GrpcServer, rg_stubs: tuple[ModuleType, ModuleType]) -> Iterator[Any]:
    channel = grpc.insecure_channel(rg.target)
    yield rg_stubs[1].RouteGuideStub(channel)
    channel.close()


def add_mock(server: GrpcServer, mock: dict[str, Any], scenario: str | None = None) -> None:
    params = {"scenario": scenario} if scenario else {}
    answer = httpx.post(f"{server.admin_url}/__mockc/mocks", json=mock, params=params)
    assert answer.status_code == 201, answer.text


def test_every_method_answers_a_message_of_its_type(stub: Any, rg_stubs: Any) -> None:
    pb = rg_stubs[0]
    assert isinstance(stub.GetFeature(pb.Point(latitude=1)), pb.Feature)
    features = list(stub.ListFeatures(pb.Rectangle()))
    assert len(features) == 3 and all(isinstance(f, pb.Feature) for f in features)
    summary = stub.RecordRoute(iter([pb.Point(latitude=i) for i in range(3)]))
    assert isinstance(summary, pb.RouteSummary)
    notes = list(stub.RouteChat(iter([pb.RouteNote(message="a"), pb.RouteNote(message="b")])))
    assert len(notes) == 2 and all(isinstance(n, pb.RouteNote) for n in notes)


def test_mocks_added_live_match_on_fields_and_metadata(
    rg: GrpcServer, stub: Any, rg_stubs: Any
) -> None:
    pb = rg_stubs[0]
    add_mock(
        rg,
        {
            "id": "tower-for-acme",
            "operation": "RouteGuide_GetFeature",
            "match": {"body": {"latitude": 409146138}, "headers": {"x-tenant": "acme"}},
            "response": {"body": {"name": "Acme Tower", "location": {"latitude": 409146138}}},
        },
    )
    add_mock(
        rg,
        {
            "id": "tower-for-others",
            "operation": "RouteGuide_GetFeature",
            "match": {"body": {"latitude": 409146138}},
            "response": {"body": {"name": "Some Tower"}},
        },
    )
    point = pb.Point(latitude=409146138, longitude=-746188906)
    assert stub.GetFeature(point, metadata=[("x-tenant", "acme")]).name == "Acme Tower"
    assert stub.GetFeature(point, metadata=[("x-tenant", "other")]).name == "Some Tower"
    assert stub.GetFeature(pb.Point(latitude=1)).name not in ("Acme Tower", "Some Tower")


def test_status_codes_and_error_details_reach_the_client(
    rg: GrpcServer, stub: Any, rg_stubs: Any
) -> None:
    add_mock(
        rg,
        {
            "id": "out-of-range",
            "operation": "RouteGuide_GetFeature",
            "match": {"body": {"latitude": {"gt": 900000000}}},
            "response": {
                "status": "OUT_OF_RANGE",
                "headers": {"x-hint": "latitudes stop at 90 degrees"},
                "body": {
                    "message": "latitude out of range",
                    "details": [
                        {
                            "@type": "type.googleapis.com/google.rpc.BadRequest",
                            "fieldViolations": [{"field": "latitude", "description": "≤ 90°"}],
                        }
                    ],
                },
            },
        },
    )
    with pytest.raises(grpc.RpcError) as caught:
        stub.GetFeature(rg_stubs[0].Point(latitude=950000000))
    error = caught.value
    assert (error.code(), error.details()) == (
        grpc.StatusCode.OUT_OF_RANGE,
        "latitude out of range",
    )
    assert ("x-hint", "latitudes stop at 90 degrees") in tuple(error.trailing_metadata())
    status = rpc_status.from_call(error)
    assert status is not None
    bad_request = error_details_pb2.BadRequest()
    assert status.details[0].Unpack(bad_request)
    assert bad_request.field_violations[0].description == "≤ 90°"


def test_streams_follow_their_mocks(rg: GrpcServer, stub: Any, rg_stubs: Any) -> None:
    pb = rg_stubs[0]
    add_mock(
        rg,
        {
            "id": "listing",
            "operation": "RouteGuide_ListFeatures",
            "match": {"body": {"hi.latitude": 10}},
            "responses": [{"body": {"name": "first"}}, {"body": {"name": "second"}}],
            "stream": {"count": 4, "interval_ms": 10},
        },
    )
    names = [f.name for f in stub.ListFeatures(pb.Rectangle(hi=pb.Point(latitude=10)))]
    assert names == ["first", "second", "first", "second"]
    add_mock(
        rg,
        {
            "id": "long-route",
            "operation": "RouteGuide_RecordRoute",
            "match": {"when": "len(request.body) > 3"},
            "response": {"body": {"pointCount": "{{ len(request.body) }}", "distance": 42}},
        },
    )
    summary = stub.RecordRoute(iter([pb.Point(latitude=i) for i in range(5)]))
    assert (summary.point_count, summary.distance) == (5, 42)
    add_mock(
        rg,
        {
            "id": "chat-reply",
            "operation": "RouteGuide_RouteChat",
            "match": {"body": {"message": {"matches": "^hello"}}},
            "response": {"body": {"message": "hi, {{ request.body.location.latitude }}"}},
        },
    )
    notes = [pb.RouteNote(message="hello", location=pb.Point(latitude=n)) for n in (1, 2)]
    assert [n.message for n in stub.RouteChat(iter(notes))] == ["hi, 1", "hi, 2"]


def test_reflection_and_health_are_served(rg: GrpcServer) -> None:
    with grpc.insecure_channel(rg.target) as channel:
        database = ProtoReflectionDescriptorDatabase(channel)
        assert "routeguide.RouteGuide" in database.get_services()
        health = health_pb2_grpc.HealthStub(channel)
        answer = health.Check(health_pb2.HealthCheckRequest(service="routeguide.RouteGuide"))
        assert answer.status == health_pb2.HealthCheckResponse.SERVING
    assert httpx.get(f"{rg.admin_url}/health").json()["status"] == "ok"


def test_reflection_v1_is_served_beside_v1alpha(rg: GrpcServer, tmp_path: Path) -> None:
    """grpcurl and Postman ask ``grpc.reflection.v1`` first: it answers, with the
    v1 messages compiled from the real reflection.proto, and grpcio-reflection's
    own client resolves the services over it."""
    protos = tmp_path / "protos" / "reflection_v1"
    protos.mkdir(parents=True)
    shutil.copy(
        PROTO / "grpc-reflection-v1" / "grpc" / "reflection" / "v1" / "reflection.proto", protos
    )
    pb, pb_grpc = compile_stubs(
        tmp_path / "stubs", protos.parent, ["reflection_v1/reflection.proto"]
    ).modules("reflection_v1.reflection")
    with grpc.insecure_channel(rg.target) as channel:
        v1 = pb_grpc.ServerReflectionStub(channel)
        [listed] = v1.ServerReflectionInfo(iter([pb.ServerReflectionRequest(list_services="")]))
        names = {service.name for service in listed.list_services_response.service}
        assert names == {
            "routeguide.RouteGuide",
            "grpc.health.v1.Health",
            "grpc.reflection.v1.ServerReflection",
            "grpc.reflection.v1alpha.ServerReflection",
        }
        [found] = v1.ServerReflectionInfo(
            iter(
                [
                    pb.ServerReflectionRequest(
                        file_containing_symbol="grpc.reflection.v1.ServerReflection"
                    )
                ]
            )
        )
        described = descriptor_pb2.FileDescriptorProto.FromString(
            found.file_descriptor_response.file_descriptor_proto[0]
        )
        assert (described.package, described.service[0].name) == (
            "grpc.reflection.v1",
            "ServerReflection",
        )

        from grpc_reflection.v1alpha import reflection_pb2

        database = ProtoReflectionDescriptorDatabase(channel)
        database._stub = SimpleNamespace(  # the same client, over the v1 method
            ServerReflectionInfo=channel.stream_stream(
                "/grpc.reflection.v1.ServerReflection/ServerReflectionInfo",
                request_serializer=lambda request: request.SerializeToString(),
                response_deserializer=reflection_pb2.ServerReflectionResponse.FromString,
            )
        )
        assert "routeguide.RouteGuide" in database.get_services()
        pool = descriptor_pool.DescriptorPool(database)
        service = pool.FindServiceByName("routeguide.RouteGuide")
        assert [method.name for method in service.methods] == [
            "GetFeature",
            "ListFeatures",
            "RecordRoute",
            "RouteChat",
        ]
        assert pool.FindMessageTypeByName("routeguide.Feature").fields_by_name["location"]


def test_the_admin_api_sees_grpc_calls(rg: GrpcServer, stub: Any, rg_stubs: Any) -> None:
    stub.GetFeature(rg_stubs[0].Point(latitude=7), metadata=[("x-trace", "t-1")])
    journal = httpx.get(
        f"{rg.admin_url}/__mockc/journal", params={"operation": "RouteGuide_GetFeature"}
    ).json()
    traced = next(e for e in journal["entries"] if e["request"]["headers"].get("x-trace") == "t-1")
    assert (traced["protocol"], traced["status"]) == ("grpc", "OK")
    assert traced["target"] == "/routeguide.RouteGuide/GetFeature"
    assert json.loads(traced["request"]["body"]["data"]) == {"latitude": 7, "longitude": 0}
    metrics = httpx.get(f"{rg.admin_url}/metrics").text
    assert re.search(
        r'mockc_requests_total\{operation="RouteGuide_GetFeature",protocol="grpc",status="OK"\} \d',
        metrics,
    )
    info = httpx.get(f"{rg.admin_url}/__mockc/info").json()
    assert "RouteGuide_RouteChat" in json.dumps(info)


def test_scenarios_switch_grpc_answers(rg: GrpcServer, stub: Any, rg_stubs: Any) -> None:
    mock = {
        "id": "outage",
        "operation": "RouteGuide_GetFeature",
        "response": {"status": "UNAVAILABLE", "body": {"message": "maintenance"}},
    }
    answer = httpx.post(
        f"{rg.admin_url}/__mockc/scenarios", json={"name": "outage", "mocks": [mock]}
    )
    assert answer.status_code == 201, answer.text
    assert httpx.put(f"{rg.admin_url}/__mockc/scenarios/active", json={"name": "outage"}).is_success
    try:
        with pytest.raises(grpc.RpcError) as caught:
            stub.GetFeature(rg_stubs[0].Point(latitude=3))
        assert caught.value.code() is grpc.StatusCode.UNAVAILABLE
    finally:
        httpx.put(f"{rg.admin_url}/__mockc/scenarios/active", json={"name": None})
    assert isinstance(stub.GetFeature(rg_stubs[0].Point(latitude=3)), rg_stubs[0].Feature)


# -- helloworld: the command line, SIGTERM, determinism, a fresh venv -----------


@pytest.fixture(scope="module")
def hello_stubs(tmp_path_factory: pytest.TempPathFactory) -> tuple[ModuleType, ModuleType]:
    stubs = compile_stubs(tmp_path_factory.mktemp("hw-stubs"), HELLOWORLD, ["helloworld.proto"])
    return stubs.modules("helloworld")


@pytest.fixture(scope="module")
def hello_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("helloworld") / "server"
    result = subprocess.run(
        [MOCKC, "generate", str(HELLOWORLD / "helloworld.proto"), "-o", str(out)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "2 operations" in result.stderr
    return out


def say_hello(server: GrpcServer, hello_stubs: Any, name: str = "you", **kw: Any) -> Any:
    pb, pb_grpc = hello_stubs
    with grpc.insecure_channel(server.target) as channel:
        return pb_grpc.GreeterStub(channel).SayHello(pb.HelloRequest(name=name), **kw)


def test_cli_generate_then_run_and_sigterm_flushes_the_journal(
    hello_dir: Path, hello_stubs: Any
) -> None:
    with GrpcServer(hello_dir) as running:
        reply = say_hello(running, hello_stubs, "journal")
        assert isinstance(reply, hello_stubs[0].HelloReply) and reply.message
        assert running.terminate() == 0
    rows = (
        sqlite3.connect(hello_dir / ".mockc-data" / "journal.sqlite")
        .execute("SELECT protocol, target, status, request_body FROM entries")
        .fetchall()
    )
    assert ("grpc", "/helloworld.Greeter/SayHello", "OK", b'{"name":"journal"}') in rows


def test_server_wide_delay_meets_client_deadlines(hello_dir: Path, hello_stubs: Any) -> None:
    with GrpcServer(hello_dir, {"MOCKC_DELAY_MS": "300", "MOCKC_JOURNAL": "off"}) as running:
        with pytest.raises(grpc.RpcError) as caught:
            say_hello(running, hello_stubs, timeout=0.1)
        assert caught.value.code() is grpc.StatusCode.DEADLINE_EXCEEDED
        assert say_hello(running, hello_stubs, timeout=5).message


def test_explicit_target_and_regeneration_are_byte_identical(
    tmp_path: Path, hello_dir: Path
) -> None:
    again = tmp_path / "again"
    result = subprocess.run(
        [
            MOCKC,
            "generate",
            str(HELLOWORLD / "helloworld.proto"),
            "--target",
            "grpc",
            "-o",
            str(again),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    comparison = filecmp.dircmp(
        hello_dir, again, ignore=["__pycache__", ".mockc-data", "cache.json"]
    )
    assert _differences(comparison) == []


def _differences(comparison: filecmp.dircmp[str]) -> list[str]:
    found = [*comparison.left_only, *comparison.right_only]
    for name, sub in comparison.subdirs.items():
        found += [f"{name}/{entry}" for entry in _differences(sub)]
    for name in comparison.common_files:
        if (Path(comparison.left) / name).read_bytes() != (
            Path(comparison.right) / name
        ).read_bytes():
            found.append(name)
    return found


def test_runs_from_a_fresh_venv_with_the_dockerfile_commands(
    tmp_path: Path, hello_dir: Path, hello_stubs: Any
) -> None:
    """`pip install -r requirements.txt && python server.py`, as the Dockerfile does
    it, in a virtual environment with no mockc and no grpcio-tools."""
    dockerfile = (hello_dir / "Dockerfile").read_text()
    install = re.search(r"^RUN (.+)$", dockerfile, re.MULTILINE)
    start = re.search(r"^CMD (.+)$", dockerfile, re.MULTILINE)
    assert install and start
    install_args = install.group(1).split()
    start_args = json.loads(start.group(1))
    app = tmp_path / "app"
    shutil.copytree(hello_dir, app, ignore=shutil.ignore_patterns(".mockc-data"))
    env_dir = tmp_path / "env"
    venv.create(env_dir, with_pip=True)
    python = str(env_dir / "bin" / "python")
    subprocess.run(
        [python, "-m", *install_args, "--disable-pip-version-check", "-q"],
        cwd=app,
        check=True,
        timeout=600,
    )
    for absent in ("mockc", "grpc_tools"):
        probe = subprocess.run([python, "-c", f"import {absent}"], capture_output=True)
        assert probe.returncode != 0, f"{absent} must not be importable in this environment"
    (app / "handlers.py").write_text(HOOK_USING_PB2, encoding="utf-8")
    assert start_args == ["python", "server.py"]  # what GrpcServer runs, with this python
    with GrpcServer(app, python=python) as running:
        assert say_hello(running, hello_stubs).message
        assert say_hello(running, hello_stubs, "pb2").message == "helloworld.HelloReply"
        assert running.terminate() == 0


HOOK_USING_PB2 = """\
import helloworld_pb2  # made at generation time, in protos/


def Greeter_SayHello(request):
    if request.body.get("name") == "pb2":
        return request.reply(body={"message": helloworld_pb2.HelloReply.DESCRIPTOR.full_name})
    return None
"""


# -- a googleapis service with imports ------------------------------------------


@pytest.fixture(scope="module")
def pubsub_stubs(tmp_path_factory: pytest.TempPathFactory) -> tuple[ModuleType, ModuleType]:
    stubs = compile_stubs(
        tmp_path_factory.mktemp("pubsub-stubs"),
        PUBSUB_ROOT,
        ["google/pubsub/v1/pubsub.proto", "google/pubsub/v1/schema.proto"],
    )
    return stubs.modules("google.pubsub.v1.pubsub")


def test_a_googleapis_service_with_imports(
    tmp_path: Path, pubsub_stubs: tuple[ModuleType, ModuleType]
) -> None:
    out = tmp_path / "pubsub"
    spec = PUBSUB_ROOT / "google" / "pubsub" / "v1" / "pubsub.proto"
    result = subprocess.run(
        [MOCKC, "generate", str(spec), "-I", str(PUBSUB_ROOT), "-o", str(out), "-q"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    pb, pb_grpc = pubsub_stubs
    with (
        GrpcServer(out, {"MOCKC_JOURNAL": "off"}) as running,
        grpc.insecure_channel(running.target) as channel,
    ):
        answered = 0
        for name, stub_class in (
            ("Publisher", pb_grpc.PublisherStub),
            ("Subscriber", pb_grpc.SubscriberStub),
        ):
            stub = stub_class(channel)
            for method in pb.DESCRIPTOR.services_by_name[name].methods:
                request = message_factory.GetMessageClass(method.input_type)()
                output = method.output_type.full_name
                call = getattr(stub, method.name)
                if method.client_streaming:
                    replies = list(call(iter([request, request])))
                else:
                    replies = [call(request)]
                assert replies and all(r.DESCRIPTOR.full_name == output for r in replies), (
                    method.name
                )
                answered += 1
        assert answered == 25
