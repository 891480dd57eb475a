"""Agent-provided mock data on a generated gRPC server (the route guide of the
corpus): unary calls wait for the agent, which answers through the admin port."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import grpc
import httpx
import pytest

from mockc.compiler.driver import GenerateOptions, generate
from tests.support.corpus import CORPUS
from tests.support.grpc_kit import GrpcServer, compile_stubs

ROUTE_GUIDE = CORPUS / "proto" / "grpc-route-guide"


@pytest.fixture(scope="module")
def pb(tmp_path_factory: pytest.TempPathFactory) -> tuple[ModuleType, ModuleType]:
    stubs = compile_stubs(tmp_path_factory.mktemp("stubs"), ROUTE_GUIDE, ["route_guide.proto"])
    return stubs.modules("route_guide")


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[GrpcServer]:
    out = tmp_path_factory.mktemp("agent-grpc") / "server"
    generate([ROUTE_GUIDE / "route_guide.proto"], out, GenerateOptions())
    env = {"MOCKC_AGENT": "unmatched", "MOCKC_AGENT_TIMEOUT_MS": "20000"}
    with GrpcServer(out, env) as running:
        yield running


def _claim(server: GrpcServer, run_id: str) -> dict[str, Any]:
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        answer = httpx.post(f"{server.admin_url}/__mockc/agent/claim", json={"run_id": run_id})
        if answer.status_code == 200:
            return dict(answer.json())
        time.sleep(0.05)
    raise AssertionError("nothing to claim")


def test_a_unary_call_gets_the_agents_message(
    server: GrpcServer, pb: tuple[ModuleType, ModuleType]
) -> None:
    messages, services = pb
    replies: list[Any] = []
    with grpc.insecure_channel(server.target) as channel:
        stub = services.RouteGuideStub(channel)
        point = messages.Point(latitude=7, longitude=8)
        call = threading.Thread(
            target=lambda: replies.append(
                stub.GetFeature(point, metadata=[("x-mockc-run", "grpc-run")], timeout=30)
            )
        )
        call.start()
        claimed = _claim(server, "grpc-run")
        (request,) = claimed["requests"]
        assert request["protocol"] == "grpc"
        assert request["request"]["body"] == {"latitude": 7, "longitude": 8}
        assert {"OK", "NOT_FOUND"} <= set(request["responses"])
        schema = request["responses"]["OK"]["schema"]
        assert "name" in str(schema)
        url = f"{server.admin_url}/__mockc/agent/batches/{claimed['batch_id']}/provide"
        wrong = {"request_id": request["request_id"], "body": {"name": 5}}
        refused = httpx.post(url, json={"claim_token": claimed["claim_token"], "mocks": [wrong]})
        assert refused.status_code == 422, (schema, refused.text)
        assert refused.json()["errors"][0]["pointer"] == "/mocks/0/body/name"
        body = {"name": "Agent's feature", "location": {"latitude": 7, "longitude": 8}}
        right = {"request_id": request["request_id"], "body": body}
        answered = httpx.post(url, json={"claim_token": claimed["claim_token"], "mocks": [right]})
        assert answered.status_code == 200, answered.text
        call.join(30)
    (feature,) = replies
    assert feature.name == "Agent's feature" and feature.location.latitude == 7


def test_an_unanswered_call_ends_with_deadline_exceeded(
    tmp_path: Path, pb: tuple[ModuleType, ModuleType]
) -> None:
    messages, services = pb
    out = tmp_path / "server"
    generate([ROUTE_GUIDE / "route_guide.proto"], out, GenerateOptions())
    env = {
        "MOCKC_AGENT": "unmatched",
        "MOCKC_AGENT_TIMEOUT_MS": "200",
        "MOCKC_AGENT_FALLBACK": "error",
    }
    with GrpcServer(out, env) as running, grpc.insecure_channel(running.target) as channel:
        stub = services.RouteGuideStub(channel)
        with pytest.raises(grpc.RpcError) as failed:
            stub.GetFeature(messages.Point(latitude=1), timeout=10)
        assert failed.value.code() == grpc.StatusCode.DEADLINE_EXCEEDED
        assert "200 ms" in (failed.value.details() or "")
