"""The parts of an rpc/encoded message (SOAP 1.1 section 5) as JSON Schema.

Each part is an accessor named after it, typed by its XSD type: ``xml.type``
carries the type's qualified name (written as ``xsi:type`` in answers). A
SOAP-ENC array (a restriction of ``soapenc:Array`` whose ``arrayType``
attribute says ``wsdl:arrayType="ns:T[]"``) is a JSON Schema array of ``T``
(its members named ``item``); a SOAP-ENC simple type (``soapenc:string``)
is the XSD type it wraps. Everything else is read as for literal use.
"""

from __future__ import annotations

from typing import Any

from .reading import SOAP_ENCODING_NS
from .schemas import type_schema

__all__ = ["ARRAY_ITEM", "ENCODING_KEYWORD", "encoded_body_schema"]

ENCODING_KEYWORD = "x-soap-encoding"
"""Body schema annotation: the body is SOAP-encoded (the value is the encoding
style); the runtime reads and writes it by section 5 rules."""
ARRAY_ITEM = "item"
"""The name of an encoded array's member elements."""
_XSD_NS = "http://www.w3.org/2001/XMLSchema"
_MAX_DEPTH = 16


def encoded_body_schema(body: Any) -> dict[str, Any]:
    """The schema of an rpc/encoded body: the operation element (in the
    ``soap:body`` namespace) with one unqualified accessor per part."""
    qname = body.qname
    properties: dict[str, Any] = {}
    for name, part in getattr(body.type, "elements", None) or []:
        local = part.qname.localname if part.qname is not None else name
        properties[local] = _accessor(local, part.type, ())
    schema: dict[str, Any] = {
        "type": "object",
        "properties": properties,
        ENCODING_KEYWORD: SOAP_ENCODING_NS,
    }
    if properties:
        schema["required"] = list(properties)
        schema["x-order"] = list(properties)
    xml: dict[str, Any] = {"name": qname.localname}
    if qname.namespace:
        xml["namespace"] = qname.namespace
    return {**schema, "xml": xml}


def _accessor(name: str, xsd_type: Any, stack: tuple[str, ...]) -> dict[str, Any]:
    schema = _encoded(xsd_type, stack)
    xml: dict[str, Any] = {"name": name}
    type_name = _type_name(xsd_type)
    if type_name:
        xml["type"] = type_name
    return {**schema, "xml": xml}


def _encoded(xsd_type: Any, stack: tuple[str, ...]) -> dict[str, Any]:
    if xsd_type is None:
        return {}
    item_type = _array_item_type(xsd_type)
    if item_type is not None:
        return {
            "type": "array",
            "items": _accessor(ARRAY_ITEM, item_type, stack),
            "maxItems": 3,
        }
    wrapped = _wrapped_simple(xsd_type)
    if wrapped is not None:
        return type_schema(wrapped)
    if not hasattr(xsd_type, "elements"):
        return type_schema(xsd_type)
    name = _type_name(xsd_type) or str(id(xsd_type))
    if name in stack or len(stack) > _MAX_DEPTH:
        return {"type": "object"}
    schema = type_schema(xsd_type, stack)
    stack = (*stack, name)
    properties = dict(schema.get("properties") or {})
    for child_name, child in xsd_type.elements:
        local = child.qname.localname if child.qname is not None else child_name
        known = properties.get(local)
        if known is None or known.get("type") == "array":  # repeated members stay as they are
            continue
        properties[local] = {**_accessor(local, child.type, stack), "xml": known.get("xml", {})}
        type_name = _type_name(child.type)
        if type_name:
            properties[local]["xml"] = {**properties[local]["xml"], "type": type_name}
    return {**schema, "properties": properties}


def _array_item_type(xsd_type: Any) -> Any:
    """The member type of a SOAP-ENC array type (zeep reads ``wsdl:arrayType``)."""
    attribute = getattr(xsd_type, "_array_type", None) if hasattr(xsd_type, "elements") else None
    return getattr(attribute, "array_type", None) if attribute is not None else None


def _wrapped_simple(xsd_type: Any) -> Any:
    """The XSD type of a SOAP-ENC simple type (``soapenc:string`` wraps ``xsd:string``)."""
    qname = getattr(xsd_type, "qname", None)
    if qname is None or qname.namespace != SOAP_ENCODING_NS:
        return None
    element = getattr(xsd_type, "_element", None)
    inner = getattr(element, "type", None)
    inner_name = getattr(inner, "qname", None)
    return inner if inner_name is not None and inner_name.namespace == _XSD_NS else None


def _type_name(xsd_type: Any) -> str:
    """``{ns}local`` of a named type (a SOAP-ENC simple type by its XSD type)."""
    wrapped = _wrapped_simple(xsd_type)
    qname = getattr(wrapped if wrapped is not None else xsd_type, "qname", None)
    return qname.text if qname is not None and qname.namespace else ""
