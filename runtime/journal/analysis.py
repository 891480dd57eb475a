"""Summaries of the journal: latency percentiles, error rate, busiest paths,
operations, and the operations whose mocks did not match.

Percentiles use the nearest-rank definition: the p-th percentile of n sorted
durations is the value at rank ``ceil(p / 100 * n)``, always an observed value.

The error rate is the share of requests that failed on the server's side:
HTTP 5xx statuses, the gRPC codes the gRPC/HTTP mapping turns into 5xx
(``UNKNOWN``, ``DEADLINE_EXCEEDED``, ``UNIMPLEMENTED``, ``INTERNAL``,
``UNAVAILABLE``, ``DATA_LOSS``), and injected transport faults (``fault:…``).
Client errors (4xx, ``NOT_FOUND``, ``INVALID_ARGUMENT`` …) are not errors here.
"""

from __future__ import annotations

import math
import sqlite3
from collections import Counter
from collections.abc import Sequence
from typing import Any

from .entry import near_miss_of
from .queries import Filters

__all__ = ["TOP", "analyse", "is_error", "percentile"]

TOP = 10
"""How many paths, operations and unmatched operations an analysis lists."""

SERVER_ERROR_CODES = frozenset(
    {"UNKNOWN", "DEADLINE_EXCEEDED", "UNIMPLEMENTED", "INTERNAL", "UNAVAILABLE", "DATA_LOSS"}
)


def is_error(status: str) -> bool:
    """Whether ``status`` counts towards the error rate (see the module's text)."""
    if len(status) == 3 and status[0] == "5" and status.isdigit():
        return True
    return status in SERVER_ERROR_CODES or status.startswith("fault")


def percentile(ordered: Sequence[float], p: float) -> float | None:
    """The nearest-rank ``p``-th percentile of ``ordered`` (sorted), None when empty."""
    if not ordered:
        return None
    rank = max(1, math.ceil(p / 100 * len(ordered)))
    return ordered[min(rank, len(ordered)) - 1]


def analyse(connection: sqlite3.Connection, filters: Filters) -> dict[str, Any]:
    """The summary of the entries ``filters`` select: one scan of the narrow
    columns, counted in Python, and one grouped query over the unmatched entries."""
    where, params = filters.where()
    rows = connection.execute(
        f"SELECT status, operation, target, duration_ms FROM entries{where}", params
    ).fetchall()
    statuses = Counter([row[0] for row in rows])
    operations = Counter([row[1] for row in rows])
    paths = Counter([row[2].partition("?")[0] for row in rows])
    durations = sorted([row[3] for row in rows])
    and_where = f"{where} AND" if where else " WHERE"
    unmatched = connection.execute(
        # SQLite takes the bare column extra from the row holding max(id).
        f"SELECT operation, count(*) AS n, extra, max(id) FROM entries{and_where} "
        "matched = 0 GROUP BY operation ORDER BY n DESC, operation",
        params,
    ).fetchall()

    count = len(rows)
    errors = sum(n for status, n in statuses.items() if is_error(status))
    unrouted = operations.pop(None, 0)
    return {
        "count": count,
        "latency_ms": {
            "p50": percentile(durations, 50),
            "p95": percentile(durations, 95),
            "p99": percentile(durations, 99),
            "max": durations[-1] if durations else None,
        },
        "errors": errors,
        "error_rate": round(errors / count, 6) if count else None,
        "by_status": dict(sorted(statuses.items())),
        "top_paths": [{"path": path, "count": n} for path, n in _top(paths)],
        "top_operations": [
            {"operation": operation, "count": n} for operation, n in _top(operations)
        ],
        "unrouted": unrouted,
        "unmatched": {
            "count": sum(row[1] for row in unmatched),
            "top": [
                {"operation": operation, "count": n, "near_miss": near_miss_of(extra)}
                for operation, n, extra, _ in unmatched[:TOP]
            ],
        },
    }


def _top(counts: Counter[Any]) -> list[tuple[Any, int]]:
    """The :data:`TOP` most frequent keys, ties in key order."""
    return sorted(counts.items(), key=lambda item: (-item[1], item[0]))[:TOP]
