"""The run contract of the GraphQL target, end to end: mockc generate, python
server.py, /health, /graphql; subscriptions over WebSocket with gql; a fresh
virtual environment holding only requirements.txt."""

from __future__ import annotations

import asyncio
import json
import re
import shutil
import subprocess
import sys
import venv
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml
from gql import Client, GraphQLRequest, gql
from gql.transport.httpx import HTTPXTransport
from gql.transport.websockets import WebsocketsTransport

from tests.support.corpus import CORPUS
from tests.support.graphql_kit import SHOP_SDL
from tests.support.servers import ServerProcess

SWAPI = CORPUS / "graphql" / "swapi" / "schema.graphql"
MOCKC = str(Path(sys.executable).with_name("mockc"))


def _generate(spec: Path, out: Path) -> None:
    result = subprocess.run(
        [MOCKC, "generate", str(spec), "-o", str(out), "-q"], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr


@pytest.fixture(scope="module")
def swapi_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("swapi") / "server"
    _generate(SWAPI, out)
    return out


@pytest.fixture(scope="module")
def shop(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    folder = tmp_path_factory.mktemp("shop")
    spec = folder / "shop.graphql"
    spec.write_text(SHOP_SDL)
    out = folder / "server"
    _generate(spec, out)
    mocks = {
        "mutation_register": {
            "operation": "mutation_register",
            "crud": {"collection": "users", "action": "create"},
        },
        "query_user": {
            "operation": "query_user",
            "crud": {"collection": "users", "action": "get", "id_param": "id"},
        },
        "query_users": {
            "operation": "query_users",
            "crud": {"collection": "users", "action": "list"},
        },
        "subscription_orderUpdated": {
            "operation": "subscription_orderUpdated",
            "responses": [{"body": {"status": "PLACED"}}, {"body": {"status": "SHIPPED"}}],
            "stream": {"count": 2, "interval_ms": 100},
        },
        "subscription_ticks": {
            "operation": "subscription_ticks",
            "response": {},
            "stream": {"count": 0},
        },
    }
    for name, mock in mocks.items():  # in place of the generated mocks
        (out / "mocks" / f"{name}.yaml").write_text(yaml.safe_dump({"id": name, **mock}))
    with ServerProcess([sys.executable, "server.py"], cwd=out) as server:
        yield server


def test_generate_then_run_with_port(swapi_dir: Path) -> None:
    with ServerProcess([sys.executable, "server.py"], cwd=swapi_dir) as running:
        health = httpx.get(f"{running.url}/health").json()
        assert health["status"] == "ok"
        answer = httpx.post(
            f"{running.url}/graphql", json={"query": '{ person(id: "1") { id name } }'}
        ).json()
        assert answer["data"]["person"]["id"] == "1"
        assert running.terminate() == 0


def test_mutations_keep_state_so_a_created_object_can_be_queried(shop: ServerProcess) -> None:
    client = Client(transport=HTTPXTransport(url=f"{shop.url}/graphql"))
    with client as session:
        created = session.execute(
            gql('mutation { register(login: "ada", email: "ada@example.com") { id login } }')
        )["register"]
        fetched = session.execute(
            GraphQLRequest(
                "query Q($id: ID!) { user(id: $id) { id login email } }",
                variable_values={"id": created["id"]},
            )
        )
        listed = session.execute(gql("{ users { login } }"))
    assert created["id"] == "1"
    assert fetched == {"user": {"id": "1", "login": "ada", "email": "ada@example.com"}}
    assert listed == {"users": [{"login": "ada"}]}


def test_a_subscription_with_gql_over_websocket(shop: ServerProcess) -> None:
    url = shop.url.replace("http://", "ws://") + "/graphql"

    async def run() -> list[Any]:
        transport = WebsocketsTransport(
            url=url, subprotocols=[WebsocketsTransport.GRAPHQLWS_SUBPROTOCOL]
        )
        async with Client(transport=transport) as session:
            query = gql('subscription { orderUpdated(id: "5") { id status } }')
            return [event async for event in session.subscribe(query)]

    events = asyncio.run(run())
    assert events == [
        {"orderUpdated": {"id": "5", "status": "PLACED"}},
        {"orderUpdated": {"id": "5", "status": "SHIPPED"}},
    ]


def test_events_pushed_through_the_admin_api_reach_gql(shop: ServerProcess) -> None:
    url = shop.url.replace("http://", "ws://") + "/graphql"

    async def run() -> list[Any]:
        transport = WebsocketsTransport(
            url=url, subprotocols=[WebsocketsTransport.GRAPHQLWS_SUBPROTOCOL]
        )
        received: list[Any] = []
        async with Client(transport=transport) as session:

            async def push() -> None:
                async with httpx.AsyncClient(base_url=shop.url) as admin:
                    for _ in range(100):
                        streams = (await admin.get("/__mockc/events")).json()["streams"]
                        if streams.get("subscription_ticks"):
                            break
                        await asyncio.sleep(0.02)
                    for value in (1, 2, 3):
                        pushed = await admin.post(
                            "/__mockc/events/subscription_ticks", json={"data": value}
                        )
                        assert pushed.json()["delivered"] == 1

            pusher = asyncio.create_task(push())
            async for event in session.subscribe(gql("subscription { ticks }")):
                received.append(event)
                if len(received) == 3:
                    break
            await pusher
        return received

    assert asyncio.run(run()) == [{"ticks": 1}, {"ticks": 2}, {"ticks": 3}]


def test_runs_without_mockc_installed_using_the_dockerfile_commands(
    tmp_path: Path, swapi_dir: Path
) -> None:
    """`pip install -r requirements.txt && python server.py`, as the Dockerfile
    does it, in a fresh virtual environment that has no mockc."""
    dockerfile = (swapi_dir / "Dockerfile").read_text()
    install = re.search(r"^RUN (.+)$", dockerfile, re.MULTILINE)
    start = re.search(r"^CMD (.+)$", dockerfile, re.MULTILINE)
    assert install and start
    install_args = install.group(1).split()
    start_args = json.loads(start.group(1))
    assert install_args[:2] == ["pip", "install"] and start_args[0] == "python"
    app = tmp_path / "app"
    shutil.copytree(swapi_dir, app)
    env_dir = tmp_path / "env"
    venv.create(env_dir, with_pip=True)
    python = str(env_dir / "bin" / "python")
    subprocess.run(
        [python, "-m", *install_args, "--disable-pip-version-check", "-q"],
        cwd=app,
        check=True,
        timeout=300,
    )
    probe = subprocess.run([python, "-c", "import mockc"], capture_output=True)
    assert probe.returncode != 0, "mockc must not be importable in this environment"
    with ServerProcess([python, *start_args[1:]], cwd=app) as running:
        answer = httpx.post(f"{running.url}/graphql", json={"query": "{ allFilms { totalCount } }"})
        assert answer.status_code == 200 and "errors" not in answer.json()
        page = httpx.get(f"{running.url}/graphql", headers={"accept": "text/html"})
        assert page.status_code == 200
        script = httpx.get(f"{running.url}/graphql/graphiql/graphiql.min.js")
        assert script.status_code == 200 and len(script.content) > 500_000
