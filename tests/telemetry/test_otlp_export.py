"""Traces over OTLP/HTTP to a real receiver: a generated HTTP server, a gRPC
server and the orchestrator export one span per request (operation, matched
mock, status) when OTEL_EXPORTER_OTLP_ENDPOINT is set; nothing is imported or
exported without it; a missing SDK is said, not a crash."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import grpc
import httpx
import pytest

from mockc.compiler.driver import GenerateOptions, generate
from tests.orchestrator.harness import Orchestrator
from tests.support.corpus import CORPUS
from tests.support.grpc_kit import GrpcServer, compile_stubs
from tests.support.servers import ServerProcess

from .receiver import OtlpReceiver

PETSTORE = CORPUS / "openapi" / "oai-petstore-v3" / "petstore.yaml"
HELLOWORLD = CORPUS / "proto" / "grpc-helloworld"
SERVER = 2  # SpanKind.SPAN_KIND_SERVER in the protocol
ERROR = 2  # Status.STATUS_CODE_ERROR


def otel_env(receiver: OtlpReceiver, **extra: str) -> dict[str, str]:
    return {
        "OTEL_EXPORTER_OTLP_ENDPOINT": receiver.endpoint,
        "OTEL_BSP_SCHEDULE_DELAY": "100",
        **extra,
    }


@pytest.fixture
def receiver() -> Iterator[OtlpReceiver]:
    with OtlpReceiver() as running:
        yield running


def test_an_http_server_exports_a_span_per_request(receiver: OtlpReceiver, tmp_path: Path) -> None:
    out = tmp_path / "server"
    generate([PETSTORE], out, GenerateOptions())
    env = otel_env(receiver, MOCKC_ADMIN_TOKEN="t")
    started = time.time()
    with ServerProcess([sys.executable, "server.py"], cwd=out, env=env) as server:
        with httpx.Client(base_url=server.url) as client:
            assert client.get("/pets").status_code == 200
            assert client.get("/pets/7").status_code == 200
            assert client.get("/nowhere").status_code == 404
            assert client.get("/__mockc/info", headers={"authorization": "Bearer t"}).is_success
        spans = receiver.wait_for(3)
        assert server.terminate() == 0
    time.sleep(0.5)
    assert len(receiver.spans) == 3  # the admin call is not traced
    by_path = {span["attributes"]["url.path"]: span for span in spans}
    pets = by_path["/pets"]
    assert pets["name"] == "GET listPets"
    assert pets["kind"] == SERVER
    assert pets["service"] == "swagger_petstore"  # the server's name
    assert pets["scope"] == "mockc"
    assert pets["attributes"] == {
        "mockc.protocol": "http",
        "mockc.status": "200",
        "mockc.source": "mock:listPets",
        "mockc.operation": "listPets",
        "mockc.mock": "listPets",
        "mockc.matched": True,
        "http.request.method": "GET",
        "url.path": "/pets",
        "http.response.status_code": 200,
    }
    assert started * 1e9 <= pets["start"] <= pets["end"] <= time.time() * 1e9
    assert by_path["/pets/7"]["attributes"]["mockc.operation"] == "showPetById"
    nowhere = by_path["/nowhere"]
    assert "mockc.operation" not in nowhere["attributes"]
    assert nowhere["attributes"]["http.response.status_code"] == 404
    assert nowhere["name"] == "GET /nowhere"


def test_a_grpc_server_exports_a_span_per_call(receiver: OtlpReceiver, tmp_path: Path) -> None:
    out = tmp_path / "server"
    generate([HELLOWORLD / "helloworld.proto"], out, GenerateOptions())
    pb, pb_grpc = compile_stubs(tmp_path / "stubs", HELLOWORLD, ["helloworld.proto"]).modules(
        "helloworld"
    )
    with GrpcServer(out, env=otel_env(receiver, OTEL_SERVICE_NAME="greeter")) as server:
        with grpc.insecure_channel(server.target) as channel:
            assert pb_grpc.GreeterStub(channel).SayHello(pb.HelloRequest(name="otel")).message
        [span] = receiver.wait_for(1)
    assert span["name"] == "/helloworld.Greeter/SayHello"
    assert span["service"] == "greeter"
    assert span["attributes"]["rpc.system"] == "grpc"
    assert span["attributes"]["mockc.operation"] == "Greeter_SayHello"
    assert span["attributes"]["mockc.status"] == "OK"
    assert span["status"] != ERROR


def routes_of(spans: list[dict[str, Any]]) -> set[tuple[str, int]]:
    return {(s["name"], s["attributes"]["http.response.status_code"]) for s in spans}


def test_the_orchestrator_exports_a_span_per_request_without_tokens(
    receiver: OtlpReceiver, tmp_path: Path
) -> None:
    orchestrator = Orchestrator(tmp_path / "data")
    expected = {("GET /servers", 200), ("GET /servers/{name}", 404), ("GET /servers", 401)}
    os.environ.update(otel_env(receiver))
    try:
        with orchestrator as orch, orch.client(orch.admin_token) as client:
            assert client.get("/servers?x=1").status_code == 200
            assert client.get("/servers/nope").status_code == 404
            assert httpx.get(f"{orch.url}/servers").status_code == 401
            spans = receiver.wait_until(lambda spans: expected <= routes_of(spans))
            created = client.post(
                "/servers", json={"name": "pets", "files": {"api.yaml": PETSTORE.read_text()}}
            )
            assert created.status_code == 201, created.text
            assert httpx.get(created.json()["url"] + "/pets").status_code == 200
            served = receiver.wait_until(
                lambda spans: any(span["service"] == "pets" for span in spans)
            )
    finally:
        for name in otel_env(receiver):
            os.environ.pop(name)
    assert all(span["kind"] == SERVER for span in spans)
    nope = next(s for s in spans if s["name"] == "GET /servers/{name}")
    assert nope["attributes"]["mockc.server"] == "nope"
    assert nope["service"] == "mockc-orchestrator"
    assert orchestrator.admin_token not in repr(receiver.spans)
    [pets] = [span for span in served if span["service"] == "pets"]  # the managed server's
    assert (pets["name"], pets["attributes"]["mockc.mock"]) == ("GET listPets", "listPets")


def _python(code: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("OTEL_")}
    return subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env={**clean, **env}
    )


def test_without_the_endpoint_nothing_of_opentelemetry_is_loaded(tmp_path: Path) -> None:
    out = tmp_path / "server"
    generate([PETSTORE], out, GenerateOptions())
    code = (
        "import sys, runpy\n"
        f"sys.path.insert(0, {str(out)!r})\n"
        "from mockc.runtime.telemetry import tracer_from_environment\n"
        "assert tracer_from_environment('x') is None\n"
        "import mockc.runtime.service, mockc.runtime.http\n"
        "print(sorted(m for m in sys.modules if m.startswith('opentelemetry')))\n"
    )
    done = _python(code, {})
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


def test_a_missing_sdk_is_said_once_and_serving_goes_on() -> None:
    code = (
        "import sys\n"
        "sys.modules['opentelemetry.sdk'] = None\n"
        "from mockc.runtime.telemetry import tracer_from_environment\n"
        "print(tracer_from_environment('x'))\n"
    )
    done = _python(code, {"OTEL_EXPORTER_OTLP_ENDPOINT": "http://127.0.0.1:9"})
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "None"
    assert "OpenTelemetry SDK is not installed" in done.stderr
    assert "Traceback" not in done.stderr


def test_spans_still_pending_are_exported_when_the_server_stops(
    receiver: OtlpReceiver, tmp_path: Path
) -> None:
    out = tmp_path / "server"
    generate([PETSTORE], out, GenerateOptions())
    env = otel_env(receiver, OTEL_BSP_SCHEDULE_DELAY="600000")  # no export until the stop
    with ServerProcess([sys.executable, "server.py"], cwd=out, env=env) as server:
        with httpx.Client(base_url=server.url) as client:
            for _ in range(4):
                assert client.get("/pets").status_code == 200
        time.sleep(0.3)
        assert receiver.spans == []
        assert server.terminate() == 0
    spans = receiver.wait_for(4, timeout=10)
    assert [span["name"] for span in spans] == ["GET listPets"] * 4


def test_the_orchestrator_exports_pending_spans_when_it_stops(
    receiver: OtlpReceiver, tmp_path: Path
) -> None:
    orchestrator = Orchestrator(tmp_path / "data")
    os.environ.update(otel_env(receiver, OTEL_BSP_SCHEDULE_DELAY="600000"))
    try:
        with orchestrator as orch, orch.client(orch.admin_token) as client:
            assert client.get("/whoami").status_code == 200
            time.sleep(0.3)
            assert receiver.spans == []
            assert orch.stop() == 0
    finally:
        for name in otel_env(receiver):
            os.environ.pop(name)
    spans = receiver.wait_until(lambda spans: ("GET /whoami", 200) in routes_of(spans))
    assert all(span["service"] == "mockc-orchestrator" for span in spans)
