"""Bursts of records on their way to the cluster: the client hands runs of
messages to its producer as record batches (``begin_publish_many``), in order,
each message still confirmed, refused or lost on its own; a generated service
sends, journals and counts every message of an emitted burst."""

from __future__ import annotations

import asyncio
import contextlib
import uuid
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from mockc.runtime.broker.channels import BrokerChannel
from mockc.runtime.broker.exceptions import MessageRefused
from mockc.runtime.broker.message import BrokerMessage
from mockc.runtime.kafka.client import KafkaClient
from mockc.runtime.kafka.config import KafkaConfig
from tests.runtime.kafka.kafka_kit import (
    SPECS,
    generated,
    journal,
    kafka_service,
    records,
    wait_for,
)
from tests.support.servers import ServerProcess
from tests.support.tansu import Tansu


def _topic() -> str:
    return f"b-{uuid.uuid4().hex[:10]}"


async def _declared(tansu: Tansu, topics: dict[str, int]) -> KafkaClient:
    client = KafkaClient(KafkaConfig(bootstrap=tansu.bootstrap))
    await client.connect()
    await client.declare(
        [
            BrokerChannel(operation=name, action="send", address=name, options={"partitions": n})
            for name, n in topics.items()
        ]
    )
    return client


async def _outcomes(client: KafkaClient, messages: list[BrokerMessage]) -> list[str]:
    """What became of each message handed over at once: ``ok`` or ``refused``."""
    acks = await client.begin_publish_many(messages)
    assert len(acks) == len(messages)
    outcomes = []
    for ack in acks:
        with contextlib.suppress(Exception):
            await ack
        try:
            client.confirm(ack)
        except MessageRefused:
            outcomes.append("refused")
        else:
            outcomes.append("ok")
    return outcomes


def test_a_burst_arrives_in_order_with_a_refused_message_in_its_place(tansu: Tansu) -> None:
    topic = _topic()
    fixed = BrokerMessage(address=topic, payload=b'{"n": "fixed"}', content_type="application/json")
    large = BrokerMessage(address=topic, payload=b"L" * 6000)
    burst = [
        *[fixed] * 300,  # one fixed answer, again and again: more than one batch holds
        BrokerMessage(address="not a topic!", payload=b"refused"),
        large,  # over the batched size: sent on its own, still in its place
        *[BrokerMessage(address=topic, payload=f"{n}".encode()) for n in range(50)],
    ]

    async def run() -> tuple[list[str], int]:
        client = await _declared(tansu, {topic: 1})
        try:
            acks = await client.begin_publish_many(burst[:300])
            shared = len({id(ack) for ack in acks})
            await asyncio.gather(*acks)
            return await _outcomes(client, burst[300:]), shared
        finally:
            await client.close()

    outcomes, futures = asyncio.run(run())
    assert outcomes == ["refused", "ok", *["ok"] * 50]
    assert futures < 300  # the records of a batch share its acknowledgement
    expected = [*[fixed.payload] * 300, large.payload, *[f"{n}".encode() for n in range(50)]]
    got = records(tansu.bootstrap, topic, until=lambda found: len(found) >= len(expected))
    assert [record.value for record in got] == expected
    assert all(
        dict(record.headers).get("content-type") == b"application/json" for record in got[:300]
    )


def test_keyed_records_go_where_a_plain_producer_puts_them(tansu: Tansu) -> None:
    from aiokafka import AIOKafkaProducer

    ours, theirs = _topic(), _topic()
    keys = [f"key-{n}".encode() for n in range(30)]

    async def run() -> dict[bytes, int]:
        client = await _declared(tansu, {ours: 3, theirs: 3})
        try:
            messages = [BrokerMessage(address=ours, payload=b"v", key=key) for key in keys]
            assert await _outcomes(client, messages) == ["ok"] * len(keys)
        finally:
            await client.close()
        producer = AIOKafkaProducer(bootstrap_servers=tansu.bootstrap)
        await producer.start()
        try:
            return {
                key: (await producer.send_and_wait(theirs, b"v", key=key)).partition for key in keys
            }
        finally:
            await producer.stop()

    plain = asyncio.run(run())
    got = records(tansu.bootstrap, ours, until=lambda found: len(found) >= len(keys))
    assert {record.key: record.partition for record in got} == plain
    assert len(set(plain.values())) > 1  # the keys spread: the test can tell partitions apart


@pytest.fixture(scope="module")
def service(
    tansu: Tansu, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[ServerProcess, str]]:
    """The orders service on a broker of its own, and that broker's bootstrap."""
    with Tansu.start() as own:
        out = generated(SPECS / "orders.yaml", tmp_path_factory.mktemp("bursts") / "out")
        with kafka_service(out, own.bootstrap) as server:
            yield server, own.bootstrap


def _sent_count(server: ServerProcess) -> int:
    """``mockc_broker_messages_total`` of orderShipped's sent messages."""
    for line in httpx.get(server.url + "/metrics").text.splitlines():
        if (
            line.startswith("mockc_broker_messages_total")
            and 'direction="sent"' in line
            and 'operation="orderShipped"' in line
        ):
            return int(float(line.rsplit(" ", 1)[1]))
    return 0


def test_every_message_of_an_emitted_burst_is_sent_journaled_and_counted(
    service: tuple[ServerProcess, str],
) -> None:
    server, bootstrap = service
    count = 700
    answer = httpx.post(server.url + "/__mockc/emit/orderShipped", json={"count": count})
    assert answer.status_code < 300, answer.text
    got = records(bootstrap, "orders.events", until=lambda found: len(found) >= count)
    assert len(got) == count
    payload = got[0].value
    assert all(record.value == payload for record in got)

    def sent() -> list[dict[str, Any]]:
        found = [e for e in journal(server, "orderShipped") if e["method"] == "sent"]
        return found if len(found) >= count else []

    entries = wait_for(sent, what="the journal entries of the burst")
    assert len({entry["id"] for entry in entries}) == count == len(entries)  # one each
    for entry in entries:
        assert entry["target"] == "orders.events" and entry["status"] == "shipped"
        assert entry["response"]["body"]["data"].encode() == payload
        assert entry["response"]["headers"] == {}
    assert _sent_count(server) == count
