"""The SOAP target: an IR Api (from a WSDL) in, the files of a standalone SOAP
mock server out."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from mockc.compiler import ir

from ..common import CORE_REQUIREMENTS, GeneratedFile, ServerGenerator, TargetOptions
from ..common.generator import Contract
from .contract import build_contract, wsdl_files
from .layout import ServedLayout, served_layout

SoapOptions = TargetOptions


class SoapServer(ServerGenerator):
    name = "soap"
    binding = ir.SoapBinding
    templates = Path(__file__).parent / "templates"
    requirements = tuple(
        sorted(
            (
                "granian==2.8.7",
                "lxml==6.2.0",
                "xmlschema==4.3.2",
                "elementpath==5.1.4",
                *CORE_REQUIREMENTS,
            )
        )
    )
    build_contract = build_contract
    _layout: ServedLayout | None = None

    def generate(self, api: ir.Api, options: TargetOptions) -> list[GeneratedFile]:
        self._layout = served_layout(api)  # the README's rows name served addresses
        return super().generate(api, options)

    def row(self, operation: ir.Operation) -> dict[str, str]:
        bindings = [b for b in operation.bindings if isinstance(b, ir.SoapBinding)]
        layout = self._layout
        return {
            "id": operation.id,
            "operation": bindings[0].operation,
            "ports": ", ".join(
                f"`{layout.address(operation, b) if layout else b.address or '/'}` "
                f"(SOAP {b.soap_version})"
                for b in bindings
            ),
            "action": bindings[0].soap_action or "—",
        }

    def hook_doc(self, operation: ir.Operation) -> str:
        binding = operation.binding
        assert isinstance(binding, ir.SoapBinding)
        lines = [f"{binding.operation} ({binding.input_element or 'no body'})"]
        if operation.description:
            lines += ["", operation.description]
        return "\n".join(lines)

    def context(
        self, api: ir.Api, operations: list[ir.Operation], contract: Contract
    ) -> Mapping[str, object]:
        addresses = sorted(
            {
                served_layout(api).address(op, b)
                for op in operations
                for b in op.bindings
                if isinstance(b, ir.SoapBinding)
            }
        )
        encoded = any(
            isinstance(b, ir.SoapBinding) and b.use == "encoded"
            for op in operations
            for b in op.bindings
        )
        return {
            "addresses": addresses,
            "first_address": addresses[0] if addresses else "/",
            "encoded": encoded,
        }

    def extra_files(self, api: ir.Api, header: str) -> list[GeneratedFile]:
        return [
            GeneratedFile(path=name, content=path.read_bytes())
            for name, path in wsdl_files(api).items()
        ]


def generate(api: ir.Api, options: SoapOptions) -> list[GeneratedFile]:
    return SoapServer().generate(api, options)
