"""Avro payloads on MQTT (Mosquitto on 127.0.0.1:1883, MQTT 5): a generated
service's published messages are Avro binary with the ``avro/binary`` content
type, read here with fastavro; an Avro message it consumes is journaled valid,
bytes that are not Avro of the schema invalid."""

from __future__ import annotations

import io
import json
import time
import uuid
from collections.abc import Iterator
from typing import Any

import fastavro
import httpx
import pytest
from fastavro.validation import validate

from mockc.testing.process import ServerProcess
from tests.targets.mqtt.test_mqtt_service import BROKER, Listener, _broker_up, _generate, _start

pytestmark = pytest.mark.skipif(
    not _broker_up(), reason="Mosquitto is not running on 127.0.0.1:1883"
)

READING = {
    "type": "record",
    "name": "Reading",
    "fields": [
        {"name": "sensor", "type": "string"},
        {"name": "celsius", "type": "double"},
        {"name": "at", "type": {"type": "long", "logicalType": "timestamp-millis"}},
    ],
}
AVRO = "application/vnd.apache.avro;version=1.9.0"


@pytest.fixture(scope="module")
def service(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, ServerProcess, str]]:
    folder = tmp_path_factory.mktemp("mqtt-avro")
    prefix = f"avro-{uuid.uuid4().hex[:8]}"
    (folder / "Reading.avsc").write_text(json.dumps(READING))
    spec = folder / "sensors.yaml"
    spec.write_text(
        f"""\
asyncapi: 3.0.0
info: {{title: Sensors, version: '1'}}
servers:
  local: {{host: '{BROKER[0]}:{BROKER[1]}', protocol: mqtt}}
channels:
  readings:
    address: {prefix}/readings
    messages:
      reading: {{payload: {{schemaFormat: '{AVRO}', schema: {{$ref: './Reading.avsc'}}}}}}
  uploads:
    address: {prefix}/uploads
    messages:
      upload: {{payload: {{schemaFormat: '{AVRO}', schema: {{$ref: './Reading.avsc'}}}}}}
operations:
  publishReading:
    action: send
    channel: {{$ref: '#/channels/readings'}}
  takeUpload:
    action: receive
    channel: {{$ref: '#/channels/uploads'}}
"""
    )
    out = folder / "out"
    _generate(spec, out)
    process, port = _start(out, {"MOCKC_MQTT_URL": f"mqtt://{BROKER[0]}:{BROKER[1]}"})
    try:
        yield prefix, process, f"http://127.0.0.1:{port}"
    finally:
        process.stop()


def _avro(record: Any) -> bytes:
    out = io.BytesIO()
    fastavro.schemaless_writer(out, fastavro.parse_schema(READING), record)
    return out.getvalue()


def test_published_readings_are_avro_binary_with_their_content_type(
    service: tuple[str, ServerProcess, str],
) -> None:
    prefix, process, admin = service
    listener = Listener(f"{prefix}/readings")
    try:
        answer = httpx.post(f"{admin}/__mockc/publish/publishReading")
        assert answer.status_code == 202, answer.text
        message = listener.next()
    finally:
        listener.close()
    assert message.properties.ContentType == "avro/binary"
    parsed = fastavro.parse_schema(READING)
    source = io.BytesIO(message.payload)
    record = fastavro.schemaless_reader(source, parsed, None)
    assert source.tell() == len(message.payload)
    assert validate(record, parsed)


def test_consumed_avro_is_valid_and_other_bytes_are_invalid(
    service: tuple[str, ServerProcess, str],
) -> None:
    prefix, _, admin = service
    good = f"good-{uuid.uuid4().hex[:6]}"
    listener = Listener()
    try:
        listener.publish(
            f"{prefix}/uploads", _avro({"sensor": good, "celsius": 21.5, "at": 1_700_000_000_000})
        )
        listener.publish(f"{prefix}/uploads", b"\x02")
    finally:
        listener.close()

    def received() -> list[dict[str, Any]]:
        entries = httpx.get(f"{admin}/__mockc/journal", params={"limit": 100}).json()["entries"]
        return [e for e in entries if e["operation"] == "takeUpload" and e["method"] == "received"]

    deadline = time.monotonic() + 10
    while len(received()) < 2 and time.monotonic() < deadline:
        time.sleep(0.1)
    verdicts = sorted(entry["status"] for entry in received())
    assert verdicts == ["invalid", "valid"], received()
    (invalid,) = [e for e in received() if e["status"] == "invalid"]
    assert "not Avro" in json.dumps(invalid["response"])
