"""What the broker benchmarks (Kafka, RabbitMQ, MQTT) share, on top of the
process and health helpers of the HTTP benchmark: a generated service or a
floor started pinned to the services' core and stopped on the way out, the
admin API's calls, the gaps of a schedule, and the report.

Each benchmark drives its own client library; only what does not depend on
the broker is here.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import statistics
import sys
import time
import urllib.request
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import http_bench as hb  # the process, health and generation helpers

BenchError = hb.BenchError
SERVICE_CORE = hb.SERVER_CORE
"""The core the services and the floors run on (``taskset``)."""
LOAD_CORE = int(hb.WRK_CORE)
"""The core the benchmark itself, the load, runs on."""
READY_TIMEOUT_S = 30.0


def pin_load() -> None:
    """Run this process, the load, on its own core, away from the services'."""
    if hasattr(os, "sched_setaffinity") and (os.cpu_count() or 1) > 1:
        os.sched_setaffinity(0, {LOAD_CORE})


def pinned(argv: Sequence[str]) -> list[str]:
    """``argv`` run on the services' core when ``taskset`` is there."""
    taskset = shutil.which("taskset")
    return [taskset, "-c", SERVICE_CORE, *argv] if taskset else list(argv)


@contextlib.contextmanager
def process(
    name: str, argv: Sequence[str], cwd: Path, env: dict[str, str] | None = None
) -> Iterator[hb.Started]:
    """``argv`` on the services' core, its output in ``bench/.cache/logs/NAME.log``;
    its process group stopped on the way out. MOCKC_* settings of the caller's
    environment are left out: the defaults are what is measured."""
    started = hb.start(name, pinned(argv), cwd, {**hb.base_env(), **(env or {})})
    with hb.running(started):
        yield started


def floor(name: str, script: str, *args: str) -> contextlib.AbstractContextManager[hb.Started]:
    """A floor written as a Python ``script`` (``python -c``), with ``args``."""
    return process(name, [sys.executable, "-c", script, *args], hb.BENCH)


def wait_for_line(started: hb.Started, line: str, timeout: float = READY_TIMEOUT_S) -> None:
    """Wait until the process has printed ``line`` (a floor's ``ready``)."""
    deadline = time.monotonic() + timeout
    while line not in started.log.read_text(errors="replace").splitlines():
        if started.proc.poll() is not None:
            raise BenchError(
                f"{started.name} exited with code {started.proc.returncode} before it printed "
                f"{line!r}. Its output:\n{hb.log_tail(started)}"
            )
        if time.monotonic() > deadline:
            raise BenchError(f"{started.name} did not print {line!r} within {timeout:.0f} s")
        time.sleep(0.02)


def generate(spec: Path, out: Path, mocks: dict[str, str] | None = None) -> Path:
    """A fresh generation of ``spec`` into ``out``, with extra mock files
    (name → text) written into its ``mocks/``."""
    hb.mockc_generate(spec, out)
    for name, text in (mocks or {}).items():
        (out / "mocks" / name).write_text(text, encoding="utf-8")
    return out


@contextlib.contextmanager
def mock_service(folder: Path, env: dict[str, str]) -> Iterator[tuple[str, hb.Started]]:
    """The generated service in ``folder`` (seed 0, its admin API on a free port),
    once its ``/health`` answers 200 (the broker connection is up): the admin
    API's URL and the process."""
    port = hb.free_port()
    settings = {"MOCKC_ADMIN_PORT": str(port), "MOCKC_SEED": "0", **env}
    with process(folder.name, [sys.executable, "server.py"], folder, settings) as started:
        hb.wait_healthy(started, port, "/health")
        yield f"http://127.0.0.1:{port}", started


def post_json(url: str, body: dict[str, Any]) -> None:
    request = urllib.request.Request(
        url, data=json.dumps(body).encode(), headers={"content-type": "application/json"}
    )
    with urllib.request.urlopen(request, timeout=10) as answer:
        answer.read()


def get_json(url: str) -> Any:
    with urllib.request.urlopen(url, timeout=10) as answer:
        return json.load(answer)


def rate(times: Sequence[float]) -> float:
    """Events per second between the first and the last of ``times`` (seconds)."""
    if len(times) < 2 or times[-1] <= times[0]:
        return 0.0
    return (len(times) - 1) / (times[-1] - times[0])


def interval_errors(times: Sequence[float], interval_ms: float) -> tuple[float, float]:
    """The mean and 99th percentile of |gap - interval| / interval between
    consecutive ``times`` (seconds)."""
    gaps = [(b - a) * 1000.0 for a, b in zip(times, times[1:], strict=False)]
    if not gaps:
        raise BenchError("fewer than two scheduled messages arrived")
    errors = sorted(abs(gap - interval_ms) / interval_ms for gap in gaps)
    return statistics.fmean(errors), errors[min(len(errors) - 1, int(len(errors) * 0.99))]


def print_ratios(rows: Sequence[tuple[str, float, float]]) -> None:
    """A table of (figure, mock, floor) rows with the mock's ratio to the floor."""
    print(f"{'':24}{'mock':>10}{'floor':>10}{'ratio':>8}")
    for name, mock, floor_value in rows:
        ratio = mock / floor_value if floor_value else 0.0
        print(f"{name:24}{mock:10.0f}{floor_value:10.0f}{ratio:8.2f}")


def print_load() -> None:
    print(f"load average during the run: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")


def write_results(path: Path, results: dict[str, Any]) -> None:
    """``results`` with the machine's description, as indented JSON."""
    path.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps({"machine": hb.machine(), **results}, indent=2) + "\n"
    path.write_text(text, encoding="utf-8")
