"""SOAP's reading of output keys: the WSDL output name answers, fault names are faults.

The success is the first output that is not a fault; a key names an output
exactly (``AddResponse``, ``InvalidInput``). The adapter's own faults use
the keys :data:`CLIENT` and :data:`SERVER` (``Client``/``Server`` in SOAP 1.1,
``Sender``/``Receiver`` in 1.2); an injected error is a Server fault.
"""

from __future__ import annotations

from ..engine import KeyedOutputs, Operation, Output, Reply

__all__ = ["CLIENT", "MUST_UNDERSTAND", "SERVER", "SoapOutputs"]

CLIENT = "Client"
SERVER = "Server"
MUST_UNDERSTAND = "MustUnderstand"
"""The fault of a request whose header block says ``mustUnderstand`` and
which the operation does not declare."""


class SoapOutputs(KeyedOutputs):
    """``faults``: (operation id, output key) of every declared fault."""

    empty_status = "ok"

    def __init__(self, faults: frozenset[tuple[str, str]] = frozenset()) -> None:
        self.faults = faults

    def is_fault(self, operation_id: str, key: str) -> bool:
        return key in (CLIENT, SERVER) or (operation_id, key) in self.faults

    def fault_kind(self, key: str) -> str:
        """Client or Server: an HTTP-style status a hook or the unmatched policy
        answers (``404``) is a Client fault when 4xx, else a Server fault."""
        return CLIENT if key == CLIENT or (key.isdigit() and key.startswith("4")) else SERVER

    def default_output(self, operation: Operation) -> Output | None:
        for output in operation.outputs:
            if (operation.id, output.status) not in self.faults:
                return output
        return None

    def injected_fault(self, delay_ms: float) -> Reply:
        return Reply(
            status=SERVER,
            body={"faultstring": "injected error: server-wide error rate"},
            delay_ms=delay_ms,
            source="fault",
        )
