"""A generated Kafka mock service (a request/reply contract with fixed topics)
run as its own process against a real Kafka-compatible broker (Tansu), driven
with aiokafka and confluent-kafka: topics, replies with the correlation id and
key, schedules, publish-now, and bad records."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.runtime.kafka.kafka_kit import (
    SPECS,
    generated,
    header,
    journal,
    kafka_service,
    produce,
    records,
    validate,
    wait_for,
)
from tests.support.servers import ServerProcess
from tests.support.tansu import Tansu

LIMIT = 4096
SCHEDULE_COUNT = 5


@pytest.fixture(scope="module")
def broker(tansu: Tansu) -> Iterator[Tansu]:
    """A broker of this module's own (the topics on it are the contract's only)."""
    with Tansu.start() as own:
        yield own


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = generated(SPECS / "orders.yaml", tmp_path_factory.mktemp("orders") / "out")
    mock = folder / "mocks" / "orderShipped.yaml"
    mock.write_text(
        mock.read_text() + f"emit: {{after_ms: 1500, every_ms: 100, count: {SCHEDULE_COUNT}}}\n"
    )
    return folder


@pytest.fixture(scope="module")
def server(out: Path, broker: Tansu) -> Iterator[ServerProcess]:
    with kafka_service(out, broker.bootstrap, env={"MOCKC_MAX_MESSAGE_BYTES": str(LIMIT)}) as srv:
        yield srv


def _reply(broker: Tansu, correlation: str) -> object:
    found = records(
        broker.bootstrap,
        "orders.replies",
        until=lambda got: any(header(r, "correlation_id") == correlation for r in got),
    )
    return next((r for r in found if header(r, "correlation_id") == correlation), None)


def test_the_topics_on_the_broker_are_the_contracts(server: ServerProcess, broker: Tansu) -> None:
    # first in the module: a later test has the mock answer on a topic its request names
    from confluent_kafka.admin import AdminClient

    metadata = AdminClient({"bootstrap.servers": broker.bootstrap}).list_topics(timeout=10)
    topics = {name for name in metadata.topics if not name.startswith("__")}
    assert topics == {"orders.requests", "orders.replies", "orders.events"}
    assert len(metadata.topics["orders.requests"].partitions) == 3


def test_a_request_is_answered_on_the_reply_topic_with_its_correlation_id_and_key(
    server: ServerProcess, broker: Tansu, out: Path
) -> None:
    correlation = str(uuid.uuid4())
    produce(
        broker.bootstrap,
        "orders.requests",
        b'{"sku": "B-7", "quantity": 2}',
        key=b"customer-9",
        headers={"correlation_id": correlation},
    )
    reply = _reply(broker, correlation)
    assert reply is not None, "no reply"
    assert reply.key == b"customer-9"  # type: ignore[attr-defined]
    validate(out, "placeOrder", json.loads(reply.value))  # type: ignore[attr-defined]
    entries = journal(server, "placeOrder")
    assert any(e["status"] == "valid" for e in entries)


def test_a_confluent_kafka_client_gets_its_reply_too(server: ServerProcess, broker: Tansu) -> None:
    from confluent_kafka import Consumer, Producer

    correlation = str(uuid.uuid4())
    consumer = Consumer(
        {
            "bootstrap.servers": broker.bootstrap,
            "group.id": f"client-{correlation}",
            "auto.offset.reset": "earliest",
            "session.timeout.ms": 6000,
        }
    )
    consumer.subscribe(["orders.replies"])
    producer = Producer({"bootstrap.servers": broker.bootstrap})
    producer.produce(
        "orders.requests",
        b'{"sku": "C-1", "quantity": 1}',
        key=b"k-c",
        headers=[("correlation_id", correlation.encode())],
    )
    assert producer.flush(10) == 0
    try:

        def answered() -> object:
            record = consumer.poll(0.5)
            if record is None or record.error():
                return None
            headers = dict(record.headers() or [])
            return record if headers.get("correlation_id") == correlation.encode() else None

        reply = wait_for(answered, timeout=40, what="the reply")
        assert reply.key() == b"k-c"
    finally:
        consumer.close()


def test_scheduled_records_arrive_and_match_their_schema(
    server: ServerProcess, broker: Tansu, out: Path
) -> None:
    found = records(
        broker.bootstrap,
        "orders.events",
        until=lambda got: sum(r.key is None for r in got) >= SCHEDULE_COUNT,
    )
    scheduled = [r for r in found if r.key is None]
    assert len(scheduled) >= SCHEDULE_COUNT
    for record in scheduled:
        validate(out, "orderShipped", json.loads(record.value))


def test_publish_now_sends_the_given_payload_and_key(server: ServerProcess, broker: Tansu) -> None:
    answer = httpx.post(
        server.url + "/__mockc/publish/orderShipped",
        json={"payload": {"orderId": 77, "carrier": "dhl"}, "key": "order-77"},
    )
    assert answer.status_code == 202, answer.text
    assert answer.json()["published"] is True
    found = records(
        broker.bootstrap, "orders.events", until=lambda got: any(r.key == b"order-77" for r in got)
    )
    record = next(r for r in found if r.key == b"order-77")
    assert json.loads(record.value) == {"orderId": 77, "carrier": "dhl"}


def test_publish_now_without_payload_sends_the_mocks_answer(
    server: ServerProcess, broker: Tansu, out: Path
) -> None:
    answer = httpx.post(server.url + "/__mockc/publish/orderShipped", json={"key": "fake-1"})
    assert answer.status_code == 202, answer.text
    found = records(
        broker.bootstrap, "orders.events", until=lambda got: any(r.key == b"fake-1" for r in got)
    )
    validate(out, "orderShipped", json.loads(next(r for r in found if r.key == b"fake-1").value))


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        (b"{not json", "not JSON"),
        (b"\xff\xfe\x00", "not JSON"),
        (b'{"sku": "A", "quantity": 0}', "quantity"),
        (b'{"sku": "' + b"x" * (2 * LIMIT) + b'", "quantity": 1}', "limit"),
    ],
    ids=["not-json", "binary", "schema", "oversized"],
)
def test_a_bad_record_is_journaled_invalid_and_not_answered(
    server: ServerProcess, broker: Tansu, value: bytes, problem: str
) -> None:
    correlation = str(uuid.uuid4())
    produce(broker.bootstrap, "orders.requests", value, headers={"correlation_id": correlation})

    def journaled() -> list[dict[str, object]]:
        return [
            e
            for e in journal(server, "placeOrder")
            if e["status"] == "invalid"
            and (e["request"]["headers"] or {}).get("correlation_id") == correlation
        ]

    entry = wait_for(journaled, what="the invalid entry")[0]
    assert problem in json.dumps(entry["response"])
    # a valid request sent after it is answered: the bad one did not stop the consumer
    after = str(uuid.uuid4())
    produce(
        broker.bootstrap,
        "orders.requests",
        b'{"sku": "D", "quantity": 1}',
        headers={"correlation_id": after},
    )
    assert _reply(broker, after) is not None
    replies = records(broker.bootstrap, "orders.replies", until=lambda got: False, timeout=1)
    assert not any(header(r, "correlation_id") == correlation for r in replies)
    assert httpx.get(server.url + "/health").json()["broker"] == "up"


def test_metrics_count_the_records_and_show_the_consumer_lag(server: ServerProcess) -> None:
    wait_for(lambda: journal(server, "placeOrder"), what="a consumed record")
    metrics = httpx.get(server.url + "/metrics").text
    assert 'mockc_broker_consumer_lag{operation="placeOrder",protocol="kafka"}' in metrics or (
        'mockc_broker_consumer_lag{protocol="kafka",operation="placeOrder"}' in metrics
    ), metrics
    assert 'direction="received"' in metrics and "mockc_broker_connected" in metrics


def test_a_reply_to_header_sends_the_reply_there(server: ServerProcess, broker: Tansu) -> None:
    correlation = str(uuid.uuid4())
    elsewhere = f"orders.replies.{correlation[:8]}"
    produce(
        broker.bootstrap,
        "orders.requests",
        b'{"sku": "E", "quantity": 3}',
        key=b"k-e",
        headers={"correlation_id": correlation, "reply_to": elsewhere},
    )
    found = records(broker.bootstrap, elsewhere, until=bool, timeout=30)
    assert [(header(r, "correlation_id"), r.key) for r in found] == [(correlation, b"k-e")]
