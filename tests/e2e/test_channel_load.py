"""Load on loopback, bounded in count and time: 1,000 SSE clients and 1,000
WebSocket clients stay connected to a generated server for ``LOAD_SECONDS``
(30 by default; ``MOCKC_LOAD_SECONDS`` shortens or lengthens it) while the
admin API publishes numbered events. Every client receives every event once
and in order; the p99 fan-out latency (publish → receipt) is printed; the
server's resident memory after a second round of clients is within a margin
of the first round's (nothing kept per client that has gone).

Clients are real ones: httpx-sse for SSE and ``websockets`` for WebSocket,
all in this process's event loop."""

from __future__ import annotations

import asyncio
import json
import os
import statistics
import sys
import time
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import httpx
import pytest
from httpx_sse import aconnect_sse
from websockets.asyncio.client import connect

from mockc.compiler.driver import GenerateOptions, generate
from tests.support.corpus import CORPUS
from tests.support.servers import ServerProcess

CLIENTS = int(os.environ.get("MOCKC_LOAD_CLIENTS", "1000"))
LOAD_SECONDS = float(os.environ.get("MOCKC_LOAD_SECONDS", "30"))
RATE = 1.0
"""Events published per second during the load."""
SETTLE_SECONDS = 2.0
"""Time after the last connection before the first event (the server
registers a stream just after its handshake completes)."""
T = TypeVar("T")
RSS_MARGIN_KIB = 24 * 1024
"""How much the server's memory may grow from one round of clients to the next."""

GITTER = CORPUS / "asyncapi" / "gitter-streaming" / "asyncapi-3.0.0.yml"
SSE_STREAM = "/rooms/53307860c3599d1de448e19d/chatMessages"
SSE_OPERATION = "sendRoomInfo"
CHAT = Path(__file__).parents[2] / "examples" / "websocket-chat" / "chat.json"
WS_PATH = "/rooms/load"
WS_OPERATION = "room_notice"

pytestmark = [
    pytest.mark.skipif(
        sys.platform != "linux", reason="reads the server's memory from /proc (Linux only)"
    ),
    pytest.mark.slow,
]


@dataclass
class Received:
    """What one client got: the event numbers in arrival order and their latencies."""

    numbers: list[int] = field(default_factory=list)
    latencies: list[float] = field(default_factory=list)

    def take(self, data: str) -> None:
        try:
            value = json.loads(data)
        except ValueError:
            return
        if isinstance(value, dict) and "n" in value and "sent" in value:
            self.numbers.append(int(value["n"]))
            self.latencies.append(time.time() - float(value["sent"]))


Client = Callable[[httpx.AsyncClient, int, Received, asyncio.Event, asyncio.Event], Awaitable[None]]


def _server(directory: Path, env: dict[str, str]) -> ServerProcess:
    return ServerProcess(
        [sys.executable, "server.py"], directory, env={"MOCKC_JOURNAL_MAX": "2000", **env}
    )


def _rss_kib(process: ServerProcess) -> int:
    assert process.process is not None
    status = Path(f"/proc/{process.process.pid}/status").read_text()
    line = next(line for line in status.splitlines() if line.startswith("VmRSS:"))
    return int(line.split()[1])


async def _unless_stopped(next_one: Awaitable[T], stop: asyncio.Event) -> T | None:
    """What ``next_one`` gives, or None once ``stop`` is set first."""
    if stop.is_set():
        return None
    reading = asyncio.ensure_future(next_one)
    stopping = asyncio.ensure_future(stop.wait())
    done, _ = await asyncio.wait({reading, stopping}, return_when=asyncio.FIRST_COMPLETED)
    if reading not in done:
        reading.cancel()
        return None
    stopping.cancel()
    return reading.result()


async def _sse_client(
    http: httpx.AsyncClient, port: int, got: Received, connected: asyncio.Event, stop: asyncio.Event
) -> None:
    async with aconnect_sse(http, "GET", f"http://127.0.0.1:{port}{SSE_STREAM}") as source:
        connected.set()
        events = source.aiter_sse()
        while (event := await _unless_stopped(anext(events), stop)) is not None:
            got.take(event.data)


async def _ws_client(
    http: httpx.AsyncClient, port: int, got: Received, connected: asyncio.Event, stop: asyncio.Event
) -> None:
    async with connect(
        f"ws://127.0.0.1:{port}{WS_PATH}",
        subprotocols=["chat.v1"],  # type: ignore[list-item]
        open_timeout=60,
        ping_interval=None,
    ) as socket:
        connected.set()
        while (frame := await _unless_stopped(socket.recv(), stop)) is not None:
            got.take(frame if isinstance(frame, str) else frame.decode())


async def _round(
    server: ServerProcess, operation: str, client: Client, seconds: float
) -> dict[str, Any]:
    """``CLIENTS`` clients for ``seconds`` of events; what they got."""
    received = [Received() for _ in range(CLIENTS)]
    connected = [asyncio.Event() for _ in range(CLIENTS)]
    stop = asyncio.Event()
    tasks: list[asyncio.Task[None]] = []
    http = httpx.AsyncClient(
        timeout=httpx.Timeout(60.0, read=None),
        limits=httpx.Limits(max_connections=None, max_keepalive_connections=0),
    )
    for start in range(0, CLIENTS, 100):  # in waves: the listen backlog is finite
        for index in range(start, min(start + 100, CLIENTS)):
            tasks.append(
                asyncio.create_task(
                    client(http, server.port, received[index], connected[index], stop)
                )
            )
        await asyncio.wait_for(
            asyncio.gather(*(event.wait() for event in connected[start : start + 100])), 60
        )
    await asyncio.sleep(SETTLE_SECONDS)
    events = max(1, int(seconds * RATE))
    delivered = 0
    async with httpx.AsyncClient(timeout=30) as admin:
        began = time.monotonic()
        for number in range(events):
            await asyncio.sleep(max(0.0, began + number / RATE - time.monotonic()))
            answer = await admin.post(
                f"{server.url}/__mockc/emit/{operation}",
                json={"data": {"n": number, "sent": time.time()}},
            )
            assert answer.status_code == 202, answer.text
            delivered = answer.json()["delivered"]
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and any(len(got.numbers) < events for got in received):
        await asyncio.sleep(0.2)
    stop.set()
    outcomes = await asyncio.gather(*tasks, return_exceptions=True)
    await http.aclose()
    failures = [outcome for outcome in outcomes if isinstance(outcome, BaseException)]
    latencies = sorted(latency for got in received for latency in got.latencies)
    return {
        "events": events,
        "received": received,
        "failures": failures,
        "delivered": delivered,
        "p99_ms": statistics.quantiles(latencies, n=100)[98] * 1000.0 if latencies else None,
    }


def _check(outcome: dict[str, Any], label: str) -> None:
    expected = list(range(outcome["events"]))
    assert not outcome["failures"], outcome["failures"][:3]
    assert outcome["delivered"] == CLIENTS, f"the admin API counted {outcome['delivered']} clients"
    wrong = [index for index, got in enumerate(outcome["received"]) if got.numbers != expected]
    assert not wrong, (
        f"{len(wrong)} of {CLIENTS} {label} clients did not get every event once and in "
        f"order (first: #{wrong[0]} got {outcome['received'][wrong[0]].numbers[:10]}…)"
    )
    print(
        f"\n{label}: {CLIENTS} clients × {outcome['events']} events, none lost or repeated; "
        f"p99 fan-out latency {outcome['p99_ms']:.1f} ms"
    )


def _load(server: ServerProcess, operation: str, client: Client, label: str) -> None:
    first = asyncio.run(_round(server, operation, client, LOAD_SECONDS))
    _check(first, label)
    after_first = _rss_kib(server)
    second = asyncio.run(_round(server, operation, client, min(LOAD_SECONDS, 5.0)))
    _check(second, label)
    time.sleep(1.0)
    after_second = _rss_kib(server)
    print(f"{label}: server RSS {after_first / 1024:.0f} MiB → {after_second / 1024:.0f} MiB")
    assert after_second - after_first < RSS_MARGIN_KIB, (
        f"the server grew by {(after_second - after_first) / 1024:.0f} MiB over a second round"
    )


@pytest.fixture(scope="module")
def sse_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    out = tmp_path_factory.mktemp("sse-load")
    generate([GITTER], out, GenerateOptions(link_runtime=True))
    with _server(out, {"MOCKC_SSE_HEARTBEAT_MS": "5000"}) as process:
        yield process


@pytest.fixture(scope="module")
def ws_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    out = tmp_path_factory.mktemp("ws-load")
    config = json.loads(CHAT.read_text())
    # the example's 10-per-second tick to every client is not this test's load
    del config["channels"]["room"]["server_sends"]["tick"]["schedule"]
    spec = out.parent / "chat-unscheduled.json"
    spec.write_text(json.dumps(config))
    generate([spec], out, GenerateOptions(link_runtime=True))
    with _server(out, {"MOCKC_WS_MAX_CONNECTIONS": str(CLIENTS * 2)}) as process:
        yield process


def test_a_thousand_sse_clients_get_every_event(sse_server: ServerProcess) -> None:
    _load(sse_server, SSE_OPERATION, _sse_client, "SSE")


def test_a_thousand_websocket_clients_get_every_event(ws_server: ServerProcess) -> None:
    _load(ws_server, WS_OPERATION, _ws_client, "WebSocket")
