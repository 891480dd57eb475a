"""Generation of a large real spec, side by side with Prism, in one run.

Run from the repository root (needs node and npm; fetches pinned packages into
bench/.cache the first time):

    .venv/bin/python bench/generate_bench.py             # 3 rounds
    .venv/bin/python bench/generate_bench.py --rounds 1
    .venv/bin/python bench/generate_bench.py --serve-only   # (4) and (5) only

The spec is GitHub's REST description (``@octokit/openapi@23.0.2`` on npm:
1,223 operations, 13 MB of JSON). Measured, each round, wall and CPU time
(user + system of the processes involved):

1. cold generation: ``mockc generate SPEC -o OUT`` into an empty folder;
2. unchanged regeneration: the same command again (what the pre-commit hook
   does on a commit that touches no spec);
3. spec → running server: generation into an empty folder, then
   ``python server.py``, until the first successful answer to ``GET /``;
4. ``mockc serve SPEC``: the one command from a spec to a running server
   (it generates into a temporary folder, mocks as JSON, then serves), until
   the first successful answer to ``GET /``;
5. Prism's start-up: ``prism mock SPEC`` (``@stoplight/prism-cli``, pinned)
   until its first successful answer to ``GET /``.

Goals: (3) and (4) at most a quarter of (5), (2) at most a tenth of (5). Rounds
alternate mockc and Prism and the medians are reported, so a burst of foreign
load hurts both alike. Writes bench/results/generate.json.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
CACHE = BENCH / ".cache"
RESULTS = BENCH / "results"
PRISM_VERSION = "5.16.0"
PRISM_DIR = CACHE / f"prism-{PRISM_VERSION}"
GOAL_RUNNING = 0.25
GOAL_UNCHANGED = 0.10
START_TIMEOUT = 600.0

sys.path.insert(0, str(ROOT))
from tests.support.npm_specs import GITHUB_REST, fetch  # noqa: E402


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _ticks() -> int:
    return os.sysconf("SC_CLK_TCK")


def process_tree_cpu(pid: int) -> float:
    """CPU seconds (user + system) of ``pid`` and its living descendants."""
    children: dict[int, list[int]] = {}
    times: dict[int, float] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append(int(entry.name))
        times[int(entry.name)] = (int(fields[11]) + int(fields[12])) / _ticks()
    total, pending = 0.0, [pid]
    while pending:
        current = pending.pop()
        total += times.get(current, 0.0)
        pending.extend(children.get(current, ()))
    return total


def timed_run(argv: list[str]) -> tuple[float, float]:
    """Run to completion; (wall seconds, CPU seconds)."""
    with tempfile.TemporaryFile() as said:
        started = time.perf_counter()
        process = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=said)
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - started
        if os.waitstatus_to_exitcode(status) != 0:
            said.seek(0)
            raise SystemExit(f"failed: {' '.join(argv)}\n{said.read().decode()[-2000:]}")
    return wall, usage.ru_utime + usage.ru_stime


def first_answer(argv: list[str], port: int, env: dict[str, str], cwd: Path) -> tuple[float, float]:
    """Start a server; (seconds to the first 2xx answer to GET /, its CPU seconds then)."""
    import httpx

    said = tempfile.TemporaryFile()  # noqa: SIM115 - read after the process ends
    started = time.perf_counter()
    process = subprocess.Popen(
        argv, cwd=cwd, env={**os.environ, **env}, stdout=subprocess.DEVNULL, stderr=said
    )
    try:
        while time.perf_counter() - started < START_TIMEOUT:
            if process.poll() is not None:
                said.seek(0)
                raise SystemExit(f"{argv[0]} exited: {said.read().decode()[-2000:]}")
            try:
                answer = httpx.get(f"http://127.0.0.1:{port}/", timeout=2.0)
                if 200 <= answer.status_code < 300:
                    return time.perf_counter() - started, process_tree_cpu(process.pid)
            except httpx.HTTPError:
                pass
            time.sleep(0.02)
        raise SystemExit(f"{argv[0]} did not answer in {START_TIMEOUT} s")
    finally:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        said.close()


def prism() -> Path:
    binary = PRISM_DIR / "node_modules" / ".bin" / "prism"
    if not binary.exists():
        npm = shutil.which("npm")
        if npm is None:
            raise SystemExit("npm is not installed: Prism cannot be measured")
        PRISM_DIR.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            [npm, "install", "--no-audit", "--no-fund", "--prefix", str(PRISM_DIR)]
            + [f"@stoplight/prism-cli@{PRISM_VERSION}"],
            check=True,
            stdout=subprocess.DEVNULL,
        )
    return binary


def serve_round(spec: Path, work: Path) -> dict[str, float]:
    """``mockc serve SPEC`` until its first answer."""
    mockc = str(Path(sys.executable).with_name("mockc"))
    port = free_port()
    wall, cpu = first_answer(
        [mockc, "serve", str(spec)], port, {"PORT": str(port), "MOCKC_JOURNAL": "off"}, work
    )
    return {"serve_wall": wall, "serve_cpu": cpu}


def mockc_round(spec: Path, work: Path) -> dict[str, float]:
    mockc = str(Path(sys.executable).with_name("mockc"))
    out = work / "github"
    shutil.rmtree(out, ignore_errors=True)
    cold_wall, cold_cpu = timed_run([mockc, "generate", str(spec), "-o", str(out), "-q"])
    again_wall, again_cpu = timed_run([mockc, "generate", str(spec), "-o", str(out), "-q"])
    fresh = work / "github-serve"
    shutil.rmtree(fresh, ignore_errors=True)
    port = free_port()
    generate_wall, generate_cpu = timed_run([mockc, "generate", str(spec), "-o", str(fresh), "-q"])
    serve_wall, serve_cpu = first_answer(
        [sys.executable, "server.py"], port, {"PORT": str(port), "MOCKC_JOURNAL": "off"}, fresh
    )
    return {
        "cold_wall": cold_wall,
        "cold_cpu": cold_cpu,
        "unchanged_wall": again_wall,
        "unchanged_cpu": again_cpu,
        # not the time until first_answer returns: that includes stopping the server
        "running_wall": generate_wall + serve_wall,
        "running_cpu": generate_cpu + serve_cpu,
        "server_start_wall": serve_wall,
        **serve_round(spec, work),
    }


def prism_round(spec: Path, binary: Path, work: Path) -> dict[str, float]:
    port = free_port()
    wall, cpu = first_answer(
        [str(binary), "mock", str(spec), "-p", str(port), "-h", "127.0.0.1"], port, {}, work
    )
    return {"running_wall": wall, "running_cpu": cpu}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument(
        "--serve-only", action="store_true", help="measure only `mockc serve SPEC` and Prism"
    )
    options = parser.parse_args(argv)
    measure = serve_round if options.serve_only else mockc_round
    spec = fetch(GITHUB_REST)
    binary = prism()
    work = CACHE / "generate-bench"
    work.mkdir(parents=True, exist_ok=True)
    rounds: list[tuple[dict[str, float], dict[str, float]]] = []
    for number in range(options.rounds):
        ours = measure(spec, work)
        theirs = prism_round(spec, binary, work)
        rounds.append((ours, theirs))
        print(f"round {number + 1}: mockc {_line(ours)} | prism {_line(theirs)}", flush=True)
    mockc = {key: statistics.median(r[0][key] for r in rounds) for key in rounds[0][0]}
    peer = {key: statistics.median(r[1][key] for r in rounds) for key in rounds[0][1]}
    cases = [case for case in ("running", "serve", "unchanged") if f"{case}_wall" in mockc]
    ratios = {case: mockc[f"{case}_wall"] / peer["running_wall"] for case in cases}
    goals = {
        "running": f"spec to running server <= {GOAL_RUNNING} x Prism",
        "serve": f"mockc serve SPEC <= {GOAL_RUNNING} x Prism",
        "unchanged": f"unchanged regeneration <= {GOAL_UNCHANGED} x Prism",
    }
    report: dict[str, Any] = {
        "spec": f"{GITHUB_REST.package}@{GITHUB_REST.version} {GITHUB_REST.member}",
        "prism": f"@stoplight/prism-cli@{PRISM_VERSION}",
        "rounds": options.rounds,
        "load_average": os.getloadavg(),
        "cpus": os.cpu_count(),
        "mockc": mockc,
        "prism_start": peer,
        **{f"{case}_vs_prism": ratios[case] for case in cases},
        "cpu_vs_prism": {case: mockc[f"{case}_cpu"] / peer["running_cpu"] for case in cases},
        "goals": {
            goals[case]: ratios[case] <= (GOAL_UNCHANGED if case == "unchanged" else GOAL_RUNNING)
            for case in cases
        },
    }
    results = "generate-serve.json" if options.serve_only else "generate.json"
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / results).write_text(json.dumps(report, indent=1) + "\n")
    print(json.dumps(report, indent=1))


def _line(figures: dict[str, float]) -> str:
    return ", ".join(f"{key} {value:.2f}s" for key, value in figures.items())


if __name__ == "__main__":
    main()
