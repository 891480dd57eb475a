"""Benchmark of the SSE and WebSocket targets: messages pushed by a generated
server against the floor (channels_floor_app.py: raw ASGI on the same stack).

Run from the repository root:

    .venv/bin/python bench/channels_bench.py            # about 2 minutes
    .venv/bin/python bench/channels_bench.py --quick    # about 40 seconds

For each protocol, two runs on each server: one client receiving a stream of
messages (``--events``, published by the admin API in calls of 1,000), and
1,000 clients receiving ``--fanout-events`` messages each. The server is
pinned to core 0 and this process (the clients) to core 1. Figures: wall
deliveries/s (until the last client has every message) and the server's CPU
per delivery (``/proc``); the ratio is the floor's CPU per delivery over the
generated server's (how much of the floor's capacity it keeps; target ≥ 0.6),
which stays meaningful when the clients, not the server, are the slower side.
The generated servers are the gitter corpus document's SSE stream and the
websocket-chat example's room (its ten-per-second tick unscheduled), with
their defaults (journal on). Writes bench/results/channels.json.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import http_bench as hb  # process, health and /proc helpers
import httpx
from websockets.asyncio.client import connect

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
CACHE = BENCH / ".cache" / "channels"
RESULTS = BENCH / "results"
GITTER = ROOT / "tests" / "corpus" / "asyncapi" / "gitter-streaming" / "asyncapi-3.0.0.yml"
CHAT = ROOT / "examples" / "websocket-chat" / "chat.json"
TARGET_RATIO = 0.6
FANOUT_CLIENTS = 1000
PER_CALL = 1000
"""Messages per admin call (the admin API's most)."""


@dataclass(frozen=True)
class Server:
    """Where to connect and how to publish, for one protocol on one server."""

    protocol: str
    port: int
    connect_path: str
    emit_path: str


@dataclass
class Run:
    clients: int
    events: int
    seconds: float = 0.0
    server_cpu_s: float = 0.0

    @property
    def deliveries(self) -> int:
        return self.clients * self.events

    def figures(self) -> dict[str, float]:
        return {
            "clients": self.clients,
            "events": self.events,
            "deliveries_per_s": round(self.deliveries / self.seconds, 1),
            "server_cpu_us_per_delivery": round(self.server_cpu_s / self.deliveries * 1e6, 2),
        }


@dataclass
class Report:
    settings: dict[str, Any]
    machine: dict[str, Any]
    results: dict[str, dict[str, Any]] = field(default_factory=dict)


async def _count_sse(port: int, path: str, wanted: int, opened: asyncio.Event) -> None:
    """Read a stream until ``wanted`` events came (raw: the parser is not measured)."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(
        f"GET {path} HTTP/1.1\r\nHost: bench\r\nAccept: text/event-stream\r\n\r\n".encode()
    )
    await writer.drain()
    seen, tail = 0, b""
    opened_once = False
    while seen < wanted:
        chunk = await reader.read(65536)
        if not chunk:
            raise hb.BenchError(f"the stream at {path} closed after {seen} events")
        if not opened_once:
            opened.set()
            opened_once = True
        text = tail + chunk
        seen += text.count(b"\ndata:") + text.startswith(b"data:")
        tail = text[-8:]
        seen -= tail.count(b"\ndata:")  # counted again with the next chunk
    writer.close()


async def _count_ws(port: int, path: str, wanted: int, opened: asyncio.Event) -> None:
    async with connect(
        f"ws://127.0.0.1:{port}{path}",
        subprotocols=["chat.v1"],  # type: ignore[list-item]
        ping_interval=None,
        open_timeout=60,
        max_queue=None,
    ) as socket:
        opened.set()
        seen = 0
        while seen < wanted:
            frame = await socket.recv()
            if b'"n"' in (frame if isinstance(frame, bytes) else frame.encode()):
                seen += 1


async def _run(server: Server, pid: int, run: Run) -> None:
    count = _count_sse if server.protocol == "sse" else _count_ws
    opened = [asyncio.Event() for _ in range(run.clients)]
    tasks = []
    for start in range(0, run.clients, 100):
        for index in range(start, min(start + 100, run.clients)):
            tasks.append(
                asyncio.create_task(
                    count(server.port, server.connect_path, run.events, opened[index])
                )
            )
        await asyncio.wait_for(asyncio.gather(*(e.wait() for e in opened[start : start + 100])), 60)
    await asyncio.sleep(1.0)  # streams register just after their handshake
    cpu_before = hb.tree_cpu_jiffies(pid)
    started = time.perf_counter()
    async with httpx.AsyncClient(timeout=120) as admin:
        left = run.events
        while left:
            batch = min(left, PER_CALL)
            answer = await admin.post(
                f"http://127.0.0.1:{server.port}{server.emit_path}",
                json={"data": {"n": 1, "text": "benchmark message"}, "count": batch},
            )
            if answer.status_code != 202:
                raise hb.BenchError(f"publishing answered {answer.status_code}: {answer.text}")
            left -= batch
    await asyncio.wait_for(asyncio.gather(*tasks), 300)
    run.seconds = time.perf_counter() - started
    run.server_cpu_s = (hb.tree_cpu_jiffies(pid) - cpu_before) / os.sysconf("SC_CLK_TCK")


def _measure(
    name: str, server: Server, started: hb.Started, events: int, fanout: int
) -> dict[str, Any]:
    hb.wait_healthy(started, server.port, "/health")
    single, many = Run(1, events), Run(FANOUT_CLIENTS, fanout)
    for run in (single, many):
        asyncio.run(_run(server, started.proc.pid, run))
    print(f"  {name:9} one client {single.figures()}  {FANOUT_CLIENTS} clients {many.figures()}")
    return {"one_client": single.figures(), "fanout": many.figures()}


def _ratio(result: dict[str, Any], kind: str) -> float:
    floor = result["floor"][kind]["server_cpu_us_per_delivery"]
    generated = result["generated"][kind]["server_cpu_us_per_delivery"]
    return round(floor / generated, 3) if generated else 0.0


def _generate(spec: Path, out: Path) -> None:
    hb.mockc_generate(spec, out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="fewer messages")
    parser.add_argument("--events", type=int, help="messages to one client")
    parser.add_argument("--fanout-events", type=int, help="messages to each of 1,000 clients")
    parser.add_argument(
        "--server-env",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="a setting for the generated servers (repeatable), e.g. MOCKC_JOURNAL=off",
    )
    parser.add_argument("--output", type=Path, default=RESULTS / "channels.json")
    args = parser.parse_args(argv)
    events = args.events or (5000 if args.quick else 20000)
    fanout = args.fanout_events or (10 if args.quick else 30)
    os.sched_setaffinity(0, {int(hb.WRK_CORE)})
    CACHE.mkdir(parents=True, exist_ok=True)
    chat = json.loads(CHAT.read_text())
    del chat["channels"]["room"]["server_sends"]["tick"]["schedule"]
    chat_spec = CACHE / "chat-unscheduled.json"
    chat_spec.write_text(json.dumps(chat))
    _generate(GITTER, CACHE / "sse")
    _generate(chat_spec, CACHE / "websocket")
    report = Report(
        settings={
            "events": events,
            "fanout_events": fanout,
            "fanout_clients": FANOUT_CLIENTS,
            "server_env": args.server_env,
        },
        machine=hb.machine(),
    )
    floor_python = str(hb.ensure_floor_venv().with_name("python"))
    servers = {
        "sse": (
            "/rooms/53307860c3599d1de448e19d/chatMessages",
            "/__mockc/emit/sendRoomInfo",
            "/stream",
        ),
        "websocket": ("/rooms/bench", "/__mockc/emit/room_notice", "/ws"),
    }
    try:
        for protocol, (path, emit, floor_path) in servers.items():
            print(f"{protocol}:")
            result: dict[str, Any] = {}
            port = hb.free_port()
            floor = hb.start(
                f"{protocol}-floor",
                [
                    "taskset",
                    "-c",
                    hb.SERVER_CORE,
                    floor_python,
                    str(BENCH / "channels_floor_app.py"),
                    str(port),
                ],
                BENCH,
                hb.base_env(),
            )
            with hb.running(floor):
                result["floor"] = _measure(
                    "floor", Server(protocol, port, floor_path, "/emit"), floor, events, fanout
                )
            port = hb.free_port()
            generated = hb.start_generated(
                f"{protocol}-generated",
                CACHE / protocol,
                port,
                pinned=True,
                extra_env={
                    **dict(setting.split("=", 1) for setting in args.server_env),
                    **({"MOCKC_WS_MAX_CONNECTIONS": "2000"} if protocol == "websocket" else {}),
                },
            )
            with hb.running(generated):
                result["generated"] = _measure(
                    "generated", Server(protocol, port, path, emit), generated, events, fanout
                )
            result["ratio_one_client"] = _ratio(result, "one_client")
            result["ratio_fanout"] = _ratio(result, "fanout")
            report.results[protocol] = result
            print(
                f"  ratio (floor CPU per delivery / generated's): one client "
                f"{result['ratio_one_client']:.2f}, fan-out {result['ratio_fanout']:.2f} "
                f"(target ≥ {TARGET_RATIO})"
            )
    except hb.BenchError as error:
        print(f"channels_bench: {error}", file=sys.stderr)
        return 1
    finally:
        hb.stop_all()
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(asdict(report), indent=2) + "\n")
    print(f"wrote {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
