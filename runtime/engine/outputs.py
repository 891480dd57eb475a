"""What an operation's output keys mean: the interface between engine and adapter.

The engine picks outputs, fills in path parameters and injects faults without
knowing any protocol's status rules. Each adapter gives its operations an
:class:`OutputPolicy` (``runtime/<protocol>/outputs.py``): HTTP ranks 2xx
before 3xx and matches ``4XX`` ranges; gRPC answers ``OK``; a channel answers
its one message. :data:`KEYED_OUTPUTS` is the neutral policy: keys match
exactly and the first declared output is the success.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from .model import Operation, Output, Reply

__all__ = ["KEYED_OUTPUTS", "KeyedOutputs", "OutputPolicy"]


class OutputPolicy(Protocol):
    """How one protocol reads output keys; an adapter passes one to its operations
    (``engine_operations(contract, outputs)``) and to its service."""

    @property
    def empty_status(self) -> str:
        """The status of an answer of an operation that declares no output."""
        ...

    @property
    def duplicates(self) -> bool:
        """Whether a ``duplicate`` fault sends the message twice (broker channels);
        elsewhere the fault is dropped."""
        ...

    def default_output(self, operation: Operation) -> Output | None:
        """The output answering when nothing asks for another."""
        ...

    def output_for(self, operation: Operation, key: str) -> Output | None:
        """The output answering ``key`` (a status a caller or mock asked for)."""
        ...

    def answered(self, output_key: str, requested: str | None = None) -> str:
        """The concrete status an output answers with (``2XX`` → ``200`` in HTTP);
        ``requested`` is the status asked for, when one was."""
        ...

    def echoes_path(self, status: str) -> bool:
        """Whether fake data answered with ``status`` takes the request's path
        parameters (``GET /pets/7`` answers ``{"id": 7}``)."""
        ...

    def injected_fault(self, delay_ms: float) -> Reply:
        """The reply of an error injected by the server-wide error rate, as the
        protocol's callers see a server error."""
        ...


class KeyedOutputs:
    """Keys match exactly; the output keyed ``success`` (else the first) is
    the success; no path echo. Protocols whose outputs are plain names
    subclass it with their own success key and fault."""

    empty_status = "ok"
    duplicates = False
    success: str | None = None
    """The key of the success output, when the protocol names one."""

    def default_output(self, operation: Operation) -> Output | None:
        if self.success is not None:
            for output in operation.outputs:
                if output.status == self.success:
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
        from .model import Reply

        return Reply(
            status="error",
            body={"message": "injected error: server-wide error rate"},
            delay_ms=delay_ms,
            source="fault",
        )


KEYED_OUTPUTS: OutputPolicy = KeyedOutputs()
