"""gRPC's reading of output keys: status names, ``OK`` is the success.

Every method declares ``OK`` and each error status (``NOT_FOUND``…) as
outputs; a status asked for matches its name exactly. Generated messages do
not echo anything (a gRPC request has no path parameters), and an injected
error ends the call with ``INTERNAL``.
"""

from __future__ import annotations

from ..engine import KeyedOutputs, Reply

__all__ = ["OUTPUTS", "GrpcOutputs"]

SUCCESS = "OK"


class GrpcOutputs(KeyedOutputs):
    """Outputs keyed by gRPC status name."""

    empty_status = SUCCESS
    success = SUCCESS

    def injected_fault(self, delay_ms: float) -> Reply:
        return Reply(
            status="INTERNAL",
            body={"message": "server-wide error rate"},
            delay_ms=delay_ms,
            source="fault",
        )


OUTPUTS = GrpcOutputs()
