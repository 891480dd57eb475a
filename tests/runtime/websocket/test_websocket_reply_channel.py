"""AsyncAPI 3 ``reply`` on a WebSocket channel at another address: the reply
goes to the sockets of the reply's channel opened with the same path
parameters, not back on the connection the message came on (real clients:
websockets)."""

from __future__ import annotations

import asyncio
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from websockets.asyncio.client import ClientConnection, connect

from tests.support.asyncapi_docs import answered, channel, document, generated_server
from tests.support.servers import ServerProcess

TEXT = {"type": "object", "required": ["text"], "properties": {"text": {"type": "string"}}}
ASYNCAPI = document(
    "Questions over sockets",
    "ws",
    {
        "ask": channel(
            "/ws/rooms/{roomId}/ask", {"question": {"name": "question", "payload": TEXT}}
        ),
        "answers": channel(
            "/ws/rooms/{roomId}/answers", {"answer": {"name": "answer", "payload": TEXT}}
        ),
    },
    {"askQuestion": answered("ask", "answers", "answer")},
)
MOCK = {
    "operation": "askQuestion",
    "response": {"status": "answer", "body": {"text": "you asked: {{ request.body.text }}"}},
}


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return generated_server(tmp_path_factory, "questions-ws", ASYNCAPI, {"askQuestion": MOCK})


@pytest.fixture
def server(generated: Path) -> Iterator[ServerProcess]:
    with ServerProcess([sys.executable, "server.py"], generated) as process:
        yield process


async def _quiet(socket: ClientConnection) -> bool:
    """Whether nothing arrives on ``socket`` for half a second."""
    try:
        await asyncio.wait_for(socket.recv(), 0.5)
    except TimeoutError:
        return True
    return False


def test_the_reply_goes_to_the_reply_channels_sockets_of_the_room(server: ServerProcess) -> None:
    base = f"ws://127.0.0.1:{server.port}/ws/rooms"

    async def scenario() -> tuple[Any, bool, bool]:
        async with (
            connect(f"{base}/r1/ask") as asker,
            connect(f"{base}/r1/answers") as listener,
            connect(f"{base}/r2/answers") as elsewhere,
        ):
            await asyncio.sleep(0.3)  # the sockets are registered
            await asker.send(json.dumps({"text": "hi"}))
            answer = json.loads(await asyncio.wait_for(listener.recv(), 10))
            return answer, await _quiet(asker), await _quiet(elsewhere)

    answer, asker_quiet, elsewhere_quiet = asyncio.run(scenario())
    assert answer == {"text": "you asked: hi"}
    assert asker_quiet and elsewhere_quiet
