"""GraphQL over WebSocket (graphql-transport-ws) in-process: subscriptions from
mocks at an interval, events pushed through the admin API, protocol errors."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx

from mockc.runtime.graphql import websocket
from mockc.runtime.graphql.app import GraphqlOptions
from tests.support.graphql_kit import Shop, Socket, check_result

ORDER = 'subscription S { orderUpdated(id: "5") { id number status } }'


async def _ready(socket: Socket) -> None:
    await socket.send({"type": "connection_init", "payload": {}})
    assert await socket.receive() == {"type": "connection_ack"}


def test_a_subscription_sends_a_mocks_responses_at_its_interval(shop: Shop) -> None:
    server = shop(
        {
            "orders": {
                "operation": "subscription_orderUpdated",
                "responses": [
                    {"body": {"status": "PLACED"}},
                    {"body": {"status": "SHIPPED"}},
                    {"body": {"status": "{{ request.body.id }}-done", "number": 3}},
                ],
                "stream": {"interval_ms": 50},
            }
        }
    )

    async def run() -> list[Any]:
        async with Socket(server.app) as socket:
            assert socket.accepted == {
                "type": "websocket.accept",
                "subprotocol": "graphql-transport-ws",
            }
            await _ready(socket)
            await socket.send({"id": "1", "type": "subscribe", "payload": {"query": ORDER}})
            return [await socket.receive() for _ in range(4)]

    first, second, third, done = asyncio.run(run())
    assert first["type"] == "next" and first["id"] == "1"
    assert first["payload"]["data"]["orderUpdated"]["status"] == "PLACED"
    assert first["payload"]["data"]["orderUpdated"]["id"] == "5"
    assert check_result(server.schema, ORDER, first["payload"]) == []
    assert second["payload"]["data"]["orderUpdated"]["status"] == "SHIPPED"
    assert "errors" in third["payload"], "an enum the mock gets wrong is a field error"
    assert done == {"id": "1", "type": "complete"}


def test_without_mocks_fake_events_come_at_the_default_interval(shop: Shop) -> None:
    server = shop(options=GraphqlOptions(event_interval_ms=20))

    async def run() -> list[Any]:
        async with Socket(server.app) as socket:
            await _ready(socket)
            await socket.send(
                {"id": "t", "type": "subscribe", "payload": {"query": "subscription { ticks }"}}
            )
            events = [await socket.receive() for _ in range(3)]
            await socket.send({"id": "t", "type": "complete"})
            await socket.send({"type": "ping"})
            events.append(await socket.receive())
            events.append(server.app.service.events.counts())
            return events

    *ticks, pong, streams = asyncio.run(run())
    assert streams == {}, "a completed subscription leaves no stream open"
    values = [event["payload"]["data"]["ticks"] for event in ticks]
    assert all(isinstance(value, int) for value in values)
    assert len(set(values)) > 1, "each event is another fake"
    assert pong == {"type": "pong"}


def test_events_pushed_through_the_admin_api(shop: Shop) -> None:
    server = shop(
        {
            "quiet": {
                "operation": "subscription_orderUpdated",
                "response": {},
                "stream": {"count": 0},
            }
        }
    )

    async def admin(method: str, path: str, **kwargs: Any) -> httpx.Response:
        transport = httpx.ASGITransport(app=server.app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            return await client.request(method, path, **kwargs)

    async def run() -> tuple[Any, ...]:
        async with Socket(server.app) as socket:
            await _ready(socket)
            await socket.send({"id": "a", "type": "subscribe", "payload": {"query": ORDER}})
            for _ in range(50):
                streams = (await admin("GET", "/__mockc/events")).json()["streams"]
                if streams:
                    break
                await asyncio.sleep(0.02)
            pushed = await admin(
                "POST",
                "/__mockc/events/subscription_orderUpdated",
                json={"data": {"status": "DELIVERED", "number": {"$error": "unknown"}}},
            )
            event = await socket.receive()
            return streams, pushed, event

    streams, pushed, event = asyncio.run(run())
    assert streams == {"subscription_orderUpdated": 1}
    assert pushed.status_code == 202
    assert pushed.json() == {"operation": "subscription_orderUpdated", "delivered": 1}
    assert event["payload"]["data"] is None, "number is non-null: its error nulls the event"
    assert event["payload"]["errors"][0]["path"] == ["orderUpdated", "number"]

    async def refused() -> list[httpx.Response]:
        return [
            await admin("POST", "/__mockc/events/nope", json={"data": 1}),
            await admin("POST", "/__mockc/events/subscription_ticks", json={"payload": 1}),
            await admin("POST", "/__mockc/events/subscription_ticks", json={"data": 1}),
        ]

    missing, shapeless, nobody = asyncio.run(refused())
    assert (missing.status_code, shapeless.status_code) == (404, 400)
    assert nobody.json()["delivered"] == 0


def test_queries_and_mutations_over_the_socket(shop: Shop) -> None:
    server = shop()

    async def run() -> list[Any]:
        async with Socket(server.app) as socket:
            await _ready(socket)
            await socket.send(
                {"id": "q", "type": "subscribe", "payload": {"query": '{ user(id: "4") { id } }'}}
            )
            return [await socket.receive(), await socket.receive()]

    result, done = asyncio.run(run())
    assert result == {"id": "q", "type": "next", "payload": {"data": {"user": {"id": "4"}}}}
    assert done == {"id": "q", "type": "complete"}


def test_invalid_operations_get_an_error_message(shop: Shop) -> None:
    async def run() -> Any:
        async with Socket(shop().app) as socket:
            await _ready(socket)
            await socket.send(
                {"id": "x", "type": "subscribe", "payload": {"query": "subscription { nope }"}}
            )
            return await socket.receive()

    error = asyncio.run(run())
    assert error["type"] == "error" and error["id"] == "x"
    assert error["payload"][0]["message"].startswith("Cannot query field 'nope'")


def test_protocol_violations_close_the_socket(shop: Shop, monkeypatch: Any) -> None:
    app = shop().app

    async def closing(*messages: Any, init: bool = True) -> Any:
        async with Socket(app) as socket:
            if init:
                await _ready(socket)
            for message in messages:
                await socket.send(message)
            while True:
                found = await socket.receive()
                if found.get("type") == "websocket.close":
                    return found["code"], found["reason"]

    subscribe = {"id": "1", "type": "subscribe", "payload": {"query": "subscription { ticks }"}}
    assert asyncio.run(closing(subscribe, init=False)) == (4401, "Unauthorized")
    assert asyncio.run(closing({"type": "connection_init"})) == (
        4429,
        "Too many initialisation requests",
    )
    assert asyncio.run(closing(subscribe, subscribe)) == (4409, "Subscriber for 1 already exists")
    assert asyncio.run(closing("not json")) == (4400, "Invalid message received")
    assert asyncio.run(closing({"type": "subscribe", "id": "1"}))[0] == 4400
    assert asyncio.run(closing({"type": "what"})) == (4400, "Unexpected message type 'what'")
    monkeypatch.setattr(websocket, "INIT_TIMEOUT_S", 0.05)
    assert asyncio.run(closing(init=False)) == (4408, "Connection initialisation timeout")

    async def wrong_protocol() -> Any:
        async with Socket(app, subprotocols=("graphql-ws",)) as socket:
            return socket.accepted

    assert asyncio.run(wrong_protocol())["code"] == 4406
