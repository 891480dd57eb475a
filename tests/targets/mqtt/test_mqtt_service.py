"""Generated MQTT mock services against a real Mosquitto, driven by paho-mqtt as
an independent client: every MQTT channel of the corpus's AsyncAPI documents
consumed (valid and invalid messages journaled with their verdict) or produced
(on demand and on schedules, each message valid against its schema),
request/reply with correlation data, bad input, and a broker that is down at
start and comes up later.

The Mosquitto is the tests' own (the session's ``mosquitto`` fixture, on a free
loopback port): the corpus's documents fix their topics, which another test
run on the machine (another checkout, CI beside a developer) would share on
the machine's Mosquitto at 1883."""

from __future__ import annotations

import json
import os
import queue
import shutil
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import jsonschema
import paho.mqtt.client as paho
import pytest
from paho.mqtt.packettypes import PacketTypes
from paho.mqtt.properties import Properties

from mockc.compiler.driver import GenerateOptions, compile_specs, plan_files
from mockc.testing.process import ServerProcess, free_port
from tests.support.corpus import CORPUS
from tests.support.mosquitto import Mosquitto

BROKER = ("127.0.0.1", 1883)
"""The machine's shared Mosquitto (the Avro tests, whose topics are unique, use it)."""
HERE = Path(__file__).parent
SPECS = {
    "streetlights-3.0": CORPUS / "asyncapi" / "streetlights-mqtt" / "asyncapi-3.0.0.yml",
    "streetlights-2.6": CORPUS / "asyncapi" / "streetlights-mqtt" / "asyncapi-2.6.0.yml",
    "correlation-id-3.0": CORPUS / "asyncapi" / "correlation-id" / "asyncapi-3.0.0.yml",
    "correlation-id-2.6": CORPUS / "asyncapi" / "correlation-id" / "asyncapi-2.6.0.yml",
    "notification-service": CORPUS
    / "asyncapi"
    / "social-media-multifile-3.0"
    / "notification-service"
    / "asyncapi.yaml",
}
"""The corpus's documents with MQTT channels, one service each in turn (they share topics)."""
LAMP_RPC = HERE / "specs" / "lamp-rpc.yaml"
"""Request/reply (none of the corpus's MQTT documents has a reply)."""


def _broker_up(address: tuple[str, int] = BROKER) -> bool:
    try:
        with socket.create_connection(address, timeout=1.0):
            return True
    except OSError:
        return False


pytestmark = pytest.mark.skipif(
    bool(os.environ.get("MOCKC_NO_MQTT")) or shutil.which("mosquitto") is None,
    reason=os.environ.get("MOCKC_NO_MQTT") or "the mosquitto binary is not installed",
)


# -- helpers ----------------------------------------------------------------------------


def _generate(spec: Path, folder: Path) -> dict[str, Any]:
    for file in plan_files(compile_specs([spec]), GenerateOptions()):
        path = folder / file.path
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(file.content)
    contract: dict[str, Any] = json.loads((folder / "contract.json").read_text("utf-8"))
    return contract


class Mock:
    def __init__(
        self,
        folder: Path,
        contract: dict[str, Any],
        process: ServerProcess,
        port: int,
        broker: Mosquitto,
    ):
        self.folder = folder
        self.contract = contract
        self.process = process
        self.admin = f"http://127.0.0.1:{port}"
        self.broker = broker
        """The Mosquitto it is connected to."""

    def listener(self, *filters: str) -> Listener:
        """A paho-mqtt client of the service's broker, subscribed to ``filters``."""
        return Listener(*filters, port=self.broker.port)

    def operations(self, action: str) -> list[dict[str, Any]]:
        return [op for op in self.contract["operations"] if op["binding"]["action"] == action]

    def journal(self, method: str = "", **query: str) -> list[dict[str, Any]]:
        """Entries, newest first (the direction is filtered here: the journal's
        ``method`` filter is for HTTP methods)."""
        found: list[dict[str, Any]] = httpx.get(
            f"{self.admin}/__mockc/journal", params={"limit": "500", **query}
        ).json()["entries"]
        return [entry for entry in found if not method or entry["method"] == method]

    def wait_journal(self, count: int = 1, **query: str) -> list[dict[str, Any]]:
        deadline = time.monotonic() + 5.0
        while time.monotonic() < deadline:
            entries = self.journal(**query)
            if len(entries) >= count:
                return entries
            time.sleep(0.05)
        raise AssertionError(f"fewer than {count} journal entries for {query}: {entries}")


def _start(folder: Path, env: dict[str, str], *, health: bool = True) -> tuple[ServerProcess, int]:
    port = free_port()
    process = ServerProcess(
        folder,
        {"MOCKC_ADMIN_PORT": str(port), "MOCKC_SEED": "0", "MOCKC_JOURNAL": "", **env},
        f"http://127.0.0.1:{port}/health",
    )
    if health:
        process.start()
    return process, port


class Listener:
    """A paho-mqtt client collecting the messages of its subscriptions."""

    def __init__(self, *filters: str, port: int = BROKER[1]) -> None:
        self.messages: queue.Queue[paho.MQTTMessage] = queue.Queue()
        self.client = paho.Client(
            paho.CallbackAPIVersion.VERSION2,
            client_id=f"test-{uuid.uuid4().hex[:8]}",
            protocol=paho.MQTTv5,
        )
        self.client.on_message = lambda _c, _u, message: self.messages.put(message)
        self.client.connect(BROKER[0], port)
        self.client.loop_start()
        for topic in filters:
            info = self.client.subscribe(topic, qos=1)
            assert info[0] == paho.MQTT_ERR_SUCCESS
        time.sleep(0.2)

    def publish(self, topic: str, payload: bytes, properties: Properties | None = None) -> None:
        self.client.publish(topic, payload, qos=1, properties=properties).wait_for_publish(5)

    def next(self, timeout: float = 5.0) -> paho.MQTTMessage:
        return self.messages.get(timeout=timeout)

    def close(self) -> None:
        self.client.loop_stop()
        self.client.disconnect()


def _schema(contract: dict[str, Any], schema: Any) -> dict[str, Any]:
    return {"$defs": contract["defs"], **(schema or {})}


def _minimal(schema: Any, defs: dict[str, Any]) -> Any:
    """A small value valid against ``schema`` (objects get their required properties)."""
    if not isinstance(schema, dict):
        return {}
    if "$ref" in schema:
        return _minimal(defs[schema["$ref"].rsplit("/", 1)[-1]], defs)
    kind = schema.get("type", "object")
    if "enum" in schema:
        return schema["enum"][0]
    if kind == "object":
        properties = schema.get("properties") or {}
        return {name: _minimal(properties.get(name), defs) for name in schema.get("required", [])}
    if kind == "integer" or kind == "number":
        return schema.get("minimum", 0)
    if kind == "boolean":
        return True
    if kind == "array":
        return []
    return "x"


def _concrete(address: str, value: str = "lamp-1") -> str:
    parts = address.split("/")
    return "/".join(value if part.startswith("{") else part for part in parts)


def _wildcard(address: str) -> str:
    return "/".join("+" if part.startswith("{") else part for part in address.split("/"))


def _input_schema(operation: dict[str, Any]) -> Any:
    contents = (operation.get("input") or {}).get("contents") or {}
    return next(iter(contents.values()), {}).get("schema") if contents else None


def _output_schema(operation: dict[str, Any]) -> Any:
    for output in operation["outputs"]:
        for content in output["contents"].values():
            return content["schema"]
    return None


# -- one generated service per corpus document ---------------------------------------


@pytest.fixture(scope="module", params=sorted(SPECS))
def mock(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, mosquitto: Mosquitto
) -> Iterator[Mock]:
    name = request.param
    folder = tmp_path_factory.mktemp(f"mqtt-{name}")
    contract = _generate(SPECS[name], folder)
    sends = [op for op in contract["operations"] if op["binding"]["action"] == "send"]
    if sends:  # a schedule: three messages 100 ms apart, from the start
        mock_file = folder / "mocks" / f"{sends[0]['id']}.yaml"
        mock_file.write_text(
            mock_file.read_text("utf-8") + "emit: {after_ms: 1500, every_ms: 100, count: 3}\n"
        )
    process, port = _start(folder, {"MOCKC_MQTT_URL": mosquitto.url})
    try:
        yield Mock(folder, contract, process, port, mosquitto)
    finally:
        process.stop()


def test_health_says_the_broker_is_up(mock: Mock) -> None:
    health = httpx.get(f"{mock.admin}/health")
    assert health.status_code == 200
    assert health.json()["broker"] == "up"


def test_every_consumed_channel_journals_valid_and_invalid_messages(mock: Mock) -> None:
    defs = mock.contract["defs"]
    listener = mock.listener()
    try:
        for operation in mock.operations("receive"):
            address = operation["binding"]["address"]
            schema = _input_schema(operation)
            valid = _minimal(schema, defs)
            jsonschema.validate(valid, _schema(mock.contract, schema))
            listener.publish(_concrete(address), json.dumps(valid).encode())
            listener.publish(_concrete(address), b"{not json")
            entries = mock.wait_journal(2, operation=operation["id"], method="received")
            verdicts = sorted(entry["status"] for entry in entries[:2])
            assert verdicts == ["invalid", "valid"], entries
            valid_entry = next(e for e in entries if e["status"] == "valid")
            assert valid_entry["target"] == _concrete(address)
    finally:
        listener.close()


def test_every_produced_channel_publishes_now_a_valid_message(mock: Mock) -> None:
    for operation in mock.operations("send"):
        address = operation["binding"]["address"]
        listener = mock.listener(_wildcard(address))
        try:
            answer = httpx.post(f"{mock.admin}/__mockc/publish/{operation['id']}")
            assert answer.status_code == 202, answer.text
            assert answer.json()["published"] is True
            message = listener.next()
            assert message.topic == answer.json()["address"]
            payload = json.loads(message.payload)
            jsonschema.validate(payload, _schema(mock.contract, _output_schema(operation)))
            given = httpx.post(
                f"{mock.admin}/__mockc/publish/{operation['id']}",
                json={"payload": {"given": True}, "params": {"streetlightId": "s-9"}},
            )
            assert given.status_code == 202
            again = listener.next()
            while json.loads(again.payload) != {"given": True}:  # scheduled ones interleave
                again = listener.next()
            if "{streetlightId}" in address:
                assert again.topic == address.replace("{streetlightId}", "s-9")
        finally:
            listener.close()


def test_publish_refuses_unknown_operations_and_bad_bodies(mock: Mock) -> None:
    assert httpx.post(f"{mock.admin}/__mockc/publish/nope").status_code == 404
    sends = mock.operations("send") or mock.operations("receive")
    url = f"{mock.admin}/__mockc/publish/{sends[0]['id']}"
    assert httpx.post(url, json=[1]).status_code == 400
    assert httpx.post(url, json={"key": 7}).status_code == 400
    assert httpx.post(url, json={"headers": {"a": 1}}).status_code == 400
    assert httpx.post(url, content=b"{nope").status_code == 400
    document = httpx.get(f"{mock.admin}/__mockc/openapi.json").json()
    assert "post" in document["paths"]["/__mockc/publish/{operation}"]


def test_scheduled_messages_arrive_and_are_valid(mock: Mock) -> None:
    sends = mock.operations("send")
    if not sends:
        pytest.skip("this document has no channel the application sends on")
    entries = []
    deadline = time.monotonic() + 6.0
    while time.monotonic() < deadline:
        entries = [
            entry
            for entry in mock.journal(operation=sends[0]["id"], method="sent")
            if entry["source"].startswith("mock:")
        ]
        if len(entries) >= 3:
            break
        time.sleep(0.1)
    assert len(entries) >= 3
    schema = _schema(mock.contract, _output_schema(sends[0]))
    for entry in entries:
        jsonschema.validate(json.loads(entry["response"]["body"]["data"]), schema)


def test_bad_input_is_journaled_as_invalid_and_the_service_goes_on(mock: Mock) -> None:
    receives = mock.operations("receive")
    if not receives:
        pytest.skip("this document has no channel the application receives on")
    topic = _concrete(receives[0]["binding"]["address"])
    listener = mock.listener()
    try:
        listener.publish(topic, b"\xff\xfe\x00")
        listener.publish(topic, b"[" * 100_000)
        listener.publish(topic, b"{}" + b" " * (5 * 1024 * 1024))
        entries = mock.wait_journal(3, operation=receives[0]["id"], status="invalid")
        assert len(entries) >= 3
        assert mock.process.running
        assert httpx.get(f"{mock.admin}/health").json()["broker"] == "up"
    finally:
        listener.close()


def test_metrics_count_messages_per_channel_and_direction(mock: Mock) -> None:
    text = httpx.get(f"{mock.admin}/metrics").text
    assert 'mockc_broker_connected{protocol="mqtt"} 1.0' in text
    assert "mockc_broker_messages_total{" in text


# -- request/reply -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def lamp(tmp_path_factory: pytest.TempPathFactory, mosquitto: Mosquitto) -> Iterator[Mock]:
    folder = tmp_path_factory.mktemp("mqtt-lamp-reply")
    contract = _generate(LAMP_RPC, folder)
    process, port = _start(folder, {"MOCKC_MQTT_URL": mosquitto.url})
    try:
        yield Mock(folder, contract, process, port, mosquitto)
    finally:
        process.stop()


def test_a_request_gets_its_reply_on_the_response_topic_with_its_correlation_data(
    lamp: Mock,
) -> None:
    response_topic = f"mockc-test/replies/{uuid.uuid4().hex[:8]}"
    listener = lamp.listener(response_topic)
    try:
        properties = Properties(PacketTypes.PUBLISH)
        properties.ResponseTopic = response_topic
        properties.CorrelationData = b"corr-42"
        listener.publish("mockc-test/lamps/l1/ask", b'{"level": 40}', properties)
        reply = listener.next()
        assert reply.properties.CorrelationData == b"corr-42"
        assert json.loads(reply.payload)["ok"] in (True, False)
    finally:
        listener.close()


def test_without_a_response_topic_the_reply_goes_to_the_contract_reply_channel(
    lamp: Mock,
) -> None:
    listener = lamp.listener("mockc-test/lamps/+/answer")
    try:
        properties = Properties(PacketTypes.PUBLISH)
        properties.UserProperty = [("requestId", "req-7")]
        listener.publish("mockc-test/lamps/l2/ask", b'{"level": 10}', properties)
        reply = listener.next()
        assert reply.topic == "mockc-test/lamps/l2/answer"
        assert ("requestId", "req-7") in reply.properties.UserProperty
        assert reply.properties.CorrelationData == b"req-7"
        listener.publish("mockc-test/lamps/l2/ask", b'{"level": 1000}')
        entries = lamp.wait_journal(1, operation="askLamp", status="invalid")
        assert "maximum" in entries[0]["response"]["body"]["data"]
        with pytest.raises(queue.Empty):
            listener.next(timeout=0.5)  # an invalid request is not answered
    finally:
        listener.close()


def test_faults_drop_duplicate_and_malform_replies(lamp: Mock) -> None:
    listener = lamp.listener("mockc-test/lamps/+/answer")
    try:
        for kind, expected in (("empty", 0), ("duplicate", 2), ("malformed", 1)):
            created = httpx.post(
                f"{lamp.admin}/__mockc/mocks",
                json={
                    "id": f"fault-{kind}",
                    "operation": "askLamp",
                    "priority": 10,
                    "response": {"body": {"ok": True}, "fault": {"kind": kind}},
                },
            )
            assert created.status_code in (200, 201), created.text
            listener.publish("mockc-test/lamps/f1/ask", b'{"level": 5}')
            got = []
            with pytest.raises(queue.Empty):
                while True:
                    got.append(listener.next(timeout=0.7))
            assert len(got) == expected, kind
            if kind == "malformed":
                with pytest.raises(ValueError):
                    json.loads(got[0].payload)
            httpx.delete(f"{lamp.admin}/__mockc/mocks/fault-{kind}")
    finally:
        listener.close()


# -- a broker that is down at start, then up, then lost and back ----------------------------


@pytest.fixture
def own_broker() -> Iterator[tuple[int, Any]]:
    if shutil.which("mosquitto") is None:
        pytest.skip("the mosquitto binary is not installed")
    port = free_port()
    procs: list[subprocess.Popen[bytes]] = []

    class Broker:
        def __call__(self) -> None:
            start()

        def stop(self) -> None:
            procs[-1].terminate()
            procs[-1].wait(5)

    def start() -> None:
        proc = subprocess.Popen(
            ["mosquitto", "-p", str(port)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        procs.append(proc)
        deadline = time.monotonic() + 5
        while not _broker_up(("127.0.0.1", port)):
            assert time.monotonic() < deadline, "mosquitto did not start"
            time.sleep(0.05)

    try:
        yield port, Broker()
    finally:
        for proc in procs:
            if proc.poll() is None:
                proc.terminate()
                proc.wait(5)


def test_a_broker_down_at_start_is_retried_then_connected_and_reconnected(
    tmp_path: Path, own_broker: tuple[int, Any]
) -> None:
    port, start_broker = own_broker
    _generate(LAMP_RPC, tmp_path)
    process, admin_port = _start(
        tmp_path, {"MOCKC_MQTT_URL": f"mqtt://127.0.0.1:{port}"}, health=False
    )
    admin = f"http://127.0.0.1:{admin_port}"
    with process.log_path.open("wb") as log:
        process.process = subprocess.Popen(
            [sys.executable, "server.py"],
            cwd=tmp_path,
            env=process.env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    try:
        _wait_health(admin, 503)
        assert httpx.get(f"{admin}/health").json()["broker"] == "down"
        time.sleep(1.0)
        lines = process.log().splitlines()
        retries = [line for line in lines if "is unavailable" in line]
        assert retries and all("retrying in" in line for line in retries), lines
        start_broker()
        _wait_health(admin, 200)
        _ask_and_get_the_answer(port, "r1")
        start_broker.stop()  # lost while running: reconnected once it is back
        _wait_health(admin, 503)
        start_broker()
        _wait_health(admin, 200)
        _ask_and_get_the_answer(port, "r2")
    finally:
        process.stop()
    log_text = process.log()
    assert "Traceback" not in log_text
    assert "connected again" in log_text


def _wait_health(admin: str, status: int, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            if httpx.get(f"{admin}/health").status_code == status:
                return
        except httpx.HTTPError:
            pass
        assert time.monotonic() < deadline, f"/health never answered {status}"
        time.sleep(0.1)


def _ask_and_get_the_answer(port: int, lamp_id: str) -> None:
    listener = Listener(f"mockc-test/lamps/{lamp_id}/answer", port=port)
    try:
        listener.publish(f"mockc-test/lamps/{lamp_id}/ask", b'{"level": 1}')
        assert listener.next(timeout=10).topic == f"mockc-test/lamps/{lamp_id}/answer"
    finally:
        listener.close()


def test_a_disconnect_fault_drops_the_connection_and_nothing_sent_meanwhile_is_lost(
    lamp: Mock,
) -> None:
    listener = lamp.listener("mockc-test/lamps/+/answer")
    try:
        created = httpx.post(
            f"{lamp.admin}/__mockc/mocks",
            json={
                "id": "fault-reset",
                "operation": "askLamp",
                "priority": 10,
                "match": {"body": {"level": 99}},
                "response": {"body": {"ok": True}, "fault": {"kind": "reset"}},
            },
        )
        assert created.status_code in (200, 201), created.text
        listener.publish("mockc-test/lamps/d0/ask", b'{"level": 99}')
        for number in range(1, 6):  # while the mock reconnects
            listener.publish(f"mockc-test/lamps/d{number}/ask", b'{"level": 1}')
        topics = set()
        while len(topics) < 5:
            topics.add(listener.next(timeout=10).topic)
        assert topics == {f"mockc-test/lamps/d{n}/answer" for n in range(1, 6)}
        disconnected = f"disconnected from mqtt at 127.0.0.1:{lamp.broker.port} (injected fault)"
        assert disconnected in lamp.process.log()
        sent = lamp.journal(operation="askLamp", status="fault:disconnect")
        assert len(sent) == 1
    finally:
        httpx.delete(f"{lamp.admin}/__mockc/mocks/fault-reset")
        listener.close()


def test_a_channel_config_with_mqtt_channels(tmp_path: Path, mosquitto: Mosquitto) -> None:
    _generate(HERE / "specs" / "lamps.channels.json", tmp_path)
    listener = Listener(
        "mockc-test/config/status", "mockc-test/replies/config", port=mosquitto.port
    )
    process, port = _start(tmp_path, {"MOCKC_MQTT_URL": mosquitto.url})
    try:
        beats = []
        while len(beats) < 3:
            message = listener.next()
            if message.topic == "mockc-test/config/status":
                beats.append(json.loads(message.payload))
        assert beats == [{"alive": True}] * 3
        properties = Properties(PacketTypes.PUBLISH)
        properties.ResponseTopic = "mockc-test/replies/config"
        properties.CorrelationData = b"c-1"
        listener.publish("mockc-test/config/l9/set", b'{"on": true}', properties)
        reply = listener.next()
        assert (reply.topic, json.loads(reply.payload)) == (
            "mockc-test/replies/config",
            {"done": True},
        )
        assert reply.properties.CorrelationData == b"c-1"
    finally:
        process.stop()
        listener.close()
    # the schedule's messages are retained
    retained = Listener("mockc-test/config/status", port=mosquitto.port)
    try:
        message = retained.next()
        assert message.retain and json.loads(message.payload) == {"alive": True}
    finally:  # an empty retained message clears it
        retained.client.publish(
            "mockc-test/config/status", b"", qos=1, retain=True
        ).wait_for_publish(5)
        retained.close()


def test_the_pytest_plugin_runs_an_mqtt_mock(mosquitto: Mosquitto) -> None:
    from mockc.testing.server import running_server

    with running_server(spec=LAMP_RPC, env={"MOCKC_MQTT_URL": mosquitto.url}) as server:
        listener = Listener("mockc-test/lamps/+/answer", port=mosquitto.port)
        try:
            listener.publish("mockc-test/lamps/p1/ask", b'{"level": 3}')
            assert listener.next().topic == "mockc-test/lamps/p1/answer"
        finally:
            listener.close()
        server.admin.assert_called("askLamp")


def test_a_message_published_while_the_broker_is_down_goes_out_once_it_is_up(
    tmp_path: Path, own_broker: tuple[int, Any]
) -> None:
    port, start_broker = own_broker
    _generate(HERE / "specs" / "outbox.channels.json", tmp_path)
    process, admin_port = _start(
        tmp_path, {"MOCKC_MQTT_URL": f"mqtt://127.0.0.1:{port}"}, health=False
    )
    admin = f"http://127.0.0.1:{admin_port}"
    with process.log_path.open("wb") as log:
        process.process = subprocess.Popen(
            [sys.executable, "server.py"],
            cwd=tmp_path,
            env=process.env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    try:
        _wait_health(admin, 503)
        waiting = httpx.post(f"{admin}/__mockc/publish/later_note", json={"payload": {"n": 2}})
        assert waiting.json() == {
            "operation": "later_note",
            "address": "mockc-test/outbox/later",
            "published": False,
            "outcome": "pending",
        }
        start_broker()
        _wait_health(admin, 200)
        listener = Listener("mockc-test/outbox/later", port=port)  # retained: it is there
        try:
            assert json.loads(listener.next(timeout=10).payload) == {"n": 2}
        finally:
            listener.close()
        refused = httpx.post(f"{admin}/__mockc/publish/wild_any", json={"payload": {}})
        assert refused.json()["outcome"] == "refused"
        assert httpx.get(f"{admin}/health").status_code == 200
    finally:
        process.stop()
    assert "is not a topic one can publish to" in process.log()
    assert "Traceback" not in process.log()


def test_a_broker_url_that_is_not_mqtt_is_one_line_and_exit_code_2(tmp_path: Path) -> None:
    _generate(LAMP_RPC, tmp_path)
    done = subprocess.run(
        [sys.executable, "server.py"],
        cwd=tmp_path,
        env={**os.environ, "MOCKC_MQTT_URL": "http://127.0.0.1:1883", "MOCKC_ADMIN_PORT": "0"},
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert done.returncode == 2
    assert done.stderr.strip().splitlines() == [
        "mockc: MOCKC_MQTT_URL: 'http://127.0.0.1:1883' is not an mqtt:// or mqtts:// URL"
    ]
