"""The channel config front end: every construct read into the IR, the format
recognised by content, its published schema, and located errors."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import jsonschema_rs
import pytest

from mockc.compiler import ir
from mockc.compiler.errors import SpecError
from mockc.compiler.frontends.channels import load
from mockc.compiler.frontends.channels.schema import CONFIG_SCHEMA
from mockc.compiler.frontends.registry import front_end_for
from mockc.compiler.passes.check_ir import run as check_ir
from tests.support.corpus import ROOT

EXAMPLE = ROOT / "examples" / "websocket-chat" / "chat.json"


def _write(tmp_path: Path, config: Any, name: str = "ws.json") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(config, indent=2), encoding="utf-8")
    return path


def _config() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    return copy.deepcopy(data)


def test_the_published_schema_is_the_one_the_front_end_checks() -> None:
    published = json.loads((ROOT / "docs" / "channels.schema.json").read_text(encoding="utf-8"))
    assert published == CONFIG_SCHEMA
    jsonschema_rs.meta.validate(published)
    assert jsonschema_rs.validator_for(published).is_valid(_config())


def test_a_channel_config_is_recognised_by_its_marker(tmp_path: Path) -> None:
    assert front_end_for(EXAMPLE).name == "channels"
    openapi = tmp_path / "api.json"
    openapi.write_text('{"openapi": "3.1.0", "info": {}, "paths": {}}', encoding="utf-8")
    assert front_end_for(openapi).name == "openapi"


def test_every_construct_is_read_into_the_ir() -> None:
    api = load(EXAMPLE)
    assert (api.name, api.title, api.version) == ("chat", "Chat rooms", "1.0.0")
    assert [schema.name for schema in api.schemas] == ["Say"]
    by_id = {operation.id: operation for operation in api.operations}
    assert list(by_id) == ["room_say", "room_notice", "room_tick", "feed_item"]

    say = by_id["room_say"]
    binding = say.binding
    assert isinstance(binding, ir.ChannelBinding)
    assert (binding.protocol, binding.channel, binding.action) == (
        "websocket",
        "/rooms/{roomId}",
        "receive",
    )
    assert binding.options == ir.WebSocketOptions(subprotocol="chat.v1")
    assert binding.reply == ir.ChannelReply(channel="/rooms/{roomId}")
    assert [(p.name, p.location, ir.thaw(p.schema)) for p in binding.parameters] == [
        ("roomId", ir.ParameterLocation.PATH, {"type": "string"})
    ]
    assert say.shape is ir.Shape.UNARY
    assert say.input is not None
    content = say.input.contents[0]
    assert content.media_type == "application/json"
    assert ir.thaw(content.schema) == {"$ref": "#/$defs/Say"}
    assert [(e.name, ir.thaw(e.value)) for e in content.examples] == [
        ("hello", {"type": "say", "text": "hello"})
    ]
    assert [output.key for output in say.outputs] == ["said"]
    assert say.source is not None and say.source.pointer == "/channels/room/client_sends/say"
    assert say.source.line is not None and say.source.line > 1

    notice = by_id["room_notice"]
    assert notice.shape is ir.Shape.SERVER_STREAM
    assert isinstance(notice.binding, ir.ChannelBinding) and notice.binding.action == "send"
    assert [output.key for output in notice.outputs] == ["notice"]

    feed = by_id["feed_item"].binding
    assert isinstance(feed, ir.ChannelBinding) and feed.parameters == ()
    assert ir.thaw(api.extensions) == {
        "x-channels": {"schedules": {"room_tick": {"after_ms": 100, "every_ms": 100}}}
    }
    check_ir(api, [])  # raises on a fault


def test_other_protocols_map_to_their_options(tmp_path: Path) -> None:
    config = {
        "mockc": "channels/1",
        "channels": {
            "orders": {
                "protocol": "kafka",
                "address": "orders.{region}",
                "kafka": {"partitions": 3, "group_id": "billing"},
                "client_sends": {"placed": {"payload": {"type": "object"}}},
            },
            "ticks": {
                "protocol": "sse",
                "address": "/ticks",
                "sse": {"retry_ms": 500},
                "server_sends": {"tick": {"event": "tick", "payload": {"type": "integer"}}},
            },
            "jobs": {
                "protocol": "rabbitmq",
                "address": "jobs",
                "rabbitmq": {"exchange": "work", "exchange_type": "direct", "durable": True},
                "server_sends": {"job": {"payload": {"type": "object"}}},
            },
        },
    }
    api = load(_write(tmp_path, config))
    options = [
        op.binding.options for op in api.operations if isinstance(op.binding, ir.ChannelBinding)
    ]
    assert options == [
        ir.KafkaOptions(partitions=3, group_id="billing"),
        ir.SseOptions(retry_ms=500),
        ir.AmqpOptions(exchange="work", exchange_type="direct", durable=True),
    ]
    assert api.operations[0].shape is ir.Shape.SUBSCRIBE  # consumed, no reply
    assert api.operations[1].outputs[0].event == "tick"
    check_ir(api, [])  # raises on a fault


def test_a_config_breaking_the_format_gets_a_located_error(tmp_path: Path) -> None:
    config = _config()
    config["channels"]["room"]["client_sends"]["say"]["reply"]["payload"] = 7
    path = _write(tmp_path, config)
    with pytest.raises(SpecError) as raised:
        load(path)
    diagnostic = raised.value.diagnostics[0]
    assert diagnostic.file == str(path)
    assert diagnostic.pointer == "/channels/room/client_sends/say/reply/payload"
    text = path.read_text(encoding="utf-8").splitlines()
    assert diagnostic.line is not None and '"payload": 7' in text[diagnostic.line - 1]
    assert diagnostic.column is not None


def test_malformed_json_is_located(tmp_path: Path) -> None:
    path = tmp_path / "ws.json"
    path.write_text('{\n  "mockc": "channels/1",\n  "channels": {,}\n}\n', encoding="utf-8")
    with pytest.raises(SpecError) as raised:
        load(path)
    diagnostic = raised.value.diagnostics[0]
    assert (diagnostic.line, diagnostic.column) == (3, 16)


def test_a_parameter_not_in_the_address_and_a_dangling_ref_are_located(tmp_path: Path) -> None:
    config = _config()
    config["channels"]["room"]["parameters"]["floor"] = {"schema": {"type": "integer"}}
    with pytest.raises(SpecError) as raised:
        load(_write(tmp_path, config))
    assert raised.value.diagnostics[0].pointer == "/channels/room/parameters/floor"

    config = _config()
    config["channels"]["room"]["client_sends"]["say"]["payload"] = {"$ref": "#/schemas/Nope"}
    with pytest.raises(SpecError) as raised:
        load(_write(tmp_path, config, "ref.json"))
    diagnostic = raised.value.diagnostics[0]
    assert diagnostic.pointer == "/channels/room/client_sends/say/payload/$ref"
    assert diagnostic.line is not None and "Nope" in diagnostic.message


def test_an_operation_id_used_twice_is_located(tmp_path: Path) -> None:
    config = _config()
    config["channels"]["room"]["server_sends"]["notice"]["operation"] = "room_say"
    with pytest.raises(SpecError) as raised:
        load(_write(tmp_path, config))
    assert raised.value.diagnostics[0].pointer == "/channels/room/server_sends/notice"
