"""The broker services' Avro codec: the JSON form of data to Avro binary and
back, checked against fastavro reading and writing on its own."""

from __future__ import annotations

import base64
import datetime
import decimal
import io
import uuid
from typing import Any

import fastavro
import pytest

from mockc.runtime.broker.avro import AvroCodec, AvroError, avro_codec_of

SCHEMA: dict[str, Any] = {
    "type": "record",
    "name": "Everything",
    "namespace": "test",
    "fields": [
        {"name": "flag", "type": "boolean"},
        {"name": "count", "type": "int"},
        {"name": "big", "type": "long"},
        {"name": "ratio", "type": "double"},
        {"name": "name", "type": "string"},
        {"name": "raw", "type": "bytes"},
        {"name": "digest", "type": {"type": "fixed", "name": "Digest", "size": 4}},
        {"name": "colour", "type": {"type": "enum", "name": "Colour", "symbols": ["RED", "BLUE"]}},
        {"name": "tags", "type": {"type": "array", "items": "string"}},
        {"name": "scores", "type": {"type": "map", "values": "long"}},
        {"name": "day", "type": {"type": "int", "logicalType": "date"}},
        {"name": "clock", "type": {"type": "int", "logicalType": "time-millis"}},
        {"name": "at", "type": {"type": "long", "logicalType": "timestamp-millis"}},
        {"name": "local", "type": {"type": "long", "logicalType": "local-timestamp-micros"}},
        {"name": "id", "type": {"type": "string", "logicalType": "uuid"}},
        {
            "name": "price",
            "type": {"type": "bytes", "logicalType": "decimal", "precision": 9, "scale": 2},
        },
        {"name": "maybe", "type": ["null", "Colour"], "default": None},
        {
            "name": "either",
            "type": [
                {"type": "map", "values": "string"},
                {"type": "record", "name": "Point", "fields": [{"name": "x", "type": "int"}]},
            ],
        },
        {"name": "when", "type": ["null", {"type": "long", "logicalType": "timestamp-millis"}]},
    ],
}
IDENTIFIER = str(uuid.uuid4())
JSON_FORM: dict[str, Any] = {
    "flag": True,
    "count": 7,
    "big": 2**40,
    "ratio": 0.5,
    "name": "ünïcode",
    "raw": base64.b64encode(b"\x00\xffraw").decode(),
    "digest": base64.b64encode(b"abcd").decode(),
    "colour": "BLUE",
    "tags": ["a", "b"],
    "scores": {"x": 1},
    "day": "2026-05-01",
    "clock": "10:11:12.500000",
    "at": "2026-05-01T10:00:00.250000+00:00",
    "local": "2026-05-01T10:00:00.000001",
    "id": IDENTIFIER,
    "price": 12.5,
    "maybe": "RED",
    "either": {"x": 3},
    "when": None,
}


def _fastavro_read(raw: bytes) -> Any:
    return fastavro.schemaless_reader(io.BytesIO(raw), fastavro.parse_schema(SCHEMA), None)


def test_the_json_form_is_written_as_avro_that_fastavro_reads_back() -> None:
    record = _fastavro_read(AvroCodec(SCHEMA).encode(JSON_FORM))
    assert record["raw"] == b"\x00\xffraw" and record["digest"] == b"abcd"
    assert record["day"] == datetime.date(2026, 5, 1)
    assert record["clock"] == datetime.time(10, 11, 12, 500000)
    assert record["at"] == datetime.datetime(2026, 5, 1, 10, 0, 0, 250000, tzinfo=datetime.UTC)
    assert record["local"] == datetime.datetime(2026, 5, 1, 10, 0, 0, 1)
    assert record["id"] == uuid.UUID(IDENTIFIER)
    assert record["price"] == decimal.Decimal("12.50")
    assert record["maybe"] == "RED" and record["either"] == {"x": 3}


def test_avro_read_back_is_the_json_form_again() -> None:
    codec = AvroCodec(SCHEMA)
    assert codec.decode(codec.encode(JSON_FORM)) == JSON_FORM


def test_a_union_takes_the_first_branch_its_value_fits() -> None:
    codec = AvroCodec(SCHEMA)
    as_map = codec.decode(codec.encode({**JSON_FORM, "either": {"y": "text"}}))
    assert as_map["either"] == {"y": "text"}
    dated = codec.decode(codec.encode({**JSON_FORM, "when": "2026-01-02T03:04:05Z"}))
    assert dated["when"] == "2026-01-02T03:04:05+00:00"


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"count": "seven"}, "count"),
        ({"digest": "not base64!"}, "base64"),
        ({"colour": "GREEN"}, "colour"),
        ({"day": "yesterday"}, "yesterday"),
    ],
)
def test_data_the_schema_cannot_write_is_an_avro_error(change: dict[str, Any], reason: str) -> None:
    with pytest.raises(AvroError) as raised:
        AvroCodec(SCHEMA).encode({**JSON_FORM, **change})
    assert "not writable as Avro" in str(raised.value)
    assert reason in str(raised.value) or reason in str(raised.value.__cause__)


@pytest.mark.parametrize(
    "cut", [lambda raw: raw[:-2], lambda raw: raw + b"\x00", lambda raw: b"\xff" * 3]
)
def test_bytes_that_are_not_one_datum_of_the_schema_are_an_avro_error(cut: Any) -> None:
    codec = AvroCodec(SCHEMA)
    with pytest.raises(AvroError, match="payload is not Avro of its schema"):
        codec.decode(cut(codec.encode(JSON_FORM)))


def test_a_contract_content_has_a_codec_only_when_it_carries_an_avro_schema() -> None:
    assert avro_codec_of({"schema": {"type": "object"}}) is None
    assert avro_codec_of(None) is None
    codec = avro_codec_of({"schema": {"type": "object", "x-avro-schema": SCHEMA}})
    assert codec is not None and codec.decode(codec.encode(JSON_FORM)) == JSON_FORM
