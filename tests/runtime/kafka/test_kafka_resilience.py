"""A Kafka mock service whose cluster is away at start, or restarts (Tansu keeps
topics in memory: a restart loses them) while the service runs: one clear line
per attempt, then it reconnects, declares its topics again, and every request
the cluster acknowledged to the client is answered."""

from __future__ import annotations

import subprocess
import uuid
from pathlib import Path

import httpx
import pytest

from tests.runtime.kafka.kafka_kit import (
    SPECS,
    generated,
    header,
    kafka_service,
    produce,
    records,
    wait_for,
)
from tests.support.servers import ServerProcess, free_port
from tests.support.tansu import Tansu


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return generated(SPECS / "orders.yaml", tmp_path_factory.mktemp("resilience") / "out")


def _ask(bootstrap: str, count: int) -> list[str]:
    asked = [str(uuid.uuid4()) for _ in range(count)]
    for correlation in asked:
        produce(
            bootstrap,
            "orders.requests",
            b'{"sku": "R", "quantity": 1}',
            headers={"correlation_id": correlation},
        )
    return asked


def _answered(bootstrap: str, asked: list[str]) -> set[str]:
    found = records(
        bootstrap,
        "orders.replies",
        until=lambda got: set(asked) <= {header(r, "correlation_id") for r in got},
        timeout=40,
    )
    return {str(header(r, "correlation_id")) for r in found} & set(asked)


def _healthy(server: ServerProcess) -> bool:
    try:
        return httpx.get(server.url + "/health", timeout=2).status_code == 200
    except httpx.HTTPError:
        return False


def test_a_cluster_down_at_start_is_retried_with_one_line_per_attempt(
    out: Path, tansu: Tansu
) -> None:
    port = free_port()
    server = kafka_service(out, f"127.0.0.1:{port}", wait=False)
    server.process = subprocess.Popen(
        server.cmd, cwd=server.cwd, env=server.env, stdout=server._stdout, stderr=server._stderr
    )
    with server:
        wait_for(lambda: server.stderr.count("is unavailable") >= 2, what="two retry lines")
        assert not _healthy(server)
        lines = [line for line in server.stderr.splitlines() if "is unavailable" in line]
        assert len(lines) == len(server.stderr.splitlines()) - 1  # the banner and these
        assert all(f"kafka at 127.0.0.1:{port}" in line and "retrying in" in line for line in lines)
        assert "Traceback" not in server.stderr
        with Tansu.start(port) as broker:
            wait_for(lambda: _healthy(server), timeout=60, what="the service to connect")
            asked = _ask(broker.bootstrap, 3)
            assert _answered(broker.bootstrap, asked) == set(asked), server.stderr
        assert "Traceback" not in server.stderr


def test_a_restarted_cluster_loses_no_acknowledged_request(out: Path, tansu: Tansu) -> None:
    with Tansu.start() as broker, kafka_service(out, broker.bootstrap) as server:
        before = _ask(broker.bootstrap, 5)
        assert _answered(broker.bootstrap, before) == set(before)
        broker.restart(down_s=1.0)
        wait_for(lambda: not _healthy(server) or "lost" in server.stderr, what="the loss")
        wait_for(lambda: "connected again" in server.stderr, timeout=60, what="a reconnect")
        wait_for(lambda: _healthy(server), timeout=30, what="health")
        after = _ask(broker.bootstrap, 5)
        assert _answered(broker.bootstrap, after) == set(after)
        assert "Traceback" not in server.stderr
