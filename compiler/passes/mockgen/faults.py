"""The generated mocks of a SOAP operation's declared faults: one per
``wsdl:fault``, off until a user turns it on (``enabled: true``; its priority
puts it before the operation's own mock, and a ``match`` narrows it), so each
fault's shape is in sight: its name as the status, a ``faultstring`` and fake
detail of the fault's detail element."""

from __future__ import annotations

import re
from typing import Any

from mockc.compiler import ir

from .checked import CheckedFakes

__all__ = ["fault_mock_documents"]

_MAX_ID = 128
_NOT_IN_ID = re.compile(r"[^A-Za-z0-9_.-]")


def fault_mock_documents(operation: ir.Operation, fake: CheckedFakes) -> list[dict[str, Any]]:
    """The mock of each declared fault of ``operation`` (none for other
    protocols), in declaration order."""
    if not isinstance(operation.binding, ir.SoapBinding):
        return []
    fake.operation = operation
    return [
        _document(operation, output, fake)
        for output in operation.outputs
        if output.fault is not None
    ]


def fault_mock_id(operation: ir.Operation, output: ir.Output) -> str:
    """``<operation id>.<fault name>``, cut to the mock id's length."""
    return _NOT_IN_ID.sub("_", f"{operation.id}.{output.key}")[:_MAX_ID].rstrip(".")


def _document(operation: ir.Operation, output: ir.Output, fake: CheckedFakes) -> dict[str, Any]:
    assert output.fault is not None
    detail = output.fault.detail_element.rpartition("}")[2] or "none"
    body: Any = None
    if output.message.contents:
        content = output.message.contents[0]
        key = f"{operation.id}/{output.key}/{content.media_type}"
        body = fake.generate(ir.thaw(content.schema) or {}, key=key)
    reason = f"{output.key} (a mock answer)"
    if isinstance(body, dict) and "faultstring" not in body:
        body = {"faultstring": reason, **body}
    elif body is None:
        body = {"faultstring": reason}
    return {
        "id": fault_mock_id(operation, output),
        "operation": operation.id,
        "description": (
            f"The declared fault {output.key} ({output.fault.code}, detail element {detail}): "
            f"enabled: true answers it before the operation's mock (a match narrows it), "
            f"as Prefer: code={output.key} does"
        ),
        "enabled": False,
        "priority": 1,
        "response": {"status": output.key, "body": body},
    }
