"""Benchmarks of the HTTP target: throughput, latency, start-up, memory and generation time.

Run from the repository root:

    .venv/bin/python bench/http_bench.py              # about 2 minutes
    .venv/bin/python bench/http_bench.py --quick      # about 30 seconds, 3 s load runs

It prints a table and writes bench/results/http.json. Every process it starts runs in its
own process group and is stopped on the way out, whatever happens. Only 127.0.0.1 is
loaded. See bench/README.md for what each figure means and the targets.
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import json
import os
import platform
import re
import resource
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
CACHE = BENCH / ".cache"
LOGS = CACHE / "logs"
RESULTS = BENCH / "results"

FLOOR_VENV = CACHE / "floor-venv"
FLOOR_REQUIREMENTS = ("starlette==1.10.0", "granian==2.8.7")

PETSTORE_SPEC = ROOT / "examples" / "petstore" / "openapi.yaml"
SLACK_SPEC = ROOT / "tests/corpus/openapi/slack-web-api-v2/slack_web_openapi_v2.json"
GITHUB_PACKAGE = "@octokit/openapi@23.0.2"
GITHUB_TARBALL = "octokit-openapi-23.0.2.tgz"
GITHUB_MEMBER = "package/generated/api.github.com.json"

SERVER_CORE = "0"
WRK_CORE = "1"
CONNECTIONS = 50
ECHO_CONNECTIONS = 64
"""The templated-echo case runs at 64 connections (and its floor with it)."""
ECHO_PET_ID = 7
ECHO_TEMPLATE = "{{ request.path.petId }}"
FAKE_SCRIPT = BENCH / "fake_per_request.lua"
"""wrk script: ``GET /pets/{n}`` with a new ``n`` per request and ``Prefer: dynamic=true``."""

TARGET_RATIO = 0.6
TARGET_STARTUP_S = 1.0
TARGET_SPEC_TO_SERVER_S = 10.0
RSS_GROWTH_TOLERANCE_KIB = 1024

BUSY_WARNING_PCT = 10.0

HEALTH_POLL_S = 0.005
START_TIMEOUT_S = 30.0


class BenchError(Exception):
    """A benchmark could not run; the message says why."""


# --------------------------------------------------------------------------- processes


@dataclass
class Started:
    name: str
    proc: subprocess.Popen[bytes]
    log: Path
    t0: float


_STARTED: list[Started] = []


def start(name: str, argv: Sequence[str], cwd: Path, env: dict[str, str]) -> Started:
    """Start a process in its own session (hence its own process group), output to a log."""
    LOGS.mkdir(parents=True, exist_ok=True)
    log = LOGS / f"{name}.log"
    with log.open("wb") as out:
        t0 = time.perf_counter()
        proc = subprocess.Popen(
            list(argv),
            cwd=cwd,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    started = Started(name, proc, log, t0)
    _STARTED.append(started)
    return started


def stop(started: Started) -> None:
    """SIGTERM the process group, then SIGKILL it if it is still there after 5 s."""
    proc = started.proc
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(timeout=5)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=5)
    # workers may outlive their parent for a moment: make sure the group is gone
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGKILL)
    if started in _STARTED:
        _STARTED.remove(started)


def stop_all() -> None:
    for started in list(_STARTED):
        with contextlib.suppress(Exception):
            stop(started)


@contextlib.contextmanager
def running(started: Started) -> Iterator[Started]:
    try:
        yield started
    finally:
        stop(started)


def _on_signal(signum: int, _frame: object) -> None:
    raise KeyboardInterrupt(f"signal {signum}")


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def log_tail(started: Started, lines: int = 40) -> str:
    try:
        text = started.log.read_text(errors="replace")
    except OSError:
        return "(no output)"
    return "\n".join(text.splitlines()[-lines:]) or "(no output)"


def http_get(
    port: int, path: str, timeout: float = 2.0, headers: dict[str, str] | None = None
) -> tuple[int, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request("GET", path, headers=headers or {})
        resp = conn.getresponse()
        return resp.status, resp.read()
    finally:
        conn.close()


def wait_healthy(started: Started, port: int, path: str, timeout: float = START_TIMEOUT_S) -> float:
    """Poll `path` every few ms until it answers 200; return seconds since process start."""
    deadline = started.t0 + timeout
    while True:
        if started.proc.poll() is not None:
            raise BenchError(
                f"{started.name} exited with code {started.proc.returncode} before "
                f"GET {path} answered 200. Its output:\n{log_tail(started)}"
            )
        try:
            status, _ = http_get(port, path, timeout=1.0)
            if status == 200:
                return time.perf_counter() - started.t0
        except (OSError, http.client.HTTPException):
            pass
        if time.perf_counter() > deadline:
            raise BenchError(
                f"{started.name} did not answer 200 on GET {path} within {timeout:.0f} s. "
                f"Its output:\n{log_tail(started)}"
            )
        time.sleep(HEALTH_POLL_S)


def tree_pids(root: int) -> list[int]:
    """`root` and all its descendants (granian runs its workers as child processes)."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        ppid = int(stat[stat.rindex(")") + 2 :].split()[1])
        children.setdefault(ppid, []).append(int(entry.name))
    pids, todo = [], [root]
    while todo:
        pid = todo.pop()
        pids.append(pid)
        todo.extend(children.get(pid, []))
    return pids


def rss_kib(root: int) -> int:
    """Sum of VmRSS (KiB) over the process tree of `root`."""
    total = 0
    for pid in tree_pids(root):
        try:
            status = Path(f"/proc/{pid}/status").read_text()
        except OSError:
            continue
        match = re.search(r"^VmRSS:\s+(\d+)\s+kB", status, re.M)
        if match:
            total += int(match.group(1))
    return total


# --------------------------------------------------------------------------- wrk


@dataclass
class WrkResult:
    url: str
    duration_s: float
    requests: int
    rps: float
    p50_ms: float
    p90_ms: float
    p99_ms: float
    non_2xx: int
    socket_errors: int
    other_cpu_pct: float | None = None


_UNITS_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


def _latency_ms(text: str, pct: str) -> float:
    match = re.search(rf"^\s*{pct}%\s+([\d.]+)(us|ms|s|m)\s*$", text, re.M)
    if not match:
        raise BenchError(f"wrk output has no {pct}% latency:\n{text}")
    return float(match.group(1)) * _UNITS_MS[match.group(2)]


def parse_wrk(text: str, url: str, duration: float) -> WrkResult:
    rps = re.search(r"^Requests/sec:\s+([\d.]+)", text, re.M)
    total = re.search(r"^\s*(\d+) requests in", text, re.M)
    if not rps or not total:
        raise BenchError(f"cannot parse wrk output:\n{text}")
    non_2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", text)
    errors = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", text
    )
    return WrkResult(
        url=url,
        duration_s=duration,
        requests=int(total.group(1)),
        rps=float(rps.group(1)),
        p50_ms=_latency_ms(text, "50"),
        p90_ms=_latency_ms(text, "90"),
        p99_ms=_latency_ms(text, "99"),
        non_2xx=int(non_2xx.group(1)) if non_2xx else 0,
        socket_errors=sum(int(g) for g in errors.groups()) if errors else 0,
    )


CLK_TCK = os.sysconf("SC_CLK_TCK")


def busy_jiffies() -> int:
    """Non-idle CPU time of the whole machine, all cores (/proc/stat)."""
    fields = [int(f) for f in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:9]]
    return sum(fields) - fields[3] - fields[4]


def tree_cpu_jiffies(root: int) -> int:
    total = 0
    for pid in tree_pids(root):
        try:
            stat = Path(f"/proc/{pid}/stat").read_text()
        except OSError:
            continue
        rest = stat[stat.rindex(")") + 2 :].split()
        total += int(rest[11]) + int(rest[12])
    return total


def children_cpu_s() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def wrk(
    url: str,
    duration: float,
    server_pid: int | None = None,
    *,
    connections: int = CONNECTIONS,
    script: Path | None = None,
) -> WrkResult:
    """One wrk run; with `server_pid`, also the share of the machine used by other programs."""
    secs = max(1, round(duration))
    argv = ["taskset", "-c", WRK_CORE, "wrk", "-t1", f"-c{connections}", f"-d{secs}s"]
    if script is not None:
        argv += ["-s", str(script)]
    argv += ["--latency", url]
    busy0, wrk0 = busy_jiffies(), children_cpu_s()
    server0 = tree_cpu_jiffies(server_pid) if server_pid else 0
    t0 = time.perf_counter()
    proc = subprocess.Popen(
        argv,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        out, _ = proc.communicate(timeout=secs + 30)
    except subprocess.TimeoutExpired as exc:
        raise BenchError(f"wrk did not finish in {secs + 30} s on {url}") from exc
    finally:
        if proc.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
    text = out.decode(errors="replace")
    if proc.returncode != 0:
        raise BenchError(f"wrk failed ({proc.returncode}) on {url}:\n{text}")
    result = parse_wrk(text, url, secs)
    if server_pid:
        wall = time.perf_counter() - t0
        ours = (tree_cpu_jiffies(server_pid) - server0) / CLK_TCK + children_cpu_s() - wrk0
        others = (busy_jiffies() - busy0) / CLK_TCK - ours
        result.other_cpu_pct = round(max(0.0, others) / (wall * (os.cpu_count() or 1)) * 100, 1)
    return result


def check_ok(port: int, path: str, what: str, headers: dict[str, str] | None = None) -> bytes:
    """One request before the load: a load test of error answers measures nothing."""
    try:
        status, body = http_get(port, path, headers=headers)
    except (OSError, http.client.HTTPException) as exc:
        raise BenchError(f"{what}: GET {path} failed: {exc}") from exc
    if status != 200:
        raise BenchError(f"{what}: GET {path} answered {status}, not 200: {body[:300]!r}")
    return body


# --------------------------------------------------------------------------- setup


def machine() -> dict[str, Any]:
    """What a benchmark's results say of the machine and the checkout."""
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
    ).stdout.strip()
    return {
        "cpu": platform.processor() or platform.machine(),
        "cores": os.cpu_count(),
        "python": platform.python_version(),
        "load_average": os.getloadavg(),
        "commit": commit,
    }


def base_env() -> dict[str, str]:
    """The caller's environment without MOCKC_* settings: the defaults are what is measured."""
    return {k: v for k, v in os.environ.items() if not k.startswith("MOCKC_")}


def ensure_floor_venv() -> Path:
    granian = FLOOR_VENV / "bin" / "granian"
    python = FLOOR_VENV / "bin" / "python"
    stamp = FLOOR_VENV / ".bench-requirements"
    wanted = "\n".join(FLOOR_REQUIREMENTS)
    if granian.exists() and stamp.exists() and stamp.read_text() == wanted:
        return granian
    print(f"setting up {FLOOR_VENV.relative_to(ROOT)} ({', '.join(FLOOR_REQUIREMENTS)})")
    base_python = getattr(sys, "_base_executable", sys.executable)
    subprocess.run([base_python, "-m", "venv", "--clear", str(FLOOR_VENV)], check=True)
    pip = subprocess.run(
        [str(python), "-m", "pip", "install", "-q", "--disable-pip-version-check"]
        + list(FLOOR_REQUIREMENTS),
        capture_output=True,
        text=True,
    )
    if pip.returncode != 0 or not granian.exists():
        raise BenchError(f"cannot install the floor's dependencies:\n{pip.stdout}{pip.stderr}")
    stamp.write_text(wanted)
    return granian


def mockc_generate(spec: Path, out: Path) -> float:
    """Fresh generation of `spec` into `out`; returns the wall time in seconds."""
    if out.exists():
        shutil.rmtree(out)
    mockc = Path(sys.executable).with_name("mockc")
    argv = [str(mockc), "generate", str(spec), "-o", str(out), "-q"]
    t0 = time.perf_counter()
    proc = subprocess.run(argv, cwd=ROOT, capture_output=True, text=True, env=base_env())
    elapsed = time.perf_counter() - t0
    if proc.returncode != 0:
        raise BenchError(
            f"mockc generate {spec} failed with code {proc.returncode}:\n"
            f"{proc.stdout}{proc.stderr}".rstrip()
        )
    if not (out / "server.py").exists():
        raise BenchError(f"mockc generate {spec} wrote no server.py into {out}")
    return elapsed


def fetch_github_spec() -> tuple[Path | None, str]:
    """The GitHub REST description from npm; (None, reason) when it cannot be had."""
    folder = CACHE / "github"
    spec = folder / GITHUB_MEMBER
    if spec.exists():
        return spec, ""
    npm = shutil.which("npm")
    if npm is None:
        return None, "npm is not installed: GitHub spec skipped"
    folder.mkdir(parents=True, exist_ok=True)
    tarball = folder / GITHUB_TARBALL
    if not tarball.exists():
        print(f"fetching {GITHUB_PACKAGE} with npm pack")
        proc = subprocess.run(
            [npm, "pack", GITHUB_PACKAGE, "--silent"],
            cwd=folder,
            capture_output=True,
            text=True,
            timeout=300,
        )
        if proc.returncode != 0 or not tarball.exists():
            return None, f"npm pack {GITHUB_PACKAGE} failed: {proc.stderr.strip()[-300:]}"
    proc = subprocess.run(
        ["tar", "xzf", GITHUB_TARBALL, GITHUB_MEMBER], cwd=folder, capture_output=True, text=True
    )
    if proc.returncode != 0 or not spec.exists():
        return None, f"cannot extract {GITHUB_MEMBER}: {proc.stderr.strip()}"
    return spec, ""


def count_operations(spec: Path) -> int:
    doc = json.loads(spec.read_text())
    methods = {"get", "put", "post", "delete", "patch", "head", "options", "trace"}
    return sum(1 for item in doc.get("paths", {}).values() for m in item if m in methods)


# --------------------------------------------------------------------------- servers


def start_floor(granian: Path, port: int, pinned: bool = True) -> Started:
    argv = [str(granian), "--interface", "asgi", "--no-ws", "--log-level", "error"]
    argv += ["--host", "127.0.0.1", "--port", str(port), "--workers", "1", "floor_app:app"]
    if pinned:
        argv = ["taskset", "-c", SERVER_CORE, *argv]
    return start("floor", argv, BENCH, base_env())


def start_generated(
    name: str, out: Path, port: int, pinned: bool, extra_env: dict[str, str] | None = None
) -> Started:
    env = base_env()
    env.update({"PORT": str(port), "HOST": "127.0.0.1", **(extra_env or {})})
    argv = [sys.executable, "server.py"]
    if pinned:
        argv = ["taskset", "-c", SERVER_CORE, *argv]
    return start(name, argv, out, env)


# --------------------------------------------------------------------------- the run


@dataclass
class Report:
    settings: dict[str, Any] = field(default_factory=dict)
    environment: dict[str, Any] = field(default_factory=dict)
    load: dict[str, Any] = field(default_factory=dict)
    rss_kib: dict[str, Any] = field(default_factory=dict)
    startup_s: dict[str, Any] = field(default_factory=dict)
    generation_s: dict[str, Any] = field(default_factory=dict)
    spec_to_server_s: dict[str, Any] = field(default_factory=dict)
    targets: dict[str, Any] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)


def environment() -> dict[str, Any]:
    cpu = ""
    with contextlib.suppress(OSError):
        found = re.search(r"^model name\s*:\s*(.+)$", Path("/proc/cpuinfo").read_text(), re.M)
        cpu = found.group(1) if found else ""
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
    ).stdout.strip()
    dirty = subprocess.run(
        ["git", "--no-optional-locks", "status", "--porcelain", "--untracked-files=no"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    ).stdout.strip()
    wrk_version = subprocess.run(["wrk", "--version"], capture_output=True, text=True).stdout
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "wrk": wrk_version.splitlines()[0] if wrk_version else "",
        "commit": commit + ("+dirty" if dirty else ""),
        "loadavg_at_start": os.getloadavg()[0],
    }


def load_floor(report: Report, duration: float, warmup: float) -> None:
    granian = ensure_floor_venv()
    port = free_port()
    url = f"http://127.0.0.1:{port}/pets/1"
    with running(start_floor(granian, port)) as floor:
        wait_healthy(floor, port, "/pets/1")
        report.load["floor"] = {"body_bytes": len(check_ok(port, "/pets/1", "floor"))}
        wrk(url, warmup)
        result = wrk(url, duration, floor.proc.pid)
        report.load["floor"].update(asdict(result))
        wrk(url, warmup, connections=ECHO_CONNECTIONS)
        result = wrk(url, duration, floor.proc.pid, connections=ECHO_CONNECTIONS)
        report.load["floor_64"] = asdict(result)


def check_echo_mock(out: Path) -> None:
    """The templated-echo case measures what it says: the generated showPetById
    mock echoes the path's petId through a template."""
    mock = out / "mocks" / "showPetById.yaml"
    text = mock.read_text(encoding="utf-8") if mock.exists() else ""
    if ECHO_TEMPLATE not in text:
        raise BenchError(f"{mock} does not echo {ECHO_TEMPLATE}: the echo case would not be one")


def check_echo_answer(body: bytes) -> None:
    answer = json.loads(body)
    if not isinstance(answer, dict) or answer.get("id") != ECHO_PET_ID:
        raise BenchError(f"GET /pets/{ECHO_PET_ID} did not echo its id: {body[:200]!r}")


def load_petstore(report: Report, out: Path, duration: float, warmup: float) -> None:
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    check_echo_mock(out)
    with running(start_generated("petstore", out, port, pinned=True)) as server:
        report.startup_s["first_start"] = wait_healthy(server, port, "/health")
        get_body = check_ok(port, "/pets/1", "generated petstore")
        list_body = check_ok(port, "/pets?limit=10", "generated petstore")
        echo_body = check_ok(port, f"/pets/{ECHO_PET_ID}", "generated petstore")
        check_echo_answer(echo_body)
        fake_body = check_ok(
            port, "/pets/123456", "generated petstore", headers={"Prefer": "dynamic=true"}
        )
        pid = server.proc.pid
        rss_before = rss_kib(pid)
        processes = len(tree_pids(pid))

        wrk(f"{base}/pets/1", warmup)
        first = wrk(f"{base}/pets/1", duration, pid)
        rss_first = rss_kib(pid)
        second = wrk(f"{base}/pets/1", duration, pid)
        rss_second = rss_kib(pid)

        wrk(f"{base}/pets?limit=10", warmup)
        listing = wrk(f"{base}/pets?limit=10", duration, pid)
        rss_after_list = rss_kib(pid)

        echo_url = f"{base}/pets/{ECHO_PET_ID}"
        wrk(echo_url, warmup, connections=ECHO_CONNECTIONS)
        echo = wrk(echo_url, duration, pid, connections=ECHO_CONNECTIONS)

        wrk(f"{base}/pets/1", warmup, script=FAKE_SCRIPT)
        fake = wrk(f"{base}/pets/1", duration, pid, script=FAKE_SCRIPT)

        if server.proc.poll() is not None:
            raise BenchError(f"the petstore server died under load:\n{log_tail(server)}")

    items = json.loads(list_body)
    report.load["petstore_get"] = {"body_bytes": len(get_body), **asdict(first)}
    report.load["petstore_get_again"] = asdict(second)
    report.load["petstore_list"] = {
        "body_bytes": len(list_body),
        "items": len(items) if isinstance(items, list) else None,
        **asdict(listing),
    }
    report.load["petstore_echo_64"] = {
        "body_bytes": len(echo_body),
        "connections": ECHO_CONNECTIONS,
        **asdict(echo),
    }
    report.load["petstore_fake"] = {"body_bytes": len(fake_body), **asdict(fake)}
    growth = rss_second - rss_first
    report.rss_kib = {
        "processes": processes,
        "before_load": rss_before,
        "after_run_1": rss_first,
        "after_run_2": rss_second,
        "after_list_run": rss_after_list,
        "growth_run_1_to_2": growth,
        "growth_bytes_per_request": round(growth * 1024 / max(second.requests, 1), 3),
        "grew": growth > RSS_GROWTH_TOLERANCE_KIB,
    }


def measure_startup(report: Report, out: Path, runs: int) -> None:
    samples = []
    for i in range(runs):
        port = free_port()
        with running(start_generated(f"petstore-start-{i}", out, port, pinned=False)) as srv:
            samples.append(wait_healthy(srv, port, "/health"))
    report.startup_s.update(
        {
            "runs": runs,
            "samples": [round(s, 4) for s in samples],
            "median": statistics.median(samples),
        }
    )


def measure_github(report: Report) -> None:
    spec, reason = fetch_github_spec()
    if spec is None:
        print(f"SKIPPED: {reason}")
        report.notes.append(reason)
        return
    out = CACHE / "github-server"
    operations = count_operations(spec)
    t0 = time.perf_counter()
    try:
        generate = mockc_generate(spec, out)
    except BenchError as exc:
        report.failures.append(f"GitHub ({operations} operations): {exc}")
        return
    report.generation_s["github"] = {"operations": operations, "seconds": generate}
    port = free_port()
    try:
        with running(start_generated("github", out, port, pinned=False)) as server:
            started = wait_healthy(server, port, "/health")
    except BenchError as exc:
        report.failures.append(f"GitHub server: {exc}")
        return
    total = time.perf_counter() - t0
    report.spec_to_server_s["github"] = {
        "generate": generate,
        "start_to_health": started,
        "total": total,
    }


def judge(report: Report) -> None:
    floor = report.load.get("floor", {}).get("rps")
    targets: dict[str, Any] = {}
    floor_64 = report.load.get("floor_64", {}).get("rps")
    for key, base in (
        ("petstore_get", floor),
        ("petstore_list", floor),
        ("petstore_echo_64", floor_64),
    ):
        rps = report.load.get(key, {}).get("rps")
        if base and rps is not None:
            ratio = rps / base
            report.load[key]["ratio_to_floor"] = round(ratio, 3)
            targets[f"{key}_ratio"] = {
                "value": round(ratio, 3),
                "target": f">= {TARGET_RATIO}",
                "met": ratio >= TARGET_RATIO,
            }
    if "median" in report.startup_s:
        median = report.startup_s["median"]
        targets["startup"] = {
            "value": round(median, 3),
            "target": f"< {TARGET_STARTUP_S} s",
            "met": median < TARGET_STARTUP_S,
        }
    if report.rss_kib:
        targets["rss_growth"] = {
            "value": report.rss_kib["growth_run_1_to_2"],
            "target": f"<= {RSS_GROWTH_TOLERANCE_KIB} KiB between two equal runs",
            "met": not report.rss_kib["grew"],
        }
    if "github" in report.spec_to_server_s:
        total = report.spec_to_server_s["github"]["total"]
        targets["spec_to_server_github"] = {
            "value": round(total, 2),
            "target": f"< {TARGET_SPEC_TO_SERVER_S} s",
            "met": total < TARGET_SPEC_TO_SERVER_S,
        }
    fake = report.load.get("petstore_fake", {}).get("rps")
    if floor and fake is not None:
        report.load["petstore_fake"]["ratio_to_floor"] = round(fake / floor, 3)
    for key in (
        "floor",
        "floor_64",
        "petstore_get",
        "petstore_get_again",
        "petstore_list",
        "petstore_echo_64",
        "petstore_fake",
    ):
        run = report.load.get(key)
        if run and (run.get("non_2xx") or run.get("socket_errors")):
            report.notes.append(
                f"{key}: {run['non_2xx']} non-2xx answers, {run['socket_errors']} socket errors"
            )
        other = run.get("other_cpu_pct") if run else None
        if other is not None and other > BUSY_WARNING_PCT:
            report.notes.append(
                f"{key}: other programs used {other:.0f}% of the machine during the run; "
                "its figures are disturbed"
            )
    report.targets = targets


def mark(met: bool | None) -> str:
    return "" if met is None else ("ok" if met else "MISSED")


def print_table(report: Report) -> None:
    t = report.targets
    rows: list[tuple[str, str, str, str]] = []
    for key, label in (
        ("floor", "floor: Starlette+granian GET /pets/1"),
        ("floor_64", "floor, 64 connections"),
        ("petstore_get", "petstore GET /pets/1 (templated mock)"),
        ("petstore_get_again", "petstore GET /pets/1 (2nd run)"),
        ("petstore_list", "petstore GET /pets?limit=10 (static mock)"),
        ("petstore_echo_64", f"petstore GET /pets/{ECHO_PET_ID} echo, 64 connections"),
        ("petstore_fake", "petstore GET /pets/{n} fake per request"),
    ):
        run = report.load.get(key)
        if not run:
            continue
        figure = (
            f"{run['rps']:>9,.0f} req/s  p50 {run['p50_ms']:.2f} ms  p99 {run['p99_ms']:.2f} ms"
        )
        ratio = run.get("ratio_to_floor")
        goal = t.get(f"{key}_ratio", {})
        wanted = f" (>= {TARGET_RATIO}x)" if goal else ""
        rows.append(
            (
                label,
                figure,
                f"{ratio:.2f}x floor{wanted}" if ratio is not None else "",
                mark(goal.get("met")),
            )
        )
    if report.startup_s.get("median") is not None:
        rows.append(
            (
                "start-up to /health 200 (median)",
                f"{report.startup_s['median'] * 1000:.0f} ms of {report.startup_s['runs']}",
                f"< {TARGET_STARTUP_S * 1000:.0f} ms",
                mark(t.get("startup", {}).get("met")),
            )
        )
    if report.rss_kib:
        r = report.rss_kib
        rows.append(
            (
                f"RSS ({r['processes']} process{'es' if r['processes'] != 1 else ''})",
                f"{r['before_load'] / 1024:.1f} -> {r['after_run_1'] / 1024:.1f} -> "
                f"{r['after_run_2'] / 1024:.1f} MiB",
                f"run 1->2: {r['growth_run_1_to_2']:+d} KiB",
                mark(t.get("rss_growth", {}).get("met")),
            )
        )
    for key, gen in report.generation_s.items():
        rows.append(
            (f"generate {key} ({gen['operations']} ops)", f"{gen['seconds']:.2f} s", "", "")
        )
    for key, s2s in report.spec_to_server_s.items():
        rows.append(
            (
                f"spec -> running server, {key}",
                f"{s2s['total']:.2f} s (start {s2s['start_to_health']:.2f} s)",
                f"< {TARGET_SPEC_TO_SERVER_S:.0f} s",
                mark(t.get("spec_to_server_github", {}).get("met")),
            )
        )
    widths = [max(len(row[i]) for row in rows) for i in range(4)] if rows else [0] * 4
    print()
    for row in rows:
        print("  ".join(cell.ljust(widths[i]) for i, cell in enumerate(row)).rstrip())
    for note in report.notes:
        print(f"note: {note}")
    for failure in report.failures:
        print(f"FAILED: {failure}")


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--duration", type=float, default=None, help="seconds per wrk run (10)")
    parser.add_argument("--quick", action="store_true", help="3 s wrk runs, 3 start-up runs")
    parser.add_argument("--no-github", action="store_true", help="skip the GitHub REST spec")
    parser.add_argument("--check", action="store_true", help="exit 1 when a target is missed")
    parser.add_argument("--output", type=Path, default=RESULTS / "http.json")
    return parser.parse_args(argv)


def preflight() -> None:
    for tool in ("wrk", "taskset"):
        if shutil.which(tool) is None:
            raise BenchError(f"{tool} is not installed")
    if (os.cpu_count() or 1) < 2:
        raise BenchError("the server and wrk need a core each: this machine has one")
    if not Path(sys.executable).with_name("mockc").exists():
        raise BenchError(f"no mockc next to {sys.executable}: run with the dev venv's python")


def run(args: argparse.Namespace) -> Report:
    duration = args.duration if args.duration is not None else (3.0 if args.quick else 10.0)
    warmup = 1.0
    startup_runs = 3 if args.quick else 5
    report = Report(
        settings={
            "wrk": f"taskset -c {WRK_CORE} wrk -t1 -c{CONNECTIONS} -d{round(duration)}s --latency",
            "server_core": int(SERVER_CORE),
            "duration_s": round(duration),
            "warmup_s": warmup,
            "startup_runs": startup_runs,
            "request_validation": "on (default)",
            "echo_connections": ECHO_CONNECTIONS,
            "fake_script": FAKE_SCRIPT.name,
        },
        environment=environment(),
    )

    print("generating servers")
    petstore = CACHE / "petstore"
    report.generation_s["petstore"] = {
        "operations": 4,
        "seconds": mockc_generate(PETSTORE_SPEC, petstore),
    }
    if SLACK_SPEC.exists():
        operations = count_operations(SLACK_SPEC)
        try:
            seconds = mockc_generate(SLACK_SPEC, CACHE / "slack")
            report.generation_s["slack"] = {"operations": operations, "seconds": seconds}
        except BenchError as exc:
            report.failures.append(f"Slack ({operations} operations): {exc}")
    else:
        report.notes.append(f"{SLACK_SPEC} not found: Slack generation skipped")

    print(f"load: floor ({round(duration)} s)")
    load_floor(report, duration, warmup)
    print(f"load: generated petstore (5 x {round(duration)} s)")
    load_petstore(report, petstore, duration, warmup)
    print(f"start-up: {startup_runs} runs")
    measure_startup(report, petstore, startup_runs)
    if args.no_github:
        report.notes.append("GitHub spec skipped (--no-github)")
    else:
        print("GitHub spec: generate and start")
        measure_github(report)
    judge(report)
    return report


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    signal.signal(signal.SIGTERM, _on_signal)
    signal.signal(signal.SIGHUP, _on_signal)
    try:
        preflight()
        report = run(args)
    except BenchError as exc:
        print(f"\nbenchmark failed: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("\ninterrupted", file=sys.stderr)
        return 130
    finally:
        stop_all()
    print_table(report)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(asdict(report), indent=2, sort_keys=True) + "\n")
    shown = args.output.relative_to(ROOT) if args.output.is_relative_to(ROOT) else args.output
    print(f"\nwrote {shown}")
    if report.failures:
        print(f"{len(report.failures)} measurement(s) failed, see above", file=sys.stderr)
        return 1
    missed = [name for name, goal in report.targets.items() if not goal["met"]]
    if missed and args.check:
        print(f"targets missed: {', '.join(missed)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
