"""Benchmark of the gRPC target: unary calls/s of a generated server against a floor.

Run from the repository root, with the dev venv (grpcio-tools installed):

    .venv/bin/python bench/grpc_bench.py              # about 2 minutes: 3 rounds of 10 s runs
    .venv/bin/python bench/grpc_bench.py --quick      # about 30 seconds: 1 round of 4 s runs

It generates the server of the corpus' helloworld.proto, then, in each round,
loads in turn the hand-written floor servicer (bench/grpc_floor.py) and the
generated server (with its generated mock, then with a mock that matches a
request field and renders a template), each alone on core 0, the load
generator on core 1. It prints a table and writes bench/results/grpc.json.
Every process it starts runs in its own process group and is stopped on the
way out, whatever happens. See bench/README.md for what each figure means.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import re
import shutil
import signal
import socket
import statistics
import struct
import subprocess
import sys
import time
import urllib.request
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
CACHE = BENCH / ".cache"
LOGS = CACHE / "logs"
RESULTS = BENCH / "results"
CORPUS = Path(os.environ.get("MOCKC_CORPUS", ROOT / "tests" / "corpus"))
HELLOWORLD = CORPUS / "proto" / "grpc-helloworld" / "helloworld.proto"
METHOD = "/helloworld.Greeter/SayHello"
REQUEST = b"\n\x05bench"  # HelloRequest(name="bench")

SERVER_CORE = "0"
LOAD_CORE = "1"
CONNECTIONS = 1
STREAMS = 32
"""h2load: concurrent calls on one HTTP/2 connection, as one gRPC channel makes them."""
TARGET_RATIO = 0.6
START_TIMEOUT_S = 30.0
BUSY_WARNING_PCT = 10.0

MATCH_MOCK = """\
# bench: a mock that matches a request field and renders a template
id: Greeter_SayHello
operation: Greeter_SayHello
match:
  body: {name: bench}
response:
  body: {message: "Hello {{ request.body.name }}, nice to see you again"}
"""


class BenchError(Exception):
    """A benchmark could not run; the message says why."""


# --------------------------------------------------------------------------- processes


@dataclass
class Started:
    name: str
    proc: subprocess.Popen[bytes]
    log: Path


_STARTED: list[Started] = []


def start(name: str, argv: Sequence[str], cwd: Path, env: dict[str, str]) -> Started:
    """Start a process in its own session (its own process group), output to a log."""
    LOGS.mkdir(parents=True, exist_ok=True)
    log = LOGS / f"grpc-{name}.log"
    with log.open("wb") as out:
        proc = subprocess.Popen(
            list(argv),
            cwd=cwd,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    started = Started(name, proc, log)
    _STARTED.append(started)
    return started


def stop(started: Started) -> int | None:
    """SIGTERM the process group, then SIGKILL it after 5 s; the exit code."""
    proc = started.proc
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGTERM)
    try:
        code: int | None = proc.wait(timeout=5)
    except subprocess.TimeoutExpired:
        code = None
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=5)
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGKILL)
    if started in _STARTED:
        _STARTED.remove(started)
    return code


def stop_all() -> None:
    for started in list(_STARTED):
        stop(started)


def _on_signal(signum: int, _frame: object) -> None:
    raise KeyboardInterrupt


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def log_tail(started: Started, lines: int = 30) -> str:
    try:
        text = started.log.read_text(errors="replace")
    except OSError:
        return ""
    return "\n".join(text.splitlines()[-lines:])


def pinned(core: str, argv: Sequence[str]) -> list[str]:
    return ["taskset", "-c", core, *argv] if shutil.which("taskset") else list(argv)


# --------------------------------------------------------------------------- calls


def say_hello(port: int, timeout: float = 2.0) -> str:
    """One real call with a grpcio client: the reply's message (raises when not OK)."""
    import grpc

    with grpc.insecure_channel(f"127.0.0.1:{port}") as channel:
        call = channel.unary_unary(METHOD)
        reply: bytes = call(REQUEST, timeout=timeout)
    # HelloReply: field 1 (message), a length-delimited string
    if not reply.startswith(b"\n"):
        raise BenchError(f"unexpected reply bytes {reply[:20]!r}")
    return reply[2 : 2 + reply[1]].decode()


def wait_ready(started: Started, port: int) -> None:
    deadline = time.monotonic() + START_TIMEOUT_S
    last: Exception | None = None
    while time.monotonic() < deadline:
        if started.proc.poll() is not None:
            raise BenchError(f"{started.name} exited:\n{log_tail(started)}")
        try:
            say_hello(port, timeout=0.5)
            return
        except Exception as error:  # not up yet
            last = error
            time.sleep(0.05)
    raise BenchError(f"{started.name} did not answer in time ({last}):\n{log_tail(started)}")


# --------------------------------------------------------------------------- load


@dataclass
class LoadResult:
    calls_per_s: float
    calls: int
    failed: int
    other_cpu_pct: float | None = None
    non_ok: dict[str, int] = field(default_factory=dict)


def busy_jiffies() -> int:
    with open("/proc/stat") as stat:
        parts = [int(x) for x in stat.readline().split()[1:]]
    return sum(parts) - parts[3] - parts[4]  # minus idle and iowait


def tree_cpu_jiffies(root: int) -> int:
    total = 0
    for task in Path(f"/proc/{root}/task").glob("*"):
        with contextlib.suppress(OSError, IndexError, ValueError):
            fields = (task / "stat").read_text().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])
    return total


def h2load(port: int, duration: float, warmup: float) -> tuple[int, int, float, int]:
    """(succeeded, failed, seconds, load-generator jiffies) of an h2load run."""
    body = CACHE / "grpc-request.bin"
    body.write_bytes(b"\x00" + struct.pack(">I", len(REQUEST)) + REQUEST)
    argv = pinned(
        LOAD_CORE,
        [
            "h2load",
            "-D", f"{duration:g}", "--warm-up-time", f"{warmup:g}",
            "-c", str(CONNECTIONS), "-m", str(STREAMS), "-t", "1",
            "-d", str(body),
            "-H", "content-type: application/grpc", "-H", "te: trailers",
            f"http://127.0.0.1:{port}{METHOD}",
        ],
    )  # fmt: skip
    result = subprocess.run(argv, capture_output=True, text=True, timeout=duration + warmup + 60)
    text = result.stdout + result.stderr
    found = re.search(
        r"requests: (\d+) total, \d+ started, \d+ done, (\d+) succeeded, (\d+) failed", text
    )
    took = re.search(r"finished in ([\d.]+)s", text)
    if result.returncode != 0 or not found or not took:
        raise BenchError(f"h2load failed:\n{text[-2000:]}")
    return int(found.group(2)), int(found.group(3)), float(took.group(1)), 0


def python_load(port: int, duration: float, warmup: float) -> tuple[int, int, float, int]:
    """A grpc.aio client with STREAMS concurrent calls on one channel (when h2load is missing)."""
    code = f"""
import asyncio, time, grpc
async def main():
    async with grpc.aio.insecure_channel("127.0.0.1:{port}") as channel:
        call = channel.unary_unary({METHOD!r})
        end = time.perf_counter() + {warmup}
        async def worker(until, counts):
            while time.perf_counter() < until:
                try:
                    await call({REQUEST!r})
                    counts[0] += 1
                except grpc.RpcError:
                    counts[1] += 1
        await asyncio.gather(*(worker(end, [0, 0]) for _ in range({STREAMS})))
        counts = [0, 0]
        started = time.perf_counter()
        until = started + {duration}
        await asyncio.gather(*(worker(until, counts) for _ in range({STREAMS})))
        print(counts[0], counts[1], time.perf_counter() - started)
asyncio.run(main())
"""
    result = subprocess.run(
        pinned(LOAD_CORE, [sys.executable, "-c", code]),
        capture_output=True,
        text=True,
        timeout=duration + warmup + 60,
    )
    if result.returncode != 0:
        raise BenchError(f"the Python load client failed:\n{result.stderr[-2000:]}")
    ok, failed, seconds = result.stdout.split()
    return int(ok), int(failed), float(seconds), 0


def load(server: Started, port: int, duration: float, warmup: float, client: str) -> LoadResult:
    run = h2load if client == "h2load" else python_load
    busy0, server0, t0 = busy_jiffies(), tree_cpu_jiffies(server.proc.pid), time.perf_counter()
    ok, failed, seconds, _ = run(port, duration, warmup)
    elapsed = time.perf_counter() - t0
    busy = busy_jiffies() - busy0
    server_cpu = tree_cpu_jiffies(server.proc.pid) - server0
    ticks = os.sysconf("SC_CLK_TCK")
    cores = os.cpu_count() or 1
    # what ran besides the server and the load generator (which keeps one core busy)
    other = max(0.0, busy - server_cpu - ticks * elapsed) / (ticks * elapsed * cores) * 100
    return LoadResult(
        calls_per_s=round(ok / seconds, 1),
        calls=ok,
        failed=failed,
        other_cpu_pct=round(other, 1),
    )


# --------------------------------------------------------------------------- servers


def base_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("MOCKC_")}
    env.pop("PYTHONPATH", None)
    return env


def prepare(out: Path) -> tuple[Path, Path, Path]:
    """The floor's stubs, the generated server and its variant with a matching mock."""
    if not HELLOWORLD.is_file():
        raise BenchError(f"the corpus is missing: no {HELLOWORLD} (set MOCKC_CORPUS)")
    stubs = out / "stubs"
    shutil.rmtree(stubs, ignore_errors=True)
    stubs.mkdir(parents=True)
    subprocess.run(
        [sys.executable, "-m", "grpc_tools.protoc", f"-I{HELLOWORLD.parent}",
         f"--python_out={stubs}", f"--grpc_python_out={stubs}", HELLOWORLD.name],
        check=True,
    )  # fmt: skip
    generated = out / "helloworld"
    matching = out / "helloworld-match"
    for folder in (generated, matching):
        shutil.rmtree(folder, ignore_errors=True)
        subprocess.run(
            [sys.executable, "-m", "mockc.compiler.cli", "generate", str(HELLOWORLD),
             "-o", str(folder), "-q"],
            check=True, cwd=ROOT.parent, capture_output=True,
        )  # fmt: skip
    (matching / "mocks" / "Greeter_SayHello.yaml").write_text(MATCH_MOCK)
    return stubs, generated, matching


def start_floor(stubs: Path, port: int) -> Started:
    env = {**base_env(), "PYTHONPATH": str(stubs)}
    argv = pinned(SERVER_CORE, [sys.executable, str(BENCH / "grpc_floor.py"), str(port)])
    return start("floor", argv, BENCH, env)


def start_generated(name: str, folder: Path, port: int, admin: int) -> Started:
    shutil.rmtree(folder / ".mockc-data", ignore_errors=True)  # every run starts its journal
    env = {**base_env(), "PORT": str(port), "MOCKC_ADMIN_PORT": str(admin)}
    return start(name, pinned(SERVER_CORE, [sys.executable, "server.py"]), folder, env)


def non_ok_statuses(admin: int) -> dict[str, int]:
    """Calls the generated server answered with another status than OK (from /metrics)."""
    with urllib.request.urlopen(f"http://127.0.0.1:{admin}/metrics", timeout=5) as answer:
        text = answer.read().decode()
    found: dict[str, int] = {}
    for status, count in re.findall(
        r'mockc_requests_total\{[^}]*status="([^"]+)"\} ([\d.e+]+)', text
    ):
        if status != "OK":
            found[status] = found.get(status, 0) + int(float(count))
    return found


# --------------------------------------------------------------------------- report


@dataclass
class Report:
    settings: dict[str, Any]
    environment: dict[str, Any]
    runs: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    figures: dict[str, Any] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)


def environment(client: str) -> dict[str, Any]:
    commit = subprocess.run(
        ["git", "describe", "--always", "--dirty"], cwd=ROOT, capture_output=True, text=True
    ).stdout.strip()
    cpu = ""
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    import grpc

    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "python": platform.python_version(),
        "grpcio": grpc.__version__,
        "platform": platform.platform(),
        "load_generator": client,
        "commit": commit,
        "loadavg_at_start": os.getloadavg()[0],
    }


def run(args: argparse.Namespace) -> Report:
    client = "h2load" if shutil.which("h2load") and not args.python_client else "python"
    report = Report(
        settings={
            "duration_s": args.duration,
            "warmup_s": args.warmup,
            "rounds": args.rounds,
            "connections": CONNECTIONS,
            "concurrent_calls": STREAMS,
            "method": METHOD,
        },
        environment=environment(client),
    )
    if client == "python":
        report.notes.append(
            "h2load not found: the Python load client was used (it may saturate first)"
        )
    stubs, generated, matching = prepare(CACHE / "grpc")
    variants: list[tuple[str, Path | None]] = [
        ("floor", None),
        ("generated", generated),
        ("generated, matching mock", matching),
    ]
    for number in range(args.rounds):
        for name, folder in variants:
            port = free_port()
            admin = free_port()
            server = (
                start_floor(stubs, port)
                if folder is None
                else start_generated(name.replace(", ", "-").replace(" ", "-"), folder, port, admin)
            )
            try:
                wait_ready(server, port)
                answer = say_hello(port)
                result = load(server, port, args.duration, args.warmup, client)
                if folder is not None:
                    result.non_ok = non_ok_statuses(admin)
            finally:
                code = stop(server)
            if folder is not None and code != 0:
                report.notes.append(f"{name} exited with {code} on SIGTERM (round {number + 1})")
            entry = {"round": number + 1, "reply": answer, **asdict(result)}
            report.runs.setdefault(name, []).append(entry)
            print(
                f"  round {number + 1}: {name:<26} {result.calls_per_s:>9.0f} calls/s"
                + (f"  (other CPU {result.other_cpu_pct}%)" if result.other_cpu_pct else ""),
                file=sys.stderr,
                flush=True,
            )
    judge(report)
    return report


def judge(report: Report) -> None:
    medians = {
        name: statistics.median(run["calls_per_s"] for run in runs)
        for name, runs in report.runs.items()
    }
    floor = medians["floor"]
    for name, median in medians.items():
        figure: dict[str, Any] = {"median_calls_per_s": round(median, 1)}
        if name != "floor":
            figure["ratio"] = round(median / floor, 3) if floor else None
            rounds = zip(report.runs["floor"], report.runs[name], strict=True)
            figure["ratio_per_round"] = [
                round(b["calls_per_s"] / a["calls_per_s"], 3) for a, b in rounds
            ]
        report.figures[name] = figure
    ratio = report.figures["generated"]["ratio"]
    report.figures["target"] = {
        "ratio": TARGET_RATIO,
        "met": ratio is not None and ratio >= TARGET_RATIO,
    }
    for name, runs in report.runs.items():
        for entry in runs:
            if entry["failed"] or entry["non_ok"]:
                report.notes.append(
                    f"{name}, round {entry['round']}: {entry['failed']} failed calls, "
                    f"non-OK statuses {entry['non_ok']}"
                )
            if (entry["other_cpu_pct"] or 0) > BUSY_WARNING_PCT:
                report.notes.append(
                    f"{name}, round {entry['round']}: other programs used "
                    f"{entry['other_cpu_pct']}% CPU; the figures are unreliable"
                )


def print_table(report: Report) -> None:
    floor = report.figures["floor"]["median_calls_per_s"]
    print(f"\ngRPC unary {METHOD}, medians of {report.settings['rounds']} round(s):")
    print(f"  {'server':<28}{'calls/s':>10}{'ratio':>8}")
    for name, figure in report.figures.items():
        if name == "target":
            continue
        ratio = figure.get("ratio")
        shown = f"{ratio:.2f}" if ratio is not None else "-"
        print(f"  {name:<28}{figure['median_calls_per_s']:>10.0f}{shown:>8}")
    met = report.figures["target"]["met"]
    ratio = report.figures["generated"]["ratio"]
    print(f"\n  target: generated ≥ {TARGET_RATIO:.0%} of the floor ({floor:.0f} calls/s): "
          f"{'met' if met else 'MISSED'} ({ratio:.0%})")  # fmt: skip
    for note in report.notes:
        print(f"  note: {note}")


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="1 round of 4 s runs")
    parser.add_argument("--duration", type=float, help="seconds per load run (default 10)")
    parser.add_argument("--warmup", type=float, default=1.0, help="seconds before each run")
    parser.add_argument("--rounds", type=int, help="floor/generated rounds (default 3)")
    parser.add_argument("--python-client", action="store_true", help="never use h2load")
    parser.add_argument("--check", action="store_true", help="exit 1 when the target is missed")
    parser.add_argument("--output", type=Path, default=RESULTS / "grpc.json")
    args = parser.parse_args(argv)
    args.duration = args.duration or (4.0 if args.quick else 10.0)
    args.rounds = args.rounds or (1 if args.quick else 3)
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    signal.signal(signal.SIGTERM, _on_signal)
    try:
        report = run(args)
    except BenchError as error:
        print(f"grpc_bench: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("grpc_bench: interrupted", file=sys.stderr)
        return 130
    finally:
        stop_all()
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(asdict(report), indent=1) + "\n")
    print_table(report)
    print(f"\n  written: {args.output}")
    return 1 if args.check and not report.figures["target"]["met"] else 0


if __name__ == "__main__":
    sys.exit(main())
