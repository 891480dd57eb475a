"""A second, independent SSE client: the WHATWG ``EventSource`` of the npm
package ``eventsource`` (on a pinned Node.js 22) reads a generated server's
stream — event types, ids and data as the server sent them."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from mockc.compiler.driver import GenerateOptions, generate
from tests.support.corpus import CORPUS
from tests.support.npm_tools import EVENTSOURCE, Unavailable, install
from tests.support.servers import ServerProcess

GITTER = CORPUS / "asyncapi" / "gitter-streaming" / "asyncapi-3.0.0.yml"
STREAM = "/rooms/53307860c3599d1de448e19d/chatMessages"
OPERATION = "sendRoomInfo"
SCRIPT = Path(__file__).parents[2] / "support" / "eventsource_read.mjs"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    out = tmp_path_factory.mktemp("gitter-eventsource")
    generate([GITTER], out, GenerateOptions(link_runtime=True))
    with ServerProcess([sys.executable, "server.py"], out) as process:
        yield process


def test_eventsource_reads_the_stream(server: ServerProcess) -> None:
    try:
        tool = install(EVENTSOURCE)
    except Unavailable as why:
        pytest.skip(f"the eventsource client is not available: {why}")
    script = tool.script(SCRIPT)
    reader = subprocess.Popen(
        [str(tool.node), str(script), server.url + STREAM, "3", "chatMessage"],
        cwd=tool.folder,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert reader.stdout is not None
        assert json.loads(reader.stdout.readline()) == {"open": True}
        emit = f"{server.url}/__mockc/emit/{OPERATION}"
        assert httpx.post(emit, json={"count": 2}, timeout=10).status_code == 202
        given = {"id": "given", "text": "as it is"}
        assert httpx.post(emit, json={"data": given}, timeout=10).status_code == 202
        out, err = reader.communicate(timeout=30)
    finally:
        reader.kill()
    assert reader.returncode == 0, err
    events = [json.loads(line) for line in out.splitlines()]
    assert [(event["id"], event["type"]) for event in events] == [
        ("1", "chatMessage"),
        ("2", "chatMessage"),
        ("3", "chatMessage"),
    ]
    assert all(isinstance(json.loads(event["data"]), dict) for event in events)
    assert json.loads(events[2]["data"]) == given
