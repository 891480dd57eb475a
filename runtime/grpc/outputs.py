"""gRPC's reading of output keys: status names, ``OK`` is the success.

Every method declares ``OK`` and each error status (``NOT_FOUND``…) as
outputs; a status asked for matches its name exactly. Generated messages do
not echo anything (a gRPC request has no path parameters), and an injected
error ends the call with ``INTERNAL``.
"""

from __future__ import annotations

from ..engine import Operation, Output, Reply

__all__ = ["OUTPUTS", "GrpcOutputs"]

SUCCESS = "OK"


class GrpcOutputs:
    """Outputs keyed by gRPC status name."""

    empty_status = SUCCESS

    def default_output(self, operation: Operation) -> Output | None:
        """``OK``, else the first declared output."""
        for output in operation.outputs:
            if output.status == SUCCESS:
                return output
        return operation.outputs[0] if operation.outputs else None

    def output_for(self, operation: Operation, key: str) -> Output | None:
        for output in operation.outputs:
            if output.status == key:
                return output
        return None

    def answered(self, output_key: str, requested: str | None = None) -> str:
        return requested if requested else output_key

    def echoes_path(self, status: str) -> bool:
        return False

    def injected_fault(self, delay_ms: float) -> Reply:
        return Reply(
            status="INTERNAL",
            body={"message": "server-wide error rate"},
            delay_ms=delay_ms,
            source="fault",
        )


OUTPUTS = GrpcOutputs()
