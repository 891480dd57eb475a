"""Benchmark of the GraphQL target: queries/s of a generated server against the floor.

Run from the repository root:

    .venv/bin/python bench/graphql_bench.py            # about 1 minute, 10 s load runs
    .venv/bin/python bench/graphql_bench.py --quick    # about 20 seconds, 3 s load runs

The generated server is the SWAPI corpus schema's, with its generated mocks;
the floor (graphql_floor_app.py) is graphql-core answering the same query from
a hand-written resolver map in the same stack. Both are loaded the same way,
one after the other, with wrk POSTing a small nested query. It prints a table
and writes bench/results/graphql.json. See bench/README.md.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import http_bench as hb  # the process, health and wrk helpers of the HTTP benchmark

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
CACHE = BENCH / ".cache" / "graphql"
RESULTS = BENCH / "results"
CORPUS = ROOT / "tests" / "corpus" / "graphql"
TARGET_RATIO = 0.6

QUERY = (
    'query Person { person(id: "1") { name height mass homeworld { name population } '
    "filmConnection(first: 3) { totalCount films { title director episodeID } } } }"
)


@dataclass
class Figures:
    settings: dict[str, Any]
    machine: dict[str, Any]
    floor: dict[str, Any] = field(default_factory=dict)
    server: dict[str, Any] = field(default_factory=dict)
    ratio: float | None = None
    startup_s: dict[str, float] = field(default_factory=dict)
    generate_s: dict[str, float] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)


def post_script(query: str) -> Path:
    """A wrk Lua script that POSTs ``query`` as JSON."""
    CACHE.mkdir(parents=True, exist_ok=True)
    script = CACHE / "post.lua"
    body = json.dumps({"query": query})
    script.write_text(
        'wrk.method = "POST"\n'
        f"wrk.body = {json.dumps(body)}\n"
        'wrk.headers["Content-Type"] = "application/json"\n'
    )
    return script


def load(url: str, script: Path, duration: float, pid: int) -> hb.WrkResult:
    secs = max(1, round(duration))
    argv = ["taskset", "-c", hb.WRK_CORE, "wrk", "-t1", f"-c{hb.CONNECTIONS}", f"-d{secs}s"]
    argv += ["--latency", "-s", str(script), url]
    busy0, wrk0 = hb.busy_jiffies(), hb.children_cpu_s()
    server0 = hb.tree_cpu_jiffies(pid)
    t0 = time.perf_counter()
    out = subprocess.run(argv, capture_output=True, timeout=secs + 30, check=False)
    text = out.stdout.decode(errors="replace")
    if out.returncode != 0:
        raise hb.BenchError(f"wrk failed ({out.returncode}) on {url}:\n{text}")
    result = hb.parse_wrk(text, url, secs)
    wall = time.perf_counter() - t0
    ours = (hb.tree_cpu_jiffies(pid) - server0) / hb.CLK_TCK + hb.children_cpu_s() - wrk0
    others = (hb.busy_jiffies() - busy0) / hb.CLK_TCK - ours
    result.other_cpu_pct = round(max(0.0, others) / (wall * (os.cpu_count() or 1)) * 100, 1)
    return result


def check_answer(port: int) -> dict[str, Any]:
    import http.client

    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    try:
        conn.request(
            "POST", "/graphql", json.dumps({"query": QUERY}), {"content-type": "application/json"}
        )
        response = conn.getresponse()
        document = json.loads(response.read())
    finally:
        conn.close()
    if response.status != 200 or "errors" in document or not document.get("data"):
        raise hb.BenchError(f"the benchmark query failed on port {port}: {document}")
    return document


def generate(spec: Path, out: Path) -> float:
    if out.exists():
        shutil.rmtree(out)
    mockc = str(Path(sys.executable).with_name("mockc"))
    t0 = time.perf_counter()
    result = subprocess.run(
        [mockc, "generate", str(spec), "-o", str(out), "-q"], capture_output=True
    )
    if result.returncode != 0:
        raise hb.BenchError(f"mockc generate {spec} failed:\n{result.stderr.decode()}")
    return time.perf_counter() - t0


def _environment() -> dict[str, str]:
    """The caller's environment without MOCKC_* settings: the defaults are measured
    (the request journal is on, as it is for the HTTP benchmark)."""
    return {k: v for k, v in os.environ.items() if not k.startswith("MOCKC_")}


def startup(name: str, folder: Path) -> float:
    port = hb.free_port()
    env = {**_environment(), "PORT": str(port)}
    started = hb.start(f"graphql-{name}-start", [sys.executable, "server.py"], folder, env)
    with hb.running(started):
        return hb.wait_healthy(started, port, "/health")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="3 s load runs")
    parser.add_argument("--duration", type=float, help="seconds per load run (default 10)")
    parser.add_argument("--check", action="store_true", help="exit 1 when the target is missed")
    parser.add_argument("--output", type=Path, default=RESULTS / "graphql.json")
    options = parser.parse_args(argv)
    duration = options.duration or (3.0 if options.quick else 10.0)
    for tool in ("wrk", "taskset"):
        if shutil.which(tool) is None:
            print(f"graphql_bench: {tool} is not on the PATH", file=sys.stderr)
            return 1
    signal.signal(signal.SIGTERM, hb._on_signal)
    figures = Figures(
        settings={"duration_s": duration, "connections": hb.CONNECTIONS, "query": QUERY},
        machine=hb.machine(),
    )
    script = post_script(QUERY)
    try:
        for name in ("swapi", "github", "saleor"):
            figures.generate_s[name] = round(
                generate(CORPUS / name / "schema.graphql", CACHE / name), 3
            )
            figures.startup_s[name] = round(startup(name, CACHE / name), 3)
        runs = {
            "floor": [
                sys.executable,
                str(BENCH / "graphql_floor_app.py"),
                str(CACHE / "swapi" / "schema.graphql"),
            ],
            "server": [sys.executable, "server.py"],
        }
        for name, command in runs.items():
            port = hb.free_port()
            env = {**_environment(), "PORT": str(port)}
            argv = ["taskset", "-c", hb.SERVER_CORE, *command]
            if name == "floor":
                argv.append(str(port))
            started = hb.start(f"graphql-{name}", argv, CACHE / "swapi", env)
            with hb.running(started):
                hb.wait_healthy(started, port, "/health")
                check_answer(port)
                url = f"http://127.0.0.1:{port}/graphql"
                load(url, script, 1.0, started.proc.pid)  # warm-up
                result = load(url, script, duration, started.proc.pid)
            if result.non_2xx or result.socket_errors:
                figures.notes.append(
                    f"{name}: {result.non_2xx} non-2xx, {result.socket_errors} socket errors"
                )
            if result.other_cpu_pct and result.other_cpu_pct > hb.BUSY_WARNING_PCT:
                figures.notes.append(
                    f"{name}: other programs took {result.other_cpu_pct}% of the CPU"
                )
            setattr(figures, name, asdict(result))
    except hb.BenchError as error:
        print(f"graphql_bench: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    finally:
        hb.stop_all()
    figures.ratio = round(figures.server["rps"] / figures.floor["rps"], 3)
    options.output.parent.mkdir(parents=True, exist_ok=True)
    options.output.write_text(json.dumps(asdict(figures), indent=1) + "\n")
    print(f"{'':<28}{'req/s':>10}{'p50 ms':>9}{'p99 ms':>9}")
    for name in ("floor", "server"):
        row = getattr(figures, name)
        print(f"{name:<28}{row['rps']:>10.0f}{row['p50_ms']:>9.2f}{row['p99_ms']:>9.2f}")
    verdict = "ok" if figures.ratio >= TARGET_RATIO else "MISSED"
    print(f"ratio server/floor: {figures.ratio:.2f} (target ≥ {TARGET_RATIO}: {verdict})")
    for name in figures.startup_s:
        generated, started = figures.generate_s[name], figures.startup_s[name]
        print(f"{name}: generate {generated:.2f} s, start-up {started:.2f} s")
    for note in figures.notes:
        print(f"note: {note}")
    print(f"written: {options.output}")
    return 1 if options.check and figures.ratio < TARGET_RATIO else 0


if __name__ == "__main__":
    sys.exit(main())
