"""The contract of a generated SSE server (``contract.json``), from the IR.

The format is ``mockc.runtime.contract``: each channel operation with a
``channel`` binding (``targets/common/sse_channels.py`` builds them; the
HTTP target serving SSE channels beside its routes writes the same), and
one output per event type (``mockc.runtime.sse.contract`` documents what the
adapter reads).
"""

from __future__ import annotations

from typing import Any

from mockc.compiler import ir

from ..common.contract import contract_document
from ..common.sse_channels import sse_operation_specs, sse_section

__all__ = ["build_contract"]


def build_contract(api: ir.Api, *, generated_by: str) -> dict[str, Any]:
    operations = sse_operation_specs(api)
    return contract_document(
        api,
        protocol="sse",
        generated_by=generated_by,
        defs={named.name: ir.thaw(named.schema) for named in api.schemas},
        operations=operations,
        sse=sse_section(api, operations),
    )
