"""Avro payload schemas: read with fastavro, as the JSON Schema of their data's
JSON form, the Avro schema kept for the runtime; bad ones are located errors."""

from __future__ import annotations

import functools
import json
import textwrap
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from mockc.compiler import ir
from mockc.compiler.errors import Diagnostic, SpecError
from mockc.compiler.frontends.asyncapi import load
from mockc.compiler.frontends.asyncapi.avro import AVRO_MEDIA_TYPE, AVRO_SCHEMA_KEYWORD

AVRO_FORMAT = "application/vnd.apache.avro;version=1.9.0"


def _document(payload: str, *, major: str = "3.0.0") -> str:
    if major.startswith("2"):
        return textwrap.dedent(
            """\
            asyncapi: 2.6.0
            info: {title: Avro, version: '1'}
            channels:
              users:
                subscribe:
                  operationId: sendUsers
                  message:
            """
        ) + textwrap.indent(textwrap.dedent(payload), " " * 8)
    return textwrap.dedent(
        """\
        asyncapi: 3.0.0
        info: {title: Avro, version: '1'}
        channels:
          users: {address: users, messages: {user: {$ref: '#/components/messages/user'}}}
        operations:
          sendUsers: {action: send, channel: {$ref: '#/channels/users'}}
        components:
          messages:
            user:
        """
    ) + textwrap.indent(textwrap.dedent(payload), " " * 6)


def _content(tmp_path: Path, payload: str, **kwargs: Any) -> ir.Content:
    path = tmp_path / "api.yaml"
    path.write_text(_document(payload, **kwargs), encoding="utf-8")
    (operation,) = load(path).operations
    return operation.outputs[0].message.contents[0]


def _schema_of(tmp_path: Path, avro: Any) -> dict[str, Any]:
    """The JSON Schema an Avro record with one field ``f`` of type ``avro`` reads as."""
    record = {"type": "record", "name": "R", "fields": [{"name": "f", "type": avro}]}
    content = _content(
        tmp_path,
        f"payload:\n  schemaFormat: {AVRO_FORMAT}\n  schema: {json.dumps(record)}\n",
    )
    schema = ir.thaw(content.schema)
    assert schema[AVRO_SCHEMA_KEYWORD] == record
    return dict(schema["properties"]["f"])


@pytest.mark.parametrize(
    ("avro", "expected"),
    [
        ("null", {"type": "null"}),
        ("boolean", {"type": "boolean"}),
        ("int", {"type": "integer", "minimum": -(2**31), "maximum": 2**31 - 1}),
        ("long", {"type": "integer", "minimum": -(2**63), "maximum": 2**63 - 1}),
        ("float", {"type": "number"}),
        ("double", {"type": "number"}),
        ("string", {"type": "string"}),
        ("bytes", {"type": "string", "format": "byte", "contentEncoding": "base64"}),
        (
            {"type": "fixed", "name": "Four", "size": 4},
            {
                "title": "Four",
                "type": "string",
                "format": "byte",
                "contentEncoding": "base64",
                "pattern": "^(?:[A-Za-z0-9+/]{4}){1}[A-Za-z0-9+/]{2}==$",
            },
        ),
        (
            {"type": "enum", "name": "Colour", "symbols": ["RED", "BLUE"]},
            {"title": "Colour", "type": "string", "enum": ["RED", "BLUE"]},
        ),
        ({"type": "array", "items": "string"}, {"type": "array", "items": {"type": "string"}}),
        (
            {"type": "map", "values": "boolean"},
            {"type": "object", "additionalProperties": {"type": "boolean"}},
        ),
        (["null", "string"], {"anyOf": [{"type": "null"}, {"type": "string"}]}),
        (
            ["string", "double"],
            {"anyOf": [{"type": "string"}, {"type": "number"}]},
        ),
        ({"type": "int", "logicalType": "date"}, {"type": "string", "format": "date"}),
        ({"type": "int", "logicalType": "time-millis"}, {"type": "string", "format": "time"}),
        (
            {"type": "long", "logicalType": "timestamp-millis"},
            {"type": "string", "format": "date-time"},
        ),
        (
            {"type": "long", "logicalType": "timestamp-micros"},
            {"type": "string", "format": "date-time"},
        ),
        ({"type": "string", "logicalType": "uuid"}, {"type": "string", "format": "uuid"}),
        (
            {"type": "bytes", "logicalType": "decimal", "precision": 9, "scale": 2},
            {"type": "number"},
        ),
    ],
    ids=lambda value: json.dumps(value)[:40],
)
def test_each_avro_type_reads_as_the_json_schema_of_its_json_form(
    tmp_path: Path, avro: Any, expected: dict[str, Any]
) -> None:
    assert _schema_of(tmp_path, avro) == expected


def test_a_record_is_a_closed_object_whose_fields_without_default_are_required(
    tmp_path: Path,
) -> None:
    nested = {
        "type": "record",
        "name": "Inner",
        "doc": "the inner one",
        "fields": [
            {"name": "a", "type": "int", "doc": "an int"},
            {"name": "b", "type": ["null", "string"], "default": None},
        ],
    }
    schema = _schema_of(tmp_path, nested)
    assert schema == {
        "title": "Inner",
        "description": "the inner one",
        "type": "object",
        "properties": {
            "a": {
                "type": "integer",
                "minimum": -(2**31),
                "maximum": 2**31 - 1,
                "description": "an int",
            },
            "b": {"anyOf": [{"type": "null"}, {"type": "string"}], "default": None},
        },
        "required": ["a"],
        "additionalProperties": False,
    }


def test_a_named_type_is_read_where_it_is_used_again_and_recursion_stays_open(
    tmp_path: Path,
) -> None:
    node = {
        "type": "record",
        "name": "Node",
        "namespace": "tree",
        "fields": [
            {"name": "kind", "type": {"type": "enum", "name": "Kind", "symbols": ["A"]}},
            {"name": "again", "type": "Kind"},
            {"name": "qualified", "type": "tree.Kind"},
            {"name": "next", "type": ["null", "Node"]},
        ],
    }
    schema = _schema_of(tmp_path, node)
    kind = {"title": "Kind", "type": "string", "enum": ["A"]}
    properties = schema["properties"]
    assert properties["kind"] == properties["again"] == properties["qualified"] == kind
    assert properties["next"] == {"anyOf": [{"type": "null"}, {}]}


@pytest.mark.parametrize(
    "schema_format",
    [
        "application/vnd.apache.avro;version=1.9.0",
        "application/vnd.apache.avro+json;version=1.9.0",
        "application/vnd.apache.avro+yaml;version=1.9.0",
    ],
)
def test_every_avro_schema_format_is_read_with_the_avro_media_type(
    tmp_path: Path, schema_format: str
) -> None:
    content = _content(
        tmp_path,
        f"payload:\n  schemaFormat: '{schema_format}'\n"
        "  schema: {type: record, name: User, fields: [{name: id, type: long}]}\n",
    )
    assert content.media_type == AVRO_MEDIA_TYPE
    assert ir.thaw(content.schema)["required"] == ["id"]


def test_a_2_x_message_schema_format_and_its_declared_avro_content_type(tmp_path: Path) -> None:
    content = _content(
        tmp_path,
        f"""\
        schemaFormat: '{AVRO_FORMAT}'
        contentType: application/vnd.apache.avro
        payload: {{type: record, name: User, fields: [{{name: id, type: string}}]}}
        """,
        major="2.6.0",
    )
    assert content.media_type == "application/vnd.apache.avro"
    assert ir.thaw(content.schema)["properties"] == {"id": {"type": "string"}}


def test_a_local_avsc_file_and_a_multi_format_component_schema_are_followed(
    tmp_path: Path,
) -> None:
    record = {"type": "record", "name": "User", "fields": [{"name": "id", "type": "string"}]}
    (tmp_path / "schemas").mkdir()
    (tmp_path / "schemas" / "User.avsc").write_text(json.dumps(record, indent=2))
    path = tmp_path / "api.yaml"
    path.write_text(
        _document("payload: {$ref: '#/components/schemas/User'}\n")
        + textwrap.indent(
            textwrap.dedent(
                f"""\
                schemas:
                  User:
                    schemaFormat: '{AVRO_FORMAT}'
                    schema: {{$ref: './schemas/User.avsc'}}
                """
            ),
            "  ",
        ),
        encoding="utf-8",
    )
    api = load(path)
    content = api.operations[0].outputs[0].message.contents[0]
    assert content.media_type == AVRO_MEDIA_TYPE
    assert ir.thaw(content.schema)[AVRO_SCHEMA_KEYWORD] == record
    assert any(source.endswith("User.avsc") for source in api.sources), api.sources


def _error(tmp_path: Path, payload: str, **files: str) -> Diagnostic:
    for name, text in files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    path = tmp_path / "api.yaml"
    path.write_text(_document(payload), encoding="utf-8")
    with pytest.raises(SpecError) as raised:
        load(path)
    (diagnostic, *_) = raised.value.diagnostics
    return diagnostic


def test_an_undefined_named_type_is_located_at_its_use(tmp_path: Path) -> None:
    diagnostic = _error(
        tmp_path,
        f"""\
        payload:
          schemaFormat: '{AVRO_FORMAT}'
          schema:
            type: record
            name: User
            fields:
              - {{name: id, type: string}}
              - name: address
                type: Address
        """,
    )
    assert "'Address' is not defined" in diagnostic.message
    assert diagnostic.pointer == "/components/messages/user/payload/schema/fields/1/type"
    assert diagnostic.line == 18
    assert diagnostic.file is not None and diagnostic.file.endswith("api.yaml")


def test_an_invalid_avro_schema_in_an_avsc_file_is_located_in_that_file(tmp_path: Path) -> None:
    diagnostic = _error(
        tmp_path,
        f"""\
        payload:
          schemaFormat: '{AVRO_FORMAT}'
          schema: {{$ref: './Bad.avsc'}}
        """,
        **{
            "Bad.avsc": json.dumps(
                {
                    "type": "record",
                    "name": "Bad",
                    "fields": [{"name": "x", "type": "int", "default": "nope"}],
                }
            )
        },
    )
    assert "invalid Avro schema" in diagnostic.message
    assert diagnostic.file is not None and diagnostic.file.endswith("Bad.avsc")
    assert diagnostic.line == 1


def test_a_remote_avsc_is_refused_without_allow_remote_refs(tmp_path: Path) -> None:
    diagnostic = _error(
        tmp_path,
        f"""\
        payload:
          schemaFormat: '{AVRO_FORMAT}'
          schema: {{$ref: 'https://schemas.example.com/User.avsc'}}
        """,
    )
    assert "--allow-remote-refs" in diagnostic.message
    assert diagnostic.pointer == "/components/messages/user/payload/schema/$ref"
    assert diagnostic.line == 12


def test_an_avro_component_schema_is_not_read_as_json_schema(tmp_path: Path) -> None:
    path = tmp_path / "api.yaml"
    path.write_text(
        textwrap.dedent(
            f"""\
            asyncapi: 2.6.0
            info: {{title: Avro, version: '1'}}
            channels:
              users:
                subscribe:
                  operationId: sendUser
                  message:
                    schemaFormat: '{AVRO_FORMAT}'
                    payload: {{$ref: '#/components/schemas/User'}}
            components:
              schemas:
                User:
                  type: record
                  name: User
                  fields: [{{name: id, type: string}}]
            """
        ),
        encoding="utf-8",
    )
    warnings: list[Diagnostic] = []
    api = load(path, warnings=warnings)
    assert warnings == []
    assert api.schemas == ()
    content = api.operations[0].outputs[0].message.contents[0]
    assert ir.thaw(content.schema)["required"] == ["id"]


def test_a_remote_avsc_is_read_with_allow_remote_refs(tmp_path: Path) -> None:
    """A real HTTP server on a free port serves the ``.avsc``."""
    record = {"type": "record", "name": "Remote", "fields": [{"name": "n", "type": "long"}]}
    (tmp_path / "Remote.avsc").write_text(json.dumps(record))
    handler = functools.partial(SimpleHTTPRequestHandler, directory=str(tmp_path))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/Remote.avsc"
        path = tmp_path / "api.yaml"
        path.write_text(
            _document(f"payload:\n  schemaFormat: '{AVRO_FORMAT}'\n  schema: {{$ref: '{url}'}}\n"),
            encoding="utf-8",
        )
        content = load(path, allow_remote_refs=True).operations[0].outputs[0].message.contents[0]
    finally:
        server.shutdown()
        server.server_close()
    assert ir.thaw(content.schema)[AVRO_SCHEMA_KEYWORD] == record


def test_a_kafka_message_key_in_an_avsc_file_is_read_as_avro(tmp_path: Path) -> None:
    key = {"type": "record", "name": "Key", "fields": [{"name": "store", "type": "string"}]}
    (tmp_path / "Key.avsc").write_text(json.dumps(key))
    path = tmp_path / "api.yaml"
    path.write_text(
        _document(
            "bindings: {kafka: {key: {$ref: './Key.avsc'}}}\npayload: {type: object}\n"
        ).replace("address: users", "address: users, bindings: {kafka: {partitions: 1}}"),
        encoding="utf-8",
    )
    warnings: list[Diagnostic] = []
    (operation,) = load(path, warnings=warnings).operations
    assert warnings == []
    binding = operation.binding
    assert isinstance(binding, ir.ChannelBinding)
    assert isinstance(binding.options, ir.KafkaOptions)
    schema = ir.thaw(binding.options.key)
    assert schema[AVRO_SCHEMA_KEYWORD] == key
    assert schema["required"] == ["store"]


def _registry_framing(tmp_path: Path, servers: str, message_binding: str) -> bool:
    text = _document(
        f"{message_binding}payload: {{schemaFormat: '{AVRO_FORMAT}', schema: {{type: string}}}}\n"
    ).replace(
        "info: {title: Avro, version: '1'}\n", "info: {title: Avro, version: '1'}\n" + servers
    )
    path = tmp_path / "api.yaml"
    path.write_text(text, encoding="utf-8")
    (operation,) = load(path).operations
    assert isinstance(operation.binding, ir.ChannelBinding)
    options = operation.binding.options
    assert isinstance(options, ir.KafkaOptions)
    return bool(options.registry_framing)


@pytest.mark.parametrize(
    ("servers", "message_binding", "framed"),
    [
        ("servers: {k: {host: 'k:9092', protocol: kafka}}\n", "", False),
        (
            "servers: {k: {host: 'k:9092', protocol: kafka, "
            "bindings: {kafka: {schemaRegistryUrl: 'http://registry/'}}}}\n",
            "",
            True,
        ),
        (
            "servers: {k: {$ref: '#/x-servers/k'}}\n"
            "x-servers: {k: {host: 'k:9092', protocol: kafka, "
            "bindings: {kafka: {schemaRegistryUrl: 'http://registry/'}}}}\n",
            "",
            True,
        ),
        (
            "servers: {k: {host: 'k:9092', protocol: kafka}}\n",
            "bindings: {kafka: {schemaIdLocation: payload}}\n",
            True,
        ),
        (
            "servers: {k: {host: 'k:9092', protocol: kafka, "
            "bindings: {kafka: {schemaRegistryUrl: 'http://registry/'}}}}\n",
            "bindings: {kafka: {schemaIdLocation: header}}\n",
            False,
        ),
    ],
    ids=["no registry", "server registry", "server by ref", "id in payload", "id in header"],
)
def test_kafka_avro_data_is_framed_where_the_contract_names_a_schema_registry(
    tmp_path: Path, servers: str, message_binding: str, framed: bool
) -> None:
    assert _registry_framing(tmp_path, servers, message_binding) is framed
