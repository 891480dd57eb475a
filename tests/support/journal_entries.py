"""Journal entries for storage tests: entry n is ``GET /n/{n}`` at a time n seconds on."""

from __future__ import annotations

from typing import Any

from mockc.runtime.journal import Entry


def entry(n: int, **fields: Any) -> Entry:
    values: dict[str, Any] = {
        "time": 1_700_000_000.0 + n,
        "duration_ms": 1.0,
        "protocol": "http",
        "method": "GET",
        "target": f"/n/{n}",
        "operation": "op",
        "status": "200",
        "source": "fake",
    }
    values.update(fields)
    return Entry(**values)
