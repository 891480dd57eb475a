"""Every adapter journals through one builder: redaction (and turning it off),
binary gRPC metadata and the admin API's own calls, over real connections."""

from __future__ import annotations

import asyncio
import sqlite3
import subprocess
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import grpc
import httpx
import pytest
from gql import Client, gql
from gql.transport.httpx import HTTPXTransport
from gql.transport.websockets import WebsocketsTransport

from mockc.compiler.driver import GenerateOptions, generate
from tests.support.corpus import CORPUS
from tests.support.grpc_kit import GrpcServer, compile_stubs
from tests.support.petstore import server_command, write_server
from tests.support.servers import ServerProcess

ROUTE_GUIDE = CORPUS / "proto" / "grpc-route-guide"
SECRET = "s3cret-bearer-token-4711"
BINARY_SECRET = b"\x00binary-s3cret\xff"
HEADERS = {"Authorization": f"Bearer {SECRET}", "Cookie": "session=c00kie"}
SDL = "type Query { hello(name: String): String }\n"


def _fresh(directory: Path) -> Path:
    data = directory / ".mockc-data"
    for name in ("journal.sqlite", "journal.sqlite-wal", "journal.sqlite-shm"):
        (data / name).unlink(missing_ok=True)
    return directory


def _journal(admin_url: str, **params: str) -> list[dict[str, Any]]:
    answer = httpx.get(admin_url + "/__mockc/journal", params=params)
    assert answer.status_code == 200, answer.text
    entries: list[dict[str, Any]] = answer.json()["entries"]
    return entries


def _stored(directory: Path) -> bytes:
    with sqlite3.connect(directory / ".mockc-data" / "journal.sqlite") as connection:
        return repr(connection.execute("SELECT * FROM entries").fetchall()).encode()


@pytest.fixture(scope="module")
def grpc_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("route-guide") / "server"
    generate([ROUTE_GUIDE / "route_guide.proto"], out, GenerateOptions())
    return out


@pytest.fixture(scope="module")
def rg_stubs(tmp_path_factory: pytest.TempPathFactory) -> tuple[ModuleType, ModuleType]:
    stubs = compile_stubs(tmp_path_factory.mktemp("rg-stubs"), ROUTE_GUIDE, ["route_guide.proto"])
    return stubs.modules("route_guide")


@pytest.fixture(scope="module")
def graphql_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("graphql")
    (folder / "hello.graphql").write_text(SDL)
    out = folder / "server"
    mockc = str(Path(sys.executable).with_name("mockc"))
    result = subprocess.run(
        [mockc, "generate", str(folder / "hello.graphql"), "-o", str(out), "-q"],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    return out


def _grpc_call(server: GrpcServer, stubs: tuple[ModuleType, ModuleType]) -> None:
    pb, services = stubs
    metadata = [("authorization", f"Bearer {SECRET}"), ("authorization-bin", BINARY_SECRET)]
    with grpc.insecure_channel(server.target) as channel:
        services.RouteGuideStub(channel).GetFeature(pb.Point(latitude=1), metadata=metadata)


def test_grpc_redacts_binary_credential_metadata(
    grpc_dir: Path, rg_stubs: tuple[ModuleType, ModuleType]
) -> None:
    with GrpcServer(_fresh(grpc_dir), {}) as server:
        _grpc_call(server, rg_stubs)
        [entry] = _journal(server.admin_url, operation="RouteGuide_GetFeature")
        headers = entry["request"]["headers"]
        assert headers["authorization"] == headers["authorization-bin"] == "[redacted]"
    assert b"binary-s3cret" not in _stored(grpc_dir)
    assert SECRET.encode() not in _stored(grpc_dir)


def test_grpc_keeps_credentials_when_redaction_is_off(
    grpc_dir: Path, rg_stubs: tuple[ModuleType, ModuleType]
) -> None:
    with GrpcServer(_fresh(grpc_dir), {"MOCKC_JOURNAL_REDACT": "off"}) as server:
        _grpc_call(server, rg_stubs)
        [entry] = _journal(server.admin_url, operation="RouteGuide_GetFeature")
        headers = entry["request"]["headers"]
        assert headers["authorization"] == f"Bearer {SECRET}"
        assert headers["authorization-bin"] not in ("", "[redacted]")


def _graphql_calls(url: str) -> None:
    transport = HTTPXTransport(url=url + "/graphql", headers=HEADERS)
    with Client(transport=transport) as session:
        session.execute(gql('query { hello(name: "http") }'))

    async def over_websocket() -> None:
        socket = WebsocketsTransport(
            url=url.replace("http://", "ws://") + "/graphql",
            headers=HEADERS,
            subprotocols=[WebsocketsTransport.GRAPHQLWS_SUBPROTOCOL],
        )
        async with Client(transport=socket) as session:
            await session.execute(gql('query { hello(name: "ws") }'))

    asyncio.run(over_websocket())


def test_graphql_keeps_credentials_when_redaction_is_off(graphql_dir: Path) -> None:
    env = {"MOCKC_JOURNAL_REDACT": "off"}
    with ServerProcess([sys.executable, "server.py"], cwd=_fresh(graphql_dir), env=env) as server:
        _graphql_calls(server.url)
        entries = _journal(server.url, operation="query_hello")
        assert sorted(entry["protocol"] for entry in entries) == ["graphql", "graphql-ws"]
        for entry in entries:
            assert entry["request"]["headers"]["authorization"] == f"Bearer {SECRET}"
            assert entry["request"]["headers"]["cookie"] == "session=c00kie"


def test_admin_calls_are_journaled_without_their_token(tmp_path: Path) -> None:
    directory = write_server(tmp_path / "server")
    env = {"MOCKC_ADMIN_TOKEN": SECRET}
    with ServerProcess(server_command(directory), cwd=directory, env=env) as server:
        token = {"Authorization": f"Bearer {SECRET}"}
        assert httpx.get(server.url + "/__mockc/mocks", headers=token).status_code == 200
        assert httpx.get(server.url + "/__mockc/mocks").status_code == 401
        answer = httpx.get(
            server.url + "/__mockc/journal", params={"include_admin": "1"}, headers=token
        )
        statuses = {
            (entry["target"], entry["status"])
            for entry in answer.json()["entries"]
            if entry["source"] == "admin"
        }
        assert {("/__mockc/mocks", "200"), ("/__mockc/mocks", "401")} <= statuses
    assert SECRET.encode() not in _stored(directory)
