"""The Kafka client's configuration and record conversion (no broker needed)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from mockc.runtime.broker.channels import BrokerChannel
from mockc.runtime.broker.message import BrokerMessage
from mockc.runtime.exceptions import StartupError
from mockc.runtime.kafka.client import topics_of
from mockc.runtime.kafka.config import KafkaConfig, bootstrap_of, default_group
from mockc.runtime.kafka.records import message_of, record_headers
from mockc.runtime.kafka.server import config_of


@pytest.mark.parametrize(
    ("url", "bootstrap"),
    [
        ("kafka-secure://test.mykafkacluster.org:18092", "test.mykafkacluster.org:18092"),
        ("kafka://broker", "broker:9092"),
        ("a:9092, b:9093", "a:9092,b:9093"),
        ("127.0.0.1:9092/", "127.0.0.1:9092"),
    ],
)
def test_bootstrap_servers_come_from_a_url_or_a_list(url: str, bootstrap: str) -> None:
    assert bootstrap_of(url) == bootstrap


@pytest.mark.parametrize("url", ["", "kafka://", "host:port", "host:70000"])
def test_a_bad_bootstrap_is_a_value_error(url: str) -> None:
    with pytest.raises(ValueError):
        bootstrap_of(url)


def test_the_setting_wins_over_the_contracts_server_and_the_group_is_derived() -> None:
    contract = {"broker": {"url": "kafka://remote:9092"}, "api": {"name": "Orders Kafka"}}
    config = config_of(contract, {"kafka_bootstrap": "127.0.0.1:19092"})  # type: ignore[arg-type]
    assert config.bootstrap == "127.0.0.1:19092"
    assert config.group == "mockc-orders-kafka"
    assert default_group("") == "mockc-service"
    assert config_of(contract, {}).bootstrap == "remote:9092"  # type: ignore[arg-type]


def test_sasl_needs_a_user_and_the_description_never_shows_the_password() -> None:
    with pytest.raises(StartupError, match="MOCKC_KAFKA_SASL_USERNAME"):
        config_of({}, {"kafka_security_protocol": "sasl_plaintext"})  # type: ignore[arg-type]
    config = KafkaConfig.from_values(
        {
            "kafka_bootstrap": "h:9092",
            "kafka_security_protocol": "sasl_plaintext",
            "kafka_sasl_mechanism": "scram-sha-256",
            "kafka_sasl_username": "svc",
            "kafka_sasl_password": "s3cret",
        }
    )
    assert "s3cret" not in config.describe() and "svc" not in config.describe()
    assert config.describe() == "kafka at h:9092 (SASL_PLAINTEXT)"
    options = config.client_options()
    assert options["sasl_mechanism"] == "SCRAM-SHA-256"
    assert options["sasl_plain_password"] == "s3cret"


def test_a_missing_ca_file_is_refused_at_start(tmp_path: Path) -> None:
    with pytest.raises(StartupError, match="MOCKC_KAFKA_SSL_CA_FILE"):
        config_of(
            {},  # type: ignore[arg-type]
            {"kafka_security_protocol": "ssl", "kafka_ssl_ca_file": str(tmp_path / "none.pem")},
        )


def test_only_topics_without_parameters_are_declared_with_their_sizes() -> None:
    channels = [
        BrokerChannel(operation="a", action="receive", address="orders", options={"partitions": 3}),
        BrokerChannel(operation="b", action="send", address="lights.{id}.on"),
        BrokerChannel(operation="c", action="send", address="orders"),
        BrokerChannel(operation="d", action="send", address="x", options={"replicas": True}),
    ]
    assert topics_of(channels) == {"orders": (3, 1), "x": (1, 1)}


@dataclass
class _Record:
    topic: str = "t"
    partition: int = 2
    offset: int = 41
    timestamp: int = 0
    key: bytes | None = b"k"
    value: bytes | None = b"{}"
    headers: tuple[tuple[str, bytes], ...] = ()


def test_a_record_becomes_a_message_with_its_correlation_and_reply_headers() -> None:
    record = _Record(
        headers=(
            ("kafka_correlationId", b"c-1"),
            ("kafka_replyTopic", b"replies"),
            ("binary", b"\xff"),
        )
    )
    message = message_of(record)
    assert (message.correlation_id, message.reply_to, message.key) == ("c-1", "replies", b"k")
    assert message.headers["binary"] == "\ufffd"
    assert message.extras["partition"] == 2
    assert message_of(_Record(value=None, key=None)).payload == b""


def test_a_published_message_carries_its_correlation_id_once() -> None:
    plain = BrokerMessage(address="r", correlation_id="c-9", content_type="application/json")
    assert record_headers(plain) == [
        ("correlation_id", b"c-9"),
        ("content-type", b"application/json"),
    ]
    in_contract_header = BrokerMessage(
        address="r", correlation_id="c-9", headers={"REQUEST_ID": "c-9"}
    )
    assert record_headers(in_contract_header) == [("REQUEST_ID", b"c-9")]
