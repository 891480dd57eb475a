"""What the bounded JSON reader costs on ordinary request bodies.

Run from the repository root:

    .venv/bin/python bench/json_parse_bench.py

Compares ``json.loads`` (what request bodies used before), ``orjson.loads`` (the
fast path) and ``parse_json`` (orjson plus the bounds: a count of brackets, a
scan for integers of 19 digits or more, and a level-by-level depth check when
there are more brackets than the depth limit) on bodies of several shapes, in
one process, alternating the three, and prints the median microseconds per
parse. Nothing is written.
"""

from __future__ import annotations

import json
import statistics
import sys
import timeit
from pathlib import Path

import orjson

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from mockc.runtime.json_codec import parse_json  # noqa: E402


def _pet(n: int) -> dict[str, object]:
    return {
        "id": n,
        "name": f"pet {n}",
        "tag": "dog",
        "status": "available",
        "owner": {"name": "Ana", "email": "ana@example.com", "tags": ["a", "b"]},
    }


BODIES = {
    "pet (150 B)": json.dumps(_pet(7)).encode(),
    "order, 40 lines (5 KB)": json.dumps({"lines": [_pet(n) for n in range(40)]}).encode(),
    "1,000 pets (150 KB)": json.dumps([_pet(n) for n in range(1_000)]).encode(),
    "20,000 pets (3 MB)": json.dumps([_pet(n) for n in range(20_000)]).encode(),
    "pet with a 20-digit id (slow path)": json.dumps({**_pet(1), "id": 2**64}).encode(),
}
PARSERS = {"json.loads": json.loads, "orjson.loads": orjson.loads, "parse_json": parse_json}


def measure(parser: object, body: bytes) -> float:
    runs = max(3, int(2_000_000 / max(len(body), 1)))
    timer = timeit.Timer(lambda: parser(body))  # type: ignore[operator]
    return min(timer.repeat(3, runs)) / runs * 1e6


def main() -> None:
    print(f"{'body':36} " + " ".join(f"{name:>14}" for name in PARSERS) + "   parse_json/orjson")
    for label, body in BODIES.items():
        samples: dict[str, list[float]] = {name: [] for name in PARSERS}
        for _ in range(3):
            for name, parser in PARSERS.items():
                samples[name].append(measure(parser, body))
        medians = {name: statistics.median(values) for name, values in samples.items()}
        cells = " ".join(f"{medians[name]:>12.1f}us" for name in PARSERS)
        ratio = medians["parse_json"] / medians["orjson.loads"]
        print(f"{label:36} {cells}   {ratio:.2f}x")


if __name__ == "__main__":
    main()
