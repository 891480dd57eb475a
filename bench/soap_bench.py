"""Benchmark of the SOAP target: requests/s of a generated server against the floor.

Run from the repository root:

    .venv/bin/python bench/soap_bench.py            # about 1.5 minutes: 3 rounds of 10 s runs
    .venv/bin/python bench/soap_bench.py --quick    # about 20 seconds: 1 round of 3 s runs

The generated server is dneonline-calculator's (the corpus WSDL) with its
generated mocks and default settings (requests checked against the WSDL's
schemas, answers checked, journal on); the floor (soap_floor_app.py) is a
minimal hand-written responder for Add in the same stack: it parses the
envelope with lxml, checks SOAPAction and the body element and sends a
constant answer. Both run at once on the same core and are loaded in turns
(floor, server, floor, server…) with wrk POSTing a SOAP 1.1 Add; the
figures are the medians of the rounds, the ratio the median of each round's
ratio, and each side's CPU time per request is reported too. It also
times generation and start-up of the calculator and of ONVIF device
management (its schemas are read at start-up). It prints a table and writes
bench/results/soap.json. See bench/README.md.
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
CACHE = BENCH / ".cache" / "soap"
RESULTS = BENCH / "results"
CORPUS = ROOT / "tests" / "corpus" / "wsdl"
TARGET_RATIO = 0.6
SPECS = {
    "calculator": CORPUS / "dneonline-calculator" / "calculator.wsdl",
    "onvif-devicemgmt": CORPUS / "onvif" / "devicemgmt.wsdl",
}
ENVELOPE = (
    '<?xml version="1.0" encoding="utf-8"?>\n'
    '<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"\n'
    '               xmlns:wsa="http://www.w3.org/2005/08/addressing">\n'
    "  <soap:Header>\n"
    "    <wsa:Action>http://tempuri.org/Add</wsa:Action>\n"
    "    <wsa:MessageID>urn:uuid:6b29fc40-ca47-1067-b31d-00dd010662da</wsa:MessageID>\n"
    "    <wsa:To>http://127.0.0.1/calculator.asmx</wsa:To>\n"
    "    <wsa:ReplyTo>\n"
    "      <wsa:Address>http://www.w3.org/2005/08/addressing/anonymous</wsa:Address>\n"
    "    </wsa:ReplyTo>\n"
    "    <wsa:From>\n"
    "      <wsa:Address>urn:example:order-service:billing-calculator-client</wsa:Address>\n"
    "    </wsa:From>\n"
    "    <wsa:FaultTo>\n"
    "      <wsa:Address>urn:example:order-service:billing-calculator-faults</wsa:Address>\n"
    "    </wsa:FaultTo>\n"
    "    <wsa:RelatesTo>urn:uuid:1c8e5b7a-2f4d-4e6a-9b3c-7d8e9f0a1b2c</wsa:RelatesTo>\n"
    "  </soap:Header>\n"
    "  <soap:Body>\n"
    '    <Add xmlns="http://tempuri.org/">\n'
    "      <intA>2</intA>\n"
    "      <intB>3</intB>\n"
    "    </Add>\n"
    "  </soap:Body>\n"
    "</soap:Envelope>\n"
)
"""A SOAP 1.1 Add as a WCF-style client sends it: WS-Addressing headers
(understood, not required) around the body, about 1 KB."""
ACTION = '"http://tempuri.org/Add"'
PATH = "/calculator.asmx"


@dataclass
class Figures:
    settings: dict[str, Any]
    machine: dict[str, Any]
    floor: dict[str, Any] = field(default_factory=dict)
    server: dict[str, Any] = field(default_factory=dict)
    ratio: float | None = None
    """The median of the rounds' ratios."""
    round_ratios: list[float] = field(default_factory=list)
    cpu_us_per_request: dict[str, float] = field(default_factory=dict)
    """CPU time of the server process (every thread) per answered request,
    the median of the rounds: on a busy machine, steadier than requests/s."""
    cpu_ratio: float | None = None
    """The floor's CPU per request over the server's: the ratio of requests/s
    the two would reach on a core of their own."""
    startup_s: dict[str, float] = field(default_factory=dict)
    generate_s: dict[str, float] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)


MESSAGE_ID = "00dd010662da"
"""The last 12 hex digits of the envelope's MessageID, which each request
replaces with its own number: a client sends a new MessageID with every
request, so no two request bodies are the same (as with a real client)."""


def post_script() -> Path:
    """A wrk Lua script that POSTs the Add envelope, each with its own MessageID."""
    CACHE.mkdir(parents=True, exist_ok=True)
    script = CACHE / "post.lua"
    before, after = ENVELOPE.split(MESSAGE_ID)
    script.write_text(
        'wrk.method = "POST"\n'
        'wrk.headers["Content-Type"] = "text/xml; charset=utf-8"\n'
        f'wrk.headers["SOAPAction"] = {json.dumps(ACTION)}\n'
        f"local before, after = {json.dumps(before)}, {json.dumps(after)}\n"
        "local sent = 0\n"
        "request = function()\n"
        "  sent = sent + 1\n"
        '  return wrk.format(nil, nil, nil, before .. string.format("%012x", sent) .. after)\n'
        "end\n"
    )
    return script


@dataclass
class Run:
    result: hb.WrkResult
    cpu_us: float
    """The server's CPU time (all its threads) per request answered."""


def load(url: str, script: Path, duration: float, pid: int) -> Run:
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
    server_s = (hb.tree_cpu_jiffies(pid) - server0) / hb.CLK_TCK
    ours = server_s + hb.children_cpu_s() - wrk0
    others = (hb.busy_jiffies() - busy0) / hb.CLK_TCK - ours
    result.other_cpu_pct = round(max(0.0, others) / (wall * (os.cpu_count() or 1)) * 100, 1)
    return Run(result, round(server_s / max(1, result.requests) * 1e6, 1))


def _median(results: list[hb.WrkResult]) -> hb.WrkResult:
    """The run of median requests/s."""
    return sorted(results, key=lambda result: result.rps)[len(results) // 2]


def _median_value(values: list[float]) -> float:
    return sorted(values)[len(values) // 2]


def check_answer(port: int) -> bytes:
    import http.client

    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    try:
        conn.request("POST", PATH, ENVELOPE, {"content-type": "text/xml", "soapaction": ACTION})
        response = conn.getresponse()
        content = response.read()
    finally:
        conn.close()
    if response.status != 200 or b"AddResult" not in content:
        raise hb.BenchError(f"the benchmark request failed on port {port}: {content!r}")
    return content


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
    started = hb.start(f"soap-{name}-start", [sys.executable, "server.py"], folder, env)
    with hb.running(started):
        return hb.wait_healthy(started, port, "/health")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="3 s load runs")
    parser.add_argument("--duration", type=float, help="seconds per load run (default 10)")
    parser.add_argument("--rounds", type=int, help="floor/server rounds (default 3)")
    parser.add_argument("--check", action="store_true", help="exit 1 when the target is missed")
    parser.add_argument("--output", type=Path, default=RESULTS / "soap.json")
    parser.add_argument(
        "--no-validate",
        action="store_true",
        help="serve with MOCKC_VALIDATE=0 (the cost of the schema checks)",
    )
    options = parser.parse_args(argv)
    duration = options.duration or (3.0 if options.quick else 10.0)
    rounds = options.rounds or (1 if options.quick else 3)
    for tool in ("wrk", "taskset"):
        if shutil.which(tool) is None:
            print(f"soap_bench: {tool} is not on the PATH", file=sys.stderr)
            return 1
    signal.signal(signal.SIGTERM, hb._on_signal)
    figures = Figures(
        settings={
            "duration_s": duration,
            "rounds": rounds,
            "connections": hb.CONNECTIONS,
            "request": ENVELOPE,
            "validate": not options.no_validate,
        },
        machine=hb.machine(),
    )
    script = post_script()
    try:
        for name, spec in SPECS.items():
            figures.generate_s[name] = round(generate(spec, CACHE / name), 3)
            figures.startup_s[name] = round(startup(name, CACHE / name), 3)
        runs = {
            "floor": [sys.executable, str(BENCH / "soap_floor_app.py")],
            "server": [sys.executable, "server.py"],
        }
        urls, pids = {}, {}
        for name, command in runs.items():
            port = hb.free_port()
            env = {**_environment(), "PORT": str(port)}
            if options.no_validate:
                env["MOCKC_VALIDATE"] = "0"
            argv = ["taskset", "-c", hb.SERVER_CORE, *command]
            if name == "floor":
                argv.append(str(port))
            started = hb.start(f"soap-{name}", argv, CACHE / "calculator", env)
            hb.wait_healthy(started, port, "/health")
            check_answer(port)
            urls[name] = f"http://127.0.0.1:{port}{PATH}"
            pids[name] = started.proc.pid
            load(urls[name], script, 1.0, pids[name])  # warm-up
        results: dict[str, list[hb.WrkResult]] = {name: [] for name in runs}
        cpu: dict[str, list[float]] = {name: [] for name in runs}
        for _ in range(rounds):  # floor, server, floor, server…: both see the same machine
            for name in runs:
                run = load(urls[name], script, duration, pids[name])
                results[name].append(run.result)
                cpu[name].append(run.cpu_us)
        figures.cpu_us_per_request = {name: _median_value(cpu[name]) for name in runs}
        if figures.cpu_us_per_request["server"] > 0:
            figures.cpu_ratio = round(
                figures.cpu_us_per_request["floor"] / figures.cpu_us_per_request["server"], 3
            )
        for name, measured in results.items():
            result = _median(measured)
            if any(run.non_2xx or run.socket_errors for run in measured):
                figures.notes.append(f"{name}: non-2xx answers or socket errors")
            if result.other_cpu_pct and result.other_cpu_pct > hb.BUSY_WARNING_PCT:
                figures.notes.append(
                    f"{name}: other programs took {result.other_cpu_pct}% of the CPU"
                )
            setattr(figures, name, asdict(result))
        figures.round_ratios = [
            round(server.rps / floor.rps, 3)
            for floor, server in zip(results["floor"], results["server"], strict=True)
        ]
    except hb.BenchError as error:
        print(f"soap_bench: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    finally:
        hb.stop_all()
    figures.ratio = sorted(figures.round_ratios)[len(figures.round_ratios) // 2]
    options.output.parent.mkdir(parents=True, exist_ok=True)
    options.output.write_text(json.dumps(asdict(figures), indent=1) + "\n")
    print(f"medians of {rounds} round(s) of {duration:g} s:")
    print(f"{'':<28}{'req/s':>10}{'p50 ms':>9}{'p99 ms':>9}{'CPU µs/req':>12}")
    for name in ("floor", "server"):
        row = getattr(figures, name)
        cpu_us = figures.cpu_us_per_request[name]
        print(
            f"{name:<28}{row['rps']:>10.0f}{row['p50_ms']:>9.2f}{row['p99_ms']:>9.2f}{cpu_us:>12.1f}"
        )
    verdict = "ok" if figures.ratio >= TARGET_RATIO else "MISSED"
    rounds_text = ", ".join(f"{ratio:.2f}" for ratio in figures.round_ratios)
    print(
        f"ratio server/floor: {figures.ratio:.2f} (rounds: {rounds_text}; "
        f"target ≥ {TARGET_RATIO}: {verdict})"
    )
    if figures.cpu_ratio is not None:
        print(f"CPU per request, floor/server: {figures.cpu_ratio:.2f}")
    for name in figures.startup_s:
        generated, started = figures.generate_s[name], figures.startup_s[name]
        print(f"{name}: generate {generated:.2f} s, start-up {started:.2f} s")
    for note in figures.notes:
        print(f"note: {note}")
    print(f"written: {options.output}")
    return 1 if options.check and figures.ratio < TARGET_RATIO else 0


if __name__ == "__main__":
    sys.exit(main())
