"""Avro payloads on RabbitMQ: a mock service generated from an AsyncAPI
document whose payloads are local ``.avsc`` files, against the real broker in
a virtual host of this module's own. Its scheduled messages and its replies
are Avro binary with the ``avro/binary`` content type, read here with fastavro
independently of the mock; Avro requests are read and answered; bytes that are
not Avro of the schema are journaled invalid."""

from __future__ import annotations

import io
import json
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from typing import Any

import fastavro
import httpx
import pika
import pytest
from fastavro.validation import validate

from tests.support.rabbitmq import Vhost
from tests.support.servers import ServerProcess, free_port

AVRO = "application/vnd.apache.avro;version=1.9.0"
QUOTE_REQUEST = {
    "type": "record",
    "name": "QuoteRequest",
    "namespace": "shop.quotes",
    "fields": [
        {"name": "sku", "type": "string"},
        {"name": "quantity", "type": "int"},
    ],
}
QUOTE = {
    "type": "record",
    "name": "Quote",
    "namespace": "shop.quotes",
    "fields": [
        {"name": "sku", "type": "string"},
        {
            "name": "price",
            "type": {"type": "bytes", "logicalType": "decimal", "precision": 9, "scale": 2},
        },
        {"name": "validUntil", "type": {"type": "long", "logicalType": "timestamp-millis"}},
        {"name": "note", "type": ["null", "string"], "default": None},
    ],
}
DOCUMENT = f"""\
asyncapi: 3.0.0
info: {{title: Quotes, version: 1.0.0}}
servers:
  broker: {{host: 'localhost:5672', protocol: amqp}}
channels:
  requests:
    address: quote_requests
    messages:
      quoteRequest:
        payload: {{schemaFormat: '{AVRO}', schema: {{$ref: './QuoteRequest.avsc'}}}}
    bindings: {{amqp: {{is: queue, queue: {{durable: false}}}}}}
  replies:
    address: quote_replies
    messages:
      quote:
        payload: {{schemaFormat: '{AVRO}', schema: {{$ref: './Quote.avsc'}}}}
    bindings: {{amqp: {{is: queue, queue: {{durable: false}}}}}}
  ticks:
    address: quote_ticks
    messages:
      tick:
        payload: {{schemaFormat: '{AVRO}', schema: {{$ref: './Quote.avsc'}}}}
    bindings: {{amqp: {{is: queue, queue: {{durable: false}}}}}}
operations:
  requestQuote:
    action: receive
    channel: {{$ref: '#/channels/requests'}}
    reply:
      channel: {{$ref: '#/channels/replies'}}
  publishTick:
    action: send
    channel: {{$ref: '#/channels/ticks'}}
"""
TICKS = {
    "id": "ticks",
    "operation": "publishTick",
    "priority": 10,
    "response": {"body": {"sku": "tick", "price": 9.99, "validUntil": "2026-06-01T00:00:00Z"}},
    "emit": {"after_ms": 1500, "every_ms": 100, "count": 3},
}


@pytest.fixture(scope="module")
def vhost() -> Iterator[Vhost]:
    with Vhost() as made:
        yield made


@pytest.fixture(scope="module")
def quotes(vhost: Vhost, tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    folder = tmp_path_factory.mktemp("amqp-avro")
    (folder / "QuoteRequest.avsc").write_text(json.dumps(QUOTE_REQUEST))
    (folder / "Quote.avsc").write_text(json.dumps(QUOTE))
    (folder / "quotes.yaml").write_text(DOCUMENT)
    out = folder / "out"
    done = subprocess.run(
        [sys.executable, "-m", "mockc.compiler.cli", "generate", "quotes.yaml", "-o", "out", "-q"],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=folder,
    )
    assert done.returncode == 0, done.stderr
    (out / "mocks" / "ticks.json").write_text(json.dumps(TICKS), "utf-8")
    channel = _pika(vhost)
    channel.queue_declare("quote_ticks", durable=False)  # there before the schedule starts
    channel.connection.close()
    port = free_port()
    env = {"MOCKC_AMQP_URL": vhost.url, "MOCKC_ADMIN_PORT": str(port)}
    with ServerProcess([sys.executable, "server.py"], out, env, port=port) as process:
        yield process


def _pika(vhost: Vhost) -> Any:
    return pika.BlockingConnection(pika.URLParameters(vhost.url)).channel()


def _read(raw: bytes, schema: Any) -> Any:
    parsed = fastavro.parse_schema(schema)
    source = io.BytesIO(raw)
    record = fastavro.schemaless_reader(source, parsed, None)
    assert source.tell() == len(raw), "bytes left after the record"
    assert validate(record, parsed)
    return record


def _avro(record: Any, schema: Any) -> bytes:
    out = io.BytesIO()
    fastavro.schemaless_writer(out, fastavro.parse_schema(schema), record)
    return out.getvalue()


def test_scheduled_messages_are_avro_binary_of_their_schema(
    quotes: ServerProcess, vhost: Vhost
) -> None:
    channel = _pika(vhost)
    got: list[tuple[Any, bytes]] = []
    deadline = time.monotonic() + 15
    try:
        while len(got) < 3 and time.monotonic() < deadline:
            method, properties, body = channel.basic_get("quote_ticks", auto_ack=True)
            if method is None:
                time.sleep(0.1)
            else:
                got.append((properties, body))
    finally:
        channel.connection.close()
    assert len(got) == 3, quotes.stderr
    for properties, body in got:
        assert properties.content_type == "avro/binary"
        tick = _read(body, QUOTE)
        assert tick["sku"] == "tick" and str(tick["price"]) == "9.99"
        assert tick["validUntil"].isoformat() == "2026-06-01T00:00:00+00:00"


def test_an_avro_request_is_answered_in_avro_on_its_reply_to(
    quotes: ServerProcess, vhost: Vhost
) -> None:
    channel = _pika(vhost)
    reply_queue = channel.queue_declare("", exclusive=True).method.queue
    correlation = str(uuid.uuid4())
    channel.basic_publish(
        "",
        "quote_requests",
        _avro({"sku": "lamp", "quantity": 3}, QUOTE_REQUEST),
        pika.BasicProperties(reply_to=reply_queue, correlation_id=correlation),
    )
    reply = None
    try:
        for method, properties, body in channel.consume(reply_queue, inactivity_timeout=10):
            assert method is not None, quotes.stderr
            channel.basic_ack(method.delivery_tag)
            reply = properties, body
            break
    finally:
        channel.connection.close()
    assert reply is not None
    properties, body = reply
    assert properties.correlation_id == correlation
    assert properties.content_type == "avro/binary"
    _read(body, QUOTE)


def test_bytes_that_are_not_avro_of_the_schema_are_journaled_invalid(
    quotes: ServerProcess, vhost: Vhost
) -> None:
    channel = _pika(vhost)
    marker = str(uuid.uuid4())
    channel.basic_publish(
        "",
        "quote_requests",
        b"\x08lamp",  # a string, then no quantity
        pika.BasicProperties(correlation_id=marker),
    )
    channel.connection.close()

    def found() -> list[dict[str, Any]]:
        entries = httpx.get(f"{quotes.url}/__mockc/journal", params={"limit": 1000}).json()
        return [e for e in entries["entries"] if marker in json.dumps(e)]

    deadline = time.monotonic() + 10
    while not found() and time.monotonic() < deadline:
        time.sleep(0.1)
    (entry,) = found()
    assert entry["status"] == "invalid"
    assert "not Avro" in json.dumps(entry["response"])
