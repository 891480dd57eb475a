"""Benchmarks of the mock engine: matching cost against the number of mocks, journal cost.

Run from the repository root:

    .venv/bin/python bench/mock_bench.py            # about 1 minute
    .venv/bin/python bench/mock_bench.py --quick    # 3 s load runs

1. Index isolation: one server generated from a spec of 1,000 operations,
   run twice: with 10 mocks (all on the measured operation) and with 10,000
   mocks (the same 10, plus 10 on each of the 999 other operations). The
   measured request matches the last of its operation's 10 mocks, so each
   request evaluates every condition of its own operation and none of the
   others'. Target: p50 latency within 10%.
2. Many mocks on one operation: a one-operation spec whose measured
   operation carries 1, 100 and 1,000 mocks; the request matches the last of
   them (lowest priority, a different ``tier`` query value each), journal off.
   Reported: req/s and p50 per count, and the 1,000-vs-1 ratio (no target yet).
3. Journal cost: the petstore server's ``GET /pets/1`` with the journal on
   (the default, headers and bodies too), on with ``MOCKC_JOURNAL_DETAIL=summary``,
   and off (``MOCKC_JOURNAL=off``). Target: at most 15% fewer req/s.

Runs alternate (A, B, A, B) and report the median of each, so a burst of
foreign load hurts both sides alike. Writes bench/results/mocks.json.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from http_bench import (
    CACHE,
    PETSTORE_SPEC,
    RESULTS,
    BenchError,
    check_ok,
    environment,
    free_port,
    mockc_generate,
    preflight,
    running,
    start_generated,
    stop_all,
    wait_healthy,
    wrk,
)

OPERATIONS = 1000
MOCKS_PER_OPERATION = 10
TARGET_MATCH_SPREAD = 0.10
TARGET_JOURNAL_COST = 0.15


ONE_OPERATION_COUNTS = (1, 100, 1000)


def wide_spec(path: Path, operations: int = OPERATIONS) -> Path:
    """An OpenAPI spec with ``operations`` operations ``GET /r{n}/{id}``."""
    paths = {
        f"/r{number}/{{id}}": {
            "get": {
                "operationId": f"op{number}",
                "parameters": [
                    {"name": "id", "in": "path", "required": True, "schema": {"type": "integer"}},
                    {"name": "tier", "in": "query", "schema": {"type": "string"}},
                ],
                "responses": {
                    "200": {
                        "description": "ok",
                        "content": {"application/json": {"schema": {"type": "object"}}},
                    }
                },
            }
        }
        for number in range(operations)
    }
    document = {"openapi": "3.1.0", "info": {"title": "Wide", "version": "1"}, "paths": paths}
    path.write_text(json.dumps(document), encoding="utf-8")
    return path


def write_mocks(out: Path, operations: range, per_operation: int = MOCKS_PER_OPERATION) -> int:
    """``per_operation`` mocks per operation; mock k matches ``?tier=t{k}``, and
    mock k is tried before mock k+1 (higher priority)."""
    folder = out / "mocks"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir()
    count = 0
    for number in operations:
        for k in range(per_operation):
            mock = {
                "id": f"op{number}-m{k}",
                "operation": f"op{number}",
                "priority": per_operation - k,
                "match": {"query": {"tier": f"t{k}"}, "path": {"id": {"gte": 1}}},
                "response": {"status": 200, "body": {"mock": k, "id": "{{ request.path.id }}"}},
            }
            (folder / f"op{number}-m{k}.json").write_text(json.dumps(mock), encoding="utf-8")
            count += 1
    return count


def load_run(
    name: str,
    out: Path,
    path: str,
    duration: float,
    env: dict[str, str],
    expect_mock: int | None = None,
) -> Any:
    """Load ``path``; with ``expect_mock``, first check that mock ``k`` answers it."""
    port = free_port()
    with running(start_generated(name, out, port, pinned=True, extra_env=env)) as server:
        wait_healthy(server, port, "/health")
        body = check_ok(port, path, name)
        if expect_mock is not None and json.loads(body).get("mock") != expect_mock:
            raise BenchError(f"{name}: {path} was not answered by mock {expect_mock}: {body!r}")
        wrk(f"http://127.0.0.1:{port}{path}", 1.0)
        return wrk(f"http://127.0.0.1:{port}{path}", duration, server.proc.pid)


def alternate(runs: int, *measures: tuple[str, Any]) -> dict[str, list[Any]]:
    results: dict[str, list[Any]] = {name: [] for name, _ in measures}
    for _ in range(runs):
        for name, measure in measures:
            results[name].append(measure())
    return results


def bench_matching(duration: float, runs: int) -> dict[str, Any]:
    work = CACHE / "mocks-wide"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    spec = wide_spec(work / "wide.json")
    small, large = work / "small", work / "large"
    for out in (small, large):
        mockc_generate(spec, out)
    write_mocks(small, range(1))
    total = write_mocks(large, range(OPERATIONS))
    path = f"/r0/7?tier=t{MOCKS_PER_OPERATION - 1}"
    env = {"MOCKC_JOURNAL": "off"}
    results = alternate(
        runs,
        ("10 mocks", lambda: load_run("small", small, path, duration, env)),
        (f"{total} mocks", lambda: load_run("large", large, path, duration, env)),
    )
    return _summary(results, "p50_ms")


def bench_one_operation(duration: float, runs: int) -> dict[str, Any]:
    """1, 100 and 1,000 mocks on the measured operation; the request matches the last."""
    work = CACHE / "mocks-one-operation"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    spec = wide_spec(work / "one.json", operations=1)
    measures = []
    for count in ONE_OPERATION_COUNTS:
        out = work / f"m{count}"
        mockc_generate(spec, out)
        written = write_mocks(out, range(1), per_operation=count)
        if written != count:
            raise BenchError(f"wrote {written} mocks, not {count}")
        path = f"/r0/7?tier=t{count - 1}"
        env = {"MOCKC_JOURNAL": "off"}
        measures.append(
            (
                f"{count} mocks",
                lambda out=out, path=path, env=env, count=count: load_run(
                    f"one-{count}", out, path, duration, env, expect_mock=count - 1
                ),
            )
        )
    return _summary(alternate(runs, *measures), "rps")


def bench_journal(duration: float, runs: int) -> dict[str, Any]:
    out = CACHE / "mocks-petstore"
    shutil.rmtree(out, ignore_errors=True)
    mockc_generate(PETSTORE_SPEC, out)
    path = "/pets/1"
    summary = {"MOCKC_JOURNAL_DETAIL": "summary"}
    results = alternate(
        runs,
        ("journal off", lambda: load_run("off", out, path, duration, {"MOCKC_JOURNAL": "off"})),
        ("journal on", lambda: load_run("on", out, path, duration, {})),
        ("journal summary", lambda: load_run("summary", out, path, duration, summary)),
    )
    return _summary(results, "rps")


def _summary(results: dict[str, list[Any]], figure: str) -> dict[str, Any]:
    return {
        name: {
            "median_" + figure: statistics.median(getattr(run, figure) for run in runs),
            "median_rps": statistics.median(run.rps for run in runs),
            "median_p50_ms": statistics.median(run.p50_ms for run in runs),
            "runs": [vars(run) for run in runs],
        }
        for name, runs in results.items()
    }


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="3 s load runs, 2 rounds")
    parser.add_argument("--duration", type=float, help="seconds per load run")
    parser.add_argument("--output", type=Path, default=RESULTS / "mocks.json")
    parser.add_argument(
        "--only", choices=("matching", "one-operation", "journal"), help="run one of the three"
    )
    args = parser.parse_args(argv)
    duration = args.duration or (3.0 if args.quick else 8.0)
    runs = 2 if args.quick else 3
    try:
        preflight()
        matching = bench_matching(duration, runs) if args.only in (None, "matching") else {}
        one = bench_one_operation(duration, runs) if args.only in (None, "one-operation") else {}
        journal = bench_journal(duration, runs) if args.only in (None, "journal") else {}
    except BenchError as error:
        print(f"mock_bench: {error}", file=sys.stderr)
        return 1
    finally:
        stop_all()
    judged: dict[str, str] = {}
    met = True
    if matching:
        small, large = (entry["median_p50_ms"] for entry in matching.values())
        spread = large / small - 1
        met &= abs(spread) <= TARGET_MATCH_SPREAD
        judged["p50 10,000 vs 10 mocks"] = (
            f"{spread:+.1%} (target within ±{TARGET_MATCH_SPREAD:.0%})"
        )
        print(f"p50 latency: 10 mocks {small:.3f} ms, 10,000 mocks {large:.3f} ms ({spread:+.1%})")
    if one:
        figures = [
            (name, entry["median_rps"], entry["median_p50_ms"]) for name, entry in one.items()
        ]
        for name, rps, p50 in figures:
            print(f"one operation, {name}: {rps:,.0f} req/s, p50 {p50:.3f} ms")
        scale = figures[-1][1] / figures[0][1]
        judged[f"req/s {figures[-1][0]} vs {figures[0][0]} on one operation"] = f"{scale:.2f}x"
    if journal:
        off, on, summary = (entry["median_rps"] for entry in journal.values())
        cost, summary_cost = 1 - on / off, 1 - summary / off
        met &= cost <= TARGET_JOURNAL_COST
        judged["journal throughput cost"] = f"{cost:.1%} (target ≤ {TARGET_JOURNAL_COST:.0%})"
        judged["journal (summary) throughput cost"] = f"{summary_cost:.1%}"
        print(f"journal: off {off:,.0f} req/s, on {on:,.0f} req/s (cost {cost:.1%})")
        print(f"journal summary: {summary:,.0f} req/s (cost {summary_cost:.1%})")
    report = {
        "environment": environment(),
        "matching": matching,
        "one_operation": one,
        "journal": journal,
        "judged": judged,
    }
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(report, indent=1, default=str) + "\n", encoding="utf-8")
    print(f"written to {args.output}")
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
