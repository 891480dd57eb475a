"""``mockc mcp snapshot`` of the MCP project's reference server,
``@modelcontextprotocol/server-everything`` (npm, pinned; run over stdio on
Node 22): a mock generated from the snapshot and served over streamable HTTP
answers ``tools/list``, ``resources/list``, ``resources/templates/list`` and
``prompts/list`` exactly as the reference does. Both are asked by the SDK's
client with the initialize handshake, the protocol era the reference speaks.
Skipped (saying why) only when npm cannot be reached."""

from __future__ import annotations

import asyncio
import shlex
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from mcp import Client
from mcp.client.stdio import StdioServerParameters

from mockc.compiler.driver import GenerateOptions, generate
from tests.compiler.test_mcp_snapshot import _everything
from tests.support.npm_tools import MCP_EVERYTHING, Installed, Unavailable, install
from tests.support.servers import ServerProcess

ROOT = Path(__file__).resolve().parents[2]
ENTRY = Path("node_modules/@modelcontextprotocol/server-everything/dist/index.js")


@pytest.fixture(scope="module")
def everything() -> Installed:
    try:
        return install(MCP_EVERYTHING)
    except Unavailable as exc:
        pytest.skip(str(exc))


def _command(server: Installed) -> list[str]:
    return [str(server.node), str(server.folder / ENTRY), "stdio"]


async def _listed_by(server: Any) -> dict[str, list[dict[str, Any]]]:
    async with Client(server, mode="legacy") as client:
        return await _everything(client)


def test_a_mock_of_the_reference_server_lists_what_it_lists(
    everything: Installed, tmp_path: Path
) -> None:
    snapshot = tmp_path / "everything.mcp.yaml"
    done = subprocess.run(
        [sys.executable, "-m", "mockc.compiler.cli", "mcp", "snapshot"]
        + ["--stdio", shlex.join(_command(everything)), "-o", str(snapshot)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    config = yaml.safe_load(snapshot.read_text(encoding="utf-8"))
    assert config["server"]["name"]
    assert all(tool["execution"] for tool in config["tools"])  # listed as given

    reference = StdioServerParameters(
        command=_command(everything)[0], args=_command(everything)[1:], cwd=str(tmp_path)
    )
    expected = asyncio.run(_listed_by(reference))
    assert all(expected.values()), {key: len(value) for key, value in expected.items()}

    mocked = tmp_path / "mocked"
    generate([snapshot], mocked, GenerateOptions())
    with ServerProcess([sys.executable, "server.py"], mocked, {"MOCKC_JOURNAL": "off"}) as server:
        listed = asyncio.run(_listed_by(f"{server.url}/mcp"))
    for key in expected:
        assert listed[key] == expected[key], key
