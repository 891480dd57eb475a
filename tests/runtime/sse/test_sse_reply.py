"""AsyncAPI 3 ``reply`` on an SSE server: a message a client posts is answered
(its mock templating the message) and the answer goes out on the reply's
stream — a stream of the replies alone, the channel's own stream when the API
sends there too, or the stream whose path the message names
(``reply.address.location``). Real clients: httpx posts, httpx-sse reads."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.support.asyncapi_docs import answered, channel, document, generated_server
from tests.support.servers import ServerProcess
from tests.support.sse_reader import open_stream

TIMEOUT = httpx.Timeout(10.0)
TEXT = {"type": "object", "properties": {"text": {"type": "string"}}}
QUESTION = {
    "name": "question",
    "payload": {
        "type": "object",
        "required": ["text"],
        "properties": {"text": {"type": "string"}, "replyTo": {"type": "string"}},
    },
}
ASYNCAPI = document(
    "Questions",
    "sse",
    {
        "ask": channel("/rooms/{roomId}/ask", {"question": QUESTION}),
        "answers": channel(
            "/rooms/{roomId}/answers", {"answer": {"name": "answer", "payload": TEXT}}
        ),
        "askNews": channel("/rooms/{roomId}/ask-news", {"question": QUESTION}),
        "news": channel(
            "/rooms/{roomId}/news", {"headline": {"name": "headline", "payload": TEXT}}
        ),
        "inbox": channel("/inbox", {"question": QUESTION}, parameters=None),
    },
    {
        "askQuestion": answered("ask", "answers", "answer"),
        "sendNews": {"action": "send", "channel": {"$ref": "#/channels/news"}},
        "askForNews": answered("askNews", "news", "headline"),
        "askAnywhere": {
            "action": "receive",
            "channel": {"$ref": "#/channels/inbox"},
            "reply": {
                "address": {"location": "$message.payload#/replyTo"},
                "messages": [{"$ref": "#/channels/answers/messages/answer"}],
            },
        },
    },
)


def _mock(operation: str, status: str, text: str) -> dict[str, Any]:
    return {"operation": operation, "response": {"status": status, "body": {"text": text}}}


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    mocks = {
        operation: _mock(operation, status, text)
        for operation, status, text in (
            ("askQuestion", "answer", "you asked: {{ request.body.text }}"),
            ("askForNews", "headline", "news for {{ request.path.roomId }}"),
            ("askAnywhere", "answer", "from the inbox: {{ request.body.text }}"),
        )
    }
    return generated_server(tmp_path_factory, "questions", ASYNCAPI, mocks)


@pytest.fixture
def server(generated: Path) -> Iterator[ServerProcess]:
    with ServerProcess([sys.executable, "server.py"], generated) as process:
        yield process


def _post(server: ServerProcess, path: str, body: Any) -> httpx.Response:
    return httpx.post(server.url + path, json=body, timeout=TIMEOUT)


def test_a_reply_goes_to_the_reply_stream_of_the_same_room(server: ServerProcess) -> None:
    mine, other = (
        open_stream(f"{server.url}/rooms/r1/answers"),
        open_stream(f"{server.url}/rooms/r2/answers"),
    )
    answer = _post(server, "/rooms/r1/ask", {"text": "hi"})
    assert answer.status_code == 202 and answer.json() == {"accepted": True, "replied": 1}
    (event,) = mine.result()
    assert event.event == "answer" and json.loads(event.data) == {"text": "you asked: hi"}
    assert other.events == []


def test_a_reply_on_a_channel_the_api_sends_on_joins_its_stream(server: ServerProcess) -> None:
    news = open_stream(f"{server.url}/rooms/r7/news", 2)
    assert _post(server, "/rooms/r7/ask-news", {"text": "any?"}).json()["replied"] == 1
    emitted = httpx.post(
        f"{server.url}/__mockc/emit/sendNews",
        json={"data": {"text": "scheduled"}, "params": {"roomId": "r7"}},
        timeout=TIMEOUT,
    )
    assert emitted.status_code == 202
    first, second = news.result()
    assert (first.event, json.loads(first.data)) == ("headline", {"text": "news for r7"})
    assert json.loads(second.data) == {"text": "scheduled"}
    assert int(second.id) == int(first.id) + 1  # one channel, one sequence of ids


def test_a_reply_goes_where_the_message_says(server: ServerProcess) -> None:
    reader = open_stream(f"{server.url}/rooms/r3/answers")
    sent = _post(server, "/inbox", {"text": "yo", "replyTo": "/rooms/r3/answers"})
    assert sent.json() == {"accepted": True, "replied": 1}
    (event,) = reader.result()
    assert json.loads(event.data) == {"text": "from the inbox: yo"}
    nowhere = _post(server, "/inbox", {"text": "yo", "replyTo": "/no/such/stream"})
    assert nowhere.status_code == 202 and nowhere.json()["replied"] == 0


def test_an_invalid_message_gets_a_400_and_no_reply(server: ServerProcess) -> None:
    reader = open_stream(f"{server.url}/rooms/r4/answers")
    refused = _post(server, "/rooms/r4/ask", {"txt": "typo"})
    assert refused.status_code == 400 and "text" in refused.json()["detail"]
    _post(server, "/rooms/r4/ask", {"text": "second try"})
    (event,) = reader.result()
    assert json.loads(event.data) == {"text": "you asked: second try"}
