"""A generated MQTT mock service speaking MQTT 3.1.1, against a Mosquitto of the
test's own (free loopback port) whose log names each client's protocol level,
driven by paho-mqtt clients that speak 3.1.1 too: the contract's
``protocolVersion`` or ``MOCKC_MQTT_VERSION`` chooses the version, and a reply
finds its way and names its request through the payload, as MQTT 3.1.1 has no
message properties."""

from __future__ import annotations

import json
import os
import queue
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import paho.mqtt.client as paho
import pytest

from mockc.testing.process import ServerProcess, free_port
from tests.targets.mqtt.mosquitto_kit import Mosquitto
from tests.targets.mqtt.test_mqtt_service import HERE, LAMP_RPC, _generate, _start

LAMP_RPC_311 = HERE / "specs" / "lamp-rpc-311.yaml"


@pytest.fixture
def mosquitto(tmp_path: Path) -> Iterator[Mosquitto]:
    broker = Mosquitto(tmp_path)
    try:
        yield broker
    finally:
        broker.stop()


class Client311:
    """A paho-mqtt client speaking MQTT 3.1.1, collecting what its subscriptions get."""

    def __init__(self, port: int, *filters: str) -> None:
        self.messages: queue.Queue[paho.MQTTMessage] = queue.Queue()
        self.client = paho.Client(
            paho.CallbackAPIVersion.VERSION2,
            client_id=f"test311-{uuid.uuid4().hex[:8]}",
            protocol=paho.MQTTv311,
        )
        self.client.on_message = lambda _c, _u, message: self.messages.put(message)
        self.client.connect("127.0.0.1", port)
        self.client.loop_start()
        for topic in filters:
            assert self.client.subscribe(topic, qos=1)[0] == paho.MQTT_ERR_SUCCESS
        time.sleep(0.2)

    def publish(self, topic: str, payload: object) -> None:
        self.client.publish(topic, json.dumps(payload), qos=1).wait_for_publish(5)

    def next(self, timeout: float = 10.0) -> paho.MQTTMessage:
        return self.messages.get(timeout=timeout)

    def close(self) -> None:
        self.client.loop_stop()
        self.client.disconnect()


def _wait_connected(process: ServerProcess, broker: Mosquitto) -> None:
    deadline = time.monotonic() + 10
    while not broker.protocol_levels("mockc-"):
        assert time.monotonic() < deadline, process.log()
        time.sleep(0.05)


def test_the_contracts_protocol_version_makes_a_3_1_1_client_answering_through_the_payload(
    tmp_path: Path, mosquitto: Mosquitto
) -> None:
    _generate(LAMP_RPC_311, tmp_path / "mock")
    process, _ = _start(tmp_path / "mock", {"MOCKC_MQTT_URL": f"mqtt://127.0.0.1:{mosquitto.port}"})
    client = Client311(mosquitto.port, "mockc-test/replies/#", "mockc-test/v311/lamps/+/answer")
    try:
        _wait_connected(process, mosquitto)
        assert mosquitto.protocol_levels("mockc-") == {"p2"}
        # the reply address and the correlation id in the payload
        client.publish(
            "mockc-test/v311/lamps/l1/ask",
            {"level": 40, "requestId": "req-41", "replyTo": "mockc-test/replies/a"},
        )
        reply = client.next()
        assert reply.topic == "mockc-test/replies/a"
        assert json.loads(reply.payload) == {"ok": True, "requestId": "req-41"}
        # no reply address: the contract's reply channel, its parameters from the request's
        client.publish("mockc-test/v311/lamps/l2/ask", {"level": 1, "requestId": "req-42"})
        reply = client.next()
        assert reply.topic == "mockc-test/v311/lamps/l2/answer"
        assert json.loads(reply.payload)["requestId"] == "req-42"
        # an invalid request is journaled as such and not answered
        client.publish("mockc-test/v311/lamps/l3/ask", {"level": 1000, "requestId": "req-43"})
        with pytest.raises(queue.Empty):
            client.next(timeout=0.5)
    finally:
        client.close()
        process.stop()
    assert "Traceback" not in process.log()


def test_the_setting_chooses_3_1_1_for_an_mqtt_5_contract(
    tmp_path: Path, mosquitto: Mosquitto
) -> None:
    _generate(LAMP_RPC, tmp_path / "mock")
    url = f"mqtt://127.0.0.1:{mosquitto.port}"
    process, _ = _start(tmp_path / "mock", {"MOCKC_MQTT_URL": url, "MOCKC_MQTT_VERSION": "3.1.1"})
    client = Client311(mosquitto.port, "mockc-test/lamps/+/answer")
    try:
        _wait_connected(process, mosquitto)
        assert mosquitto.protocol_levels("mockc-") == {"p2"}
        client.publish("mockc-test/lamps/s1/ask", {"level": 3})
        assert client.next().topic == "mockc-test/lamps/s1/answer"
    finally:
        client.close()
        process.stop()


def test_by_default_the_mock_speaks_mqtt_5(tmp_path: Path, mosquitto: Mosquitto) -> None:
    _generate(LAMP_RPC, tmp_path / "mock")
    process, _ = _start(tmp_path / "mock", {"MOCKC_MQTT_URL": f"mqtt://127.0.0.1:{mosquitto.port}"})
    try:
        _wait_connected(process, mosquitto)
        assert mosquitto.protocol_levels("mockc-") == {"p5"}
    finally:
        process.stop()


def test_an_mqtt_version_it_does_not_speak_is_a_clear_error(tmp_path: Path) -> None:
    _generate(LAMP_RPC, tmp_path)
    completed = subprocess.run(
        [sys.executable, "server.py"],
        cwd=tmp_path,
        env={**os.environ, "MOCKC_MQTT_VERSION": "3.0", "MOCKC_ADMIN_PORT": str(free_port())},
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    assert completed.returncode != 0
    assert "MOCKC_MQTT_VERSION" in completed.stderr and "5 or 3.1.1" in completed.stderr
    assert "Traceback" not in completed.stderr
