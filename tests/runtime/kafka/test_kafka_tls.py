"""A generated Kafka mock service reaching a cluster over TLS
(``MOCKC_KAFKA_SECURITY_PROTOCOL=SSL``): Tansu 0.6.0 cannot serve TLS itself
(its ``--cert`` and ``--key`` options refuse each other), so a TLS terminator of
the test's own stands in front of a real Tansu that advertises the terminator's
address; its certificate is signed by a CA made for the test, which the service
trusts through ``MOCKC_KAFKA_SSL_CA_FILE``. An independent client
(confluent-kafka, librdkafka's own TLS) sends the request over TLS and the
reply is read over TLS. With a CA that did not sign the certificate, or none,
the service says so in one line per attempt and keeps trying."""

from __future__ import annotations

import asyncio
import subprocess
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from tests.runtime.kafka.kafka_kit import (
    SPECS,
    generated,
    header,
    kafka_service,
    wait_for,
)
from tests.support.certificates import certificates
from tests.support.servers import ServerProcess, free_port
from tests.support.tansu import Tansu, TansuFailed, unusable
from tests.support.tls_terminator import TlsTerminator


@dataclass
class TlsCluster:
    broker: Tansu
    front: TlsTerminator
    ca: Path
    other_ca: Path


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TlsCluster]:
    reason = unusable()
    if reason:
        pytest.skip(f"no Kafka broker for the tests: {reason}")
    folder = tmp_path_factory.mktemp("kafka-tls")
    ca, cert, key = certificates(folder / "ca")
    other_ca, _, _ = certificates(folder / "other", "another CA")
    port = free_port()
    try:
        broker = Tansu.start(advertised=f"127.0.0.1:{port}")
    except TansuFailed as error:
        pytest.skip(f"no Kafka broker for the tests: {error}")
    with broker, TlsTerminator(("127.0.0.1", broker.port), cert, key, port=port) as front:
        yield TlsCluster(broker, front, ca, other_ca)


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return generated(SPECS / "orders.yaml", tmp_path_factory.mktemp("tls") / "out")


def _request_over_tls(cluster: TlsCluster, correlation: str) -> None:
    from confluent_kafka import Producer

    producer = Producer(
        {
            "bootstrap.servers": cluster.front.address,
            "security.protocol": "SSL",
            "ssl.ca.location": str(cluster.ca),
        }
    )
    producer.produce(
        "orders.requests",
        b'{"sku": "T-1", "quantity": 2}',
        headers=[("correlation_id", correlation.encode())],
    )
    assert producer.flush(30) == 0, "the request was not acknowledged over TLS"


def _replies_over_tls(cluster: TlsCluster, correlation: str) -> list[bytes]:
    """The values of the replies carrying ``correlation``, read over TLS (aiokafka)."""
    import ssl

    from aiokafka import AIOKafkaConsumer

    async def read() -> list[bytes]:
        consumer = AIOKafkaConsumer(
            "orders.replies",
            bootstrap_servers=cluster.front.address,
            security_protocol="SSL",
            ssl_context=ssl.create_default_context(cafile=str(cluster.ca)),
            auto_offset_reset="earliest",
            group_id=None,
        )
        await consumer.start()
        found: list[bytes] = []
        deadline = time.monotonic() + 40
        try:
            while not found and time.monotonic() < deadline:
                for batch in (await consumer.getmany(timeout_ms=300)).values():
                    found += [
                        record.value
                        for record in batch
                        if header(record, "correlation_id") == correlation
                    ]
        finally:
            await consumer.stop()
        return found

    return asyncio.run(read())


def _healthy(server: ServerProcess) -> bool:
    try:
        return httpx.get(server.url + "/health", timeout=2).status_code == 200
    except httpx.HTTPError:
        return False


def test_the_service_consumes_and_replies_over_tls_with_the_ca_of_the_environment(
    cluster: TlsCluster, out: Path
) -> None:
    before = cluster.front.handshakes
    env = {"MOCKC_KAFKA_SECURITY_PROTOCOL": "SSL", "MOCKC_KAFKA_SSL_CA_FILE": str(cluster.ca)}
    with kafka_service(out, cluster.front.address, env=env) as server:
        health = httpx.get(server.url + "/health").json()
        assert health["broker"] == "up"
        assert health["connection"] == f"kafka at {cluster.front.address} (SSL)"
        assert cluster.front.handshakes > before  # the service's connections are TLS
        correlation = str(uuid.uuid4())
        _request_over_tls(cluster, correlation)
        replies = _replies_over_tls(cluster, correlation)
        assert replies and b'"accepted"' in replies[0], server.stderr
        published = httpx.post(
            server.url + "/__mockc/publish/orderShipped",
            json={"key": "o-1", "payload": {"orderId": "o-1", "carrier": "tls"}},
        )
        assert published.status_code == 202 and published.json()["published"] is True
        assert "Traceback" not in server.stderr


@pytest.mark.parametrize("trusted", ["another CA", "the system's CAs"])
def test_a_certificate_the_service_does_not_trust_is_one_line_per_attempt(
    cluster: TlsCluster, out: Path, trusted: str
) -> None:
    env = {"MOCKC_KAFKA_SECURITY_PROTOCOL": "SSL"}
    if trusted == "another CA":
        env["MOCKC_KAFKA_SSL_CA_FILE"] = str(cluster.other_ca)
    before = cluster.front.handshakes
    server = kafka_service(out, cluster.front.address, env=env, wait=False)
    server.process = subprocess.Popen(
        server.cmd, cwd=server.cwd, env=server.env, stdout=server._stdout, stderr=server._stderr
    )
    with server:
        wait_for(lambda: server.stderr.count("is unavailable") >= 2, what="two retry lines")
        assert not _healthy(server)
    lines = server.stderr.splitlines()
    retries = [line for line in lines if "is unavailable" in line]
    assert len(retries) == len(lines) - 1, lines  # the banner and these, nothing else
    for line in retries:
        assert f"kafka at {cluster.front.address} (SSL) is unavailable" in line
        assert "certificate verify failed" in line and "retrying in" in line, line
    assert "Traceback" not in server.stderr
    assert cluster.front.handshakes == before  # no handshake completed
