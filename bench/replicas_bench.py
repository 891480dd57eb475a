"""What sharing the active scenario and response sequences through Redis costs a request.

Run from the repository root, with Redis on 127.0.0.1:6379 (or ``--redis URL``):

    .venv/bin/python bench/replicas_bench.py

Measures ``MockRegistry.respond`` in-process (no HTTP), in nanoseconds per call:

1. a static mock (the fastest path) with the memory store, and with the Redis
   store (whose registry follows the shared scenario from a thread, every
   0.2 s, so a call should cost the same);
2. the same with a Redis read of the scenario on every call, which checking
   on the request path would cost, for comparison;
3. a three-response ``cycle`` with the memory store (a local counter) and with
   the Redis store (one INCR per call).

Runs alternate (A, B, A, B, …) and the median of each is reported; the figures
are of one run on whatever else the machine does at the time.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import redis

from mockc.runtime.engine import Content, Operation, Output, Request
from mockc.runtime.http.encoding import encode_body
from mockc.runtime.mocks import MockRegistry
from mockc.runtime.state import MemoryStore, StateStore
from mockc.runtime.state.redis import RedisStore

OPERATION = Operation("getPet", (Output("200", (Content("application/json", None),)),))
STATIC = "id: pet\noperation: getPet\nresponse: {body: {id: 1, name: rex}}\n"
CYCLE = """\
id: pet
operation: getPet
responses:
  - {body: {n: 1}}
  - {body: {n: 2}}
  - {body: {n: 3}}
sequence: cycle
"""


def _registry(root: Path, mock: str, state: StateStore) -> MockRegistry:
    (root / "mocks").mkdir(parents=True, exist_ok=True)
    (root / "mocks" / "pet.yaml").write_text(mock, encoding="utf-8")
    registry = MockRegistry(root, {"getPet": OPERATION}, state=state, encoder=encode_body)
    registry.load()
    return registry


def _per_call(call: Callable[[], object], calls: int) -> float:
    started = time.perf_counter_ns()
    for _ in range(calls):
        call()
    return (time.perf_counter_ns() - started) / calls


def _compare(named: dict[str, Callable[[], object]], calls: int, rounds: int) -> dict[str, float]:
    runs: dict[str, list[float]] = {name: [] for name in named}
    for _ in range(rounds):
        for name, call in named.items():
            runs[name].append(_per_call(call, calls))
    return {name: statistics.median(values) for name, values in runs.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/0")
    parser.add_argument("--calls", type=int, default=20000)
    parser.add_argument("--rounds", type=int, default=5)
    options = parser.parse_args()
    namespace = f"bench-replicas-{time.time_ns()}"
    redis_store = RedisStore(options.redis, namespace)
    request = Request("getPet", headers={})
    opened: list[MockRegistry] = []
    try:
        with tempfile.TemporaryDirectory() as folder:
            root = Path(folder)
            memory = _registry(root / "memory", STATIC, MemoryStore())
            shared = _registry(root / "redis", STATIC, redis_store)
            opened.append(shared)
            client = redis_store.replicas()

            def uncached() -> object:
                client.active_scenario()
                return memory.respond(OPERATION, request)

            static = _compare(
                {
                    "static, memory store": lambda: memory.respond(OPERATION, request),
                    "static, Redis store": lambda: shared.respond(OPERATION, request),
                    "static + a Redis read per call": uncached,
                },
                options.calls,
                options.rounds,
            )
            memory_cycle = _registry(root / "memory-cycle", CYCLE, MemoryStore())
            shared_cycle = _registry(root / "redis-cycle", CYCLE, redis_store)
            opened.append(shared_cycle)
            cycle = _compare(
                {
                    "cycle, memory store": lambda: memory_cycle.respond(OPERATION, request),
                    "cycle, Redis store (INCR)": lambda: shared_cycle.respond(OPERATION, request),
                },
                max(options.calls // 10, 100),
                options.rounds,
            )
    finally:
        for registry in opened:
            registry.close()
        redis_store.close()
        client = redis.Redis.from_url(options.redis)
        keys = list(client.scan_iter(match=f"mockc:{namespace}:*"))
        if keys:
            client.delete(*keys)
        client.close()
    for name, nanoseconds in {**static, **cycle}.items():
        print(f"{name:34} {nanoseconds / 1000:8.2f} µs per call")


if __name__ == "__main__":
    main()
