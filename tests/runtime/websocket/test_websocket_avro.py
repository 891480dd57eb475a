"""Avro payloads on channels that have no binary form for them: a WebSocket
server and an SSE server generated from AsyncAPI documents whose payloads are
Avro send and read the data's JSON form (text frames, event ``data``), valid
against the JSON Schema the Avro schema reads as."""

from __future__ import annotations

import asyncio
import json
import sys
import textwrap
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import jsonschema
import pytest
from httpx_sse import connect_sse
from websockets.asyncio.client import connect

from mockc.compiler.driver import GenerateOptions, generate
from tests.support.servers import ServerProcess

GREETING = {
    "type": "record",
    "name": "Greeting",
    "fields": [
        {"name": "text", "type": "string"},
        {"name": "mood", "type": {"type": "enum", "name": "Mood", "symbols": ["GLAD", "SAD"]}},
        {"name": "at", "type": {"type": "long", "logicalType": "timestamp-millis"}},
        {"name": "tag", "type": ["null", {"type": "fixed", "name": "Tag", "size": 4}]},
    ],
}


def _document(protocol: str, operations: str) -> str:
    return textwrap.dedent(
        f"""\
        asyncapi: 3.0.0
        info: {{title: Greetings, version: '1'}}
        servers:
          local: {{host: '127.0.0.1', protocol: {protocol}}}
        channels:
          greetings:
            address: /greetings
            messages:
              greeting:
                payload:
                  schemaFormat: application/vnd.apache.avro;version=1.9.0
                  schema: {{$ref: './Greeting.avsc'}}
        operations:
        """
    ) + textwrap.indent(textwrap.dedent(operations), "  ")


def _server(folder: Path, protocol: str, operations: str) -> tuple[Path, ServerProcess]:
    (folder / "Greeting.avsc").write_text(json.dumps(GREETING))
    spec = folder / "greetings.yaml"
    spec.write_text(_document(protocol, operations))
    out = folder / "out"
    generate([spec], out, GenerateOptions(link_runtime=True))
    return out, ServerProcess([sys.executable, "server.py"], out)


def _schema(out: Path, operation: str) -> dict[str, Any]:
    contract = json.loads((out / "contract.json").read_text())
    spec = next(op for op in contract["operations"] if op["id"] == operation)
    (content,) = spec["outputs"][0]["contents"].items()
    assert content[0] == "avro/binary"
    assert content[1]["schema"]["x-avro-schema"] == GREETING
    return dict(content[1]["schema"])


@pytest.fixture(scope="module")
def websocket(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, ServerProcess]]:
    operations = """\
        greet:
          action: receive
          channel: {$ref: '#/channels/greetings'}
          reply:
            channel: {$ref: '#/channels/greetings'}
        """
    out, server = _server(tmp_path_factory.mktemp("ws-avro"), "ws", operations)
    with server:
        yield out, server


@pytest.fixture(scope="module")
def sse(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, ServerProcess]]:
    operations = """\
        sendGreeting:
          action: send
          channel: {$ref: '#/channels/greetings'}
        """
    out, server = _server(tmp_path_factory.mktemp("sse-avro"), "http", operations)
    with server:
        yield out, server


def test_a_websocket_takes_and_answers_the_json_form_of_avro_data(
    websocket: tuple[Path, ServerProcess],
) -> None:
    out, server = websocket

    async def exchange() -> list[Any]:
        async with connect(f"ws://127.0.0.1:{server.port}/greetings") as ws:
            good = {"text": "hi", "mood": "GLAD", "at": "2026-05-01T10:00:00Z", "tag": None}
            await ws.send(json.dumps(good))
            answer = json.loads(await asyncio.wait_for(ws.recv(), timeout=5))
            await ws.send(json.dumps({"text": "hi", "mood": "ANGRY", "at": "x", "tag": None}))
            error = json.loads(await asyncio.wait_for(ws.recv(), timeout=5))
            return [answer, error]

    answer, error = asyncio.run(exchange())
    jsonschema.validate(answer, _schema(out, "greet"))
    assert "ANGRY" in json.dumps(error) or "mood" in json.dumps(error), error


def test_an_sse_event_carries_the_json_form_of_avro_data(sse: tuple[Path, ServerProcess]) -> None:
    out, server = sse
    with (
        httpx.Client(timeout=httpx.Timeout(10.0)) as client,
        connect_sse(client, "GET", server.url + "/greetings") as source,
    ):
        time.sleep(0.3)  # the server registers the stream it just opened
        answer = httpx.post(f"{server.url}/__mockc/emit/sendGreeting", json={"count": 2})
        assert answer.status_code == 202, answer.text
        events = []
        for event in source.iter_sse():
            events.append(event)
            if len(events) == 2:
                break
    for event in events:
        jsonschema.validate(event.json(), _schema(out, "sendGreeting"))
