"""Benchmark of the MCP target: tools/call round trips per second of a generated
server against the floor (mcp_floor_app.py: the same SDK answering a constant).

Run from the repository root:

    .venv/bin/python bench/mcp_bench.py            # about 1 minute, 10 s load runs
    .venv/bin/python bench/mcp_bench.py --quick    # about 20 seconds, 3 s load runs
    .venv/bin/python bench/mcp_bench.py --transport sse   # the legacy HTTP+SSE transport

The generated server is the notes example's (examples/mcp/notes.mcp.yaml),
with its defaults (journal on, arguments validated, stateful sessions); the
tool called is ``add_note``, which it answers from its generated mock
(``mocks/tool_add_note.yaml``: the config's ``result`` text, "Note added.").
The floor is the official MCP SDK's low-level server on the same stack
returning that text as a constant. Both are
pinned to core 0 and loaded the same way from core 1: ``--sessions`` clients of
the official SDK (``mcp.Client`` over streamable HTTP), each calling the tool
in a loop for ``--duration`` seconds (``--transport sse``: over the legacy
HTTP+SSE transport, ``/sse``, both servers; results in
bench/results/mcp-sse.json). Figures: calls/s, the server's CPU per call
(``/proc``) and the client's. The ratio is the generated server's calls/s
over the floor's (target ≥ 0.6); the CPU ratio (the floor's CPU per call over
the generated server's) says how much of the floor's capacity is kept, which
stays meaningful when the client is the slower side. Writes
bench/results/mcp.json.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import resource
import signal
import sys
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import http_bench as hb  # the process, health and /proc helpers of the HTTP benchmark

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
CACHE = BENCH / ".cache" / "mcp"
RESULTS = BENCH / "results"
CONFIG = ROOT / "examples" / "mcp" / "notes.mcp.yaml"
TARGET_RATIO = 0.6
TOOL = "add_note"
ARGUMENTS = {"title": "Standup", "text": "Ship the release on Friday."}
ANSWER = "Note added."
"""The text both servers answer (the config's ``result``; the floor's constant)."""


@dataclass
class Load:
    sessions: int
    seconds: float = 0.0
    calls: int = 0
    server_cpu_s: float = 0.0
    client_cpu_s: float = 0.0

    def figures(self) -> dict[str, float]:
        return {
            "sessions": self.sessions,
            "calls": self.calls,
            "seconds": round(self.seconds, 2),
            "calls_per_s": round(self.calls / self.seconds, 1),
            "server_cpu_us_per_call": round(self.server_cpu_s / self.calls * 1e6, 1),
            "client_cpu_us_per_call": round(self.client_cpu_s / self.calls * 1e6, 1),
            "server_cpu_pct": round(self.server_cpu_s / self.seconds * 100, 1),
            "client_cpu_pct": round(self.client_cpu_s / self.seconds * 100, 1),
        }


@dataclass
class Figures:
    settings: dict[str, Any]
    machine: dict[str, Any]
    floor: dict[str, Any] = field(default_factory=dict)
    server: dict[str, Any] = field(default_factory=dict)
    ratio: float | None = None
    cpu_ratio: float | None = None
    generate_s: float | None = None
    startup_s: float | None = None
    notes: list[str] = field(default_factory=list)


def _self_cpu_s() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _check(result: Any) -> None:
    text = "".join(getattr(block, "text", "") for block in result.content)
    if result.is_error or text != ANSWER:
        raise hb.BenchError(f"{TOOL} answered {result!r}, not {ANSWER!r}")


def _client(url: str, handshake: bool) -> Any:
    """The SDK's client of ``url``: streamable HTTP (``handshake``: with the
    initialize handshake, whose sessions keep their events for replay), or the
    legacy SSE transport (with the initialize handshake, as its clients speak)."""
    from mcp import Client
    from mcp.client.sse import sse_client

    if url.endswith("/sse"):
        return Client(sse_client(url), mode="legacy")
    return Client(url, mode="legacy") if handshake else Client(url)


async def _load(url: str, pid: int, sessions: int, duration: float, handshake: bool) -> Load:
    """``sessions`` clients calling the tool in a loop; the clock and the CPU
    counters run from when every session is connected."""
    # connect every session first (initialize + one checked call), then start the clock
    async with contextlib.AsyncExitStack() as stack:
        connected = [
            await stack.enter_async_context(_client(url, handshake)) for _ in range(sessions)
        ]
        for client in connected:
            _check(await client.call_tool(TOOL, ARGUMENTS))
        load = Load(sessions)
        cpu0, self0 = hb.tree_cpu_jiffies(pid), _self_cpu_s()
        t0 = time.perf_counter()
        deadline = t0 + duration

        async def loop(client: Any) -> int:
            calls = 0
            while time.perf_counter() < deadline:
                await client.call_tool(TOOL, ARGUMENTS)
                calls += 1
            return calls

        done = await asyncio.gather(*(loop(client) for client in connected))
        load.seconds = time.perf_counter() - t0
        load.server_cpu_s = (hb.tree_cpu_jiffies(pid) - cpu0) / hb.CLK_TCK
        load.client_cpu_s = _self_cpu_s() - self0
        load.calls = sum(done)
    return load


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="3 s load runs")
    parser.add_argument("--duration", type=float, help="seconds per load run (default 10)")
    parser.add_argument("--sessions", type=int, default=8, help="concurrent client sessions")
    parser.add_argument("--check", action="store_true", help="exit 1 when the target is missed")
    parser.add_argument("--transport", choices=("http", "sse"), default="http")
    parser.add_argument(
        "--handshake",
        action="store_true",
        help="streamable HTTP clients with the initialize handshake (2025-11-25)",
    )
    parser.add_argument("--output", type=Path, help="default: bench/results/mcp[-sse].json")
    options = parser.parse_args(argv)
    output = options.output or RESULTS / (
        "mcp-sse.json" if options.transport == "sse" else "mcp.json"
    )
    path = "/sse" if options.transport == "sse" else "/mcp"
    duration = options.duration or (3.0 if options.quick else 10.0)
    signal.signal(signal.SIGTERM, hb._on_signal)
    figures = Figures(
        settings={
            "duration_s": duration,
            "sessions": options.sessions,
            "tool": TOOL,
            "transport": options.transport,
            "handshake": options.handshake,
            "arguments": ARGUMENTS,
        },
        machine=hb.machine(),
    )
    out = CACHE / "notes"
    try:
        figures.generate_s = round(hb.mockc_generate(CONFIG, out), 3)
        runs = {
            "floor": [sys.executable, str(BENCH / "mcp_floor_app.py")],
            "server": [sys.executable, "server.py"],
        }
        os.sched_setaffinity(0, {int(hb.WRK_CORE)})  # the clients run here, on core 1
        for name, command in runs.items():
            port = hb.free_port()
            env = {**hb.base_env(), "PORT": str(port)}
            argv = ["taskset", "-c", hb.SERVER_CORE, *command]
            if name == "floor":
                argv.append(str(port))
            started = hb.start(f"mcp-{name}", argv, out, env)
            with hb.running(started):
                startup = hb.wait_healthy(started, port, "/health")
                if name == "server":
                    figures.startup_s = round(startup, 3)
                url = f"http://127.0.0.1:{port}{path}"
                pid = started.proc.pid
                asyncio.run(_load(url, pid, options.sessions, 1.0, options.handshake))  # warm-up
                busy0, t0 = hb.busy_jiffies(), time.perf_counter()
                load = asyncio.run(_load(url, pid, options.sessions, duration, options.handshake))
                wall = time.perf_counter() - t0
            row = load.figures()
            others = (hb.busy_jiffies() - busy0) / hb.CLK_TCK - load.server_cpu_s
            others -= load.client_cpu_s
            row["other_cpu_pct"] = round(max(0.0, others) / (wall * (os.cpu_count() or 1)) * 100, 1)
            if row["other_cpu_pct"] > hb.BUSY_WARNING_PCT:
                figures.notes.append(
                    f"{name}: other programs took {row['other_cpu_pct']}% of the CPU"
                )
            setattr(figures, name, row)
            print(f"  {name:7} {row}")
    except hb.BenchError as error:
        print(f"mcp_bench: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    finally:
        hb.stop_all()
    figures.ratio = round(figures.server["calls_per_s"] / figures.floor["calls_per_s"], 3)
    figures.cpu_ratio = round(
        figures.floor["server_cpu_us_per_call"] / figures.server["server_cpu_us_per_call"], 3
    )
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(json.dumps(asdict(figures), indent=1) + "\n")
    print(f"{'':<10}{'calls/s':>10}{'server µs/call':>16}{'client µs/call':>16}")
    for name in ("floor", "server"):
        row = getattr(figures, name)
        print(
            f"{name:<10}{row['calls_per_s']:>10.0f}{row['server_cpu_us_per_call']:>16.0f}"
            f"{row['client_cpu_us_per_call']:>16.0f}"
        )
    verdict = "ok" if figures.ratio >= TARGET_RATIO else "MISSED"
    print(f"ratio server/floor calls/s: {figures.ratio:.2f} (target ≥ {TARGET_RATIO}: {verdict})")
    print(f"CPU per call, floor/server: {figures.cpu_ratio:.2f}")
    print(f"generate {figures.generate_s:.2f} s, start-up {figures.startup_s:.2f} s")
    for note in figures.notes:
        print(f"note: {note}")
    print(f"written: {output}")
    return 1 if options.check and figures.ratio < TARGET_RATIO else 0


if __name__ == "__main__":
    sys.exit(main())
