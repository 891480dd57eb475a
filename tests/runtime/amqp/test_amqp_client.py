"""The RabbitMQ client of the AMQP mock services, against the real broker (a
virtual host of this module's own), with pika as the other side: what it
declares is exactly what the channels say (read back with ``rabbitmqctl``),
message properties survive both ways, a forcibly closed connection is
reported and the unacknowledged message comes back, an unreachable broker is
one clear reason without the password."""

from __future__ import annotations

import asyncio
import json
import socket
from collections.abc import Iterator
from typing import Any

import pika
import pytest

from mockc.runtime.amqp.client import AmqpClient, describe_url
from mockc.runtime.broker.channels import BrokerChannel
from mockc.runtime.broker.exceptions import BrokerLost, BrokerUnavailable, MessageRefused
from mockc.runtime.broker.message import BrokerMessage
from tests.support.rabbitmq import Vhost

CHANNELS = (
    BrokerChannel(
        operation="orderPlaced",
        action="receive",
        address="orders.{region}.placed",
        options={"exchange": "shop", "exchange_type": "topic", "exchange_durable": False},
    ),
    BrokerChannel(
        operation="invoiceDue",
        action="receive",
        address="invoice",
        options={"exchange": "billing", "exchange_type": "direct", "exchange_auto_delete": True},
    ),
    BrokerChannel(
        operation="newsPosted",
        action="receive",
        address="news",
        options={"exchange": "news", "exchange_type": "fanout"},
    ),
    BrokerChannel(
        operation="tagged",
        action="receive",
        address="tagged",
        options={"exchange": "tags", "exchange_type": "headers"},
    ),
    BrokerChannel(
        operation="work",
        action="receive",
        address="work",
        options={"queue": "work", "durable": False},
    ),
    BrokerChannel(
        operation="shipped",
        action="send",
        address="orders.{region}.shipped",
        options={"exchange": "shop", "exchange_type": "topic", "cc": ["audit.shipped"]},
    ),
)


@pytest.fixture(scope="module")
def vhost() -> Iterator[Vhost]:
    with Vhost() as made:
        yield made


def _pika(vhost: Vhost) -> pika.adapters.blocking_connection.BlockingChannel:
    return pika.BlockingConnection(pika.URLParameters(vhost.url)).channel()


async def _declared(vhost: Vhost) -> AmqpClient:
    client = AmqpClient(vhost.url)
    await client.connect()
    await client.declare(CHANNELS)
    return client


def test_declares_exchanges_queues_and_bindings_as_the_channels_say(vhost: Vhost) -> None:
    async def run() -> None:
        client = await _declared(vhost)
        await client.close()

    asyncio.run(run())
    assert vhost.exchanges() == {
        "shop": ("topic", False, False),
        "billing": ("direct", True, True),
        "news": ("fanout", True, False),
        "tags": ("headers", True, False),
    }
    queues = vhost.queues()
    assert queues["work"] == (False, False, False)
    assert {"mockc.orderPlaced", "mockc.invoiceDue", "mockc.newsPosted"} <= set(queues)
    assert {
        ("shop", "mockc.orderPlaced", "orders.*.placed"),
        ("billing", "mockc.invoiceDue", "invoice"),
        ("news", "mockc.newsPosted", ""),
        ("tags", "mockc.tagged", ""),
    } <= vhost.bindings()


def test_properties_and_headers_are_kept_both_ways(vhost: Vhost) -> None:
    other = _pika(vhost)
    other.queue_declare("watch", exclusive=True)
    other.queue_bind("watch", "shop", "orders.*.shipped")
    other.queue_declare("audit", exclusive=True)
    other.queue_bind("audit", "shop", "audit.shipped")
    received: list[BrokerMessage] = []

    async def run() -> None:
        client = await _declared(vhost)
        got = asyncio.Event()

        async def handle(channel: BrokerChannel, message: BrokerMessage) -> None:
            received.append(message)
            got.set()

        consuming = asyncio.create_task(client.consume(CHANNELS[:5], handle))
        await asyncio.sleep(0.2)
        await asyncio.to_thread(
            other.basic_publish,
            "shop",
            "orders.eu.placed",
            b'{"id": 1}',
            pika.BasicProperties(
                content_type="application/json",
                correlation_id="corr-1",
                reply_to="answers",
                message_id="msg-1",
                expiration="60000",
                priority=5,
                headers={"x-tenant": "acme", "attempt": 2},
            ),
        )
        await asyncio.wait_for(got.wait(), 5)
        await client.publish(
            CHANNELS[5],
            BrokerMessage(
                address="orders.eu.shipped",
                payload=b'{"id": 1}',
                headers={"x-tenant": "acme"},
                content_type="application/json",
                correlation_id="corr-2",
                reply_to="answers",
                message_id="msg-2",
                extras={"priority": 7, "expiration": 30000},
            ),
        )
        consuming.cancel()
        await asyncio.gather(consuming, return_exceptions=True)
        await client.close()

    asyncio.run(run())
    (message,) = received
    assert message.address == "orders.eu.placed"
    assert (message.content_type, message.correlation_id, message.reply_to) == (
        "application/json",
        "corr-1",
        "answers",
    )
    assert message.message_id == "msg-1"
    assert message.headers == {"x-tenant": "acme", "attempt": "2"}
    assert (message.extras["priority"], message.extras["expiration"]) == (5, 60000)
    assert (message.extras["exchange"], message.extras["routing_key"]) == (
        "shop",
        "orders.eu.placed",
    )
    for queue in ("watch", "audit"):  # the binding's cc reaches the audit queue too
        method, properties, body = other.basic_get(queue, auto_ack=True)
        assert method is not None, queue
        assert json.loads(body) == {"id": 1}
        assert (properties.correlation_id, properties.reply_to, properties.message_id) == (
            "corr-2",
            "answers",
            "msg-2",
        )
        assert (properties.priority, properties.expiration) == (7, "30000")
        assert properties.content_type == "application/json"
        assert properties.headers["x-tenant"] == "acme"
    other.connection.close()


def test_a_closed_connection_is_lost_and_the_unacknowledged_message_comes_back(
    vhost: Vhost,
) -> None:
    other = _pika(vhost)
    deliveries: list[BrokerMessage] = []

    async def run() -> Any:
        client = await _declared(vhost)
        first = asyncio.Event()

        async def stuck(channel: BrokerChannel, message: BrokerMessage) -> None:
            deliveries.append(message)
            first.set()
            await asyncio.sleep(60)  # never done: never acknowledged

        consuming = asyncio.create_task(client.consume([CHANNELS[4]], stuck))
        other.basic_publish("", "work", b'{"n": 1}')
        other.connection.close()
        await asyncio.wait_for(first.wait(), 5)
        await asyncio.to_thread(vhost.close_connections)
        with pytest.raises(BrokerLost):
            await asyncio.wait_for(consuming, 10)
        assert not client.connected
        await client.connect()
        await client.declare(CHANNELS)
        again = asyncio.Event()

        async def done(channel: BrokerChannel, message: BrokerMessage) -> None:
            deliveries.append(message)
            again.set()

        consuming = asyncio.create_task(client.consume([CHANNELS[4]], done))
        await asyncio.wait_for(again.wait(), 5)
        await asyncio.sleep(0.2)  # the acknowledgement goes out
        consuming.cancel()
        await asyncio.gather(consuming, return_exceptions=True)
        await client.close()

    asyncio.run(run())
    assert [m.payload for m in deliveries] == [b'{"n": 1}', b'{"n": 1}']
    assert deliveries[1].extras["redelivered"] is True
    left = _pika(vhost)
    assert left.queue_declare("work", passive=True).method.message_count == 0
    left.connection.close()


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_an_unreachable_broker_is_one_reason_without_the_password() -> None:
    url = f"amqp://mock:s3cret-pw@127.0.0.1:{_closed_port()}/shop"
    client = AmqpClient(url)

    async def run() -> None:
        await client.connect()

    with pytest.raises(BrokerUnavailable) as caught:
        asyncio.run(run())
    assert "s3cret-pw" not in caught.value.reason
    assert "\n" not in caught.value.reason
    assert client.describe().startswith("amqp at 127.0.0.1:")
    assert "s3cret-pw" not in client.describe()
    assert describe_url("amqps://u:p@rabbit.example/") == "amqp at rabbit.example:5671 (vhost /)"


def test_wrong_credentials_are_named_as_such(vhost: Vhost) -> None:
    url = vhost.url.replace("guest:guest@", "guest:wrong-pw@")
    client = AmqpClient(url)

    async def run() -> None:
        await client.connect()

    with pytest.raises(BrokerUnavailable) as caught:
        asyncio.run(run())
    assert "wrong-pw" not in caught.value.reason


def test_an_exchange_that_exists_otherwise_is_used_as_it_is(
    vhost: Vhost, capsys: pytest.CaptureFixture[str]
) -> None:
    other = _pika(vhost)
    other.exchange_declare("legacy", "direct", durable=False)
    channel = BrokerChannel(
        operation="legacyEvent",
        action="receive",
        address="legacy.key",
        options={"exchange": "legacy", "exchange_type": "topic"},
    )
    received: list[BrokerMessage] = []

    async def run() -> None:
        client = AmqpClient(vhost.url)
        await client.connect()
        await client.declare([channel])
        got = asyncio.Event()

        async def handle(_: BrokerChannel, message: BrokerMessage) -> None:
            received.append(message)
            got.set()

        consuming = asyncio.create_task(client.consume([channel], handle))
        await asyncio.to_thread(other.basic_publish, "legacy", "legacy.key", b"{}")
        await asyncio.wait_for(got.wait(), 5)
        assert client.connected
        consuming.cancel()
        await asyncio.gather(consuming, return_exceptions=True)
        await client.close()

    asyncio.run(run())
    other.connection.close()
    assert len(received) == 1
    assert "exchange 'legacy' exists with other properties" in capsys.readouterr().err
    assert vhost.exchanges()["legacy"] == ("direct", False, False)


def test_a_channel_on_the_default_exchange_is_the_queue_of_its_address(vhost: Vhost) -> None:
    """No exchange, no queue named: the default exchange routes a key to the
    queue of that name, so that is the queue (consumed or published to)."""
    consumed = BrokerChannel(operation="signedUp", action="receive", address="user.signedup")
    produced = BrokerChannel(operation="welcomed", action="send", address="user.welcomed")
    received: list[BrokerMessage] = []

    async def run() -> None:
        client = AmqpClient(vhost.url)
        await client.connect()
        await client.declare([consumed, produced])
        got = asyncio.Event()

        async def handle(_: BrokerChannel, message: BrokerMessage) -> None:
            received.append(message)
            got.set()

        consuming = asyncio.create_task(client.consume([consumed], handle))
        other = _pika(vhost)
        await asyncio.to_thread(other.basic_publish, "", "user.signedup", b'{"id": 1}')
        other.connection.close()
        await asyncio.wait_for(got.wait(), 5)
        await client.publish(produced, BrokerMessage(address="user.welcomed", payload=b"{}"))
        consuming.cancel()
        await asyncio.gather(consuming, return_exceptions=True)
        await client.close()

    asyncio.run(run())
    assert [m.address for m in received] == ["user.signedup"]
    other = _pika(vhost)
    method, _, body = other.basic_get("user.welcomed", auto_ack=True)
    other.connection.close()
    assert method is not None and body == b"{}"


def test_a_message_the_broker_refuses_is_refused_and_the_connection_goes_on(
    vhost: Vhost,
) -> None:
    other = _pika(vhost)
    other.queue_declare("bounded", arguments={"x-max-length": 1, "x-overflow": "reject-publish"})
    other.connection.close()
    bounded = BrokerChannel(
        operation="bounded", action="send", address="bounded", options={"queue": "bounded"}
    )
    unfilled = BrokerChannel(
        operation="answer", action="send", address="{queue}", options={"queue": "{queue}"}
    )

    async def run() -> None:
        client = AmqpClient(vhost.url)
        await client.connect()
        await client.declare([bounded, unfilled])  # "bounded" exists otherwise: used as it is
        await client.publish(bounded, BrokerMessage(address="bounded", payload=b"1"))
        with pytest.raises(MessageRefused):
            await client.publish(bounded, BrokerMessage(address="bounded", payload=b"2"))
        with pytest.raises(MessageRefused):
            await client.publish(unfilled, BrokerMessage(address="{queue}", payload=b"3"))
        assert client.connected
        await client.close()

    asyncio.run(run())
