"""Resumable streamable HTTP: event ids, a priming event with ``retry`` on every
stream, and ``Last-Event-ID`` replaying exactly the events after the one named,
to the session that was given them only; a ``reset`` fault on a step of a tool
call cuts its stream there and the client resumes it (raw HTTP reading the SSE
wire, and the official SDK's client, which reconnects by itself)."""

from __future__ import annotations

import asyncio
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
from mcp import Client
from mcp.server.lowlevel import Server

from mockc.compiler.driver import GenerateOptions, generate
from mockc.runtime.mcp.replay import RETRY_MS, SessionEvents
from mockc.runtime.mcp.session_events import ResumableSessions
from tests.support.servers import ServerProcess

ROOT = Path(__file__).resolve().parents[3]
CONFIG = ROOT / "examples" / "mcp" / "notes.mcp.yaml"
VERSION = "2025-11-25"
CUT = """id: add_cut
operation: tool_add_note
match:
  body:
    title: cut
stream:
  count: 5
  interval_ms: 30
responses:
  - {status: result, body: one}
  - {status: result, body: two}
  - {status: result, body: three, fault: {kind: reset}}
  - {status: result, body: four}
  - {status: result, body: done}
"""
RESET_ANSWER = {
    "id": "add_reset",
    "operation": "tool_add_note",
    "match": {"body": {"title": "plain"}},
    "response": {"status": "result", "body": "kept", "fault": {"kind": "reset"}},
}
Event = dict[str, str]


def _events(response: httpx.Response) -> Iterator[Event]:
    """The SSE events of ``response``, each a dict of its fields."""
    event: Event = {}
    for line in response.iter_lines():
        if not line:
            if event:
                yield event
            event = {}
            continue
        field, _, value = line.partition(":")
        event[field] = value.removeprefix(" ")
    if event:
        yield event


class _Session:
    """One streamable HTTP session of protocol 2025-11-25, over raw HTTP."""

    def __init__(self, client: httpx.Client, url: str) -> None:
        self.client, self.url = client, url
        headers = {"accept": "application/json, text/event-stream"}
        opened = client.post(url, headers=headers, json=_request(0, "initialize", _hello()))
        assert opened.status_code == 200, opened.text
        self.headers = {
            **headers,
            "mcp-session-id": opened.headers["mcp-session-id"],
            "mcp-protocol-version": VERSION,
        }
        self.opening = list(_events(opened))
        client.post(
            url,
            headers=self.headers,
            json={"jsonrpc": "2.0", "method": "notifications/initialized"},
        )

    def call(self, id_: int, title: str) -> list[Event]:
        params = {"name": "add_note", "arguments": {"title": title, "text": "x"}}
        params["_meta"] = {"progressToken": "p"}
        body = _request(id_, "tools/call", params)
        with self.client.stream("POST", self.url, headers=self.headers, json=body) as answer:
            return list(_events(answer))

    def resume(self, last_event_id: str) -> list[Event]:
        headers = {**self.headers, "last-event-id": last_event_id}
        with self.client.stream("GET", self.url, headers=headers) as answer:
            assert answer.status_code == 200
            return list(_events(answer))


def _request(id_: int, method: str, params: dict[str, Any]) -> dict[str, Any]:
    return {"jsonrpc": "2.0", "id": id_, "method": method, "params": params}


def _hello() -> dict[str, Any]:
    return {
        "protocolVersion": VERSION,
        "capabilities": {},
        "clientInfo": {"name": "t", "version": "1"},
    }


def _said(events: list[Event]) -> list[Any]:
    """What the events carry: progress messages, log data, the result's text."""
    said: list[Any] = []
    for event in events:
        if not event.get("data"):
            continue
        message = json.loads(event["data"])
        if message.get("method") == "notifications/progress":
            said.append(("progress", message["params"]["progress"], message["params"]["message"]))
        elif message.get("method") == "notifications/message":
            said.append(("log", message["params"]["data"]))
        elif "result" in message:
            said.append(("result", message["result"]["content"][0]["text"]))
    return said


def _server(tmp_path: Path, env: dict[str, str] | None = None) -> ServerProcess:
    out = tmp_path / "notes"
    generate([CONFIG], out, GenerateOptions())
    (out / "mocks" / "add_cut.yaml").write_text(CUT, encoding="utf-8")
    return ServerProcess(
        [sys.executable, "server.py"], out, {"MOCKC_JOURNAL": "off", **(env or {})}
    )


def _ids(events: list[Event]) -> list[int]:
    return [int(event["id"]) for event in events]


def test_a_reset_step_cuts_the_stream_and_last_event_id_resumes_it(tmp_path: Path) -> None:
    with _server(tmp_path) as server, httpx.Client(timeout=20) as client:
        session = _Session(client, f"{server.url}/mcp")
        assert session.opening[0] == {"id": "1", "data": "", "retry": str(RETRY_MS)}
        before = session.call(7, "cut")
        after = session.resume(before[-1]["id"])
        again = session.resume(before[-2]["id"])  # the last event before the cut, replayed
        other = _Session(client, f"{server.url}/mcp")
        foreign = other.resume(before[-1]["id"])
    assert before[0] == {"id": before[0]["id"], "data": "", "retry": str(RETRY_MS)}
    assert _said(before) == [
        ("progress", 1, "one"),
        ("log", "one"),
        ("progress", 2, "two"),
        ("log", "two"),
    ]
    assert _said(after) == [
        ("progress", 3, "three"),
        ("log", "three"),
        ("progress", 4, "four"),
        ("log", "four"),
        ("result", "done"),
    ]
    ids = _ids(before) + _ids(after)
    assert ids == list(range(ids[0], ids[0] + len(ids))), ids  # no gap, no repeat
    assert again == before[-1:] + after
    assert foreign == []  # another session's event id replays nothing


def test_the_sdk_client_resumes_a_cut_call_by_itself(tmp_path: Path) -> None:
    progress: list[tuple[float, str | None]] = []

    async def on_progress(done: float, total: float | None, message: str | None) -> None:
        progress.append((done, message))

    async def run(url: str) -> Any:
        async with Client(url, mode="legacy") as client:
            return await client.call_tool(
                "add_note", {"title": "cut", "text": "x"}, progress_callback=on_progress
            )

    with _server(tmp_path) as server:
        result = asyncio.run(run(f"{server.url}/mcp"))
    assert result.content[0].text == "done"
    assert progress == [(1, "one"), (2, "two"), (3, "three"), (4, "four")]


def test_without_replay_there_are_no_event_ids_and_reset_is_an_error(tmp_path: Path) -> None:
    with _server(tmp_path, {"MOCKC_MCP_REPLAY": "0"}) as server, httpx.Client(timeout=20) as client:
        session = _Session(client, f"{server.url}/mcp")
        events = session.call(7, "cut")
    assert all("id" not in event for event in session.opening + events)
    answer = json.loads(events[-1]["data"])
    assert answer["error"]["message"] == "fault injected: reset", answer


def test_every_session_is_admitted_with_a_store_of_its_own() -> None:
    """The manager hook :mod:`session_events` relies on: if the SDK stops reading
    ``event_store`` in ``_admit_session``, sessions would share one store."""
    sessions = ResumableSessions(
        Server("t"), replay=5, stateless=False, security_settings=None, max_request_body_size=1024
    )
    first, second = sessions._admit_session(None), sessions._admit_session(None)
    assert first is not None and second is not None
    stores = [first._event_store, second._event_store]
    assert all(isinstance(store, SessionEvents) for store in stores) and stores[0] is not stores[1]


def test_events_pushed_out_of_the_buffer_replay_nothing() -> None:
    from mcp_types import JSONRPCNotification

    async def run() -> tuple[list[str], list[str]]:
        store = SessionEvents(3)
        note = JSONRPCNotification(jsonrpc="2.0", method="notifications/progress")
        ids = [await store.store_event("_GET_stream", note) for _ in range(5)]
        replayed: list[str] = []

        async def send(event: Any) -> None:
            replayed.append(event.event_id)

        assert await store.replay_events_after(ids[0], send) is None  # pushed out
        assert await store.replay_events_after("x", send) is None
        assert await store.replay_events_after(ids[2], send) == "_GET_stream"
        return ids, replayed

    ids, replayed = asyncio.run(run())
    assert replayed == ids[3:]


def test_a_reset_answer_without_steps_is_resumed_to_its_result(tmp_path: Path) -> None:
    with _server(tmp_path) as server, httpx.Client(timeout=20) as client:
        mocks = f"{server.url}/__mockc/mocks"
        created = client.post(mocks, json=RESET_ANSWER)
        assert created.status_code in (200, 201), created.text
        session = _Session(client, f"{server.url}/mcp")
        before = session.call(3, "plain")
        after = session.resume(before[-1]["id"])
    assert [event["data"] for event in before] == [""]  # the priming event, then the cut
    assert _said(after) == [("result", "kept")]
