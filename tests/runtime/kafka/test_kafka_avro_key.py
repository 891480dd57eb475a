"""Avro record keys on a real broker (Tansu): the corpus's Adeo request/reply
document with a Kafka message binding ``key`` that is a ``$ref`` to an Avro
record schema (``.avsc``). Keys given to the admin API are written as Avro
binary of that schema, and checked here by fastavro reading the raw key bytes
(aiokafka, no deserializer); a consumed record's Avro key is journaled in its
JSON form, and the reply carries the request's key bytes."""

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
import yaml

from mockc.runtime.broker.avro import (
    AVRO_SCHEMA_KEYWORD,
    AvroError,
    encode_key,
    key_codec_of,
    key_text,
)
from tests.runtime.kafka.kafka_kit import (
    consumed,
    contract,
    generated,
    kafka_service,
    produce,
    records,
)
from tests.runtime.kafka.test_kafka_avro import REQUEST_TOPIC, _adeo, _avro, _request, _schema
from tests.support.servers import ServerProcess
from tests.support.tansu import Tansu

KEY_SCHEMA = {
    "type": "record",
    "name": "CostingKey",
    "namespace": "com.adeo.casestudy.costing",
    "fields": [
        {"name": "storeId", "type": "string"},
        {"name": "region", "type": "int"},
        {
            "name": "channel",
            "type": {"type": "enum", "name": "Channel", "symbols": ["WEB", "SHOP"]},
        },
    ],
}


def _key_document(folder: Path) -> Path:
    """The Adeo document of the Avro payload tests, both messages keyed by ``KEY_SCHEMA``."""
    path = _adeo(folder)
    (folder / "CostingKey.avsc").write_text(json.dumps(KEY_SCHEMA))
    document = yaml.safe_load(path.read_text())
    for message in document["components"]["messages"].values():
        message.setdefault("bindings", {}).setdefault("kafka", {})["key"] = {
            "$ref": "./CostingKey.avsc"
        }
    path.write_text(yaml.safe_dump(document, sort_keys=False))
    return path


@pytest.fixture(scope="module")
def keyed(
    tansu: Tansu, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[ServerProcess, Path]]:
    folder = tmp_path_factory.mktemp("adeo-avro-key")
    out = generated(_key_document(folder), folder / "out")
    with kafka_service(out, tansu.bootstrap) as server:
        yield server, out


def _read_key(raw: bytes) -> Any:
    source = io.BytesIO(raw)
    key = fastavro.schemaless_reader(source, fastavro.parse_schema(KEY_SCHEMA), None)
    assert source.tell() == len(raw), "bytes left after the key"
    return key


def test_the_contract_carries_the_keys_avro_schema(keyed: tuple[ServerProcess, Path]) -> None:
    _, out = keyed
    for operation in contract(out)["operations"]:
        key = operation["binding"]["options"]["key"]
        assert key["x-avro-schema"] == KEY_SCHEMA
        assert key["required"] == ["storeId", "region", "channel"]


def test_a_published_key_is_avro_binary_of_its_schema(
    keyed: tuple[ServerProcess, Path], tansu: Tansu
) -> None:
    server, _ = keyed
    store = f"store-{uuid.uuid4().hex[:8]}"
    key = {"storeId": store, "region": 7, "channel": "SHOP"}
    answer = httpx.post(server.url + "/__mockc/publish/getCostingResponse", json={"key": key})
    assert answer.status_code == 202, answer.text
    assert answer.json()["published"] is True

    def mine(got: list[Any]) -> list[Any]:
        return [r for r in got if r.key and store.encode() in r.key]

    found = mine(records(tansu.bootstrap, answer.json()["address"], until=lambda g: bool(mine(g))))
    assert found, server.stderr
    assert found[0].key != json.dumps(key).encode()  # not text
    assert _read_key(found[0].key) == key


@pytest.mark.parametrize(
    ("key", "says"),
    [
        ({"storeId": "s", "region": "seven", "channel": "WEB"}, "region"),
        ({"storeId": "s", "region": 1, "channel": "PHONE"}, "channel"),
        ("store-12", "key"),
    ],
)
def test_a_key_that_is_not_of_its_avro_schema_is_refused(
    keyed: tuple[ServerProcess, Path], key: Any, says: str
) -> None:
    server, _ = keyed
    answer = httpx.post(server.url + "/__mockc/publish/getCostingResponse", json={"key": key})
    assert answer.status_code == 400, answer.text
    assert "key not writable as Avro" in answer.text and says in answer.text


def test_a_consumed_avro_key_is_journaled_in_its_json_form_and_goes_back_on_the_reply(
    keyed: tuple[ServerProcess, Path], tansu: Tansu
) -> None:
    server, _ = keyed
    request_id = str(uuid.uuid4())
    reply_topic = f"adeo-dev-case-study-COSTING-RESPONSE-V1-{request_id[:8]}"
    key = {"storeId": f"store-{request_id[:8]}", "region": 3, "channel": "WEB"}
    raw_key = _avro(key, fastavro.parse_schema(KEY_SCHEMA))
    produce(
        tansu.bootstrap,
        REQUEST_TOPIC,
        _avro(_request(f"k-{request_id[:8]}"), _schema("CostingRequestPayload")),
        key=raw_key,
        headers={
            "REQUEST_ID": request_id,
            "REPLY_TOPIC": reply_topic,
            "REQUESTER_ID": "svc-ecollect-app",
            "REQUESTER_CODE": "1",
        },
    )
    entry = consumed(server, "requestCosting", request_id)
    assert json.loads(entry["request"]["headers"]["x-mockc-key"]) == key, entry
    found = records(tansu.bootstrap, reply_topic, until=lambda got: bool(got), timeout=40)
    assert found, server.stderr
    assert found[0].key == raw_key
    assert _read_key(found[0].key) == key


def test_keys_without_an_avro_schema_are_text_and_unreadable_avro_keys_are_shown_as_text() -> None:
    assert key_codec_of({"key": {"type": "string"}}) is None
    assert key_codec_of({}) is None
    assert encode_key(None, "store-12") == b"store-12"
    assert encode_key(None, None) is None
    with pytest.raises(ValueError, match="must be a string"):
        encode_key(None, {"storeId": "s"})
    codec = key_codec_of({"key": {"type": "object", AVRO_SCHEMA_KEYWORD: KEY_SCHEMA}})
    assert codec is not None
    raw = encode_key(codec, {"storeId": "s", "region": 1, "channel": "WEB"})
    assert raw is not None
    assert json.loads(key_text(codec, raw)) == {"storeId": "s", "region": 1, "channel": "WEB"}
    assert key_text(codec, raw + b"!") == (raw + b"!").decode("utf-8", "replace")
    assert key_text(None, b"plain") == "plain"
    with pytest.raises(AvroError, match="^key not writable as Avro"):
        encode_key(codec, {"storeId": "s"})
