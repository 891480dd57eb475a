"""The contract of a generated SOAP server (``contract.json``), from the IR.

Each operation's ``binding`` lists every port that reaches it (``ports``:
address path, SOAP version, soapAction, input element, style) and the
``soap:header`` elements of its input (``input_headers``), its outputs the
answer and the faults (``fault``: code and detail element; ``soap_headers``:
the header elements of the output). The ``soap``
block names the WSDL copied beside the contract (served at ``?wsdl``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from mockc.compiler import ir

from ..common.contract import contract_document, message_spec, operation_spec, output_spec
from .layout import WSDL_FOLDER, ServedLayout, served_layout

__all__ = ["WSDL_FOLDER", "build_contract", "wsdl_files"]


def build_contract(api: ir.Api, *, generated_by: str) -> dict[str, Any]:
    layout = served_layout(api)
    addresses: dict[str, list[list[str]]] = {}
    for (main, service, port), address in layout.addresses.items():
        copied = layout.mains.get(main)
        if copied is not None:
            addresses.setdefault(copied, []).append([service, port, address])
    return contract_document(
        api,
        protocol="soap",
        generated_by=generated_by,
        defs={},
        operations=(
            _operation(operation, layout)
            for operation in api.operations
            if isinstance(operation.binding, ir.SoapBinding)
        ),
        soap={
            "wsdl": next(iter(layout.mains.values()), ""),
            "files": list(layout.files),
            "addresses": addresses,
        },
    )


def _operation(operation: ir.Operation, layout: ServedLayout) -> dict[str, Any]:
    primary = operation.binding
    assert isinstance(primary, ir.SoapBinding)
    outputs = []
    for output in operation.outputs:
        spec = output_spec(output)
        spec["headers"] = []  # SOAP header elements, not HTTP headers: the adapter writes them
        spec["soap_headers"] = _header_specs(output.headers)
        spec["is_error"] = output.is_error
        if output.fault is not None:
            spec["fault"] = {
                "code": output.fault.code,
                "detail_element": output.fault.detail_element,
            }
        outputs.append(spec)
    return operation_spec(
        operation.id,
        shape=operation.shape,
        input=message_spec(operation.input),
        outputs=outputs,
        binding={
            "kind": "soap",
            "operation": primary.operation,
            "use": primary.use,
            "output_element": primary.output_element,
            "input_headers": _header_specs(operation.input.headers if operation.input else ()),
            "ports": [
                {
                    "service": binding.service,
                    "port": binding.port,
                    "address": layout.address(operation, binding),
                    "wsdl": layout.wsdl_of(operation),
                    "soap_version": binding.soap_version,
                    "soap_action": binding.soap_action,
                    "style": binding.style,
                    "input_element": binding.input_element,
                }
                for binding in operation.bindings
                if isinstance(binding, ir.SoapBinding)
            ],
        },
    )


def _header_specs(headers: tuple[ir.Parameter, ...]) -> list[dict[str, Any]]:
    """The ``soap:header`` elements of an input or output: local name,
    qualified element name and schema."""
    return [
        {"name": header.name, "element": header.element, "schema": ir.thaw(header.schema)}
        for header in headers
    ]


def wsdl_files(api: ir.Api) -> dict[str, Path]:
    """Where each source file is copied (``wsdl/...``, see :mod:`.layout`)."""
    return served_layout(api).files
