"""GraphQL limits, over real HTTP and WebSocket: depth, objects per answer,
answer size and operations per connection, each configurable, refused with
errors in the spec's shape; what real clients ask (introspection, pages of
100) passes the defaults."""

from __future__ import annotations

import asyncio
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from gql import Client, gql
from gql.transport.exceptions import TransportQueryError
from gql.transport.httpx import HTTPXTransport
from gql.transport.websockets import WebsocketsTransport
from graphql import get_introspection_query

from tests.support.corpus import CORPUS
from tests.support.graphql_kit import SHOP_SDL
from tests.support.servers import ServerProcess

MOCKC = str(Path(sys.executable).with_name("mockc"))
SWAPI = CORPUS / "graphql" / "swapi" / "schema.graphql"
A_MILLION = """{ allPeople(first: 100) { people { filmConnection(first: 100) { films {
  planetConnection(first: 100) { planets { name } } } } } } }"""
STRICT = "application/graphql-response+json"


def _generate(spec: Path, out: Path) -> Path:
    result = subprocess.run(
        [MOCKC, "generate", str(spec), "-o", str(out), "-q"], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    return out


@pytest.fixture(scope="module")
def swapi_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _generate(SWAPI, tmp_path_factory.mktemp("swapi") / "server")


@pytest.fixture(scope="module")
def swapi(swapi_dir: Path) -> Iterator[str]:
    with ServerProcess([sys.executable, "server.py"], cwd=swapi_dir) as server:
        yield f"{server.url}/graphql"


@pytest.fixture(scope="module")
def shop_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("shop")
    (folder / "shop.graphql").write_text(SHOP_SDL)
    return _generate(folder / "shop.graphql", folder / "server")


def test_a_million_objects_are_refused_before_anything_runs(swapi: str) -> None:
    response = httpx.post(swapi, json={"query": A_MILLION}, headers={"accept": STRICT})
    assert response.status_code == 400
    [error] = response.json()["errors"]
    assert error["extensions"] == {"code": "QUERY_TOO_COMPLEX", "limit": 500_000}
    assert error["message"].startswith("the query asks for more than 500,000 objects")
    assert error["locations"] == [{"line": 1, "column": 1}]
    assert "data" not in response.json()


def test_what_real_clients_ask_passes_the_defaults(swapi: str) -> None:
    with Client(transport=HTTPXTransport(url=swapi)) as session:
        session.execute(gql(get_introspection_query(descriptions=True)))
        two_levels = session.execute(
            gql(
                "{ allPeople(first: 100) { people { "
                "filmConnection(first: 100) { films { title } } } } }"
            )
        )
    people = two_levels["allPeople"]["people"]
    assert len(people) == 100 and len(people[0]["filmConnection"]["films"]) == 100


def test_queries_nested_too_deep_are_refused(shop_dir: Path) -> None:
    deep = "{ users { " + "friends { " * 70 + "id" + " }" * 70 + " } }"
    chained = (
        "{ users { ...F0 } } "
        + " ".join(f"fragment F{n} on User {{ friends {{ ...F{n + 1} }} }}" for n in range(69))
        + " fragment F69 on User { id }"
    )
    with ServerProcess([sys.executable, "server.py"], cwd=shop_dir) as server:
        for query in (deep, chained):
            answer = httpx.post(f"{server.url}/graphql", json={"query": query}).json()
            [error] = answer["errors"]
            assert error["extensions"]["code"] == "QUERY_TOO_DEEP"
            assert error["extensions"]["limit"] == 64


def test_limits_are_configurable(swapi_dir: Path) -> None:
    env = {"MOCKC_GRAPHQL_MAX_NODES": "50", "MOCKC_GRAPHQL_MAX_DEPTH": "3"}
    with ServerProcess([sys.executable, "server.py"], cwd=swapi_dir, env=env) as server:
        url = f"{server.url}/graphql"
        with Client(transport=HTTPXTransport(url=url)) as session:
            assert session.execute(gql("{ allPeople(first: 10) { people { name } } }"))
            with pytest.raises(TransportQueryError) as raised:
                session.execute(gql("{ allPeople(first: 60) { people { name } } }"))
            assert raised.value.errors[0]["extensions"]["code"] == "QUERY_TOO_COMPLEX"  # type: ignore[index]
            with pytest.raises(TransportQueryError) as raised:
                session.execute(
                    gql('{ person(id: "1") { homeworld { filmConnection { totalCount } } } }')
                )
            assert raised.value.errors[0]["extensions"]["code"] == "QUERY_TOO_DEEP"  # type: ignore[index]
    with ServerProcess(
        [sys.executable, "server.py", "--max-answer-bytes", "1000"], cwd=swapi_dir
    ) as server:
        response = httpx.post(
            f"{server.url}/graphql",
            json={"query": "{ allPeople(first: 100) { people { name } } }"},
            headers={"accept": STRICT},
        )
        assert response.status_code == 400
        [error] = response.json()["errors"]
        assert error["extensions"]["code"] == "ANSWER_TOO_LARGE"
        assert error["extensions"]["limit"] == 1000

        async def over_websocket() -> str:
            transport = WebsocketsTransport(
                url=server.url.replace("http", "ws") + "/graphql",
                subprotocols=[WebsocketsTransport.GRAPHQLWS_SUBPROTOCOL],
            )
            async with Client(transport=transport) as session:
                with pytest.raises(TransportQueryError) as raised:
                    await session.execute(gql("{ allPeople(first: 100) { people { name } } }"))
            return raised.value.errors[0]["extensions"]["code"]  # type: ignore[index]

        assert asyncio.run(over_websocket()) == "ANSWER_TOO_LARGE"


def test_operations_per_websocket_are_bounded(shop_dir: Path) -> None:
    env = {"MOCKC_GRAPHQL_MAX_SUBSCRIPTIONS": "2", "MOCKC_GRAPHQL_EVENT_INTERVAL_MS": "50"}
    with ServerProcess([sys.executable, "server.py"], cwd=shop_dir, env=env) as server:
        url = server.url.replace("http", "ws") + "/graphql"

        async def run() -> tuple[list[int], str]:
            transport = WebsocketsTransport(
                url=url, subprotocols=[WebsocketsTransport.GRAPHQLWS_SUBPROTOCOL]
            )
            async with Client(transport=transport) as session:
                ticks = gql("subscription { ticks }")
                running = [session.subscribe(ticks) for _ in range(2)]
                firsts = [(await anext(stream))["ticks"] for stream in running]
                with pytest.raises(TransportQueryError) as raised:
                    await anext(session.subscribe(ticks))
                for stream in running:
                    await stream.aclose()
                return firsts, raised.value.errors[0]["extensions"]["code"]  # type: ignore[index]

        firsts, code = asyncio.run(run())
    assert len(firsts) == 2 and all(isinstance(value, int) for value in firsts)
    assert code == "TOO_MANY_OPERATIONS"


def test_validation_off_skips_the_input_value_checks(shop_dir: Path) -> None:
    """MOCKC_VALIDATE=0: unknown arguments are ignored and a value that cannot be
    used fails its field only; with validation on the whole request is refused."""
    query = '{ version user(id: "1", bogus: 3) { id } other: user(id: 5.5) { id } }'
    with ServerProcess([sys.executable, "server.py"], cwd=shop_dir) as server:
        strict = httpx.post(f"{server.url}/graphql", json={"query": query}).json()
    assert "data" not in strict
    assert {error["message"].split(" ")[0] for error in strict["errors"]} >= {"Unknown"}
    env = {"MOCKC_VALIDATE": "0"}
    with ServerProcess([sys.executable, "server.py"], cwd=shop_dir, env=env) as server:
        lenient = httpx.post(f"{server.url}/graphql", json={"query": query}).json()
    assert isinstance(lenient["data"]["version"], str)
    assert lenient["data"]["user"]["id"] == "1"
    assert lenient["data"]["other"] is None
    [error] = lenient["errors"]
    assert error["path"] == ["other"] and "'id'" in error["message"]
