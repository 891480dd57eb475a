"""The ASGI app in-process: what cannot be provoked from outside."""

import asyncio
from pathlib import Path
from typing import Any

from mockc.runtime.http.app import MockApp
from tests.support.petstore import petstore_contract


def call(app: MockApp, method: str, path: str) -> list[dict[str, Any]]:
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    scope = {
        "type": "http",
        "method": method,
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "headers": [],
    }
    asyncio.run(app(scope, receive, send))
    return sent


def test_unexpected_errors_become_500_problems(caplog: Any, tmp_path: Path) -> None:
    app = MockApp(petstore_contract(), tmp_path)

    async def explode(request: Any) -> Any:
        raise ZeroDivisionError("oops")

    app.service.answer = explode  # type: ignore[method-assign]
    start, body = call(app, "GET", "/pets/1")
    assert start["status"] == 500
    assert (b"content-type", b"application/problem+json") in start["headers"]
    assert b"unexpected error" in body["body"]
    assert "ZeroDivisionError" in caplog.text


def test_lifespan_is_acknowledged(tmp_path: Path) -> None:
    app = MockApp(petstore_contract(), tmp_path)
    messages = iter([{"type": "lifespan.startup"}, {"type": "lifespan.shutdown"}])
    sent: list[str] = []

    async def receive() -> dict[str, Any]:
        return next(messages)

    async def send(message: dict[str, Any]) -> None:
        sent.append(message["type"])

    asyncio.run(app({"type": "lifespan"}, receive, send))
    assert sent == ["lifespan.startup.complete", "lifespan.shutdown.complete"]


def test_startup_is_fast_for_a_large_contract(tmp_path: Path) -> None:
    import time

    contract = petstore_contract()
    template = contract["operations"][2]
    contract["operations"] = [
        {
            **template,
            "id": f"op{number}",
            "binding": {**template["binding"], "path": f"/r{number}/{{petId}}"},
        }
        for number in range(1200)
    ]
    started = time.process_time()  # CPU time: a busy machine does not stretch it
    app = MockApp(contract, tmp_path)
    assert time.process_time() - started < 2.0
    assert call(app, "GET", "/r1199/5")[0]["status"] == 200


def test_hooks_answering_impossible_statuses_or_headers(tmp_path: Path) -> None:
    answers: dict[str, Any] = {}

    def getPet(request: Any) -> Any:  # noqa: N802: named like the operation
        return request.reply(**answers)

    app = MockApp(petstore_contract(), tmp_path, hooks={"getPet": getPet})
    for status in (999, 101, "abc", "①②③"):
        answers.update(status=status, body={})
        start, body = call(app, "GET", "/pets/1")
        assert start["status"] == 500
        assert b"not a final HTTP status (200-599)" in body["body"]
    answers.update(status=200, body={}, headers={"X-A": "a\r\nX-B: 1\x00", "Bad Name": "x"})
    start, _ = call(app, "GET", "/pets/1")
    assert start["status"] == 200
    names = [name for name, _ in start["headers"]]
    assert (b"x-a", b"a  X-B: 1 ") in start["headers"]
    assert b"bad name" not in names and b"x-b" not in names
