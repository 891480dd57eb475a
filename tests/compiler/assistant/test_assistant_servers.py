"""``start_mock_server`` beyond loopback (the admin token is made, kept in the
registry and sent by the tools, never shown) and its refusals: a busy port
(with the end of the server's log), a taken name, a bad name, a reserved
setting."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from mcp import Client

from mockc.compiler.assistant import ToolContext, build_server
from mockc.compiler.driver import GenerateOptions, generate
from tests.support.mcp_tools import stop_registered, structured, text_of

ROOT = Path(__file__).resolve().parents[3]
PETSTORE = ROOT / "tests" / "corpus" / "openapi" / "oai-petstore-v3" / "petstore.yaml"


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("servers") / "petstore"
    generate([PETSTORE], out, GenerateOptions(link_runtime=True))
    return out


@pytest.fixture
def state(tmp_path: Path) -> Iterator[Path]:
    yield tmp_path / "state"
    stop_registered(tmp_path / "state")


def _calls(state: Path, calls: list[tuple[str, dict[str, Any]]]) -> list[Any]:
    context = ToolContext.create(state=state / "mockc")
    context.admin.orchestrator = context.orchestrator = None

    async def run() -> list[Any]:
        async with Client(build_server(context)) as client:
            return [await client.call_tool(tool, arguments) for tool, arguments in calls]

    return asyncio.run(run())


def test_beyond_loopback_the_admin_api_has_a_token(folder: Path, state: Path) -> None:
    start = {"folder": str(folder), "name": "open", "host": "0.0.0.0"}
    started, mocks = _calls(
        state,
        [
            ("start_mock_server", start),
            ("manage_mock_data", {"server": "open", "action": "list_mocks"}),
        ],
    )
    shown = structured(started)
    assert shown["admin_token_required"] is True and "admin_token" not in shown
    assert {mock["id"] for mock in structured(mocks)["mocks"]} >= {"listPets"}
    admin = f"http://127.0.0.1:{shown['port']}/__mockc/mocks"
    assert httpx.get(admin).status_code == 401
    stopped = _calls(state, [("stop_mock_server", {"server": "open"})])[0]
    assert structured(stopped)["stopped"] == "open"


def test_refusals(folder: Path, state: Path, tmp_path: Path) -> None:
    other = tmp_path / "other"
    other.mkdir()
    (other / "server.py").write_text("raise SystemExit('not a server')\n")
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        busy = taken.getsockname()[1]
        results = _calls(
            state,
            [
                ("start_mock_server", {"folder": str(folder), "port": busy}),
                ("start_mock_server", {"folder": str(folder), "name": "Not A Name"}),
                (
                    "start_mock_server",
                    {"folder": str(folder), "settings": {"MOCKC_ADMIN_TOKEN": "x"}},
                ),
                ("start_mock_server", {"folder": str(folder), "name": "pets"}),
                ("start_mock_server", {"folder": str(other), "name": "pets"}),
                ("stop_mock_server", {"server": "pets"}),
                ("stop_mock_server", {"server": "pets"}),
            ],
        )
    busy_port, bad_name, reserved, started, taken_name, stopped, stopped_twice = results
    assert busy_port.is_error and "petstore did not start" in text_of(busy_port)
    assert f"port {busy} on 127.0.0.1 is already in use" in text_of(busy_port)  # the log's tail
    assert bad_name.is_error and "'Not A Name' is not valid" in text_of(bad_name)
    assert reserved.is_error and "MOCKC_ADMIN_TOKEN" in text_of(reserved)
    assert structured(started)["name"] == "pets"
    assert taken_name.is_error and "a server named 'pets' runs already" in text_of(taken_name)
    assert structured(stopped)["stopped"] == "pets"
    assert stopped_twice.is_error and "no running server named 'pets'" in text_of(stopped_twice)


@pytest.mark.parametrize(
    ("spec", "protocol", "own_admin_port"),
    [
        ("proto/grpc-helloworld/helloworld.proto", "grpc", True),
        ("graphql/swapi/schema.graphql", "graphql", False),
    ],
)
def test_other_protocols_start_and_answer_their_admin_api(
    spec: str, protocol: str, own_admin_port: bool, state: Path, tmp_path: Path
) -> None:
    out = tmp_path / protocol
    generate = {"out": str(out), "specs": [str(ROOT / "tests/corpus" / spec)], "link_runtime": True}
    results = _calls(
        state,
        [
            ("generate_mock_server", generate),
            ("start_mock_server", {"folder": str(out), "name": protocol}),
            ("discover_mock_servers", {"folder": str(tmp_path)}),
            ("query_mock_logs", {"server": protocol}),
            ("stop_mock_server", {"server": protocol}),
        ],
    )
    generated, started, discovered, logs, stopped = (structured(r) for r in results)
    assert generated["servers"][0]["protocol"] == protocol
    assert started["protocol"] == protocol
    assert (started["admin_port"] is not None) is own_admin_port
    [found] = discovered["generated"]
    assert [(r["name"], r["health"]) for r in found["running"]] == [(protocol, "ok")]
    assert logs["analysis"]["count"] == 0
    assert stopped["stopped"] == protocol
