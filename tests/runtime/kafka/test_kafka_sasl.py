"""SASL against a real cluster: Tansu 0.6.0 with ``--authentication`` offers
SCRAM-SHA-256 and SCRAM-SHA-512 (not PLAIN), and finds users in its storage;
the tests' memory storage starts empty and refuses to create a user before the
client has authenticated, so no credentials can succeed there. What is tested
is the refusal: a generated service whose SCRAM exchange the cluster refuses
(over SASL_PLAINTEXT, and SASL_SSL through a TLS terminator) says so in one
line per attempt, never the password, and keeps trying."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.runtime.kafka.kafka_kit import SPECS, generated, kafka_service, wait_for
from tests.support.certificates import certificates
from tests.support.servers import free_port
from tests.support.tansu import Tansu, TansuFailed, unusable
from tests.support.tls_terminator import TlsTerminator

PASSWORD = "s3cret-not-to-show"


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return generated(SPECS / "orders.yaml", tmp_path_factory.mktemp("sasl") / "out")


@pytest.fixture(scope="module")
def secured(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str, Path]]:
    """A Tansu requiring authentication: (plain address, TLS address, CA)."""
    reason = unusable()
    if reason:
        pytest.skip(f"no Kafka broker for the tests: {reason}")
    ca, cert, key = certificates(tmp_path_factory.mktemp("sasl-ca"))
    port = free_port()
    try:
        broker = Tansu.start(authentication=True)
    except TansuFailed as error:
        pytest.skip(f"no Kafka broker for the tests: {error}")
    with broker, TlsTerminator(("127.0.0.1", broker.port), cert, key, port=port) as front:
        yield broker.bootstrap, front.address, ca


@pytest.mark.parametrize(
    ("protocol", "mechanism"), [("SASL_PLAINTEXT", "SCRAM-SHA-256"), ("SASL_SSL", "SCRAM-SHA-512")]
)
def test_credentials_the_cluster_refuses_are_one_line_per_attempt(
    secured: tuple[str, str, Path], out: Path, protocol: str, mechanism: str
) -> None:
    plain, tls, ca = secured
    address = tls if protocol == "SASL_SSL" else plain
    env = {
        "MOCKC_KAFKA_SECURITY_PROTOCOL": protocol,
        "MOCKC_KAFKA_SASL_MECHANISM": mechanism,
        "MOCKC_KAFKA_SASL_USERNAME": "nobody",
        "MOCKC_KAFKA_SASL_PASSWORD": PASSWORD,
        "MOCKC_KAFKA_SSL_CA_FILE": str(ca),
    }
    server = kafka_service(out, address, env=env, wait=False)
    server.process = subprocess.Popen(
        server.cmd, cwd=server.cwd, env=server.env, stdout=server._stdout, stderr=server._stderr
    )
    with server:
        wait_for(lambda: server.stderr.count("is unavailable") >= 2, what="two retry lines")
        health = httpx.get(server.url + "/health", timeout=5)
        assert health.status_code == 503 and health.json()["broker"] == "down"
    lines = server.stderr.splitlines()
    retries = [line for line in lines if "is unavailable" in line]
    assert len(retries) == len(lines) - 1, lines  # the banner and these, nothing else
    for line in retries:
        assert f"kafka at {address} ({protocol}) is unavailable" in line, line
        assert f"SASL {mechanism} authentication failed" in line and "retrying in" in line
    assert PASSWORD not in server.stderr
    assert "Traceback" not in server.stderr
