"""Benchmark of the RabbitMQ (AMQP 0-9-1) target against hand-written aio-pika floors.

Run from the repository root, with the dev venv and a RabbitMQ on this machine
(``rabbitmqctl`` makes the benchmark a virtual host of its own, removed after):

    .venv/bin/python bench/amqp_bench.py            # about 1 minute
    .venv/bin/python bench/amqp_bench.py --quick    # about 30 seconds

Figures (bench/README.md says more):

- publish rate: messages/s a generated service publishes from a mock's
  ``emit`` schedule (bursts far above what it can send), counted where a
  consumer receives them, against a minimal aio-pika publisher doing the same
  (one channel, publisher confirms, one message at a time);
- RPC round trips/s: requests sent to ``rpc_queue`` with ``reply_to`` and a
  correlation id, 16 outstanding at a time, answered by the service generated
  from the corpus's rpc-server document, against a minimal aio-pika RPC server
  (consume, publish the reply, acknowledge);
- schedule jitter at 100 msg/s: a mock's ``emit: {every_ms: 10}``, the gaps
  between its sends (the journal's times) against 10 ms, and between the
  arrivals at a consumer; beside them, a bare thread keeping the same
  schedule (what the machine's scheduling alone adds) and a minimal aio-pika
  publisher keeping it, measured at the consumer (what the broker adds).

The services run pinned to core 0 (``taskset``, when there is one), the load
on core 1. It prints a table and writes bench/results/amqp.json.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import shutil
import statistics
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import aio_pika
import broker_harness as bh  # processes, generation, admin calls

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
CACHE = BENCH / ".cache" / "amqp"
RESULTS = BENCH / "results"
RPC_SERVER = ROOT / "tests" / "corpus" / "asyncapi" / "rpc-server" / "asyncapi-3.0.0.yml"
BASE_URL = os.environ.get("MOCKC_RABBITMQ_URL", "amqp://guest:guest@127.0.0.1:5672/")
TARGET_RATIO = 0.6
TARGET_RATE = 1000.0
TARGET_JITTER_PCT = 10.0
RPC_OUTSTANDING = 16
PUBLISH_WINDOW = 64
"""Unconfirmed messages in flight, the floor's as the service's (AmqpClient.publish_window)."""
PAYLOAD = {"id": 7, "carrier": "dhl", "note": "x" * 100}

TICKS = """\
asyncapi: 3.0.0
info: {title: Bench ticks, version: 1.0.0}
servers:
  broker: {host: 'localhost:5672', protocol: amqp}
channels:
  ticks:
    address: bench.ticks
    messages:
      tick:
        payload:
          type: object
          properties: {id: {type: integer}, carrier: {type: string}, note: {type: string}}
    bindings:
      amqp:
        is: routingKey
        exchange: {name: bench, type: topic, durable: false}
operations:
  tick:
    action: send
    channel: {$ref: '#/channels/ticks'}
"""


BenchError = bh.BenchError


# -- the broker and the processes ----------------------------------------------------


def _ctl(*args: str) -> None:
    done = subprocess.run(
        ["rabbitmqctl", "--quiet", *args], capture_output=True, text=True, timeout=60, check=False
    )
    if done.returncode != 0:
        raise BenchError(f"rabbitmqctl {' '.join(args)}: {done.stderr.strip()}")


@contextlib.contextmanager
def vhost() -> Iterator[str]:
    if shutil.which("rabbitmqctl") is None:
        raise BenchError("rabbitmqctl is not installed")
    name = f"mockc-bench-{uuid.uuid4().hex[:8]}"
    _ctl("add_vhost", name)
    try:
        _ctl("set_permissions", "-p", name, "guest", ".*", ".*", ".*")
        yield f"{BASE_URL.rstrip('/')}/{quote(name, safe='')}"
    finally:
        _ctl("delete_vhost", name)


def generate(spec: Path, out: Path, mock: dict[str, Any] | None = None) -> Path:
    mocks = {f"{mock['id']}.json": json.dumps(mock)} if mock is not None else {}
    return bh.generate(spec, out, mocks)


def service(folder: Path, url: str) -> contextlib.AbstractContextManager[tuple[str, Any]]:
    """The generated service in ``folder``, until its health says the broker is up."""
    return bh.mock_service(folder, {"MOCKC_AMQP_URL": url})


# -- what a consumer sees ------------------------------------------------------------


async def arrivals(url: str, count: int, start: Any, timeout_s: float) -> list[float]:
    """Bind a queue to ``bench.ticks``, run ``start()``, and return the arrival
    times of the first ``count`` messages."""
    connection = await aio_pika.connect(url)
    async with connection:
        channel = await connection.channel()
        await channel.set_qos(prefetch_count=1000)
        exchange = await channel.declare_exchange("bench", "topic", durable=False)
        queue = await channel.declare_queue(exclusive=True)
        await queue.bind(exchange, "bench.ticks")
        times: list[float] = []
        done = asyncio.Event()

        async def got(message: aio_pika.abc.AbstractIncomingMessage) -> None:
            times.append(time.perf_counter())
            if len(times) >= count:
                done.set()

        await queue.consume(got, no_ack=True)
        starting = asyncio.create_task(start())
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(done.wait(), timeout_s)
        await starting
        return times[:count]


async def floor_publisher(url: str, count: int) -> None:
    """A minimal aio-pika publisher: confirms on, up to PUBLISH_WINDOW unconfirmed
    messages at a time, as the service sends them."""
    connection = await aio_pika.connect(url)
    async with connection:
        channel = await connection.channel(publisher_confirms=True)
        exchange = await channel.declare_exchange("bench", "topic", durable=False)
        body = json.dumps(PAYLOAD).encode()
        window = asyncio.Semaphore(PUBLISH_WINDOW)

        async def one() -> None:
            try:
                await exchange.publish(
                    aio_pika.Message(body, content_type="application/json"),
                    routing_key="bench.ticks",
                )
            finally:
                window.release()

        sent = []
        for _ in range(count):
            await window.acquire()
            sent.append(asyncio.create_task(one()))
        await asyncio.gather(*sent)


def measure_publish(url: str, folder: Path, count: int) -> dict[str, float]:
    async def floor() -> list[float]:
        async def start() -> None:
            process = subprocess.Popen(
                bh.pinned([sys.executable, __file__, "--floor-publish", url, str(count)])
            )
            await asyncio.to_thread(process.wait, 120)

        return await arrivals(url, count, start, 120)

    floor_rate = bh.rate(asyncio.run(floor()))
    mock = {
        "id": "bench-burst",
        "operation": "tick",
        "response": {"body": PAYLOAD},
        "emit": {"after_ms": 2000, "every_ms": 20, "burst": 200, "count": count // 200},
    }
    generate(folder / "spec.yaml", folder / "out", mock)

    async def mocked() -> list[float]:
        async def nothing() -> None:
            return None

        return await arrivals(url, count, nothing, 90)

    with service(folder / "out", url):
        mocked_rate = bh.rate(asyncio.run(mocked()))
    return {"floor": floor_rate, "mock": mocked_rate, "ratio": mocked_rate / floor_rate}


def measure_jitter(url: str, folder: Path, count: int) -> dict[str, float]:
    """The gaps between the scheduled sends, as the service's journal timed them
    (the schedule itself), and as a consumer received them."""
    mock = {
        "id": "bench-ticks",
        "operation": "tick",
        "response": {"body": PAYLOAD},
        "emit": {"after_ms": 1500, "every_ms": 10, "count": count},
    }
    generate(folder / "spec.yaml", folder / "out", mock)

    async def floor() -> list[float]:
        return await arrivals(url, count, lambda: floor_schedule(url, count), 60)

    floor_received = asyncio.run(floor())

    async def mocked() -> list[float]:
        async def nothing() -> None:
            return None

        return await arrivals(url, count, nothing, 60)

    with service(folder / "out", url) as (admin, _):
        received = asyncio.run(mocked())
        entries = bh.get_json(f"{admin}/__mockc/journal?limit={count + 10}")["entries"]
    sent = sorted(e["time"] for e in entries if e["method"] == "sent")
    if len(sent) < 2 or len(received) < 2:
        raise BenchError("the scheduled messages did not arrive")
    return {
        **timer_floor(count),
        **_gaps("floor", floor_received),
        "messages": len(received),
        "rate": bh.rate(received),
        **_gaps("sent", sent),
        **_gaps("received", received),
    }


async def floor_schedule(url: str, count: int) -> None:
    """A minimal aio-pika publisher keeping a 10 ms schedule (confirms on)."""
    connection = await aio_pika.connect(url)
    async with connection:
        channel = await connection.channel(publisher_confirms=True)
        exchange = await channel.declare_exchange("bench", "topic", durable=False)
        body = json.dumps(PAYLOAD).encode()
        loop = asyncio.get_running_loop()
        due = loop.time()
        for _ in range(count):
            due += 0.01
            await asyncio.sleep(max(due - loop.time(), 0.0))
            await exchange.publish(
                aio_pika.Message(body, content_type="application/json"),
                routing_key="bench.ticks",
            )


def timer_floor(count: int) -> dict[str, float]:
    """The same 10 ms schedule kept by a bare thread that does nothing else: what
    this machine's scheduling alone adds to the gaps."""
    wake = threading.Condition()
    times: list[float] = []
    due = time.monotonic()
    with wake:
        for _ in range(count):
            due += 0.01
            while time.monotonic() < due:
                wake.wait(due - time.monotonic())
            times.append(time.monotonic())
    return _gaps("timer", times)


def _gaps(name: str, times: list[float]) -> dict[str, float]:
    gaps = [(b - a) * 1000 for a, b in zip(times, times[1:], strict=False)]
    deviations = sorted(abs(gap - 10.0) for gap in gaps)
    return {
        f"{name}_mean_gap_ms": statistics.fmean(gaps),
        f"{name}_jitter_pct": statistics.fmean(deviations) / 10.0 * 100,
        f"{name}_p95_deviation_ms": deviations[max(int(len(deviations) * 0.95) - 1, 0)],
    }


# -- RPC ---------------------------------------------------------------------------


async def floor_rpc_server(url: str) -> None:
    """A minimal aio-pika RPC server: consume, reply to reply_to, acknowledge."""
    connection = await aio_pika.connect(url)
    async with connection:
        channel = await connection.channel(publisher_confirms=True)
        await channel.set_qos(prefetch_count=64)
        queue = await channel.declare_queue("rpc_queue", durable=False)
        reply = json.dumps({"result": 7}).encode()

        async def answer(message: aio_pika.abc.AbstractIncomingMessage) -> None:
            json.loads(message.body)
            await channel.default_exchange.publish(
                aio_pika.Message(
                    reply, correlation_id=message.correlation_id, content_type="application/json"
                ),
                routing_key=message.reply_to or "",
            )
            await message.ack()

        await queue.consume(answer)
        print("ready", flush=True)
        await asyncio.Future()  # until SIGTERM


async def rpc_load(url: str, seconds: float) -> float:
    """Round trips/s with RPC_OUTSTANDING requests in flight."""
    connection = await aio_pika.connect(url)
    async with connection:
        channel = await connection.channel(publisher_confirms=False)
        replies = await channel.declare_queue(exclusive=True)
        waiting: dict[str, asyncio.Future[None]] = {}

        async def got(message: aio_pika.abc.AbstractIncomingMessage) -> None:
            future = waiting.pop(message.correlation_id or "", None)
            if future is not None and not future.done():
                future.set_result(None)

        await replies.consume(got, no_ack=True)
        body = b'{"numbers": [4, 3]}'
        done = 0
        deadline = time.perf_counter() + seconds

        async def caller() -> None:
            nonlocal done
            while time.perf_counter() < deadline:
                correlation = uuid.uuid4().hex
                future = asyncio.get_running_loop().create_future()
                waiting[correlation] = future
                await channel.default_exchange.publish(
                    aio_pika.Message(
                        body,
                        correlation_id=correlation,
                        reply_to=replies.name,
                        content_type="application/json",
                    ),
                    routing_key="rpc_queue",
                )
                await asyncio.wait_for(future, 10)
                done += 1

        began = time.perf_counter()
        await asyncio.gather(*(caller() for _ in range(RPC_OUTSTANDING)))
        return done / (time.perf_counter() - began)


def measure_rpc(url: str, folder: Path, seconds: float) -> dict[str, float]:
    with bh.process("amqp-floor-rpc", [sys.executable, __file__, "--floor-rpc", url], BENCH) as rpc:
        bh.wait_for_line(rpc, "ready")
        asyncio.run(rpc_load(url, 1.0))  # warm-up
        floor_rate = asyncio.run(rpc_load(url, seconds))
    generate(RPC_SERVER, folder / "out")
    with service(folder / "out", url):
        asyncio.run(rpc_load(url, 1.0))  # warm-up
        mocked_rate = asyncio.run(rpc_load(url, seconds))
    return {"floor": floor_rate, "mock": mocked_rate, "ratio": mocked_rate / floor_rate}


# -- main ----------------------------------------------------------------------------


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="shorter runs")
    parser.add_argument("--check", action="store_true", help="exit 1 when a target is missed")
    parser.add_argument(
        "--floor-publish", nargs=2, metavar=("URL", "COUNT"), help=argparse.SUPPRESS
    )
    parser.add_argument("--floor-rpc", metavar="URL", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.floor_publish:
        asyncio.run(floor_publisher(args.floor_publish[0], int(args.floor_publish[1])))
        return 0
    if args.floor_rpc:
        asyncio.run(floor_rpc_server(args.floor_rpc))
        return 0
    count = 4000 if args.quick else 10000
    seconds = 4.0 if args.quick else 10.0
    CACHE.mkdir(parents=True, exist_ok=True)
    ticks = CACHE / "ticks"
    ticks.mkdir(exist_ok=True)
    (ticks / "spec.yaml").write_text(TICKS, "utf-8")
    bh.pin_load()
    try:
        with vhost() as url:
            publish = measure_publish(url, ticks, count)
        with vhost() as url:
            rpc = measure_rpc(url, CACHE / "rpc", seconds)
        with vhost() as url:
            jitter = measure_jitter(url, ticks, 300 if args.quick else 1000)
    except BenchError as error:
        print(f"amqp_bench: {error}", file=sys.stderr)
        return 1
    rows = [
        ("publish rate (msg/s)", publish["mock"], publish["floor"]),
        ("RPC round trips/s", rpc["mock"], rpc["floor"]),
    ]
    bh.print_ratios(rows)
    for side in ("timer", "floor", "sent", "received"):
        print(
            f"schedule at 100 msg/s, {side}: mean gap {jitter[side + '_mean_gap_ms']:.2f} ms, "
            f"jitter {jitter[side + '_jitter_pct']:.1f}% "
            f"(p95 deviation {jitter[side + '_p95_deviation_ms']:.2f} ms)"
        )
    missed = [
        name
        for name, mock_value, floor_value in rows
        if mock_value < TARGET_RATIO * floor_value or mock_value < TARGET_RATE
    ]
    if jitter["sent_jitter_pct"] >= TARGET_JITTER_PCT:
        missed.append("schedule jitter")
    bh.print_load()
    bh.write_results(
        RESULTS / "amqp.json",
        {"publish": publish, "rpc": rpc, "jitter": jitter, "missed": missed},
    )
    if missed:
        print("missed: " + ", ".join(missed))
    return 1 if (args.check and missed) else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
