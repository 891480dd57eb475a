"""The emit path end to end: a generated GraphQL server on a real port, its
subscriptions read with gql over WebSocket, messages sent through the admin API,
by a mock's schedule and as a reaction to a mutation."""

from __future__ import annotations

import asyncio
import subprocess
import sys
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest
from gql import Client, gql
from gql.transport.httpx import HTTPXTransport
from gql.transport.websockets import WebsocketsTransport

from tests.support.graphql_kit import SHOP_SDL
from tests.support.servers import ServerProcess

MOCKC = str(Path(sys.executable).with_name("mockc"))
ORDER = 'subscription { orderUpdated(id: "5") { id status } }'


@pytest.fixture(scope="module")
def shop(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    folder = tmp_path_factory.mktemp("emit")
    spec = folder / "shop.graphql"
    spec.write_text(SHOP_SDL)
    out = folder / "server"
    result = subprocess.run(
        [MOCKC, "generate", str(spec), "-o", str(out), "-q"], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    for mock in (out / "mocks").glob("subscription_*.yaml"):
        mock.unlink()  # the tests put their own
    with ServerProcess([sys.executable, "server.py"], cwd=out) as server:
        yield server


def _put_mock(shop: ServerProcess, document: dict[str, Any]) -> None:
    """Create or replace a mock through the admin API."""
    mock_id = document["id"]
    found = httpx.get(f"{shop.url}/__mockc/mocks/{mock_id}")
    if found.status_code == 404:
        answer = httpx.post(f"{shop.url}/__mockc/mocks", json=document)
        assert answer.status_code == 201, answer.text
    else:
        answer = httpx.put(f"{shop.url}/__mockc/mocks/{mock_id}", json=document)
        assert answer.status_code == 200, answer.text


async def _streams_open(admin: httpx.AsyncClient, operation: str) -> None:
    for _ in range(200):
        streams = (await admin.get("/__mockc/events")).json()["streams"]
        if streams.get(operation):
            return
        await asyncio.sleep(0.02)
    raise AssertionError(f"no open stream of {operation}")


@asynccontextmanager
async def _session(shop: ServerProcess) -> AsyncIterator[Any]:
    url = shop.url.replace("http://", "ws://") + "/graphql"
    transport = WebsocketsTransport(
        url=url, subprotocols=[WebsocketsTransport.GRAPHQLWS_SUBPROTOCOL]
    )
    async with Client(transport=transport) as session:
        yield session


def _receive(
    shop: ServerProcess,
    query: str,
    operation: str,
    expected: int,
    act: Callable[[httpx.AsyncClient], Awaitable[None]],
) -> list[Any]:
    """Subscribe with ``query``; once the server holds the stream, ``act``; the
    first ``expected`` events."""

    async def run() -> list[Any]:
        received: list[Any] = []
        async with _session(shop) as session, httpx.AsyncClient(base_url=shop.url) as admin:

            async def acting() -> None:
                await _streams_open(admin, operation)
                await act(admin)

            task = asyncio.create_task(acting())
            async with asyncio.timeout(10):
                async for event in session.subscribe(gql(query)):
                    received.append(event)
                    if len(received) == expected:
                        break
            await task
        return received

    return asyncio.run(run())


def test_the_admin_api_emits_the_operations_mock_answer(shop: ServerProcess) -> None:
    _put_mock(
        shop,
        {
            "id": "orders",
            "operation": "subscription_orderUpdated",
            "responses": [{"body": {"status": "PLACED"}}, {"body": {"status": "SHIPPED"}}],
            "stream": {"count": 0},
        },
    )

    async def emit(admin: httpx.AsyncClient) -> None:
        sent = await admin.post("/__mockc/emit/subscription_orderUpdated", json={"count": 2})
        assert sent.status_code == 202
        assert sent.json() == {
            "operation": "subscription_orderUpdated",
            "messages": 2,
            "delivered": 2,
        }

    events = _receive(shop, ORDER, "subscription_orderUpdated", 2, emit)
    assert events == [
        {"orderUpdated": {"id": "5", "status": "PLACED"}},
        {"orderUpdated": {"id": "5", "status": "SHIPPED"}},
    ]
    alone = httpx.post(f"{shop.url}/__mockc/emit/subscription_orderUpdated")  # no body
    assert (alone.status_code, alone.json()["messages"], alone.json()["delivered"]) == (202, 1, 0)
    missing = httpx.post(f"{shop.url}/__mockc/emit/nope")
    assert missing.status_code == 404
    given = httpx.post(f"{shop.url}/__mockc/emit/subscription_ticks", json={"data": 1})
    assert given.json()["delivered"] == 0  # nobody subscribed


def test_a_mocks_schedule_emits_bursts_from_when_it_is_served(shop: ServerProcess) -> None:
    quiet = {"id": "ticks", "operation": "subscription_ticks", "response": {"body": 7}}
    _put_mock(shop, {**quiet, "stream": {"count": 0}})

    async def schedule(admin: httpx.AsyncClient) -> None:
        scheduled = {**quiet, "stream": {"count": 0}, "emit": {"delays_ms": [50], "burst": 2}}
        _put_mock(shop, scheduled)
        listed = (await admin.get("/__mockc/emit")).json()["schedules"]
        assert listed == [
            {
                "operation": "subscription_ticks",
                "origin": "mock:ticks",
                "after_ms": 0.0,
                "every_ms": None,
                "delays_ms": [50.0],
                "count": 2,
                "burst": 2,
            }
        ]

    assert (
        _receive(shop, "subscription { ticks }", "subscription_ticks", 4, schedule)
        == [{"ticks": 7}] * 4
    )


def test_a_mutation_reacts_by_emitting_on_a_subscription(shop: ServerProcess) -> None:
    _put_mock(
        shop,
        {
            "id": "orders",
            "operation": "subscription_orderUpdated",
            "response": {"body": {"id": "{{ request.body.productIds[0] }}", "status": "SHIPPED"}},
            "stream": {"count": 0},
        },
    )
    _put_mock(
        shop,
        {
            "id": "place",
            "operation": "mutation_placeOrder",
            "priority": 10,
            "response": {"body": {"status": "PLACED"}},
            "then": [{"emit": "subscription_orderUpdated", "after_ms": 20}],
        },
    )

    async def place(admin: httpx.AsyncClient) -> None:
        def mutate() -> Any:
            with Client(transport=HTTPXTransport(url=f"{shop.url}/graphql")) as session:
                return session.execute(
                    gql('mutation { placeOrder(productIds: ["p9"]) { status } }')
                )

        placed = await asyncio.to_thread(mutate)
        assert placed == {"placeOrder": {"status": "PLACED"}}

    events = _receive(shop, ORDER, "subscription_orderUpdated", 1, place)
    assert events == [{"orderUpdated": {"id": "p9", "status": "SHIPPED"}}]


def test_a_reaction_to_an_unknown_operation_is_refused(shop: ServerProcess) -> None:
    answer = httpx.post(
        f"{shop.url}/__mockc/mocks",
        json={
            "id": "bad",
            "operation": "mutation_placeOrder",
            "response": {},
            "then": [{"emit": "subscription_nope"}],
        },
    )
    assert answer.status_code == 422
    assert "then[0].emit: unknown operation 'subscription_nope'" in answer.text
