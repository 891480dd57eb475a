"""A generated MQTT mock service reaching a broker over TLS: a Mosquitto of the
test's own with a TLS listener, its certificate signed by a certificate
authority made for the test, which the service trusts through
``MOCKC_MQTT_CA_FILE``; a request sent by a paho-mqtt client over TLS is
answered. Without the CA the service refuses the broker's certificate."""

from __future__ import annotations

import os
import ssl
import subprocess
import sys
import time
import uuid
from pathlib import Path

import paho.mqtt.client as paho
import pytest

from mockc.testing.process import free_port
from tests.support.certificates import certificates
from tests.targets.mqtt.mosquitto_kit import Mosquitto
from tests.targets.mqtt.test_mqtt_service import LAMP_RPC, _generate, _start


@pytest.fixture
def tls_broker(tmp_path: Path) -> tuple[Mosquitto, Path]:
    folder = tmp_path / "tls"
    folder.mkdir()
    ca, cert, key = certificates(folder)
    broker = Mosquitto(folder, f"cafile {ca}\ncertfile {cert}\nkeyfile {key}\n")
    return broker, ca


def _tls_client(port: int, ca: Path, *topics: str) -> tuple[paho.Client, list[paho.MQTTMessage]]:
    got: list[paho.MQTTMessage] = []
    client = paho.Client(
        paho.CallbackAPIVersion.VERSION2,
        client_id=f"testtls-{uuid.uuid4().hex[:8]}",
        protocol=paho.MQTTv5,
    )
    client.tls_set_context(ssl.create_default_context(cafile=str(ca)))
    client.on_message = lambda _c, _u, message: got.append(message)
    client.connect("127.0.0.1", port)
    client.loop_start()
    for topic in topics:
        assert client.subscribe(topic, qos=1)[0] == paho.MQTT_ERR_SUCCESS
    time.sleep(0.2)
    return client, got


def test_the_service_reaches_a_tls_broker_with_the_ca_of_the_environment(
    tmp_path: Path, tls_broker: tuple[Mosquitto, Path]
) -> None:
    broker, ca = tls_broker
    _generate(LAMP_RPC, tmp_path / "mock")
    url = f"mqtts://127.0.0.1:{broker.port}"
    process, _ = _start(tmp_path / "mock", {"MOCKC_MQTT_URL": url, "MOCKC_MQTT_CA_FILE": str(ca)})
    client, got = _tls_client(broker.port, ca, "mockc-test/lamps/+/answer")
    try:
        assert broker.protocol_levels("mockc-") == {"p5"}  # connected, over the TLS listener
        client.publish("mockc-test/lamps/t1/ask", b'{"level": 5}', qos=1).wait_for_publish(5)
        deadline = time.monotonic() + 10
        while not got:
            assert time.monotonic() < deadline, process.log()
            time.sleep(0.05)
        assert got[0].topic == "mockc-test/lamps/t1/answer"
    finally:
        client.loop_stop()
        client.disconnect()
        process.stop()
        broker.stop()
    assert "Traceback" not in process.log()


def test_without_the_ca_the_brokers_certificate_is_refused_in_one_line(
    tmp_path: Path, tls_broker: tuple[Mosquitto, Path]
) -> None:
    broker, _ = tls_broker
    folder = tmp_path / "mock"
    _generate(LAMP_RPC, folder)
    url = f"mqtts://127.0.0.1:{broker.port}"
    process, _ = _start(folder, {"MOCKC_MQTT_URL": url}, health=False)
    with process.log_path.open("wb") as log:
        process.process = subprocess.Popen(
            [sys.executable, "server.py"],
            cwd=folder,
            env=process.env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    try:
        deadline = time.monotonic() + 15
        while "is unavailable" not in process.log():
            assert time.monotonic() < deadline, process.log()
            time.sleep(0.1)
    finally:
        process.stop()
        broker.stop()
    lines = [line for line in process.log().splitlines() if "is unavailable" in line]
    assert "certificate" in lines[0].lower() and "retrying in" in lines[0], lines
    assert "Traceback" not in process.log()
    assert not broker.protocol_levels("mockc-")


def test_a_ca_file_that_does_not_exist_stops_the_service_at_start(tmp_path: Path) -> None:
    _generate(LAMP_RPC, tmp_path)
    completed = subprocess.run(
        [sys.executable, "server.py"],
        cwd=tmp_path,
        env={
            **os.environ,
            "MOCKC_MQTT_URL": "mqtts://127.0.0.1:8883",
            "MOCKC_MQTT_CA_FILE": str(tmp_path / "missing.pem"),
            "MOCKC_ADMIN_PORT": str(free_port()),
        },
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    assert completed.returncode != 0
    assert "MOCKC_MQTT_CA_FILE" in completed.stderr and "missing.pem" in completed.stderr
    assert "Traceback" not in completed.stderr
