"""The Kafka-compatible test broker (Tansu) with both client libraries'
consumer groups, and the mock's Kafka client against it: topics as the
contract names them, offsets committed only after handling."""

from __future__ import annotations

import asyncio
import time
import uuid

import pytest

from mockc.runtime.broker.channels import BrokerChannel
from mockc.runtime.broker.exceptions import BrokerUnavailable
from mockc.runtime.broker.message import BrokerMessage
from mockc.runtime.kafka.client import KafkaClient
from mockc.runtime.kafka.config import KafkaConfig
from tests.runtime.kafka.kafka_kit import produce
from tests.support.servers import free_port
from tests.support.tansu import Tansu


def _topic() -> str:
    return f"t-{uuid.uuid4().hex[:10]}"


def test_an_aiokafka_consumer_group_reads_and_commits(tansu: Tansu) -> None:
    from aiokafka import AIOKafkaConsumer, TopicPartition

    topic = _topic()
    produce(tansu.bootstrap, topic, b"one")

    async def read() -> tuple[bytes, int | None]:
        consumer = AIOKafkaConsumer(
            topic,
            bootstrap_servers=tansu.bootstrap,
            group_id=f"g-{topic}",
            auto_offset_reset="earliest",
            enable_auto_commit=False,
        )
        await consumer.start()
        try:
            record = await asyncio.wait_for(consumer.getone(), 30)
            partition = TopicPartition(topic, record.partition)
            await consumer.commit({partition: record.offset + 1})
            return record.value, await consumer.committed(partition)
        finally:
            await consumer.stop()

    value, committed = asyncio.run(read())
    assert value == b"one" and committed == 1


def test_a_confluent_kafka_consumer_group_reads_and_commits(tansu: Tansu) -> None:
    from confluent_kafka import Consumer

    topic = _topic()
    produce(tansu.bootstrap, topic, b"two")
    consumer = Consumer(
        {
            "bootstrap.servers": tansu.bootstrap,
            "group.id": f"g-{topic}",
            "auto.offset.reset": "earliest",
            "enable.auto.commit": False,
            # Tansu answers a group's first join after half the session timeout
            "session.timeout.ms": 6000,
        }
    )
    consumer.subscribe([topic])
    try:
        deadline = time.monotonic() + 30
        record = None
        while record is None and time.monotonic() < deadline:
            polled = consumer.poll(0.5)
            record = polled if polled is not None and not polled.error() else None
        assert record is not None and record.value() == b"two"
        committed = consumer.commit(message=record, asynchronous=False)
        assert committed is not None and committed[0].offset == record.offset() + 1
    finally:
        consumer.close()


def _client(tansu: Tansu, **given: object) -> KafkaClient:
    return KafkaClient(KafkaConfig(bootstrap=tansu.bootstrap, **given))  # type: ignore[arg-type]


def test_declare_creates_the_missing_topics_with_their_partitions(tansu: Tansu) -> None:
    from confluent_kafka.admin import AdminClient

    topic, param = _topic(), _topic()
    channels = [
        BrokerChannel(operation="a", action="receive", address=topic, options={"partitions": 2}),
        BrokerChannel(operation="b", action="send", address=param + ".{id}"),
    ]

    async def declare(client: KafkaClient) -> None:
        await client.connect()
        try:
            await client.declare(channels)
            await client.declare(channels)  # again: already there, nothing to do
        finally:
            await client.close()

    asyncio.run(declare(_client(tansu)))
    metadata = AdminClient({"bootstrap.servers": tansu.bootstrap}).list_topics(timeout=10)
    assert len(metadata.topics[topic].partitions) == 2
    assert not any(name.startswith(param) for name in metadata.topics)

    other = _topic()
    asyncio.run(_declare_off(tansu, BrokerChannel(operation="c", action="send", address=other)))
    metadata = AdminClient({"bootstrap.servers": tansu.bootstrap}).list_topics(timeout=10)
    assert other not in metadata.topics


async def _declare_off(tansu: Tansu, channel: BrokerChannel) -> None:
    client = _client(tansu, create_topics=False)
    await client.connect()
    try:
        await client.declare([channel])
    finally:
        await client.close()


def test_a_record_whose_handling_failed_is_delivered_again(tansu: Tansu) -> None:
    topic = _topic()
    group = f"g-{topic}"
    channel = BrokerChannel(
        operation="a", action="receive", address=topic, options={"group_id": group}
    )
    produce(tansu.bootstrap, topic, b"first", key=b"k1")

    async def consume_once(fail: bool) -> list[BrokerMessage]:
        seen: list[BrokerMessage] = []
        client = _client(tansu)
        await client.connect()

        async def handle(_: BrokerChannel, message: BrokerMessage) -> None:
            seen.append(message)
            if fail:
                raise RuntimeError("the handler crashed")

        task = asyncio.ensure_future(client.consume([channel], handle))
        deadline = time.monotonic() + 30
        while not seen and time.monotonic() < deadline and not task.done():
            await asyncio.sleep(0.1)
        await asyncio.sleep(0.5)  # let a commit (after handling) go out
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
        await client.close()
        return seen

    crashed = asyncio.run(consume_once(fail=True))
    assert [m.payload for m in crashed] == [b"first"]
    again = asyncio.run(consume_once(fail=False))
    assert [(m.payload, m.key) for m in again] == [(b"first", b"k1")]
    produce(tansu.bootstrap, topic, b"second")
    after = asyncio.run(consume_once(fail=False))
    assert [m.payload for m in after] == [b"second"]


def test_a_cluster_nobody_answers_for_is_unavailable() -> None:
    client = KafkaClient(KafkaConfig(bootstrap=f"127.0.0.1:{free_port()}"))
    assert client.describe().startswith("kafka at 127.0.0.1:")
    with pytest.raises(BrokerUnavailable):
        asyncio.run(client.connect())
    assert not client.connected
