"""Scale of one orchestrator: N servers created, each timed from the create request
to its answer (the server generated, started and healthy), then the
orchestrator's and the servers' memory.

    .venv/bin/python bench/orchestrator_bench.py --servers 50 [--concurrency 4]

Prints p50/p95/max of create-and-ready, the orchestrator's RSS before and after,
and the servers' total RSS; writes bench/results/orchestrator.json. Not a test.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
SPEC = ROOT / "tests/corpus/openapi/oai-petstore-expanded-v3/petstore-expanded.yaml"


def rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--servers", type=int, default=50)
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--port", type=int, default=18899)
    parser.add_argument("--output", type=Path, default=ROOT / "bench/results/orchestrator.json")
    options = parser.parse_args()
    data = Path(tempfile.mkdtemp(prefix="mockc-orch-bench-")) / "data"
    cli = [sys.executable, "-m", "mockc.compiler.cli", "orchestrator"]
    token = subprocess.run(
        [*cli, "token", "create", "--admin", "--data", str(data)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    orchestrator = subprocess.Popen(
        [*cli, "--data", str(data), "--port", str(options.port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{options.port}"
    headers = {"authorization": f"Bearer {token}"}
    try:
        while True:
            try:
                if httpx.get(base + "/health").status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.1)
        rss_before = rss_mib(orchestrator.pid)
        text = SPEC.read_text()

        def create(index: int) -> float:
            started = time.perf_counter()
            answer = httpx.post(
                base + "/servers",
                headers=headers,
                json={"name": f"s{index}", "files": {"petstore.yaml": text}},
                timeout=300,
            )
            answer.raise_for_status()
            return time.perf_counter() - started

        wall = time.perf_counter()
        with ThreadPoolExecutor(options.concurrency) as pool:
            times = list(pool.map(create, range(options.servers)))
        wall = time.perf_counter() - wall
        listed = httpx.get(base + "/servers", headers=headers, timeout=60).json()["servers"]
        healthy = sum(server["health"] == "ok" for server in listed)
        children = sum(rss_mib(server["pid"]) for server in listed if server["pid"])
        started = time.perf_counter()
        httpx.get(base + "/servers", headers=headers, timeout=60)
        list_ms = (time.perf_counter() - started) * 1000
        result = {
            "servers": options.servers,
            "concurrency": options.concurrency,
            "healthy": healthy,
            "create_and_ready_s": {
                "p50": round(statistics.median(times), 3),
                "p95": round(percentile(times, 0.95), 3),
                "max": round(max(times), 3),
            },
            "wall_s": round(wall, 1),
            "list_ms": round(list_ms, 1),
            "orchestrator_rss_mib": {
                "idle": round(rss_before, 1),
                "with_servers": round(rss_mib(orchestrator.pid), 1),
            },
            "servers_rss_mib_total": round(children, 1),
            "cpus": os.cpu_count(),
            "load_average": os.getloadavg(),
        }
    finally:
        orchestrator.terminate()
        orchestrator.wait(120)
    print(json.dumps(result, indent=2))
    options.output.parent.mkdir(parents=True, exist_ok=True)
    options.output.write_text(json.dumps(result, indent=2) + "\n")
    return 0 if healthy == options.servers else 1


if __name__ == "__main__":
    sys.exit(main())
