"""The WebSocket target: the files of a generated server, from the IR alone."""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path

import pytest

from mockc.compiler import ir
from mockc.compiler.driver import GenerateOptions, compile_specs, plan_files
from mockc.compiler.errors import GenerationError
from mockc.runtime.contract import CONTRACT_FORMAT
from mockc.targets.common import TargetOptions
from mockc.targets.websocket import generate
from mockc.targets.websocket.generator import WebSocketServer
from tests.support.corpus import ROOT

CHAT = ROOT / "examples" / "websocket-chat" / "chat.json"


def _files(path: Path) -> dict[str, bytes]:
    planned = plan_files(compile_specs([path]), GenerateOptions())
    return {file.path: file.content for file in planned}


def test_the_server_files_mocks_and_pinned_requirements() -> None:
    files = _files(CHAT)
    for name in ("contract.json", "server.py", "handlers.py", "README.md", "Dockerfile"):
        assert name in files
    assert "_vendor/mockc_runtime/websocket/connection.py" in files
    assert not any("/graphql/" in name or "/grpc/" in name for name in files)
    assert sorted(name for name in files if name.startswith("mocks/")) == [
        "mocks/feed_item.yaml",
        "mocks/room_notice.yaml",
        "mocks/room_say.yaml",
        "mocks/room_tick.yaml",
    ]
    requirements = files["requirements.txt"].decode().splitlines()[1:]
    assert requirements == list(WebSocketServer.requirements)
    pinned = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    for requirement in requirements:
        assert f'"{requirement}"' in pinned
    ast.parse(files["server.py"])
    handlers = ast.parse(files["handlers.py"])
    stubs = [node.name for node in handlers.body if isinstance(node, ast.FunctionDef)]
    assert stubs == ["room_say", "room_notice", "room_tick", "feed_item"]


def test_the_contract_has_channel_bindings_and_the_config_schedules() -> None:
    contract = json.loads(_files(CHAT)["contract.json"])
    assert (contract["format"], contract["protocol"]) == (CONTRACT_FORMAT, "websocket")
    say = contract["operations"][0]
    assert say["binding"] == {
        "kind": "channel",
        "protocol": "websocket",
        "path": "/rooms/{roomId}",
        "action": "receive",
        "parameters": [
            {"name": "roomId", "location": "path", "required": True, "schema": {"type": "string"}}
        ],
        "subprotocol": "chat.v1",
        "reply": True,
    }
    assert say["input"]["contents"]["application/json"]["schema"] == {"$ref": "#/$defs/Say"}
    assert say["outputs"][0]["key"] == "said"
    assert "Say" in contract["defs"]
    assert contract["websocket"] == {"schedules": {"room_tick": {"after_ms": 100, "every_ms": 100}}}


def test_the_readme_names_the_channels_and_the_emit_path() -> None:
    readme = _files(CHAT)["README.md"].decode()
    assert "`/rooms/{roomId}`" in readme and "`/feed`" in readme
    assert "/__mockc/emit/room_notice" in readme
    assert re.search(
        r"\| `room_say` \| `/rooms/\{roomId\}` \| client sends, server replies \|", readme
    )
    assert "MOCKC_WS_MAX_CONNECTIONS" in readme


def _api(protocol: str) -> ir.Api:
    return ir.Api(
        name="mixed",
        operations=(
            ir.Operation(
                id="ticks",
                shape=ir.Shape.SERVER_STREAM,
                binding=ir.ChannelBinding(protocol=protocol, channel="/ticks", action="send"),
                outputs=(ir.Output(key="tick"),),
                source=ir.Source(file="ws.json", pointer="/channels/ticks", line=4, column=5),
            ),
        ),
    )


def test_the_target_needs_only_the_ir_and_serves_asyncapi_ws_channels() -> None:
    files = {
        file.path: file.content for file in generate(_api("ws"), TargetOptions(version="0.1.0"))
    }
    contract = json.loads(files["contract.json"])
    assert contract["operations"][0]["binding"]["path"] == "/ticks"


def test_a_channel_of_another_protocol_is_a_located_error() -> None:
    with pytest.raises(GenerationError) as raised:
        generate(_api("kafka"), TargetOptions(version="0.1.0"))
    diagnostic = raised.value.diagnostics[0]
    assert (diagnostic.file, diagnostic.line) == ("ws.json", 4)
    assert "not supported yet" in diagnostic.message
