"""Every Kafka channel of the corpus AsyncAPI documents, served by a generated
mock service against a real broker (Tansu): consumed records are journaled
(and answered on the reply topic the request names), produced records arrive
on their topics and match their schemas.

The Adeo case study's Avro schemas are remote files (``.avsc`` on a website),
so its copy here swaps them for JSON Schemas of the same records (its Avro
copy, with local ``.avsc`` files, is ``test_kafka_avro.py``'s); its
channels, parameters, reply address (``REPLY_TOPIC`` header) and correlation
id (``REQUEST_ID`` header) are the document's own.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import yaml

from tests.runtime.kafka.kafka_kit import (
    CORPUS,
    consumed,
    contract,
    generated,
    header,
    kafka_service,
    produce,
    records,
    validate,
)
from tests.support.servers import ServerProcess
from tests.support.tansu import Tansu

STREETLIGHTS = ["asyncapi-2.6.0.yml", "asyncapi-3.0.0.yml"]
MEASURED = "smartylighting.streetlights.1.0.event.{id}.lighting.measured"


def _adeo(folder: Path) -> Path:
    document = yaml.safe_load(
        (CORPUS / "adeo-kafka-request-reply" / "asyncapi-3.0.0.yml").read_text()
    )
    messages = document["components"]["messages"]
    messages["costingRequestV1"]["payload"] = {
        "type": "object",
        "required": ["items"],
        "properties": {
            "items": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["itemCode", "quantity"],
                    "properties": {
                        "itemCode": {"type": "string"},
                        "quantity": {"type": "integer", "minimum": 1},
                    },
                },
            }
        },
    }
    messages["costingResponse"]["payload"] = {
        "type": "object",
        "required": ["calculationId"],
        "properties": {"calculationId": {"type": "string"}, "cost": {"type": "number"}},
    }
    messages["costingResponse"]["bindings"]["kafka"]["key"] = {"type": "string"}
    path = folder / "adeo-kafka-request-reply.yml"
    path.write_text(yaml.safe_dump(document, sort_keys=False))
    return path


@pytest.fixture(scope="module", params=STREETLIGHTS)
def streetlights(
    request: pytest.FixtureRequest, tansu: Tansu, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[ServerProcess, Path]]:
    spec = CORPUS / "streetlights-kafka" / request.param
    out = generated(spec, tmp_path_factory.mktemp("streetlights") / "out")
    with kafka_service(out, tansu.bootstrap) as server:
        yield server, out


@pytest.fixture(scope="module")
def adeo(
    tansu: Tansu, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[ServerProcess, Path]]:
    folder = tmp_path_factory.mktemp("adeo")
    out = generated(_adeo(folder), folder / "out")
    with kafka_service(out, tansu.bootstrap) as server:
        yield server, out


def test_streetlights_measurements_are_consumed_and_checked(
    streetlights: tuple[ServerProcess, Path], tansu: Tansu
) -> None:
    server, out = streetlights
    operation = next(
        op["id"] for op in contract(out)["operations"] if op["binding"]["action"] == "receive"
    )
    light = str(uuid.uuid4().int % 10_000)
    topic = MEASURED.format(id=light)
    produce(
        tansu.bootstrap,
        topic,
        json.dumps({"lumens": 5, "sentAt": "2024-05-01T10:00:00Z"}).encode(),
        key=light.encode(),
    )
    entry = consumed(server, operation, '\\"lumens\\": 5')
    assert entry["status"] == "valid", entry
    assert entry["target"] == topic
    produce(tansu.bootstrap, topic, b'{"lumens": -1, "marker": "bad-lumens"}')
    assert consumed(server, operation, "bad-lumens")["status"] == "invalid"


def test_streetlights_commands_are_produced_and_match_their_schemas(
    streetlights: tuple[ServerProcess, Path], tansu: Tansu
) -> None:
    server, out = streetlights
    sent = [op for op in contract(out)["operations"] if op["binding"]["action"] == "send"]
    assert len(sent) == 3
    for operation in sent:
        key = f"{operation['id']}-{uuid.uuid4().hex[:6]}"
        answer = httpx.post(
            server.url + f"/__mockc/publish/{operation['id']}",
            json={"key": key, "params": {"streetlightId": "17"}},
        )
        assert answer.status_code == 202, answer.text
        topic = answer.json()["address"]
        assert "{" not in topic and ".17." in topic
        found = records(
            tansu.bootstrap, topic, until=lambda got, k=key: any(r.key == k.encode() for r in got)
        )
        record = next(r for r in found if r.key == key.encode())
        validate(out, operation["id"], json.loads(record.value))


def test_an_adeo_costing_request_is_answered_on_its_reply_topic(
    adeo: tuple[ServerProcess, Path], tansu: Tansu
) -> None:
    server, out = adeo
    request_id = str(uuid.uuid4())
    reply_topic = f"adeo-dev-case-study-COSTING-RESPONSE-V1-{request_id[:8]}"
    produce(
        tansu.bootstrap,
        "adeo-dev-case-study-COSTING-REQUEST-V1",
        json.dumps({"items": [{"itemCode": "42", "quantity": 2}]}).encode(),
        key=b"store-12",
        headers={
            "REQUEST_ID": request_id,
            "REPLY_TOPIC": reply_topic,
            "REQUESTER_ID": "svc-ecollect-app",
            "REQUESTER_CODE": "1",
        },
    )
    found = records(tansu.bootstrap, reply_topic, until=lambda got: bool(got), timeout=40)
    assert found, server.stderr
    reply = found[0]
    assert header(reply, "REQUEST_ID") == request_id
    assert reply.key == b"store-12"
    validate(out, "getCostingResponse", json.loads(reply.value))


def test_an_adeo_request_without_its_required_headers_is_invalid(
    adeo: tuple[ServerProcess, Path], tansu: Tansu
) -> None:
    server, _ = adeo
    produce(
        tansu.bootstrap,
        "adeo-dev-case-study-COSTING-REQUEST-V1",
        json.dumps({"items": [{"itemCode": "no-headers", "quantity": 1}]}).encode(),
    )
    entry = consumed(server, "requestCosting", "no-headers")
    assert entry["status"] == "invalid"
    assert "REPLY_TOPIC" in json.dumps(entry["response"])


def test_a_topic_kafka_does_not_allow_is_refused_and_the_service_goes_on(
    streetlights: tuple[ServerProcess, Path], tansu: Tansu
) -> None:
    server, _ = streetlights
    answer = httpx.post(
        server.url + "/__mockc/publish/turnOn", json={"params": {"streetlightId": "a/b c"}}
    )
    assert answer.status_code == 202, answer.text
    assert answer.json()["outcome"] == "refused"
    again = httpx.post(
        server.url + "/__mockc/publish/turnOn", json={"params": {"streetlightId": "9"}}
    )
    assert again.json()["published"] is True
    assert httpx.get(server.url + "/health").json()["broker"] == "up"
