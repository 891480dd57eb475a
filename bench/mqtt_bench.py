"""Benchmark of the MQTT target against a floor, on a local Mosquitto.

Run from the repository root, with the dev venv and Mosquitto on 127.0.0.1:1883:

    .venv/bin/python bench/mqtt_bench.py              # about 1 minute: 3 rounds of 5 s runs
    .venv/bin/python bench/mqtt_bench.py --quick      # about 20 seconds: 1 round of 3 s runs

Three figures, each of the generated mock service and of a minimal
hand-written aiomqtt client doing the same (the floor):

- **publish rate**: messages per second the service publishes and a
  subscriber receives, sustained (the mock: ``POST /__mockc/emit/turnOn`` with
  ``count`` keeping a backlog, each message answered by the engine from its
  mock; the floor: a loop publishing the same payload, same topic and QoS 1);
- **request/reply round trips per second**: a requester keeps 16 requests in
  flight on ``mockc-test/lamps/{id}/ask`` (MQTT 5 response topic and
  correlation data); the mock checks each against its schema, journals it and
  answers from its mock; the floor parses the JSON and answers a constant;
- **schedule jitter at 100 msg/s**: a mock ``emit: {every_ms: 10}``; the mean
  and 99th percentile of |interval - 10 ms| / 10 ms at the subscriber, and
  the achieved rate.

The services run on core 0 (``taskset``), the load on core 1. It prints a
table and writes bench/results/mqtt.json. Targets: ratio >= 0.6 of the floor,
>= 1,000 msg/s, jitter < 10 %.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import platform
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import aiomqtt
from paho.mqtt.packettypes import PacketTypes
from paho.mqtt.properties import Properties

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
CACHE = BENCH / ".cache" / "mqtt"
RESULTS = BENCH / "results"
CORPUS = Path(os.environ.get("MOCKC_CORPUS", ROOT / "tests" / "corpus"))
STREETLIGHTS = CORPUS / "asyncapi" / "streetlights-mqtt" / "asyncapi-3.0.0.yml"
LAMP_RPC = ROOT / "tests" / "targets" / "mqtt" / "specs" / "lamp-rpc.yaml"
BROKER = ("127.0.0.1", 1883)
TURN_ON = "smartylighting/streetlights/1/0/action/{streetlightId}/turn/on"
TURN_ON_TOPIC = TURN_ON.replace("{streetlightId}", "1")
TURN_ON_FILTER = TURN_ON.replace("{streetlightId}", "+")
ASK = "mockc-test/lamps/bench/ask"
IN_FLIGHT = 16
BACKLOG = 2000
"""Messages the publish driver keeps asked for and not yet received."""
JITTER_INTERVAL_MS = 10.0
TARGET_RATIO = 0.6
TARGET_RATE = 1000.0
TARGET_JITTER = 0.10
SERVICE_CORE = "0"
LOAD_CORE = 1


class BenchError(Exception):
    """The benchmark could not run; the message says why."""


# --------------------------------------------------------------------------- services


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _pinned(command: list[str]) -> list[str]:
    taskset = shutil.which("taskset")
    return [taskset, "-c", SERVICE_CORE, *command] if taskset else command


@contextlib.contextmanager
def _process(command: list[str], cwd: Path, env: dict[str, str], log: Path) -> Iterator[None]:
    with log.open("wb") as out:
        proc = subprocess.Popen(
            _pinned(command),
            cwd=cwd,
            env={**os.environ, **env},
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        yield
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


def _generate(spec: Path, folder: Path, mock_extra: dict[str, str]) -> None:
    if folder.exists():
        shutil.rmtree(folder)
    subprocess.run(
        [sys.executable, "-m", "mockc.compiler.cli", "generate", str(spec), "-o", str(folder)],
        check=True,
        capture_output=True,
        cwd=ROOT,
    )
    for name, text in mock_extra.items():
        (folder / "mocks" / name).write_text(text, encoding="utf-8")


@contextlib.contextmanager
def _mock(folder: Path) -> Iterator[str]:
    port = _free_port()
    env = {
        "MOCKC_ADMIN_PORT": str(port),
        "MOCKC_MQTT_URL": f"mqtt://{BROKER[0]}:{BROKER[1]}",
        "MOCKC_SEED": "0",
    }
    admin = f"http://127.0.0.1:{port}"
    with _process([sys.executable, "server.py"], folder, env, folder / "server.log"):
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(f"{admin}/health", timeout=1) as answer:
                    if answer.status == 200:
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                log = (folder / "server.log").read_text("utf-8", "replace")[-2000:]
                raise BenchError(f"the mock in {folder} did not become healthy:\n{log}")
            time.sleep(0.1)
        yield admin


def _post(url: str, body: dict[str, Any]) -> None:
    request = urllib.request.Request(
        url, data=json.dumps(body).encode(), headers={"content-type": "application/json"}
    )
    with urllib.request.urlopen(request, timeout=10) as answer:
        answer.read()


# --------------------------------------------------------------------------- floors


FLOOR_PUBLISHER = f"""
import asyncio, socket, sys, aiomqtt
async def main() -> None:
    payload = sys.argv[1].encode()
    async with aiomqtt.Client("{BROKER[0]}", {BROKER[1]}, protocol=aiomqtt.ProtocolVersion.V5,
        socket_options=[(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)]) as c:
        while True:
            await c.publish("{TURN_ON_TOPIC}", payload, qos=1)
asyncio.run(main())
"""

FLOOR_TICKER = f"""
import asyncio, socket, time, aiomqtt
async def main() -> None:
    async with aiomqtt.Client("{BROKER[0]}", {BROKER[1]}, protocol=aiomqtt.ProtocolVersion.V5,
        socket_options=[(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)]) as c:
        due = time.monotonic()
        while True:
            await c.publish("{TURN_ON_FILTER.replace("+", "1").replace("turn/on", "dim")}",
                            b'{{"percentage": 50}}', qos=1)
            due += {JITTER_INTERVAL_MS} / 1000.0
            await asyncio.sleep(max(0.0, due - time.monotonic()))
asyncio.run(main())
"""

FLOOR_RESPONDER = f"""
import asyncio, json, socket, aiomqtt
from paho.mqtt.packettypes import PacketTypes
from paho.mqtt.properties import Properties
async def main() -> None:
    async with aiomqtt.Client("{BROKER[0]}", {BROKER[1]}, protocol=aiomqtt.ProtocolVersion.V5,
        socket_options=[(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)]) as c:
        await c.subscribe("mockc-test/lamps/+/ask", qos=1)
        print("ready", flush=True)
        async for message in c.messages:
            json.loads(message.payload)
            props = Properties(PacketTypes.PUBLISH)
            props.CorrelationData = message.properties.CorrelationData
            props.ContentType = "application/json"
            await c.publish(message.properties.ResponseTopic, b'{{"ok": true}}', qos=1,
                            properties=props)
asyncio.run(main())
"""


# --------------------------------------------------------------------------- load


def _client(name: str) -> aiomqtt.Client:
    return aiomqtt.Client(
        BROKER[0],
        BROKER[1],
        identifier=f"bench-{name}-{os.getpid()}",
        protocol=aiomqtt.ProtocolVersion.V5,
        socket_options=[(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)],
    )


async def _count(seconds: float, topic: str, started: asyncio.Event | None = None) -> float:
    """Messages per second received on ``topic`` over ``seconds`` (after a warm-up)."""
    async with _client("count") as client:
        await client.subscribe(topic, qos=0)  # the counter must not be the bottleneck
        if started is not None:
            started.set()
        received = 0
        warm = time.monotonic() + 0.5
        begin = None
        async for _ in client.messages:
            now = time.monotonic()
            if begin is None:
                if now < warm:
                    continue
                begin = now
            received += 1
            if now - begin >= seconds:
                return received / (now - begin)
    return 0.0


async def _mock_publish_rate(admin: str, seconds: float) -> float:
    started = asyncio.Event()
    counting = asyncio.create_task(
        asyncio.wait_for(_count(seconds, TURN_ON_FILTER, started), seconds + 20)
    )
    await started.wait()
    loop = asyncio.get_running_loop()
    url = f"{admin}/__mockc/emit/turnOn"
    while not counting.done():  # a backlog: the service publishes as fast as it can
        await loop.run_in_executor(None, _post, url, {"count": 1000})
    return counting.result()


async def _floor_publish_rate(payload: str, seconds: float) -> float:
    started = asyncio.Event()
    counting = asyncio.create_task(
        asyncio.wait_for(_count(seconds, TURN_ON_FILTER, started), seconds + 20)
    )
    await started.wait()
    with _process(
        [sys.executable, "-c", FLOOR_PUBLISHER, payload], CACHE, {}, CACHE / "floor-pub.log"
    ):
        return await counting


async def _round_trips(seconds: float) -> float:
    """Replies per second with IN_FLIGHT requests outstanding."""
    reply_topic = f"mockc-test/bench-replies/{os.getpid()}"
    async with _client("rpc") as client:
        await client.subscribe(reply_topic, qos=1)
        counter = 0

        async def ask() -> None:
            nonlocal counter
            counter += 1
            props = Properties(PacketTypes.PUBLISH)
            props.ResponseTopic = reply_topic
            props.CorrelationData = str(counter).encode()
            await client.publish(ASK, b'{"level": 40}', qos=1, properties=props)

        for _ in range(IN_FLIGHT):
            await ask()
        done = 0
        warm = time.monotonic() + 0.5
        begin = None
        async for _ in client.messages:
            now = time.monotonic()
            if begin is None and now >= warm:
                begin, done = now, 0
            done += 1
            await ask()
            if begin is not None and now - begin >= seconds:
                return done / (now - begin)
    return 0.0


async def _jitter(seconds: float) -> tuple[float, float, float]:
    """(mean, p99) of |interval - 10 ms| / 10 ms, and the rate, of a 10 ms schedule."""
    arrivals: list[float] = []
    async with _client("jitter") as client:
        await client.subscribe(TURN_ON_FILTER.replace("turn/on", "dim"), qos=1)
        warm = time.monotonic() + 1.0
        async for _ in client.messages:
            now = time.monotonic()
            if now < warm:
                continue
            arrivals.append(now)
            if now - arrivals[0] >= seconds:
                break
    intervals = [(b - a) * 1000.0 for a, b in zip(arrivals, arrivals[1:], strict=False)]
    errors = sorted(abs(i - JITTER_INTERVAL_MS) / JITTER_INTERVAL_MS for i in intervals)
    p99 = errors[min(len(errors) - 1, int(len(errors) * 0.99))]
    rate = (len(arrivals) - 1) / (arrivals[-1] - arrivals[0])
    return statistics.fmean(errors), p99, rate


# --------------------------------------------------------------------------- rounds


@dataclass
class Round:
    mock_publish: float
    floor_publish: float
    mock_round_trips: float
    floor_round_trips: float


async def _round(seconds: float, lights: Path, lamps: Path, payload: str) -> Round:
    with _mock(lights) as admin:
        mock_publish = await _mock_publish_rate(admin, seconds)
    floor_publish = await _floor_publish_rate(payload, seconds)
    with _mock(lamps):
        mock_round_trips = await asyncio.wait_for(_round_trips(seconds), seconds + 20)
    with _process([sys.executable, "-c", FLOOR_RESPONDER], CACHE, {}, CACHE / "floor-reply.log"):
        await asyncio.sleep(1.0)
        floor_round_trips = await asyncio.wait_for(_round_trips(seconds), seconds + 20)
    return Round(mock_publish, floor_publish, mock_round_trips, floor_round_trips)


def _broker_up() -> bool:
    try:
        with socket.create_connection(BROKER, timeout=1):
            return True
    except OSError:
        return False


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="1 round of 3 s runs")
    parser.add_argument("--output", type=Path, default=RESULTS / "mqtt.json")
    args = parser.parse_args(argv)
    if not _broker_up():
        print("mqtt_bench: nothing answers on 127.0.0.1:1883 (start mosquitto)", file=sys.stderr)
        return 2
    rounds, seconds = (1, 3.0) if args.quick else (3, 5.0)
    with contextlib.suppress(AttributeError, OSError):
        os.sched_setaffinity(0, {LOAD_CORE})
    CACHE.mkdir(parents=True, exist_ok=True)
    lights, lamps, jitter_dir = CACHE / "streetlights", CACHE / "lamps", CACHE / "jitter"
    _generate(STREETLIGHTS, lights, {})
    _generate(LAMP_RPC, lamps, {})
    _generate(
        STREETLIGHTS,
        jitter_dir,
        {
            "schedule.yaml": "id: schedule\noperation: dimLight\nemit: {every_ms: 10}\n"
            "response: {body: {percentage: 50}}\n"
        },
    )
    payload = json.dumps({"command": "off", "sentAt": "2021-12-14T12:00:47Z"})
    results = [asyncio.run(_round(seconds, lights, lamps, payload)) for _ in range(rounds)]
    with _mock(jitter_dir):
        jitter_mean, jitter_p99, jitter_rate = asyncio.run(
            asyncio.wait_for(_jitter(max(seconds, 5.0)), 60)
        )
    with _process([sys.executable, "-c", FLOOR_TICKER], CACHE, {}, CACHE / "floor-tick.log"):
        floor_jitter_mean, floor_jitter_p99, floor_jitter_rate = asyncio.run(
            asyncio.wait_for(_jitter(max(seconds, 5.0)), 60)
        )

    def median(name: str) -> float:
        return statistics.median(getattr(r, name) for r in results)

    summary = {
        "mock_publish_per_s": median("mock_publish"),
        "floor_publish_per_s": median("floor_publish"),
        "publish_ratio": median("mock_publish") / median("floor_publish"),
        "mock_round_trips_per_s": median("mock_round_trips"),
        "floor_round_trips_per_s": median("floor_round_trips"),
        "round_trip_ratio": median("mock_round_trips") / median("floor_round_trips"),
        "jitter_mean": jitter_mean,
        "jitter_p99": jitter_p99,
        "jitter_rate_per_s": jitter_rate,
        "floor_jitter_mean": floor_jitter_mean,
        "floor_jitter_p99": floor_jitter_p99,
        "floor_jitter_rate_per_s": floor_jitter_rate,
    }
    rows = [
        (
            "publish msg/s",
            summary["mock_publish_per_s"],
            summary["floor_publish_per_s"],
            summary["publish_ratio"],
        ),
        (
            "round trips/s",
            summary["mock_round_trips_per_s"],
            summary["floor_round_trips_per_s"],
            summary["round_trip_ratio"],
        ),
    ]
    print(f"{'':16}{'mock':>10}{'floor':>10}{'ratio':>8}")
    for name, mock, floor, ratio in rows:
        print(f"{name:16}{mock:10.0f}{floor:10.0f}{ratio:8.2f}")
    print(
        f"schedule at 100 msg/s: {jitter_rate:.1f} msg/s, jitter mean "
        f"{jitter_mean:.1%}, p99 {jitter_p99:.1%} (floor: {floor_jitter_rate:.1f} msg/s, "
        f"mean {floor_jitter_mean:.1%}, p99 {floor_jitter_p99:.1%})"
    )
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else 0.0
    print(f"load average during the run: {load:.1f} on {os.cpu_count()} CPUs")
    passed = (
        summary["publish_ratio"] >= TARGET_RATIO
        and summary["round_trip_ratio"] >= TARGET_RATIO
        and summary["mock_publish_per_s"] >= TARGET_RATE
        and jitter_mean < TARGET_JITTER
    )
    print("targets met" if passed else "targets NOT met")
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(
        json.dumps(
            {
                "machine": {
                    "python": platform.python_version(),
                    "cpus": os.cpu_count(),
                    "load_average": os.getloadavg()[0],
                },
                "rounds": [asdict(r) for r in results],
                "summary": summary,
                "targets": {
                    "ratio": TARGET_RATIO,
                    "publish_per_s": TARGET_RATE,
                    "jitter_mean": TARGET_JITTER,
                },
                "passed": passed,
            },
            indent=2,
        )
        + "\n",
        encoding="utf-8",
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
