"""HTTP's reading of output keys: statuses, ``4XX`` ranges, ``default``.

The engine asks this policy which response answers a request (the lowest
2xx, then 3xx, then ``default``), which one a ``Prefer: code=404`` or a
mock's status means (exact, then range, then ``default``), whether generated
bodies echo path parameters (2xx only), and how an injected error looks
(a ``500`` problem document).
"""

from __future__ import annotations

from ..engine import Operation, Output, Reply

__all__ = ["OUTPUTS", "HttpOutputs", "answered_status"]


def answered_status(output_status: str, requested: str | None = None) -> str:
    """The concrete status an output answers with: ``2XX`` → 200, ``default`` → 200."""
    if requested is not None and requested.isdigit():
        return requested
    if len(output_status) == 3 and output_status[1:].upper() == "XX":
        return f"{output_status[0]}00"
    if output_status == "default":
        return "200"
    return output_status


def _success_rank(status: str) -> float:
    if status.isdigit():
        return float(status) if 200 <= int(status) < 400 else 1000.0
    if len(status) == 3 and status[0] in "23" and status[1:].upper() == "XX":
        return int(status[0]) * 100 + 0.5
    return 1000.0


class HttpOutputs:
    """Responses keyed by HTTP status as OpenAPI writes them."""

    empty_status = "200"
    duplicates = False

    def default_output(self, operation: Operation) -> Output | None:
        """The lowest 2xx, then 3xx, then ``default``, then the first declared."""
        ranked = sorted(
            (_success_rank(output.status), index, output)
            for index, output in enumerate(operation.outputs)
            if _success_rank(output.status) < 400
        )
        if ranked:
            return ranked[0][2]
        for output in operation.outputs:
            if output.status == "default":
                return output
        return operation.outputs[0] if operation.outputs else None

    def output_for(self, operation: Operation, key: str) -> Output | None:
        """Exact status, then its ``4XX`` range, then ``default``."""
        keys = [key]
        if len(key) == 3 and key.isdigit():
            keys += [f"{key[0]}XX", "default"]
        for wanted in keys:
            for output in operation.outputs:
                if output.status.upper() == wanted.upper():
                    return output
        return None

    def answered(self, output_key: str, requested: str | None = None) -> str:
        return answered_status(output_key, requested)

    def echoes_path(self, status: str) -> bool:
        return status.startswith("2")

    def injected_fault(self, delay_ms: float) -> Reply:
        return Reply(
            status="500",
            body={"title": "Injected error", "detail": "server-wide error rate"},
            media_type="application/json",
            delay_ms=delay_ms,
            source="fault",
        )


OUTPUTS = HttpOutputs()
