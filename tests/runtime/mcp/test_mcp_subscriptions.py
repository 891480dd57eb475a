"""Resource subscriptions on a generated MCP server, with the official SDK's
client: ``subscriptions/listen`` (2026-07-28) and ``resources/subscribe``
(earlier versions) both hear ``notifications/resources/updated`` when the
resource is emitted through the admin API and when its mock changes and the
mocks are reloaded."""

from __future__ import annotations

import asyncio
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import mcp_types as types
import pytest
from mcp import Client
from mcp.client.stdio import StdioServerParameters
from mcp.client.subscriptions import ResourcesListChanged, ResourceUpdated
from mcp.shared.exceptions import MCPDeprecationWarning

from mockc.compiler.driver import GenerateOptions, generate
from tests.support.servers import ServerProcess, free_port

ROOT = Path(__file__).resolve().parents[3]
CONFIG = ROOT / "examples" / "mcp" / "notes.mcp.yaml"
README_MOCK = """id: resource_readme
operation: resource_readme
response:
  status: result
  body: "# Notes, {label}"
"""


@pytest.fixture(scope="module")
def notes(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("subscriptions") / "notes"
    generate([CONFIG], out, GenerateOptions())
    return out


def _changed(directory: Path, admin: str, label: str) -> None:
    (directory / "mocks" / "resource_readme.yaml").write_text(
        README_MOCK.replace("{label}", label), encoding="utf-8"
    )
    assert httpx.post(f"{admin}/__mockc/mocks/reload").status_code == 200


def _emitted(admin: str, operation: str, data: Any = None) -> None:
    body = {"data": data} if data is not None else {}
    answer = httpx.post(f"{admin}/__mockc/emit/{operation}", json=body)
    assert answer.status_code == 202, answer.text


async def _later(action: Callable[[], None]) -> None:
    await asyncio.sleep(0.2)
    await asyncio.to_thread(action)


def test_listen_hears_an_emit_and_a_changed_mock(notes: Path) -> None:
    async def run(url: str) -> tuple[list[Any], str]:
        heard: list[Any] = []
        async with Client(f"{url}/mcp") as client:
            async with client.listen(resource_subscriptions=["notes://readme"]) as subscription:
                pending = asyncio.create_task(_later(lambda: _emitted(url, "resource_readme")))
                async for event in subscription:
                    heard.append(event)
                    if len(heard) == 1:
                        await pending
                        pending = asyncio.create_task(
                            _later(lambda: _changed(notes, url, "changed"))
                        )
                    else:
                        await pending
                        break
            text = (await client.read_resource("notes://readme")).contents[0]
            return heard, getattr(text, "text", "")

    with ServerProcess([sys.executable, "server.py"], notes, {"MOCKC_JOURNAL": "off"}) as server:
        heard, text = asyncio.run(asyncio.wait_for(run(server.url), 60))
    assert heard == [ResourceUpdated(uri="notes://readme")] * 2
    assert text == "# Notes, changed"


def test_resources_subscribe_of_earlier_versions_hears_a_template_uri(notes: Path) -> None:
    async def run(url: str) -> list[str]:
        heard: list[str] = []
        got = asyncio.Event()

        async def on_message(message: Any) -> None:
            root = getattr(message, "root", message)
            if isinstance(root, types.ResourceUpdatedNotification):
                heard.append(str(root.params.uri))
                got.set()

        client = Client(f"{url}/mcp", mode="legacy", message_handler=on_message)
        async with client:
            assert client.server_capabilities.resources.subscribe  # type: ignore[union-attr]
            with pytest.warns(MCPDeprecationWarning):
                await client.subscribe_resource("notes://notes/7")
            await asyncio.to_thread(_emitted, url, "resource_note", {"uri": "notes://notes/8"})
            await asyncio.to_thread(_emitted, url, "resource_note", {"uri": "notes://notes/7"})
            await asyncio.wait_for(got.wait(), 20)
            with pytest.warns(MCPDeprecationWarning):
                await client.unsubscribe_resource("notes://notes/7")
        return heard

    with ServerProcess([sys.executable, "server.py"], notes, {"MOCKC_JOURNAL": "off"}) as server:
        heard = asyncio.run(run(server.url))
    assert heard == ["notes://notes/7"]


def test_listen_over_stdio_hears_an_emit_through_the_admin_port(notes: Path) -> None:
    admin_port = free_port()
    admin = f"http://127.0.0.1:{admin_port}"
    parameters = StdioServerParameters(
        command=sys.executable,
        args=["server.py", "--stdio"],
        cwd=str(notes),
        env={**os.environ, "MOCKC_ADMIN_PORT": str(admin_port), "MOCKC_JOURNAL": "off"},
    )

    async def run() -> list[Any]:
        async with (
            Client(parameters) as client,
            client.listen(resource_subscriptions=["notes://logo.png"]) as subscription,
        ):
            pending = asyncio.create_task(_later(lambda: _emitted(admin, "resource_logo")))
            async for event in subscription:
                await pending
                return [event]
        return []

    assert asyncio.run(asyncio.wait_for(run(), 60)) == [ResourceUpdated(uri="notes://logo.png")]


NOTE_MOCK = """id: note_seven
operation: resource_note
match:
  path:
    id: n-7
response:
  status: result
  body: The seventh note.
"""


def test_a_template_mock_pinning_its_variables_adds_a_listed_resource(
    notes: Path, tmp_path: Path
) -> None:
    def add_note_mock() -> None:
        (notes / "mocks" / "note_seven.yaml").write_text(NOTE_MOCK, encoding="utf-8")
        assert httpx.post(f"{url}/__mockc/mocks/reload").status_code == 200

    async def run() -> tuple[list[Any], list[str], str]:
        async with (
            Client(f"{url}/mcp") as client,
            client.listen(resources_list_changed=True) as subscription,
        ):
            pending = asyncio.create_task(_later(add_note_mock))
            heard = []
            async for event in subscription:
                heard.append(event)
                break
            await pending
            listed = await client.list_resources(cache_mode="bypass")
            read = (await client.read_resource("notes://notes/n-7")).contents[0]
            return heard, [str(r.uri) for r in listed.resources], getattr(read, "text", "")

    env = {"MOCKC_JOURNAL": str(tmp_path / "journal.sqlite")}
    try:
        with ServerProcess([sys.executable, "server.py"], notes, env) as server:
            url = server.url
            heard, uris, text = asyncio.run(asyncio.wait_for(run(), 60))
    finally:
        (notes / "mocks" / "note_seven.yaml").unlink(missing_ok=True)
    assert heard == [ResourcesListChanged()]
    assert uris == ["notes://readme", "notes://logo.png", "notes://notes/n-7"]
    assert text == "The seventh note."
