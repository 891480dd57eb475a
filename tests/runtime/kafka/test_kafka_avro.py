"""Avro payloads on a real broker (Tansu): a copy of the corpus's Adeo
request/reply document whose payloads are local ``.avsc`` files (upstream they
are remote; see ``specs/adeo-avro/README.md``), and its servers' schema
registry left out. The mock writes Avro binary (schemaless, no registry
framing) and reads it; the records here are written
and read with fastavro independently of the mock, and checked against the
Avro schemas themselves.
"""

from __future__ import annotations

import io
import json
import shutil
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import fastavro
import httpx
import pytest
import yaml
from fastavro.validation import validate

from tests.runtime.kafka.kafka_kit import (
    CORPUS,
    SPECS,
    consumed,
    contract,
    generated,
    header,
    journal,
    kafka_service,
    produce,
    records,
)
from tests.support.servers import ServerProcess
from tests.support.tansu import Tansu

AVSC = SPECS / "adeo-avro"
AVRO_FORMAT = "application/vnd.apache.avro;version=1.9.0"
REQUEST_TOPIC = "adeo-dev-case-study-COSTING-REQUEST-V1"


def _schema(name: str) -> Any:
    return fastavro.parse_schema(json.loads((AVSC / f"{name}.avsc").read_text()))


def _adeo(folder: Path, *, registry: bool = False) -> Path:
    """The corpus document, its remote Avro ``$ref``s pointed at local copies.
    Its servers name a schema registry (``schemaRegistryUrl``), so its Avro
    data is framed in the registry's wire format: without ``registry`` those
    bindings are left out, for plain Avro (test_kafka_schema_registry.py
    serves the framed form)."""
    for avsc in AVSC.glob("*.avsc"):
        shutil.copy(avsc, folder / avsc.name)
    document = yaml.safe_load(
        (CORPUS / "adeo-kafka-request-reply" / "asyncapi-3.0.0.yml").read_text()
    )
    if not registry:
        for server in document["servers"].values():
            server.pop("bindings", None)
    messages = document["components"]["messages"]
    for message, avsc in (
        ("costingRequestV1", "CostingRequestPayload"),
        ("costingResponse", "CostingResponsePayload"),
    ):
        assert messages[message]["payload"]["schemaFormat"] == AVRO_FORMAT
        messages[message]["payload"]["schema"] = {"$ref": f"./{avsc}.avsc"}
    messages["costingResponse"]["bindings"]["kafka"]["key"] = {"type": "string"}
    path = folder / "adeo-kafka-request-reply.yml"
    path.write_text(yaml.safe_dump(document, sort_keys=False))
    return path


@pytest.fixture(scope="module")
def adeo(
    tansu: Tansu, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[ServerProcess, Path]]:
    folder = tmp_path_factory.mktemp("adeo-avro")
    out = generated(_adeo(folder), folder / "out")
    with kafka_service(out, tansu.bootstrap) as server:
        yield server, out


def _avro(record: Any, schema: Any) -> bytes:
    out = io.BytesIO()
    fastavro.schemaless_writer(out, schema, record)
    return out.getvalue()


def _read(raw: bytes, schema: Any) -> Any:
    """``raw`` read as one record of ``schema``, every byte of it."""
    source = io.BytesIO(raw)
    record = fastavro.schemaless_reader(source, schema, None)
    assert source.tell() == len(raw), "bytes left after the record"
    assert validate(record, schema)
    return record


def _request(marker: str) -> dict[str, Any]:
    return {
        "items": [{"itemCode": marker, "quantity": 2}],
        "currency": "EUR",
        "requestedAt": datetime(2026, 5, 1, 10, 0, tzinfo=UTC),
    }


def test_the_contract_carries_the_avro_schemas_and_the_avro_media_type(
    adeo: tuple[ServerProcess, Path],
) -> None:
    _, out = adeo
    operations = {op["id"]: op for op in contract(out)["operations"]}
    (content,) = operations["requestCosting"]["input"]["contents"].items()
    assert content[0] == "avro/binary"
    avsc = json.loads((AVSC / "CostingRequestPayload.avsc").read_text())
    assert content[1]["schema"]["x-avro-schema"] == avsc
    assert content[1]["schema"]["required"] == ["items", "requestedAt"]
    assert "fastavro==1.13.1" in (out / "requirements.txt").read_text().split()


def test_published_responses_are_avro_binary_of_their_schema(
    adeo: tuple[ServerProcess, Path], tansu: Tansu
) -> None:
    server, _ = adeo
    schema = _schema("CostingResponsePayload")
    keys = [f"published-{uuid.uuid4().hex[:8]}" for _ in range(3)]
    topic = ""
    for key in keys:
        answer = httpx.post(server.url + "/__mockc/publish/getCostingResponse", json={"key": key})
        assert answer.status_code == 202, answer.text
        assert answer.json()["published"] is True, answer.json()
        topic = answer.json()["address"]
    found = records(
        tansu.bootstrap,
        topic,
        until=lambda got: {k.encode() for k in keys} <= {r.key for r in got},
    )
    mine = [r for r in found if r.key in {k.encode() for k in keys}]
    assert len(mine) == 3
    for record in mine:
        assert header(record, "content-type") == "avro/binary"
        value = _read(record.value, schema)
        assert len(value["checksum"]) == 8
        assert isinstance(value["calculationId"], uuid.UUID)


def test_a_given_payload_is_written_as_avro_and_one_that_does_not_fit_is_refused(
    adeo: tuple[ServerProcess, Path], tansu: Tansu
) -> None:
    server, _ = adeo
    key = f"given-{uuid.uuid4().hex[:8]}"
    calculation = str(uuid.uuid4())
    payload = {
        "calculationId": calculation,
        "cost": 12.5,
        "lines": {"a": 10.25, "b": 2.25},
        "checksum": "AAECAwQFBgc=",
        "costedOn": "2026-05-02",
    }
    answer = httpx.post(
        server.url + "/__mockc/publish/getCostingResponse",
        json={"key": key, "payload": payload},
    )
    assert answer.status_code == 202, answer.text
    found = records(
        tansu.bootstrap,
        answer.json()["address"],
        until=lambda got: any(r.key == key.encode() for r in got),
    )
    record = next(r for r in found if r.key == key.encode())
    value = _read(record.value, _schema("CostingResponsePayload"))
    assert str(value["calculationId"]) == calculation
    assert value["checksum"] == bytes(range(8))
    assert str(value["lines"]["a"]) == "10.25"
    assert value["costedOn"].isoformat() == "2026-05-02"
    refused = httpx.post(
        server.url + "/__mockc/publish/getCostingResponse",
        json={"payload": {**payload, "checksum": 7}},
    )
    assert refused.status_code == 400, refused.text
    assert "Avro" in refused.text


def test_an_avro_request_is_answered_in_avro_on_its_reply_topic(
    adeo: tuple[ServerProcess, Path], tansu: Tansu
) -> None:
    server, _ = adeo
    request_id = str(uuid.uuid4())
    reply_topic = f"adeo-dev-case-study-COSTING-RESPONSE-V1-{request_id[:8]}"
    marker = f"avro-{request_id[:8]}"
    produce(
        tansu.bootstrap,
        REQUEST_TOPIC,
        _avro(_request(marker), _schema("CostingRequestPayload")),
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
    assert header(reply, "content-type") == "avro/binary"
    assert reply.key == b"store-12"
    _read(reply.value, _schema("CostingResponsePayload"))
    (entry,) = [
        e
        for e in journal(server, "requestCosting")
        if e["method"] == "received" and request_id in json.dumps(e)
    ]
    assert entry["status"] == "valid", entry
    # the journal shows each datum's JSON form, not its Avro bytes
    received = json.loads(entry["request"]["body"]["data"])
    assert received["items"] == [{"itemCode": marker, "quantity": 2}]
    assert received["requestedAt"].startswith("2026-05-01T10:00:00")
    replies = [
        e
        for e in journal(server, "requestCosting")
        if e["method"] == "sent" and e["target"] == reply_topic
    ]
    answered = json.loads(replies[0]["response"]["body"]["data"])
    assert answered["calculationId"] == str(
        _read(reply.value, _schema("CostingResponsePayload"))["calculationId"]
    )


def _headers(marker: str) -> dict[str, str]:
    return {
        "REQUEST_ID": marker,
        "REPLY_TOPIC": f"adeo-invalid-{marker}",
        "REQUESTER_ID": "svc-ecollect-app",
        "REQUESTER_CODE": "1",
    }


def test_bytes_that_are_not_avro_of_the_schema_are_journaled_invalid(
    adeo: tuple[ServerProcess, Path], tansu: Tansu
) -> None:
    server, _ = adeo
    marker = str(uuid.uuid4())
    produce(tansu.bootstrap, REQUEST_TOPIC, b'{"items": []}', headers=_headers(marker))
    entry = consumed(server, "requestCosting", marker)
    assert entry["status"] == "invalid", entry
    assert "not Avro" in json.dumps(entry["response"]), entry
    truncated = _avro(_request("cut"), _schema("CostingRequestPayload"))[:-3]
    other = str(uuid.uuid4())
    produce(tansu.bootstrap, REQUEST_TOPIC, truncated, headers=_headers(other))
    assert consumed(server, "requestCosting", other)["status"] == "invalid"
    assert httpx.get(server.url + "/health").json()["broker"] == "up"


def test_an_avro_record_that_breaks_the_schema_rules_is_journaled_invalid(
    adeo: tuple[ServerProcess, Path], tansu: Tansu
) -> None:
    """Avro-valid bytes whose data breaks the document's other rules (a missing
    required header) are read, then found invalid like a JSON payload."""
    server, _ = adeo
    marker = f"headerless-{uuid.uuid4().hex[:8]}"
    produce(
        tansu.bootstrap,
        REQUEST_TOPIC,
        _avro(_request(marker), _schema("CostingRequestPayload")),
        headers={"REQUEST_ID": marker},
    )
    entry = consumed(server, "requestCosting", marker)
    assert entry["status"] == "invalid"
    assert "REPLY_TOPIC" in json.dumps(entry["response"])


def test_emitted_messages_are_avro_binary_of_their_schema(
    adeo: tuple[ServerProcess, Path], tansu: Tansu
) -> None:
    """The emit path (what schedules and reactions use): engine answers and given data."""
    server, _ = adeo
    schema = _schema("CostingResponsePayload")
    topic = "adeo-dev-case-study-COSTING-RESPONSE-V1"
    calculation = uuid.uuid4()
    emitted = server.url + "/__mockc/emit/getCostingResponse"
    assert httpx.post(emitted, json={"count": 2}).status_code == 202
    data = {
        "calculationId": str(calculation),
        "lines": {},
        "checksum": "AAAAAAAAAAA=",
        "costedOn": "2026-01-31",
    }
    assert httpx.post(emitted, json={"data": data}).status_code == 202

    def has_given(got: list[Any]) -> bool:
        return any(_read(r.value, schema)["calculationId"] == calculation for r in got)

    found = records(tansu.bootstrap, topic, until=has_given)
    assert has_given(found), server.stderr
    assert len(found) >= 3
    for record in found:
        assert header(record, "content-type") == "avro/binary"
        _read(record.value, schema)
