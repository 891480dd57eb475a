"""A stream whose messages are ``application/x-ndjson`` is served as
newline-delimited JSON: one JSON value per line and nothing else (no
comments, no heartbeats), read by a real HTTP client (httpx, line by line)."""

from __future__ import annotations

import json
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.support.asyncapi_docs import generated_server
from tests.support.servers import ServerProcess

TIMEOUT = httpx.Timeout(10.0)
ASYNCAPI = {
    "asyncapi": "3.0.0",
    "info": {"title": "Prices", "version": "1.0.0"},
    "servers": {"api": {"host": "localhost:8080", "protocol": "http"}},
    "channels": {
        "prices": {
            "address": "/prices/{symbol}",
            "parameters": {"symbol": {}},
            "messages": {
                "price": {
                    "name": "price",
                    "contentType": "application/x-ndjson",
                    "payload": {
                        "type": "object",
                        "required": ["symbol", "price"],
                        "properties": {
                            "symbol": {"type": "string"},
                            "price": {"type": "number"},
                            "note": {"type": "string"},
                        },
                    },
                }
            },
        }
    },
    "operations": {"sendPrice": {"action": "send", "channel": {"$ref": "#/channels/prices"}}},
}


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return generated_server(tmp_path_factory, "prices", ASYNCAPI, {})


@pytest.fixture
def server(generated: Path) -> Iterator[ServerProcess]:
    env = {"MOCKC_JOURNAL": "off", "MOCKC_SSE_HEARTBEAT_MS": "50"}
    with ServerProcess([sys.executable, "server.py"], generated, env=env) as process:
        yield process


def test_the_contract_says_ndjson(generated: Path) -> None:
    contract = json.loads((generated / "contract.json").read_text())
    (operation,) = contract["operations"]
    assert operation["binding"]["options"]["framing"] == "ndjson"


def test_each_message_is_one_json_line_and_nothing_else_is_sent(server: ServerProcess) -> None:
    lines: list[str] = []
    opened = threading.Event()

    def read() -> None:
        with (
            httpx.Client(timeout=TIMEOUT) as client,
            client.stream("GET", f"{server.url}/prices/ACME") as response,
        ):
            assert response.headers["content-type"] == "application/x-ndjson"
            opened.set()
            for line in response.iter_lines():
                lines.append(line)
                if len(lines) == 2:
                    return

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    assert opened.wait(10)
    threading.Event().wait(0.3)  # quiet for several heartbeat intervals: none is sent
    given: dict[str, Any] = {"symbol": "ACME", "price": 1.5, "note": "two\nlines"}
    _emit(server, {"data": given, "params": {"symbol": "ACME"}})
    _emit(server, {"params": {"symbol": "ACME"}})  # the mock's answer
    reader.join(10)
    assert not reader.is_alive(), lines
    first, second = (json.loads(line) for line in lines)
    assert first == given
    assert {"symbol", "price"} <= set(second)


def _emit(server: ServerProcess, body: dict[str, Any]) -> None:
    answer = httpx.post(f"{server.url}/__mockc/emit/sendPrice", json=body, timeout=TIMEOUT)
    assert answer.status_code == 202 and answer.json()["delivered"] == 1, answer.text
