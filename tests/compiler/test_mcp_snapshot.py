"""``mockc mcp snapshot``: a server mockc generated from examples/mcp/notes.mcp.yaml
is snapshotted over streamable HTTP and over stdio with the official SDK's
client; a mock generated from the snapshot lists the same tools, resources,
templates and prompts (names, schemas, descriptions). The served lists are
paged (``MOCKC_MCP_PAGE_SIZE=1``), so the snapshot follows every cursor."""

from __future__ import annotations

import asyncio
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from mcp import Client
from mcp.shared.exceptions import MCPError

from mockc.compiler.driver import GenerateOptions, generate
from tests.support.servers import ServerProcess, free_port

ROOT = Path(__file__).resolve().parents[2]
CONFIG = ROOT / "examples" / "mcp" / "notes.mcp.yaml"
PAGED = {"MOCKC_MCP_PAGE_SIZE": "1", "MOCKC_JOURNAL": "off"}


@pytest.fixture(scope="module")
def notes(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("snapshot") / "notes"
    generate([CONFIG], out, GenerateOptions())
    return out


def _mockc(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "mockc.compiler.cli", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, **PAGED, "MOCKC_ADMIN_PORT": "off"},
    )


async def _everything(client: Client) -> dict[str, list[dict[str, Any]]]:
    """Every entry of the four lists, page after page, as MCP spells them."""
    seen: dict[str, list[dict[str, Any]]] = {}
    for key, listing in (
        ("tools", client.list_tools),
        ("resources", client.list_resources),
        ("resourceTemplates", client.list_resource_templates),
        ("prompts", client.list_prompts),
    ):
        items: list[dict[str, Any]] = []
        cursor = None
        while True:
            page = await listing(cursor=cursor, cache_mode="bypass")  # type: ignore[operator]
            dumped = page.model_dump(by_alias=True, exclude_none=True, mode="json")
            items.extend(dumped[key])
            cursor = page.next_cursor
            if cursor is None:
                break
        seen[key] = items
    return seen


def _listed(directory: Path) -> dict[str, list[dict[str, Any]]]:
    async def run(url: str) -> dict[str, list[dict[str, Any]]]:
        async with Client(url) as client:
            return await _everything(client)

    with ServerProcess([sys.executable, "server.py"], directory, PAGED) as server:
        return asyncio.run(run(f"{server.url}/mcp"))


def _generated_from(snapshot: Path) -> Path:
    out = snapshot.parent / "mocked"
    generate([snapshot], out, GenerateOptions())
    return out


def test_a_snapshot_over_http_with_answers_recorded_lists_the_same(
    notes: Path, tmp_path: Path
) -> None:
    snapshot = tmp_path / "notes.mcp.yaml"
    with ServerProcess([sys.executable, "server.py"], notes, PAGED) as server:
        done = _mockc("mcp", "snapshot", f"{server.url}/mcp", "--record", "-o", str(snapshot))
        original = asyncio.run(_listed_of_running(f"{server.url}/mcp"))
    assert done.returncode == 0, done.stderr
    assert "2 tools, 2 resources, 1 resource templates, 1 prompts" in done.stderr
    config = yaml.safe_load(snapshot.read_text())
    assert config["mcp"] == "1"
    assert config["server"]["instructions"] == "Search and read the team's notes."
    assert len(config["tools"]) == 2  # both pages of one tool each
    resources = {r["name"]: r for r in config["resources"]}
    assert resources["readme"]["text"] == "# Notes\n\nOne note per meeting."
    assert resources["logo"]["blob"] == "iVBORw0KGgo="
    (prompt,) = config["prompts"]
    assert prompt["messages"][0]["content"]["text"] == "Summarise note {id} in {style} style."
    mocked = _generated_from(snapshot)
    assert _listed(mocked) == original

    async def read(url: str) -> tuple[Any, Any]:
        async with Client(url) as client:
            readme = await client.read_resource("notes://readme")
            prompt = await client.get_prompt("summarise", {"id": "3", "style": "prose"})
            return readme.contents[0].text, prompt.messages[0].content.text

    with ServerProcess([sys.executable, "server.py"], mocked, PAGED) as server:
        readme, text = asyncio.run(read(f"{server.url}/mcp"))
    assert readme == "# Notes\n\nOne note per meeting."
    assert text == "Summarise note 3 in prose style."


async def _listed_of_running(url: str) -> dict[str, list[dict[str, Any]]]:
    async with Client(url) as client:
        return await _everything(client)


def test_a_snapshot_over_stdio_lists_the_same(notes: Path, tmp_path: Path) -> None:
    snapshot = tmp_path / "stdio.mcp.yaml"
    command = f"{sys.executable} server.py --stdio"
    done = _mockc("mcp", "snapshot", "--stdio", command, "--cwd", str(notes), "-o", str(snapshot))
    assert done.returncode == 0, done.stderr
    config = yaml.safe_load(snapshot.read_text())
    assert [r["text"] for r in config["resources"]] == ["", ""]  # not recorded
    assert "messages" not in config["prompts"][0]
    listed = _listed(_generated_from(snapshot))
    original = _listed(notes)
    assert listed == original
    assert [tool["name"] for tool in listed["tools"]] == ["search_notes", "add_note"]


def test_no_server_and_wrong_usage_are_said_plainly(tmp_path: Path) -> None:
    out = tmp_path / "x.mcp.yaml"
    nobody = _mockc("mcp", "snapshot", f"http://127.0.0.1:{free_port()}/mcp", "-o", str(out))
    assert nobody.returncode == 1
    assert "no MCP server answered" in nobody.stderr and "Traceback" not in nobody.stderr
    failing = _mockc("mcp", "snapshot", "--stdio", f"{sys.executable} -c pass", "-o", str(out))
    assert failing.returncode == 1 and "no MCP server answered" in failing.stderr
    silent = f"{sys.executable} -c 'import time; time.sleep(30)'"
    hung = _mockc("mcp", "snapshot", "--stdio", silent, "--timeout", "1", "-o", str(out))
    assert hung.returncode == 1 and "did not answer within 1 s" in hung.stderr
    assert _mockc("mcp", "snapshot", "-o", str(out)).returncode == 2
    both = _mockc("mcp", "snapshot", "http://x/mcp", "--stdio", "y", "-o", str(out))
    assert both.returncode == 2
    header = _mockc("mcp", "snapshot", "http://x/mcp", "-H", "nocolon", "-o", str(out))
    assert header.returncode == 1 and "expected 'Name: value'" in header.stderr
    assert not out.exists()


def test_pages_follow_cursors_and_a_foreign_cursor_is_invalid_params(notes: Path) -> None:
    async def run(url: str) -> tuple[list[str], str | None, int]:
        async with Client(url) as client:
            first = await client.list_tools(cache_mode="bypass")
            assert first.next_cursor is not None
            second = await client.list_tools(cursor=first.next_cursor, cache_mode="bypass")
            with pytest.raises(MCPError) as caught:
                await client.list_prompts(cursor="not-ours", cache_mode="bypass")
            return (
                [tool.name for tool in (*first.tools, *second.tools)],
                second.next_cursor,
                caught.value.code,
            )

    with ServerProcess([sys.executable, "server.py"], notes, PAGED) as server:
        names, last, code = asyncio.run(run(f"{server.url}/mcp"))
    assert names == ["search_notes", "add_note"]
    assert last is None
    assert code == -32602


def test_a_snapshot_of_a_server_made_from_openapi_keeps_its_schemas(tmp_path: Path) -> None:
    """Tool schemas with ``$defs`` (as most MCP servers list them) round-trip."""
    spec = (
        ROOT
        / "tests"
        / "corpus"
        / "openapi"
        / "oai-petstore-expanded-v3"
        / "petstore-expanded.yaml"
    )
    served = tmp_path / "petstore"
    generate([spec], served, GenerateOptions(target="mcp"))
    snapshot = tmp_path / "snap" / "petstore.mcp.yaml"
    with ServerProcess([sys.executable, "server.py"], served, PAGED) as server:
        done = _mockc("mcp", "snapshot", f"{server.url}/mcp", "-o", str(snapshot))
        original = asyncio.run(_listed_of_running(f"{server.url}/mcp"))
    assert done.returncode == 0, done.stderr
    assert "$defs" in yaml.safe_load(snapshot.read_text())["tools"][0]["outputSchema"]
    assert _listed(_generated_from(snapshot)) == original


def test_an_answer_that_is_an_error_is_not_recorded(notes: Path, tmp_path: Path) -> None:
    failing = tmp_path / "failing"
    shutil.copytree(notes, failing)
    (failing / "mocks" / "resource_logo.yaml").write_text(
        "id: resource_logo\noperation: resource_logo\n"
        "response: {status: error, body: {code: -32001, message: logo store down}}\n",
        encoding="utf-8",
    )
    snapshot = tmp_path / "failing.mcp.yaml"
    command = f"{sys.executable} server.py --stdio"
    done = _mockc(
        "mcp",
        "snapshot",
        "--stdio",
        command,
        "--cwd",
        str(failing),
        "--record",
        "-o",
        str(snapshot),
    )
    assert done.returncode == 0, done.stderr
    resources = {r["name"]: r for r in yaml.safe_load(snapshot.read_text())["resources"]}
    assert resources["logo"] == {
        "uri": "notes://logo.png",
        "name": "logo",
        "mimeType": "image/png",
        "text": "",
    }
    assert resources["readme"]["text"] == "# Notes\n\nOne note per meeting."
