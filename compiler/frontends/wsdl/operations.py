"""A WSDL's SOAP ports → IR operations.

One operation per (port type, operation name): the first SOAP port that
reaches it gives its primary binding, every other port (the SOAP 1.2 port
beside the 1.1 one) an alternate binding. Ports with a non-SOAP binding
(HTTP GET/POST) are skipped with a warning.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from lxml import etree
from zeep import xsd
from zeep.wsdl.bindings.soap import Soap12Binding, SoapBinding

from mockc.compiler import ir
from mockc.compiler.errors import Diagnostic

from .encoding import encoded_body_schema
from .reading import OperationPlace
from .schemas import element_schema

__all__ = ["MEDIA_TYPES", "build_operations"]

MEDIA_TYPES = {"1.1": "text/xml", "1.2": "application/soap+xml"}
_FAULT_CODES = {"1.1": "soap:Server", "1.2": "env:Receiver"}


def build_operations(
    document: Any,
    file: str,
    places: dict[tuple[str, str], OperationPlace],
    warnings: list[Diagnostic],
) -> list[ir.Operation]:
    found: dict[tuple[str, str], ir.Operation] = {}
    for service in document.services.values():
        for port in service.ports.values():
            binding = port.binding
            if not isinstance(binding, SoapBinding):
                warnings.append(
                    Diagnostic(
                        file=file,
                        level="warning",
                        message=f"port {port.name}: not a SOAP binding; not served",
                    )
                )
                continue
            version = "1.2" if isinstance(binding, Soap12Binding) else "1.1"
            address = urlparse(port.binding_options.get("address") or "").path or "/"
            port_type = binding.port_type.name.localname
            for name, operation in binding._operations.items():
                place = places.get((binding.name.localname, name))
                line = place.line if place is not None else None
                use = "encoded" if place is not None and place.encoded else "literal"
                soap = _binding(service.name, port.name, operation, version, address, use)
                key = (port_type, name)
                if key in found:
                    known = found[key]
                    found[key] = ir.Operation(
                        **{
                            **_fields(known),
                            "alternate_bindings": (*known.alternate_bindings, soap),
                        }
                    )
                    continue
                found[key] = _operation(
                    f"{port_type}_{name}", operation, soap, version, file, binding, line
                )
    return list(found.values())


def _fields(operation: ir.Operation) -> dict[str, Any]:
    return {name: getattr(operation, name) for name in operation.__dataclass_fields__}


def _binding(
    service: str, port: str, operation: Any, version: str, address: str, use: str
) -> ir.SoapBinding:
    input_body = operation.input.body if operation.input is not None else None
    output_body = _output_body(operation)
    qname = input_body.qname if input_body is not None else None
    return ir.SoapBinding(
        service=service,
        port=port,
        operation=operation.name,
        soap_action=operation.soapaction or "",
        style=operation.style or "document",
        use=use,
        soap_version=version,
        namespace=(qname.namespace or "") if qname is not None else "",
        input_element=_qualified(input_body),
        output_element=_qualified(output_body),
        address=address,
    )


def _output_body(operation: Any) -> Any:
    """The output's body element: zeep's, or for an rpc output message with no
    part (zeep-tests' claim.wsdl) the empty ``<operation>Response`` wrapper,
    which zeep leaves out, in the input wrapper's namespace (zeep keeps no
    namespace for a body without parts)."""
    output = operation.output
    if output is None or output.body is not None or (operation.style or "") != "rpc":
        return output.body if output is not None else None
    request = operation.input.body if operation.input is not None else None
    namespace = (request.qname.namespace or None) if request is not None else None
    return xsd.Element(
        etree.QName(namespace, f"{operation.name}Response"), xsd.ComplexType(xsd.Sequence([]))
    )


def _qualified(element: Any) -> str:
    if element is None or element.qname is None:
        return ""
    return element.qname.text


def _operation(
    operation_id: str,
    operation: Any,
    soap: ir.SoapBinding,
    version: str,
    file: str,
    binding: Any,
    line: int | None,
) -> ir.Operation:
    media_type = MEDIA_TYPES[version]
    encoded = soap.use == "encoded"
    outputs: list[ir.Output] = []
    output_body = _output_body(operation)
    if output_body is not None:
        outputs.append(
            ir.Output(
                key=output_body.qname.localname,
                message=_message(output_body, media_type, encoded=encoded),
                headers=_headers(operation.output),
            )
        )
    for fault_name, fault in operation.faults.items():
        detail = _fault_detail(fault)
        outputs.append(
            ir.Output(
                key=fault_name,
                is_error=True,
                fault=ir.Fault(code=_FAULT_CODES[version], detail_element=_qualified(detail)),
                message=_message(detail, media_type) if detail is not None else ir.Message(),
            )
        )
    input_body = operation.input.body if operation.input is not None else None
    input_message = (
        _message(input_body, media_type, encoded=encoded) if input_body is not None else None
    )
    input_headers = _headers(operation.input)
    if input_headers:
        input_message = ir.Message(
            required=True,
            contents=input_message.contents if input_message is not None else (),
            headers=input_headers,
        )
    return ir.Operation(
        id=operation_id,
        input=input_message,
        outputs=tuple(outputs),
        binding=soap,
        description=str(getattr(operation.abstract, "documentation", "") or "").strip()
        if operation.abstract is not None
        else "",
        source=ir.Source(
            file=file,
            pointer=f"/binding/{binding.name.localname}/operation/{operation.name}",
            line=line,
            column=1 if line else None,
        ),
    )


def _headers(message: Any) -> tuple[ir.Parameter, ...]:
    """The ``soap:header`` parts of an input or output (zeep's ``header``
    element): one metadata parameter per header element, named by its local
    name, ``element`` its qualified name. A header the WSDL declares is not
    required on the wire (SOAP leaves that to the service)."""
    header = getattr(message, "header", None) if message is not None else None
    members = getattr(getattr(header, "type", None), "elements", None) or []
    found: list[ir.Parameter] = []
    for _name, element in members:
        if element.qname is None:
            continue
        found.append(
            ir.Parameter(
                name=element.qname.localname,
                location=ir.ParameterLocation.METADATA,
                schema=ir.freeze(element_schema(element)),
                element=element.qname.text,
            )
        )
    return tuple(found)


def _fault_detail(fault: Any) -> Any:
    """The element a fault's message part declares (the ``detail`` content)."""
    message = getattr(fault, "abstract", None)
    for part in (getattr(message, "parts", None) or {}).values():
        if part.element is not None:
            return part.element
    return None


def _message(element: Any, media_type: str, *, encoded: bool = False) -> ir.Message:
    """The body of an input or output: its element, or for rpc/encoded the
    operation element with SOAP-encoded part accessors."""
    schema = encoded_body_schema(element) if encoded else element_schema(element)
    return ir.Message(
        required=True,
        contents=(ir.Content(media_type=media_type, schema=ir.freeze(schema)),),
    )


def source_files(main: Path, loaded: list[str]) -> tuple[str, ...]:
    """The main file first, then the other local files it imported."""
    seen = [str(main)]
    for path in loaded:
        if Path(path).resolve() != main.resolve() and path not in seen:
            seen.append(path)
    return tuple(seen)
