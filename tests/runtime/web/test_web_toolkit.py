"""The web toolkit's pieces in-process: bodies, answers, faults, headers, health."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import pytest

from mockc import __version__
from mockc.runtime.web import (
    INCOMPLETE_BODY,
    Health,
    Problem,
    ResetConnection,
    encoded_headers,
    join_repeated,
    read_body,
    request_headers,
    send_fault,
    send_problem,
    send_response,
)


def _receiver(*messages: dict[str, Any]) -> Any:
    queue = list(messages)

    async def receive() -> dict[str, Any]:
        return queue.pop(0)

    return receive


def _sent(coroutine_of: Any) -> list[dict[str, Any]]:
    sent: list[dict[str, Any]] = []

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    asyncio.run(coroutine_of(send))
    return sent


def _chunk(body: bytes, more: bool) -> dict[str, Any]:
    return {"type": "http.request", "body": body, "more_body": more}


def test_a_body_is_read_in_chunks_up_to_its_limit() -> None:
    receive = _receiver(_chunk(b"ab", True), _chunk(b"cd", False))
    assert asyncio.run(read_body(receive, 4)) == b"abcd"


def test_a_body_over_the_limit_is_refused_with_413() -> None:
    receive = _receiver(_chunk(b"abc", True), _chunk(b"de", False))
    with pytest.raises(Problem) as refused:
        asyncio.run(read_body(receive, 4))
    assert refused.value.status == 413 and refused.value.extra == {"limit": 4}
    with pytest.raises(Problem) as declared:  # refused before a byte is read
        asyncio.run(read_body(_receiver(), 4, declared_length="5"))
    assert declared.value.status == 413


def test_a_body_that_breaks_off_is_a_400() -> None:
    receive = _receiver(_chunk(b"ab", True), {"type": "http.disconnect"})
    with pytest.raises(Problem) as broken:
        asyncio.run(read_body(receive, 100))
    assert (broken.value.status, broken.value.detail) == (400, INCOMPLETE_BODY)


def test_an_answer_carries_its_framing_headers() -> None:
    sent = _sent(lambda send: send_response(send, 200, b"text/plain", b"hi", [(b"x", b"1")]))
    assert sent[0]["headers"] == [
        (b"x", b"1"),
        (b"content-type", b"text/plain"),
        (b"content-length", b"2"),
    ]
    assert sent[1]["body"] == b"hi"


@pytest.mark.parametrize("status", [204, 304])
def test_statuses_without_a_body_send_none(status: int) -> None:
    sent = _sent(lambda send: send_response(send, status, b"text/plain", b"hi"))
    assert sent[0]["headers"] == [] and sent[1]["body"] == b""


def test_head_sends_the_length_but_not_the_body() -> None:
    sent = _sent(lambda send: send_response(send, 200, b"text/plain", b"hello", head=True))
    assert (b"content-length", b"5") in sent[0]["headers"] and sent[1]["body"] == b""


def test_a_problem_is_an_rfc_9457_document() -> None:
    problem = Problem(405, "no", headers=[("allow", "GET")], allowed=["GET"])
    sent = _sent(lambda send: send_problem(send, problem))
    assert sent[0]["status"] == 405
    assert (b"allow", b"GET") in sent[0]["headers"]
    assert (b"content-type", b"application/problem+json") in sent[0]["headers"]
    assert json.loads(sent[1]["body"]) == {
        "type": "about:blank",
        "title": "Method Not Allowed",
        "status": 405,
        "detail": "no",
        "allowed": ["GET"],
    }


def test_faults_misbehave_as_asked() -> None:
    body = b'{"name": "Tom"}'
    empty = _sent(lambda send: send_fault(send, "empty", 200, b"application/json", body))
    assert empty[1]["body"] == b""
    cut = _sent(lambda send: send_fault(send, "malformed", 200, b"application/json", body))
    assert cut[1]["body"] == body[: len(body) // 2] + b"\x00\xff"
    sent: list[dict[str, Any]] = []

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    with pytest.raises(ResetConnection):
        asyncio.run(send_fault(send, "reset", 200, b"application/json", body))
    assert (b"content-length", str(len(body) + 1).encode()) in sent[0]["headers"]
    assert sent[1]["more_body"] is True and len(sent[1]["body"]) < len(body)


def test_repeated_request_headers_are_joined() -> None:
    scope = {"headers": [(b"accept", b"a/b"), (b"x-tag", b"1"), (b"x-tag", b"2")]}
    assert request_headers(scope) == {"accept": "a/b", "x-tag": "1, 2"}
    assert join_repeated([("k", "1"), ("k", "2"), ("j", "3")]) == {"k": "1, 2", "j": "3"}


def test_a_reply_s_headers_are_sent_safely() -> None:
    headers = {"Content-Type": "x/y", "X-Ok": "a\r\nb", "bad name": "v", "Content-Length": "9"}
    assert encoded_headers(headers) == [(b"x-ok", b"a  b")]


def test_the_health_document() -> None:
    document = json.loads(Health().body())
    assert document["status"] == "ok" and document["version"] == __version__
    assert document["uptime"] >= 0
