"""Plain-language readings of a journal analysis (as the admin API reports it,
``GET /__mockc/journal/analysis``), for an assistant to pass on."""

from __future__ import annotations

from typing import Any

__all__ = ["insights"]


def _ms(value: Any) -> str:
    return f"{value:.1f} ms" if isinstance(value, int | float) else "n/a"


def insights(analysis: dict[str, Any]) -> list[str]:
    """Sentences on volume, latency, errors, busiest paths and unmatched requests."""
    if analysis.get("enabled") is False:
        return ["The journal is off on this server (MOCKC_JOURNAL=off): nothing is recorded."]
    count = analysis.get("count") or 0
    if not count:
        return ["No requests were recorded in this window."]
    said: list[str] = []
    latency = analysis.get("latency_ms") or {}
    said.append(
        f"{count} request(s); latency p50 {_ms(latency.get('p50'))}, "
        f"p95 {_ms(latency.get('p95'))}, p99 {_ms(latency.get('p99'))} "
        f"(slowest {_ms(latency.get('max'))})."
    )
    errors = analysis.get("errors") or 0
    rate = analysis.get("error_rate") or 0.0
    if errors:
        said.append(f"{errors} server error(s) (5xx or injected faults): {rate * 100:.1f}%.")
    else:
        said.append("No server errors (5xx or injected faults).")
    statuses = analysis.get("by_status") or {}
    client_errors = sum(
        n for status, n in statuses.items() if len(status) == 3 and status.startswith("4")
    )
    if client_errors:
        said.append(f"{client_errors} client error(s) (4xx).")
    top = analysis.get("top_paths") or []
    if top:
        busiest = ", ".join(f"{item['path']} ({item['count']})" for item in top[:3])
        said.append(f"Busiest paths: {busiest}.")
    if analysis.get("unrouted"):
        said.append(f"{analysis['unrouted']} request(s) reached no operation of the contract.")
    unmatched = analysis.get("unmatched") or {}
    if unmatched.get("count"):
        said.append(
            f"{unmatched['count']} request(s) matched no mock and were answered by the "
            "fallback (examples or fake data, or MOCKC_UNMATCHED)."
        )
        for item in unmatched.get("top") or []:
            said.append(_unmatched(item))
    if analysis.get("dropped"):
        said.append(f"{analysis['dropped']} entr(ies) were dropped: the journal fell behind.")
    return said


def _unmatched(item: dict[str, Any]) -> str:
    text = f"{item.get('operation') or 'no operation'}: {item.get('count')} unmatched"
    misses = item.get("near_miss") or []
    if not isinstance(misses, list) or not misses:
        return text + "."
    closest = misses[0] if isinstance(misses[0], dict) else {}
    where = closest.get("file") or "?"
    if closest.get("line"):
        where += f":{closest['line']}"
    return (
        text + f"; the closest mock, {closest.get('mock')!r} ({where}), passed "
        f"{closest.get('passed')} of {closest.get('of')} conditions and failed on: "
        f"{closest.get('failed')}."
    )
