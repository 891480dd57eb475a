"""Plain-language insights drawn from a journal analysis."""

from __future__ import annotations

from mockc.compiler.assistant.insights import insights

ANALYSIS = {
    "count": 20,
    "latency_ms": {"p50": 1.25, "p95": 8.0, "p99": 12.5, "max": 40.0},
    "errors": 2,
    "error_rate": 0.1,
    "by_status": {"200": 15, "404": 3, "500": 2},
    "top_paths": [{"path": "/pets", "count": 12}, {"path": "/pets/7", "count": 8}],
    "top_operations": [],
    "unrouted": 1,
    "unmatched": {
        "count": 3,
        "top": [
            {
                "operation": "showPetById",
                "count": 3,
                "near_miss": [
                    {
                        "mock": "pet-42",
                        "file": "mocks/pet-42.yaml",
                        "line": 4,
                        "passed": 0,
                        "of": 1,
                        "failed": "path.petId is '7', not '42'",
                    }
                ],
            }
        ],
    },
    "enabled": True,
    "dropped": 0,
}


def test_every_part_of_the_analysis_is_told() -> None:
    assert insights(ANALYSIS) == [
        "20 request(s); latency p50 1.2 ms, p95 8.0 ms, p99 12.5 ms (slowest 40.0 ms).",
        "2 server error(s) (5xx or injected faults): 10.0%.",
        "3 client error(s) (4xx).",
        "Busiest paths: /pets (12), /pets/7 (8).",
        "1 request(s) reached no operation of the contract.",
        "3 request(s) matched no mock and were answered by the fallback (examples or fake "
        "data, or MOCKC_UNMATCHED).",
        "showPetById: 3 unmatched; the closest mock, 'pet-42' (mocks/pet-42.yaml:4), passed "
        "0 of 1 conditions and failed on: path.petId is '7', not '42'.",
    ]


def test_an_empty_or_disabled_journal() -> None:
    assert insights({**ANALYSIS, "count": 0}) == ["No requests were recorded in this window."]
    assert "journal is off" in insights({"enabled": False})[0]


def test_no_errors_is_said() -> None:
    quiet = {**ANALYSIS, "errors": 0, "error_rate": 0.0, "unmatched": {"count": 0, "top": []}}
    assert "No server errors (5xx or injected faults)." in insights(quiet)
