"""An OpenAPI document, an AsyncAPI document and a channel config generated
together give one HTTP server that serves the SSE and WebSocket channels
beside its routes: an HTTP mock's ``then`` sends to the streams and sockets
its answer names, read by real clients (httpx-sse, websockets) while a real
HTTP client (httpx) calls the route."""

from __future__ import annotations

import asyncio
import json
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml
from websockets.asyncio.client import connect

from mockc.compiler.driver import GenerateOptions, generate
from tests.support.servers import ServerProcess
from tests.support.sse_reader import open_stream

TIMEOUT = httpx.Timeout(10.0)

OPENAPI = {
    "openapi": "3.1.0",
    "info": {"title": "Orders", "version": "1.0.0"},
    "paths": {
        "/orders/{orderId}/pay": {
            "post": {
                "operationId": "payOrder",
                "parameters": [
                    {
                        "name": "orderId",
                        "in": "path",
                        "required": True,
                        "schema": {"type": "string"},
                    }
                ],
                "requestBody": {
                    "required": True,
                    "content": {
                        "application/json": {
                            "schema": {
                                "type": "object",
                                "required": ["amount"],
                                "properties": {"amount": {"type": "number"}},
                            }
                        }
                    },
                },
                "responses": {
                    "200": {
                        "description": "paid",
                        "content": {
                            "application/json": {
                                "schema": {
                                    "type": "object",
                                    "properties": {"status": {"type": "string"}},
                                }
                            }
                        },
                    }
                },
            }
        }
    },
}

ASYNCAPI = {
    "asyncapi": "3.0.0",
    "info": {"title": "Order events", "version": "1.0.0"},
    "servers": {"api": {"host": "localhost:8080", "protocol": "http"}},
    "channels": {
        "orderEvents": {
            "address": "/orders/{orderId}/events",
            "parameters": {"orderId": {}},
            "messages": {
                "orderUpdate": {
                    "name": "orderUpdate",
                    "payload": {
                        "type": "object",
                        "properties": {
                            "orderId": {"type": "string"},
                            "status": {"type": "string"},
                            "amount": {"type": "number"},
                        },
                    },
                }
            },
        }
    },
    "operations": {
        "sendOrderEvent": {"action": "send", "channel": {"$ref": "#/channels/orderEvents"}}
    },
}

CHANNELS = {
    "mockc": "channels/1",
    "info": {"name": "order_sockets"},
    "channels": {
        "orders": {
            "protocol": "websocket",
            "address": "/ws/orders/{orderId}",
            "server_sends": {
                "update": {
                    "operation": "pushOrderUpdate",
                    "payload": {"type": "object", "properties": {"paid": {"type": "number"}}},
                }
            },
        },
        "clock": {
            "protocol": "websocket",
            "address": "/ws/clock",
            "server_sends": {
                "tick": {
                    "payload": {"type": "object"},
                    "examples": [{"value": {"tick": True}}],
                    "schedule": {"after_ms": 100, "every_ms": 200},
                }
            },
        },
    },
}

PAY_MOCK = {
    "operation": "payOrder",
    "response": {"status": 200, "body": {"status": "paid"}},
    "then": [
        {
            "emit": "sendOrderEvent",
            "params": {"orderId": "{{ request.path.orderId }}"},
            "body": {
                "orderId": "{{ request.path.orderId }}",
                "status": "paid",
                "amount": "{{ request.body.amount }}",
            },
        },
        {
            "emit": "pushOrderUpdate",
            "params": {"orderId": "{{ request.path.orderId }}"},
            "body": {"paid": "{{ request.body.amount }}"},
        },
    ],
}


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    specs = tmp_path_factory.mktemp("specs")
    (specs / "orders.openapi.yaml").write_text(yaml.safe_dump(OPENAPI))
    (specs / "orders.asyncapi.yaml").write_text(yaml.safe_dump(ASYNCAPI))
    (specs / "order-sockets.json").write_text(json.dumps(CHANNELS))
    out = tmp_path_factory.mktemp("orders")
    generate(
        [
            specs / "orders.openapi.yaml",
            specs / "orders.asyncapi.yaml",
            specs / "order-sockets.json",
        ],
        out,
        GenerateOptions(link_runtime=True),
    )
    (out / "mocks" / "payOrder.yaml").write_text(yaml.safe_dump(PAY_MOCK))
    return out


@pytest.fixture
def server(generated: Path) -> Iterator[ServerProcess]:
    with ServerProcess([sys.executable, "server.py"], generated) as process:
        yield process


def test_one_http_server_serves_the_routes_and_the_channels(generated: Path) -> None:
    contract = json.loads((generated / "contract.json").read_text())
    kinds = {spec["id"]: spec["binding"]["kind"] for spec in contract["operations"]}
    assert contract["protocol"] == "http"
    assert kinds == {
        "payOrder": "http",
        "sendOrderEvent": "channel",
        "pushOrderUpdate": "channel",
        "clock_tick": "channel",
    }
    assert not (generated / "sse").exists() and not (generated / "http").exists()


def test_an_http_answer_emits_its_templated_event_to_the_streams_it_names(
    server: ServerProcess,
) -> None:
    first = open_stream(f"{server.url}/orders/A-1/events", 1)
    other = open_stream(f"{server.url}/orders/B-2/events", 1)

    paid = httpx.post(f"{server.url}/orders/A-1/pay", json={"amount": 12.5}, timeout=TIMEOUT)
    assert paid.status_code == 200 and paid.json() == {"status": "paid"}
    (event,) = first.result()
    assert event.event == "orderUpdate"
    assert json.loads(event.data) == {"orderId": "A-1", "status": "paid", "amount": 12.5}
    assert other.events == []  # another order's stream: not sent to

    httpx.post(f"{server.url}/orders/B-2/pay", json={"amount": 3}, timeout=TIMEOUT)
    (event,) = other.result()
    assert json.loads(event.data) == {"orderId": "B-2", "status": "paid", "amount": 3}


def test_the_journal_holds_the_request_and_the_event_it_sent(server: ServerProcess) -> None:
    reader = open_stream(f"{server.url}/orders/C-3/events", 1)
    httpx.post(f"{server.url}/orders/C-3/pay", json={"amount": 1}, timeout=TIMEOUT)
    reader.result()
    for _ in range(50):  # the journal is written off the hot path
        entries = httpx.get(f"{server.url}/__mockc/journal", timeout=TIMEOUT).json()["entries"]
        pay = [e for e in entries if e["target"] == "/orders/C-3/pay"]
        sent = [e for e in entries if e["target"] == "/orders/C-3/events" and e["method"] == "sent"]
        if pay and sent:
            break
        threading.Event().wait(0.1)
    assert [(e["method"], e["protocol"], e["status"]) for e in pay] == [("POST", "http", "200")]
    assert [(e["operation"], e["protocol"]) for e in sent] == [("sendOrderEvent", "sse")]


def test_an_http_answer_reaches_the_websocket_clients_it_names(server: ServerProcess) -> None:
    async def scenario() -> tuple[Any, bool]:
        base = f"ws://127.0.0.1:{server.port}/ws/orders"
        async with connect(f"{base}/D-4") as mine, connect(f"{base}/E-5") as other:
            await asyncio.sleep(0.3)  # the sockets are registered
            async with httpx.AsyncClient(timeout=TIMEOUT) as client:
                paid = await client.post(f"{server.url}/orders/D-4/pay", json={"amount": 7})
            assert paid.status_code == 200
            got = json.loads(await asyncio.wait_for(mine.recv(), 10))
            try:
                await asyncio.wait_for(other.recv(), 0.5)
                reached_other = True
            except TimeoutError:
                reached_other = False
            return got, reached_other

    got, reached_other = asyncio.run(scenario())
    assert got == {"paid": 7}
    assert not reached_other  # another order's socket


def test_a_channel_configs_schedule_runs_in_the_http_server(server: ServerProcess) -> None:
    async def first_tick() -> Any:
        async with connect(f"ws://127.0.0.1:{server.port}/ws/clock") as socket:
            return json.loads(await asyncio.wait_for(socket.recv(), 10))

    assert asyncio.run(first_tick()) == {"tick": True}
