"""Generating SOAP servers from corpus WSDLs and calling them with zeep."""

from __future__ import annotations

import datetime
import decimal
import subprocess
import sys
from pathlib import Path
from typing import Any

import zeep
from zeep.xsd import elements as xsd_elements
from zeep.xsd import indicators

ROOT = Path(__file__).resolve().parents[3]
CORPUS = ROOT / "tests" / "corpus" / "wsdl"
MOCKC = Path(sys.executable).parent / "mockc"
WORKING: dict[str, str] = {
    "dneonline-calculator": "calculator.wsdl",
    "oorsprong-countryinfo": "CountryInfoService.wsdl",
    "cxf-soap12": "hello_world_soap12.wsdl",
    "cxf-rpclit": "hello_world_RPCLit.wsdl",
    "cxf-wsdl-first": "CustomerService.wsdl",
    "dataaccess-numberconversion": "NumberConversion.wsdl",
    "cxf-soap-header": "soap_header.wsdl",
    "onvif": "ptz.wsdl",
    "onvif/devicemgmt.wsdl": "devicemgmt.wsdl",
    "onvif/events.wsdl": "events.wsdl",
    "zeep-tests": "soap.wsdl",
}
"""Corpus WSDLs whose every operation zeep and suds call (by folder, or
folder/file where a folder has several); NDFD's rpc/encoded WSDL has its own
tests (test_soap_encoded.py)."""


def working_wsdl(key: str) -> Path:
    """The file of a :data:`WORKING` entry."""
    return CORPUS / key.split("/")[0] / WORKING[key]


def generate(wsdl: Path, out: Path) -> Path:
    done = subprocess.run(
        [str(MOCKC), "generate", str(wsdl), "-o", str(out), "-q"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    return out


def client(url: str, **names: str) -> zeep.Client:
    return zeep.Client(url, **names)


def operations(wsdl_client: zeep.Client) -> list[tuple[str, str, str]]:
    """(service, port, operation) of every SOAP operation the client sees."""
    found = []
    for service in wsdl_client.wsdl.services.values():
        for port in service.ports.values():
            binding = port.binding
            if not hasattr(binding, "_operations") or not type(binding).__name__.startswith("Soap"):
                continue
            for name in binding._operations:
                found.append((service.name, port.name, name))
    return found


def binding_operations(wsdl_client: zeep.Client, service: str, port: str) -> dict[str, Any]:
    operations: dict[str, Any] = wsdl_client.wsdl.services[service].ports[port].binding._operations
    return operations


def enumerations(wsdl: Path) -> dict[str, Any]:
    """The first allowed value of every named enumerated simple type of a WSDL's
    schemas (zeep does not keep facets; xmlschema does)."""
    from mockc.runtime.soap.validation import XmlschemaSchemas

    schema = XmlschemaSchemas.load(wsdl).schema
    return {
        name: values[0]
        for name, xsd_type in schema.maps.types.items()
        if (values := getattr(xsd_type, "enumeration", None))
    }


def minimal_arguments(operation: Any, choices: dict[str, Any] | None = None) -> dict[str, Any]:
    """The smallest valid keyword arguments of a zeep binding operation
    (``choices``: a value for named types, from :func:`enumerations`)."""
    body = operation.input.body
    if body is None:
        return {}
    return _members(body.type, choices or {})


def _members(xsd_type: Any, choices: dict[str, Any], depth: int = 0) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for name, attribute in getattr(xsd_type, "attributes", []) or []:
        if getattr(attribute, "required", False):
            values[name] = _value(attribute.type, choices, depth + 1)
    indicator = getattr(xsd_type, "_element", None)
    if indicator is not None:
        _fill(indicator, values, choices, depth)
    return values


def _fill(node: Any, values: dict[str, Any], choices: dict[str, Any], depth: int) -> None:
    """Required elements of ``node``; a choice takes its first branch."""
    if isinstance(node, xsd_elements.Element):
        if (node.min_occurs or 0) > 0:
            values[node.attr_name] = _value(node.type, choices, depth + 1)
    elif isinstance(node, indicators.Group):
        _fill(node.child, values, choices, depth)
    elif isinstance(node, indicators.Choice):
        if (node.min_occurs or 0) > 0 and len(node):
            _fill(node[0], values, choices, depth)
    elif isinstance(node, indicators.Indicator) and (node.min_occurs or 0) > 0:
        for child in node:
            _fill(child, values, choices, depth)


_BUILTINS: dict[str, Any] = {
    "Boolean": True,
    "Int": 1,
    "Integer": 1,
    "Long": 1,
    "Short": 1,
    "UnsignedInt": 1,
    "UnsignedShort": 1,
    "UnsignedLong": 1,
    "Decimal": decimal.Decimal("1.5"),
    "Double": 1.5,
    "Float": 1.5,
    "DateTime": datetime.datetime(2026, 1, 2, 3, 4, 5),
    "Date": datetime.date(2026, 1, 2),
    "Duration": "PT1S",
    "Base64Binary": b"mockc",
    "AnyURI": "http://example.com/",
}


def _value(xsd_type: Any, choices: dict[str, Any], depth: int) -> Any:
    if hasattr(xsd_type, "elements") and getattr(xsd_type, "_element", None) is not None:
        return _members(xsd_type, choices, depth) if depth < 8 else {}
    qname = getattr(xsd_type, "qname", None)
    if qname is not None and qname.text in choices:
        return choices[qname.text]
    for cls in type(xsd_type).__mro__:
        if cls.__name__ in _BUILTINS:
            return _BUILTINS[cls.__name__]
    return "x"
