"""Safe by default, for every protocol, over real connections with real clients:
the admin API is not open to the network without a token, and clients'
credentials never reach the journal (nor do bodies or headers in summary mode)."""

from __future__ import annotations

import asyncio
import json
import os
import sqlite3
import stat
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
MOCKC = str(Path(sys.executable).with_name("mockc"))
SECRET = "s3cret-bearer-token-4711"
COOKIE = "session=c00kie-value-0815"
API_KEY = "api-key-value-2342"
CREDENTIALS = (SECRET, "c00kie-value-0815", API_KEY, "set-c00kie-9999")
SDL = """
type Query { hello(name: String): String }
type Mutation { login(user: String, password: String): String }
"""


# -- server folders ---------------------------------------------------------


@pytest.fixture(scope="module")
def http_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_server(tmp_path_factory.mktemp("petstore") / "server")


@pytest.fixture(scope="module")
def graphql_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("graphql")
    (folder / "hello.graphql").write_text(SDL)
    out = folder / "server"
    result = subprocess.run(
        [MOCKC, "generate", str(folder / "hello.graphql"), "-o", str(out), "-q"],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    return out


@pytest.fixture(scope="module")
def grpc_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("route-guide") / "server"
    generate([ROUTE_GUIDE / "route_guide.proto"], out, GenerateOptions())
    return out


@pytest.fixture(scope="module")
def rg_stubs(tmp_path_factory: pytest.TempPathFactory) -> tuple[ModuleType, ModuleType]:
    stubs = compile_stubs(tmp_path_factory.mktemp("rg-stubs"), ROUTE_GUIDE, ["route_guide.proto"])
    return stubs.modules("route_guide")


def _fresh(directory: Path) -> Path:
    """Forget what an earlier server in ``directory`` journaled or wrote."""
    data = directory / ".mockc-data"
    for name in ("journal.sqlite", "journal.sqlite-wal", "journal.sqlite-shm", "admin-token"):
        (data / name).unlink(missing_ok=True)
    return directory


def _http_server(directory: Path, env: dict[str, str], host: str = "127.0.0.1") -> ServerProcess:
    server = ServerProcess(server_command(_fresh(directory)), cwd=directory, env=env)
    server.env["HOST"] = host  # connections still go to 127.0.0.1
    return server


def _graphql_server(directory: Path, env: dict[str, str], host: str = "127.0.0.1") -> ServerProcess:
    server = ServerProcess([sys.executable, "server.py"], cwd=_fresh(directory), env=env)
    server.env["HOST"] = host
    return server


# -- the admin API on a non-loopback address --------------------------------


def _printed_token(stderr: str) -> str:
    lines = [line for line in stderr.splitlines() if "is not a loopback address" in line]
    assert len(lines) == 1, stderr
    return lines[0].split("Authorization: Bearer ", 1)[1].split("'", 1)[0]


def _check_token_guards(admin_url: str, directory: Path, stderr: str) -> None:
    token = _printed_token(stderr)
    assert len(token) >= 40
    path = directory / ".mockc-data" / "admin-token"
    assert path.read_text().strip() == token
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    for route in ("/__mockc/journal", "/__mockc/mocks", "/__mockc/state"):
        refused = httpx.get(admin_url + route)
        assert refused.status_code == 401, route
        assert refused.headers["www-authenticate"].startswith("Bearer")
        wrong = httpx.get(admin_url + route, headers={"Authorization": "Bearer nope"})
        assert wrong.status_code == 401
        allowed = httpx.get(admin_url + route, headers={"Authorization": f"Bearer {token}"})
        assert allowed.status_code == 200, (route, allowed.text)
    write = httpx.delete(admin_url + "/__mockc/state")
    assert write.status_code == 401
    assert httpx.get(admin_url + "/__mockc/health").status_code == 200


def test_http_admin_api_needs_the_generated_token_on_0_0_0_0(http_dir: Path) -> None:
    with _http_server(http_dir, {}, host="0.0.0.0") as server:
        assert httpx.get(server.url + "/pets/1").status_code == 200
        _check_token_guards(server.url, http_dir, server.stderr)
        assert httpx.get(server.url + "/health").status_code == 200
    assert server.stderr.count(_printed_token(server.stderr)) == 1


def test_graphql_admin_api_needs_the_generated_token_on_0_0_0_0(graphql_dir: Path) -> None:
    with _graphql_server(graphql_dir, {}, host="0.0.0.0") as server:
        _check_token_guards(server.url, graphql_dir, server.stderr)


def test_grpc_admin_port_needs_the_generated_token_on_0_0_0_0(grpc_dir: Path) -> None:
    with GrpcServer(_fresh(grpc_dir), {"HOST": "0.0.0.0"}) as server:
        _check_token_guards(server.admin_url, grpc_dir, server.stderr)


def test_a_given_token_is_used_and_nothing_is_written(http_dir: Path) -> None:
    with _http_server(http_dir, {"MOCKC_ADMIN_TOKEN": "mine"}, host="0.0.0.0") as server:
        assert httpx.get(server.url + "/__mockc/mocks").status_code == 401
        mine = {"Authorization": "Bearer mine"}
        assert httpx.get(server.url + "/__mockc/mocks", headers=mine).status_code == 200
    assert "not a loopback" not in server.stderr
    assert not (http_dir / ".mockc-data" / "admin-token").exists()


def test_on_loopback_the_admin_api_stays_open_without_a_token(http_dir: Path) -> None:
    with _http_server(http_dir, {}) as server:
        assert httpx.get(server.url + "/__mockc/mocks").status_code == 200
    assert "not a loopback" not in server.stderr
    assert not (http_dir / ".mockc-data" / "admin-token").exists()


def test_an_unwritable_data_folder_stops_start_up_with_one_line(tmp_path: Path) -> None:
    directory = write_server(tmp_path / "server")
    (directory / "blocked").write_text("a file, not a folder")
    env = {**os.environ, "HOST": "0.0.0.0", "PORT": "0", "MOCKC_DATA_DIR": "blocked"}
    result = subprocess.run(
        server_command(directory), cwd=directory, env=env, capture_output=True, text=True
    )
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "cannot write the admin token" in lines[0], result.stderr


# -- credentials never reach the journal ------------------------------------


def _journal(admin_url: str, **params: str) -> list[dict[str, Any]]:
    answer = httpx.get(admin_url + "/__mockc/journal", params=params)
    assert answer.status_code == 200, answer.text
    entries: list[dict[str, Any]] = answer.json()["entries"]
    return entries


def _stored_bytes(directory: Path) -> bytes:
    """Everything the journal file holds, read with SQLite."""
    path = directory / ".mockc-data" / "journal.sqlite"
    with sqlite3.connect(path) as connection:
        rows = connection.execute("SELECT * FROM entries").fetchall()
    return repr(rows).encode()


def _assert_no_credentials(text: str | bytes) -> None:
    data = text if isinstance(text, bytes) else text.encode()
    for credential in CREDENTIALS:
        assert credential.encode() not in data, credential


CLIENT_HEADERS = {"Authorization": f"Bearer {SECRET}", "Cookie": COOKIE, "X-Api-Key": API_KEY}
REDACT = {"MOCKC_JOURNAL_REDACT": "x-api-key"}
NEEDS_TOKEN = {
    "id": "needs-token",
    "operation": "listPets",
    "match": {"headers": {"Authorization": "Bearer the-expected-one"}},
    "response": {"status": 200, "body": []},
}


def test_http_journal_redacts_credentials(http_dir: Path) -> None:
    mock = {
        "id": "with-cookie",
        "operation": "getPet",
        "priority": 5,
        "response": {
            "status": 200,
            "headers": {"Set-Cookie": "id=set-c00kie-9999", "X-Kept": "yes"},
            "body": {"id": 1, "name": "Tom"},
        },
    }
    with _http_server(http_dir, REDACT) as server:
        assert httpx.post(server.url + "/__mockc/mocks", json=mock).status_code == 201
        answer = httpx.get(server.url + "/pets/1", headers=CLIENT_HEADERS)
        assert answer.headers["set-cookie"] == "id=set-c00kie-9999"  # served, not journaled
        [entry] = _journal(server.url, operation="getPet")
        assert entry["request"]["headers"]["authorization"] == "[redacted]"
        assert entry["request"]["headers"]["cookie"] == "[redacted]"
        assert entry["request"]["headers"]["x-api-key"] == "[redacted]"
        assert entry["response"]["headers"] == {"Set-Cookie": "[redacted]", "X-Kept": "yes"}
        _assert_no_credentials(httpx.get(server.url + "/__mockc/journal").content)
        assert httpx.delete(server.url + "/__mockc/mocks/with-cookie").status_code == 204
        assert httpx.post(server.url + "/__mockc/mocks", json=NEEDS_TOKEN).status_code == 201
        httpx.get(server.url + "/pets", headers=CLIENT_HEADERS)
        [unmatched] = _journal(server.url, operation="listPets")
        [report] = unmatched["near_miss"]
        assert report["failed"].endswith("— got [redacted]"), report
        _assert_no_credentials(httpx.get(server.url + "/__mockc/journal").content)
        _assert_no_credentials(httpx.get(server.url + "/__mockc/journal/analysis").content)
        assert httpx.delete(server.url + "/__mockc/mocks/needs-token").status_code == 204
    _assert_no_credentials(_stored_bytes(http_dir))


def test_redaction_can_be_turned_off(http_dir: Path) -> None:
    with _http_server(http_dir, {"MOCKC_JOURNAL_REDACT": "off"}) as server:
        httpx.get(server.url + "/pets/1", headers=CLIENT_HEADERS)
        [entry] = _journal(server.url, operation="getPet")
        assert entry["request"]["headers"]["authorization"] == f"Bearer {SECRET}"


def _graphql_call(url: str) -> None:
    transport = HTTPXTransport(url=url + "/graphql", headers=CLIENT_HEADERS)
    with Client(transport=transport) as session:
        session.execute(gql('mutation { login(user: "ann", password: "pw") }'))


def _graphql_socket_call(url: str) -> None:
    async def run() -> None:
        transport = WebsocketsTransport(
            url=url.replace("http://", "ws://") + "/graphql",
            headers=CLIENT_HEADERS,
            subprotocols=[WebsocketsTransport.GRAPHQLWS_SUBPROTOCOL],
        )
        async with Client(transport=transport) as session:
            await session.execute(gql('query { hello(name: "ws") }'))

    asyncio.run(run())


def test_graphql_journal_redacts_credentials(graphql_dir: Path) -> None:
    with _graphql_server(graphql_dir, REDACT) as server:
        _graphql_call(server.url)
        _graphql_socket_call(server.url)
        [entry] = _journal(server.url, operation="mutation_login")
        headers = entry["request"]["headers"]
        assert headers["authorization"] == headers["cookie"] == headers["x-api-key"] == "[redacted]"
        assert "login" in entry["request"]["body"]["data"]
        [socket] = _journal(server.url, operation="query_hello")
        assert socket["protocol"] == "graphql-ws"
        headers = socket["request"]["headers"]
        assert headers["authorization"] == headers["cookie"] == headers["x-api-key"] == "[redacted]"
        _assert_no_credentials(httpx.get(server.url + "/__mockc/journal").content)
    _assert_no_credentials(_stored_bytes(graphql_dir))


def _grpc_call(server: GrpcServer, rg_stubs: tuple[ModuleType, ModuleType]) -> None:
    pb, services = rg_stubs
    metadata = [("authorization", f"Bearer {SECRET}"), ("cookie", COOKIE), ("x-api-key", API_KEY)]
    with grpc.insecure_channel(server.target) as channel:
        feature = services.RouteGuideStub(channel).GetFeature(
            pb.Point(latitude=5), metadata=metadata
        )
    assert isinstance(feature, pb.Feature)


def test_grpc_journal_redacts_credential_metadata(
    grpc_dir: Path, rg_stubs: tuple[ModuleType, ModuleType]
) -> None:
    mock = {
        "id": "with-cookie",
        "operation": "RouteGuide_GetFeature",
        "priority": 5,
        "response": {"headers": {"set-cookie": "id=set-c00kie-9999"}, "body": {"name": "x"}},
    }
    with GrpcServer(_fresh(grpc_dir), REDACT) as server:
        added = httpx.post(server.admin_url + "/__mockc/mocks", json=mock)
        assert added.status_code == 201, added.text
        _grpc_call(server, rg_stubs)
        [entry] = _journal(server.admin_url, operation="RouteGuide_GetFeature")
        headers = entry["request"]["headers"]
        assert headers["authorization"] == headers["cookie"] == headers["x-api-key"] == "[redacted]"
        assert entry["response"]["headers"] == {"set-cookie": "[redacted]"}, json.dumps(entry)
        assert json.loads(entry["request"]["body"]["data"]) == {"latitude": 5, "longitude": 0}
        _assert_no_credentials(httpx.get(server.admin_url + "/__mockc/journal").content)
        httpx.delete(server.admin_url + "/__mockc/mocks/with-cookie")
    _assert_no_credentials(_stored_bytes(grpc_dir))


# -- summary mode keeps no headers and no bodies, for every protocol ---------


SUMMARY = {"MOCKC_JOURNAL_DETAIL": "summary"}


def _assert_summary(entry: dict[str, Any]) -> None:
    assert entry["request"] == {"headers": None, "body": None}
    assert entry["response"] == {"headers": None, "body": None}
    assert entry["status"] and entry["target"]


def _only_entry(admin_url: str, operation: str) -> dict[str, Any]:
    [entry] = _journal(admin_url, operation=operation)
    return entry


def test_http_summary_journal_keeps_no_headers_or_bodies(http_dir: Path) -> None:
    with _http_server(http_dir, SUMMARY) as server:
        body = {"name": "Rex", "tag": "dog"}
        httpx.post(server.url + "/pets", json=body, headers=CLIENT_HEADERS)
        _assert_summary(_only_entry(server.url, "createPet"))
    _assert_no_credentials(_stored_bytes(http_dir))
    assert b"Rex" not in _stored_bytes(http_dir)


def test_graphql_summary_journal_keeps_no_headers_or_bodies(graphql_dir: Path) -> None:
    with _graphql_server(graphql_dir, SUMMARY) as server:
        _graphql_call(server.url)
        _graphql_socket_call(server.url)
        _assert_summary(_only_entry(server.url, "mutation_login"))
        _assert_summary(_only_entry(server.url, "query_hello"))
    _assert_no_credentials(_stored_bytes(graphql_dir))
    assert b"password" not in _stored_bytes(graphql_dir)


def test_grpc_summary_journal_keeps_no_headers_or_bodies(
    grpc_dir: Path, rg_stubs: tuple[ModuleType, ModuleType]
) -> None:
    with GrpcServer(_fresh(grpc_dir), SUMMARY) as server:
        _grpc_call(server, rg_stubs)
        _assert_summary(_only_entry(server.admin_url, "RouteGuide_GetFeature"))
    _assert_no_credentials(_stored_bytes(grpc_dir))
