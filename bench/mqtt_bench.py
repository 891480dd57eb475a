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
import json
import os
import socket
import statistics
import sys
import time
from dataclasses import asdict, dataclass
from pathlib import Path

import aiomqtt
import broker_harness as bh  # processes, generation, admin calls, report
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
BROKER_ENV = {"MOCKC_MQTT_URL": f"mqtt://{BROKER[0]}:{BROKER[1]}"}
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
        await loop.run_in_executor(None, bh.post_json, url, {"count": 1000})
    return counting.result()


async def _floor_publish_rate(payload: str, seconds: float) -> float:
    started = asyncio.Event()
    counting = asyncio.create_task(
        asyncio.wait_for(_count(seconds, TURN_ON_FILTER, started), seconds + 20)
    )
    await started.wait()
    with bh.floor("mqtt-floor-publish", FLOOR_PUBLISHER, payload):
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
    mean, p99 = bh.interval_errors(arrivals, JITTER_INTERVAL_MS)
    return mean, p99, bh.rate(arrivals)


# --------------------------------------------------------------------------- rounds


@dataclass
class Round:
    mock_publish: float
    floor_publish: float
    mock_round_trips: float
    floor_round_trips: float


async def _round(seconds: float, lights: Path, lamps: Path, payload: str) -> Round:
    with bh.mock_service(lights, BROKER_ENV) as (admin, _):
        mock_publish = await _mock_publish_rate(admin, seconds)
    floor_publish = await _floor_publish_rate(payload, seconds)
    with bh.mock_service(lamps, BROKER_ENV):
        mock_round_trips = await asyncio.wait_for(_round_trips(seconds), seconds + 20)
    with bh.floor("mqtt-floor-reply", FLOOR_RESPONDER) as responder:
        bh.wait_for_line(responder, "ready")
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
    bh.pin_load()
    lights, lamps, jitter_dir = CACHE / "streetlights", CACHE / "lamps", CACHE / "jitter"
    bh.generate(STREETLIGHTS, lights)
    bh.generate(LAMP_RPC, lamps)
    bh.generate(
        STREETLIGHTS,
        jitter_dir,
        {
            "schedule.yaml": "id: schedule\noperation: dimLight\nemit: {every_ms: 10}\n"
            "response: {body: {percentage: 50}}\n"
        },
    )
    payload = json.dumps({"command": "off", "sentAt": "2021-12-14T12:00:47Z"})
    results = [asyncio.run(_round(seconds, lights, lamps, payload)) for _ in range(rounds)]
    with bh.mock_service(jitter_dir, BROKER_ENV):
        jitter_mean, jitter_p99, jitter_rate = asyncio.run(
            asyncio.wait_for(_jitter(max(seconds, 5.0)), 60)
        )
    with bh.floor("mqtt-floor-tick", FLOOR_TICKER):
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
    bh.print_ratios(
        [
            ("publish msg/s", summary["mock_publish_per_s"], summary["floor_publish_per_s"]),
            (
                "round trips/s",
                summary["mock_round_trips_per_s"],
                summary["floor_round_trips_per_s"],
            ),
        ]
    )
    print(
        f"schedule at 100 msg/s: {jitter_rate:.1f} msg/s, jitter mean "
        f"{jitter_mean:.1%}, p99 {jitter_p99:.1%} (floor: {floor_jitter_rate:.1f} msg/s, "
        f"mean {floor_jitter_mean:.1%}, p99 {floor_jitter_p99:.1%})"
    )
    bh.print_load()
    passed = (
        summary["publish_ratio"] >= TARGET_RATIO
        and summary["round_trip_ratio"] >= TARGET_RATIO
        and summary["mock_publish_per_s"] >= TARGET_RATE
        and jitter_mean < TARGET_JITTER
    )
    print("targets met" if passed else "targets NOT met")
    bh.write_results(
        args.output,
        {
            "rounds": [asdict(r) for r in results],
            "summary": summary,
            "targets": {
                "ratio": TARGET_RATIO,
                "publish_per_s": TARGET_RATE,
                "jitter_mean": TARGET_JITTER,
            },
            "passed": passed,
        },
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
