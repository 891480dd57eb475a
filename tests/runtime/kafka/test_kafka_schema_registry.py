"""The schema registry's wire format on a real broker (Tansu), with Confluent's
own serializers as the application under test would use them: the corpus's
Adeo document names a schema registry on its servers (``schemaRegistryUrl``),
so the mock frames its Avro data (a zero byte, the schema's 4-byte id) and
serves the registry's REST API on its admin port, where confluent-kafka's
``SchemaRegistryClient`` registers and reads schemas.
"""

from __future__ import annotations

import io
import json
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import fastavro
import httpx
import pytest
from confluent_kafka.schema_registry import SchemaRegistryClient
from confluent_kafka.schema_registry.avro import AvroDeserializer, AvroSerializer
from confluent_kafka.serialization import MessageField, SerializationContext

from tests.runtime.kafka.kafka_kit import (
    consumed,
    contract,
    generated,
    kafka_service,
    produce,
    records,
)
from tests.runtime.kafka.test_kafka_avro import AVSC, REQUEST_TOPIC, _adeo, _avro, _request
from tests.support.servers import ServerProcess
from tests.support.tansu import Tansu

RESPONSE_TOPIC = "adeo-dev-case-study-COSTING-RESPONSE-V1"
REGISTRY = "/__mockc/schema-registry"


@pytest.fixture(scope="module")
def adeo(
    tansu: Tansu, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[ServerProcess, Path]]:
    folder = tmp_path_factory.mktemp("adeo-registry")
    out = generated(_adeo(folder, registry=True), folder / "out")
    with kafka_service(out, tansu.bootstrap) as server:
        yield server, out


def _client(server: ServerProcess) -> SchemaRegistryClient:
    return SchemaRegistryClient({"url": server.url + REGISTRY})


def _avsc(name: str) -> str:
    return (AVSC / f"{name}.avsc").read_text()


def _record_name(name: str) -> str:
    schema = json.loads(_avsc(name))
    return f"{schema['namespace']}.{schema['name']}"


def _headers(request_id: str, reply_topic: str) -> dict[str, str]:
    return {
        "REQUEST_ID": request_id,
        "REPLY_TOPIC": reply_topic,
        "REQUESTER_ID": "svc-ecollect-app",
        "REQUESTER_CODE": "1",
    }


def test_the_contract_says_the_avro_data_is_framed_and_the_registry_holds_its_schemas(
    adeo: tuple[ServerProcess, Path],
) -> None:
    server, out = adeo
    options = [op["binding"]["options"] for op in contract(out)["operations"]]
    assert options and all(o.get("registry_framing") is True for o in options)
    subjects = httpx.get(server.url + REGISTRY + "/subjects").json()
    request, response = (
        _record_name("CostingRequestPayload"),
        _record_name("CostingResponsePayload"),
    )
    assert {request, response} <= set(subjects), subjects
    latest = httpx.get(f"{server.url}{REGISTRY}/subjects/{response}/versions/latest").json()
    assert latest["version"] == 1
    by_id = httpx.get(f"{server.url}{REGISTRY}/schemas/ids/{latest['id']}").json()
    assert json.loads(by_id["schema"]) == json.loads(_avsc("CostingResponsePayload"))
    missing = httpx.get(f"{server.url}{REGISTRY}/schemas/ids/999")
    assert missing.status_code == 404 and missing.json()["error_code"] == 40403


def test_a_request_serialized_by_confluent_is_answered_in_the_registry_wire_format(
    adeo: tuple[ServerProcess, Path], tansu: Tansu
) -> None:
    server, _ = adeo
    client = _client(server)
    serializer = AvroSerializer(client, _avsc("CostingRequestPayload"))
    request_id = str(uuid.uuid4())
    reply_topic = f"{RESPONSE_TOPIC}-{request_id[:8]}"
    value = serializer(
        _request(f"framed-{request_id[:8]}"),
        SerializationContext(REQUEST_TOPIC, MessageField.VALUE),
    )
    assert value is not None and value[:1] == b"\x00"
    produce(
        tansu.bootstrap,
        REQUEST_TOPIC,
        value,
        key=b"store-12",
        headers=_headers(request_id, reply_topic),
    )
    entry = consumed(server, "requestCosting", request_id)
    assert entry["status"] == "valid", entry
    found = records(tansu.bootstrap, reply_topic, until=bool, timeout=40)
    assert found, server.stderr
    deserializer = AvroDeserializer(client)
    reply = deserializer(found[0].value, SerializationContext(reply_topic, MessageField.VALUE))
    assert isinstance(reply, dict) and isinstance(reply["calculationId"], uuid.UUID), reply
    # the request's schema was registered by the serializer under the topic's subject
    assert f"{REQUEST_TOPIC}-value" in httpx.get(server.url + REGISTRY + "/subjects").json()


def test_published_messages_carry_the_id_of_their_schema(
    adeo: tuple[ServerProcess, Path], tansu: Tansu
) -> None:
    server, _ = adeo
    key = f"published-{uuid.uuid4().hex[:8]}"
    answer = httpx.post(server.url + "/__mockc/publish/getCostingResponse", json={"key": key})
    assert answer.status_code == 202, answer.text
    found = records(
        tansu.bootstrap,
        answer.json()["address"],
        until=lambda got: any(r.key == key.encode() for r in got),
    )
    record = next(r for r in found if r.key == key.encode())
    subject = _record_name("CostingResponsePayload")
    latest = httpx.get(f"{server.url}{REGISTRY}/subjects/{subject}/versions/latest").json()
    assert record.value[:5] == b"\x00" + latest["id"].to_bytes(4, "big")
    # fastavro alone reads what follows the header as the contract's schema
    schema = fastavro.parse_schema(json.loads(_avsc("CostingResponsePayload")))
    source = io.BytesIO(record.value[5:])
    data = fastavro.schemaless_reader(source, schema, None)
    assert source.tell() == len(record.value) - 5
    deserializer = AvroDeserializer(_client(server))
    context = SerializationContext(answer.json()["address"], MessageField.VALUE)
    assert deserializer(record.value, context) == data


def test_data_written_with_an_older_schema_is_resolved_to_the_contracts(
    adeo: tuple[ServerProcess, Path], tansu: Tansu
) -> None:
    """An application whose schema lacks a field the contract's has with a
    default: its data is read through Avro schema resolution."""
    server, _ = adeo
    contract_schema = json.loads(_avsc("CostingRequestPayload"))
    with_default = [f for f in contract_schema["fields"] if "default" in f]
    if not with_default:
        pytest.fail("the request schema has no field with a default to leave out")
    older = {
        **contract_schema,
        "fields": [f for f in contract_schema["fields"] if f is not with_default[0]],
    }
    serializer = AvroSerializer(_client(server), json.dumps(older))
    request_id = str(uuid.uuid4())
    request = {k: v for k, v in _request("older").items() if k != with_default[0]["name"]}
    value = serializer(request, SerializationContext(REQUEST_TOPIC, MessageField.VALUE))
    assert value is not None
    produce(
        tansu.bootstrap,
        REQUEST_TOPIC,
        value,
        headers=_headers(request_id, f"{RESPONSE_TOPIC}-{request_id[:8]}"),
    )
    entry = consumed(server, "requestCosting", request_id)
    assert entry["status"] == "valid", entry


def test_unframed_data_and_unknown_schema_ids_are_journaled_invalid(
    adeo: tuple[ServerProcess, Path], tansu: Tansu
) -> None:
    server, _ = adeo
    schema = fastavro.parse_schema(json.loads(_avsc("CostingRequestPayload")))
    plain = _avro(_request("plain"), schema)
    unknown = b"\x00" + (4040).to_bytes(4, "big") + plain
    for payload, reason in (
        (plain, "wire format"),
        (unknown, "schema id 4040 is not in the service's schema registry"),
    ):
        request_id = str(uuid.uuid4())
        produce(
            tansu.bootstrap,
            REQUEST_TOPIC,
            payload,
            headers=_headers(request_id, f"{RESPONSE_TOPIC}-{request_id[:8]}"),
        )
        entry = consumed(server, "requestCosting", request_id)
        assert entry["status"] == "invalid", entry
        assert reason in json.dumps(entry["response"]), entry
    assert httpx.get(server.url + "/health").json()["broker"] == "up"


def test_the_registry_api_refuses_what_it_cannot_hold(adeo: tuple[ServerProcess, Path]) -> None:
    server, _ = adeo
    url = f"{server.url}{REGISTRY}/subjects/other-value/versions"
    for body, code in (
        ({"schema": "{not json"}, 42201),
        ({"schema": '{"type": "object"}', "schemaType": "JSON"}, 42201),
        ({"nothing": 1}, 42201),
    ):
        answer = httpx.post(url, json=body)
        assert answer.status_code == 422, answer.text
        assert answer.json()["error_code"] == code
    assert httpx.get(f"{server.url}{REGISTRY}/subjects/nobody/versions").status_code == 404
    registered = httpx.post(url, json={"schema": '"string"'})
    assert registered.status_code == 200 and registered.json()["id"] > 0
    again = httpx.post(url, json={"schema": '"string"'}).json()
    assert again["id"] == registered.json()["id"]
    lookup = httpx.post(f"{server.url}{REGISTRY}/subjects/other-value", json={"schema": '"string"'})
    assert lookup.status_code == 200 and lookup.json()["version"] == 1
    assert dict[str, Any](lookup.json())["id"] == registered.json()["id"]


def test_with_an_admin_token_the_registry_wants_it_as_every_admin_route_does(
    adeo: tuple[ServerProcess, Path], tansu: Tansu
) -> None:
    _, out = adeo
    with kafka_service(out, tansu.bootstrap, env={"MOCKC_ADMIN_TOKEN": "s3cret"}) as server:
        url = server.url + REGISTRY
        assert httpx.get(url + "/subjects").status_code == 401
        with_token = SchemaRegistryClient(
            {
                "url": url,
                "bearer.auth.credentials.source": "STATIC_TOKEN",
                "bearer.auth.token": "s3cret",
                "bearer.auth.logical.cluster": "mock",
            }
        )
        assert _record_name("CostingResponsePayload") in with_token.get_subjects()
