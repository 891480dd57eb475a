"""A generated SSE server, run as its own process on a real port, read by a
real SSE client (httpx-sse): events valid against the channel's payload
schema, publish-now to every connected client, ``Last-Event-ID`` resume over
a forced disconnect, a mock's ``emit`` schedule, heartbeats, the journal."""

from __future__ import annotations

import json
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import jsonschema
import pytest
from httpx_sse import ServerSentEvent, connect_sse

from mockc.compiler.driver import GenerateOptions, generate
from tests.support.corpus import CORPUS
from tests.support.servers import ServerProcess
from tests.support.sse_reader import Reader

GITTER = CORPUS / "asyncapi" / "gitter-streaming" / "asyncapi-3.0.0.yml"
STREAM = "/rooms/53307860c3599d1de448e19d/chatMessages"
OPERATION = "sendRoomInfo"
TIMEOUT = httpx.Timeout(10.0)


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("gitter")
    generate([GITTER], out, GenerateOptions(link_runtime=True))
    return out


@pytest.fixture
def server(generated: Path) -> Iterator[ServerProcess]:
    with ServerProcess(
        [sys.executable, "server.py"], generated, env={"MOCKC_JOURNAL": "off"}
    ) as process:
        yield process


def _events(url: str, count: int, headers: dict[str, str] | None = None) -> list[ServerSentEvent]:
    """The first ``count`` events of the stream at ``url``; then it disconnects."""
    got: list[ServerSentEvent] = []
    with (
        httpx.Client(timeout=TIMEOUT) as client,
        connect_sse(client, "GET", url, headers=dict(headers or {})) as source,
    ):
        assert source.response.headers["content-type"].startswith("text/event-stream")
        for event in source.iter_sse():
            got.append(event)
            if len(got) == count:
                break
    return got


def _open(server: ServerProcess, count: int, headers: dict[str, str] | None = None) -> Reader:
    reader = Reader(server.url + STREAM, count, headers)
    reader.start()
    assert reader.ready.wait(10)
    _wait_for_listeners(server)
    return reader


def _wait_for_listeners(server: ServerProcess) -> None:
    """Give the server a moment to register the stream it just opened."""
    threading.Event().wait(0.3)


def _emit(server: ServerProcess, body: dict[str, Any] | None = None) -> dict[str, Any]:
    answer = httpx.post(f"{server.url}/__mockc/emit/{OPERATION}", json=body or {}, timeout=TIMEOUT)
    assert answer.status_code == 202, answer.text
    result: dict[str, Any] = answer.json()
    return result


def _payload_schema(generated: Path, key: str) -> dict[str, Any]:
    contract = json.loads((generated / "contract.json").read_text())
    operation = next(op for op in contract["operations"] if op["id"] == OPERATION)
    output = next(out for out in operation["outputs"] if out["key"] == key)
    schema = output["contents"]["application/json"]["schema"]
    return {**schema, "$defs": contract["defs"]}


def test_emitted_events_are_valid_against_the_payload_schema(
    server: ServerProcess, generated: Path
) -> None:
    reader = _open(server, 3)
    _emit(server, {"count": 3})
    events = reader.result()
    schema = _payload_schema(generated, "chatMessage")
    assert [event.id for event in events] == ["1", "2", "3"]
    for event in events:
        assert event.event == "chatMessage"
        jsonschema.validate(event.json(), schema)


def test_publish_now_reaches_every_connected_client(server: ServerProcess) -> None:
    first, second = _open(server, 1), _open(server, 1)
    _emit(server, {"data": {"id": "now", "text": "to everyone"}})
    for events in (first.result(), second.result()):
        assert [(e.id, e.event, e.json()) for e in events] == [
            ("1", "chatMessage", {"id": "now", "text": "to everyone"})
        ]


def test_an_event_emitted_for_a_room_reaches_that_rooms_clients_only(
    server: ServerProcess,
) -> None:
    other_room = STREAM.replace("53307860c3599d1de448e19d", "another-room")
    here, elsewhere = Reader(server.url + STREAM, 1), Reader(server.url + other_room, 1)
    for reader in (here, elsewhere):
        reader.start()
        assert reader.ready.wait(10)
    _wait_for_listeners(server)
    sent = _emit(server, {"data": {"to": "another"}, "params": {"roomId": "another-room"}})
    assert sent["delivered"] == 1  # one client of the two has that room
    _emit(server, {"data": {"to": "everyone"}})
    assert [event.json() for event in elsewhere.result()] == [{"to": "another"}]
    assert [event.json() for event in here.result()] == [{"to": "everyone"}]
    wrong = httpx.post(
        f"{server.url}/__mockc/emit/{OPERATION}", json={"params": ["roomId"]}, timeout=TIMEOUT
    )
    assert wrong.status_code == 400 and "params" in wrong.json()["detail"]


def test_a_client_may_ask_for_some_event_types_only(server: ServerProcess) -> None:
    choosy = Reader(server.url + STREAM + "?event=somethingElse", 1)
    choosy.start()
    assert choosy.ready.wait(10)
    everything = _open(server, 1)
    assert _emit(server, {"data": {"n": 1}})["delivered"] == 1  # a chatMessage: one wants it
    assert [event.event for event in everything.result()] == ["chatMessage"]
    choosy.join(timeout=1.0)
    assert choosy.is_alive() and choosy.events == []  # still open, nothing sent to it


def test_last_event_id_resumes_without_gaps_or_repeats(server: ServerProcess) -> None:
    reader = _open(server, 2)
    for index in range(2):
        _emit(server, {"data": {"n": index}})
    before = reader.result()  # the client disconnects after two events
    assert [event.id for event in before] == ["1", "2"]
    for index in range(2, 5):  # sent while nobody listens
        _emit(server, {"data": {"n": index}})
    resumed = _open(server, 5, headers={"Last-Event-ID": before[-1].id})
    for index in range(5, 7):
        _emit(server, {"data": {"n": index}})
    after = resumed.result()
    assert [event.id for event in after] == ["3", "4", "5", "6", "7"]
    assert [event.json()["n"] for event in before + after] == list(range(7))


def test_a_mock_emit_schedule_sends_events(generated: Path, tmp_path: Path) -> None:
    mock = generated / "mocks" / f"{OPERATION}.yaml"
    original = mock.read_text()
    mock.write_text(
        "id: scheduled\n"
        f"operation: {OPERATION}\n"
        "emit: {after_ms: 500, every_ms: 50, count: 4}\n"
        "response:\n  status: chatMessage\n  body: {id: scheduled, text: tick}\n"
    )
    try:
        with ServerProcess(
            [sys.executable, "server.py"], generated, env={"MOCKC_JOURNAL": "off"}
        ) as server:
            # the schedule may start before the client connects: the replay buffer has it all
            events = _events(server.url + STREAM, 4, headers={"Last-Event-ID": "0"})
    finally:
        mock.write_text(original)
    assert [e.id for e in events] == ["1", "2", "3", "4"]
    assert all(e.json() == {"id": "scheduled", "text": "tick"} for e in events)


def test_a_reset_fault_cuts_the_stream_and_the_client_resumes(generated: Path) -> None:
    mock = generated / "mocks" / f"{OPERATION}.yaml"
    original = mock.read_text()
    mock.write_text(
        "id: faulty\n"
        f"operation: {OPERATION}\n"
        "sequence: once-each\n"
        "responses:\n"
        "  - {status: chatMessage, body: {n: 1}}\n"
        "  - {fault: {kind: reset}}\n"
        "  - {fault: {kind: empty}}\n"
        "  - {fault: {kind: malformed}, status: chatMessage, body: {n: 3, text: cut short}}\n"
        "  - {status: chatMessage, body: {n: 4}}\n"
    )
    try:
        env = {"MOCKC_JOURNAL": "off"}
        with ServerProcess([sys.executable, "server.py"], generated, env=env) as server:
            reader = _open(server, 5)
            _emit(server, {"count": 2})  # the first event, then the reset
            reader.join(timeout=10)
            assert not reader.is_alive() and reader.error is None  # the stream ended
            assert [(e.id, e.json()) for e in reader.events] == [("1", {"n": 1})]
            resumed = _open(server, 2, headers={"Last-Event-ID": "1"})
            _emit(server, {"count": 3})  # nothing (empty), a malformed event, the last
            after = resumed.result()
    finally:
        mock.write_text(original)
    assert [event.id for event in after] == ["2", "3"]
    with pytest.raises(ValueError):
        json.loads(after[0].data)  # malformed: cut short
    assert after[1].json() == {"n": 4}


def test_a_quiet_stream_gets_heartbeat_comments(generated: Path) -> None:
    env = {"MOCKC_JOURNAL": "off", "MOCKC_SSE_HEARTBEAT_MS": "100"}
    with ServerProcess([sys.executable, "server.py"], generated, env=env) as server:
        lines: list[str] = []
        with (
            httpx.Client(timeout=TIMEOUT) as client,
            client.stream("GET", server.url + STREAM) as response,
        ):
            for line in response.iter_lines():
                lines.append(line)
                if lines.count(": heartbeat") == 2:
                    break
    assert lines[0] == ": stream open"


def test_the_journal_has_each_connection_and_one_entry_per_event_with_its_clients(
    generated: Path,
) -> None:
    with ServerProcess([sys.executable, "server.py"], generated) as server:
        first, second = _open(server, 2), _open(server, 2)
        _emit(server, {"count": 2})
        first.result(), second.result()
        for _ in range(50):  # the connections are journaled when they close
            journal = httpx.get(f"{server.url}/__mockc/journal", timeout=TIMEOUT).json()
            entries = [e for e in journal["entries"] if e["operation"] == OPERATION]
            opened = [e for e in entries if e["method"] == "GET"]
            if len(opened) == 2:
                break
            threading.Event().wait(0.1)
        sent = [e for e in entries if e["method"] == "sent"]
        assert len(opened) == 2 and len(sent) == 2  # one entry per event, not per client
        assert all(e["status"] == "chatMessage" for e in sent)
        assert all(e["protocol"] == "sse" and e["target"] == STREAM for e in sent + opened)
        clients = sorted(client for e in opened for client in e["clients"])
        assert all(sorted(e["clients"]) == clients for e in sent)
        # what was sent to one client: its events and its connection
        mine = httpx.get(
            f"{server.url}/__mockc/journal",
            params={"client": clients[0], "operation": OPERATION},
            timeout=TIMEOUT,
        ).json()["entries"]
        assert sorted(e["method"] for e in mine) == ["GET", "sent", "sent"]
        metrics = httpx.get(f"{server.url}/metrics", timeout=TIMEOUT).text
    assert f'{{direction="sent",operation="{OPERATION}",protocol="sse"}} 4.0' in metrics


def test_an_unknown_path_or_parameter_value_is_a_404_problem(server: ServerProcess) -> None:
    for path in ("/nowhere", "/rooms/1/notAResource"):
        answer = httpx.get(server.url + path, timeout=TIMEOUT)
        assert answer.status_code == 404
        assert answer.headers["content-type"].startswith("application/problem+json")
    assert "resource must be one of chatMessages, events" in answer.json()["detail"]


MERCURE = CORPUS / "asyncapi" / "mercure" / "asyncapi-3.0.0.yml"


def test_messages_clients_send_are_validated_and_journaled_with_the_verdict(
    tmp_path: Path,
) -> None:
    out = tmp_path / "mercure"
    generate([MERCURE], out, GenerateOptions(link_runtime=True))
    hub = "/.well-known/mercure"
    with ServerProcess([sys.executable, "server.py"], out) as server:
        good = httpx.post(server.url + hub, json={"name": "Dune", "isbn": "0441013597"})
        bad = httpx.post(server.url + hub, json={"name": 5})
        broken = httpx.post(server.url + hub, content=b"{not json")
        journal = httpx.get(f"{server.url}/__mockc/journal", timeout=TIMEOUT).json()
    assert good.status_code == 202
    assert bad.status_code == 400 and "/name" in bad.json()["detail"]
    assert broken.status_code == 400 and "not JSON" in broken.json()["detail"]
    received = [e for e in journal["entries"] if e["method"] == "received"]
    assert sorted((e["status"], e["source"]) for e in received) == [
        ("202", "accepted"),
        ("400", "invalid"),
        ("400", "invalid"),
    ]
    assert {e["operation"] for e in received} == {"ReceiveBooksInfo"}


TICKER: dict[str, Any] = {
    "mockc": "channels/1",
    "info": {"name": "ticker", "title": "Ticker", "version": "1.0.0"},
    "channels": {
        "prices": {
            "protocol": "sse",
            "address": "/prices/{symbol}",
            "parameters": {"symbol": {"schema": {"type": "string"}}},
            "sse": {"event": "price"},
            "server_sends": {
                "price": {
                    "payload": {
                        "type": "object",
                        "required": ["p"],
                        "properties": {"p": {"type": "number"}},
                    },
                    "examples": [{"value": {"p": 1.5}}],
                    "schedule": {"after_ms": 200, "every_ms": 50, "count": 3},
                }
            },
        }
    },
}


def test_a_channel_config_sse_channel_streams_its_schedule(tmp_path: Path) -> None:
    spec = tmp_path / "ticker.json"
    spec.write_text(json.dumps(TICKER))
    out = tmp_path / "out"
    generate([spec], out, GenerateOptions(link_runtime=True))
    env = {"MOCKC_JOURNAL": "off"}
    with ServerProcess([sys.executable, "server.py"], out, env=env) as server:
        listed = httpx.get(f"{server.url}/__mockc/emit", timeout=TIMEOUT).json()["schedules"]
        assert [(s["operation"], s["every_ms"], s["count"]) for s in listed] == [
            ("prices_price", 50.0, 3)
        ]
        events = _events(server.url + "/prices/ABC", 3, headers={"Last-Event-ID": "0"})
    assert [(e.id, e.event, e.json()) for e in events] == [
        (str(n), "price", {"p": 1.5}) for n in (1, 2, 3)
    ]
