"""SOAP 1.1 section 5 encoding (rpc/encoded): writing answers.

:func:`write_encoded` gives the answer element ``soap:encodingStyle``, each
accessor its ``xsi:type`` (``xml.type`` of its schema), arrays
``xsi:type="SOAP-ENC:Array"`` with ``SOAP-ENC:arrayType="T[n]"`` and members
named ``item``; values are written in place (no multi-reference values in
answers). The answer element declares every namespace its types use.
"""

from __future__ import annotations

from typing import Any

from lxml import etree

from .encoding import SOAP_ENCODING_NS, XSD_NS, XSI_NS, XSI_TYPE
from .xml_values import XSI_NIL

__all__ = ["write_encoded"]

_ARRAY_TYPE = f"{{{SOAP_ENCODING_NS}}}arrayType"
_ENVELOPE_11 = "http://schemas.xmlsoap.org/soap/envelope/"
_MAX_DEPTH = 64


def write_encoded(parent: etree._Element, schema: dict[str, Any], value: Any) -> etree._Element:
    """The answer element ``schema`` describes holding ``value``, SOAP-encoded,
    appended to ``parent``."""
    xml = schema.get("xml") or {}
    namespace = xml.get("namespace")
    tag = f"{{{namespace}}}{xml.get('name') or 'value'}" if namespace else xml.get("name", "value")
    nsmap: dict[str | None, str] = {
        "xsd": XSD_NS,
        "xsi": XSI_NS,
        "SOAP-ENC": SOAP_ENCODING_NS,
    }
    if namespace:
        nsmap["ns"] = namespace
    known = set(nsmap.values())
    for index, type_namespace in enumerate(sorted(_type_namespaces(schema) - known), 1):
        nsmap[f"t{index}"] = type_namespace
    element = etree.SubElement(parent, tag, nsmap=nsmap)
    element.set(f"{{{_ENVELOPE_11}}}encodingStyle", SOAP_ENCODING_NS)
    _Writer(element).members(element, schema, value if isinstance(value, dict) else {})
    return element


def _type_namespaces(schema: Any, depth: int = 0) -> set[str]:
    """The namespaces of the types ``schema`` names (``xml.type``), at any depth."""
    found: set[str] = set()
    if not isinstance(schema, dict) or depth > _MAX_DEPTH:
        return found
    declared = (schema.get("xml") or {}).get("type")
    if isinstance(declared, str) and declared.startswith("{"):
        found.add(declared[1:].split("}", 1)[0])
    for member in (schema.get("properties") or {}).values():
        found |= _type_namespaces(member, depth + 1)
    found |= _type_namespaces(schema.get("items"), depth + 1)
    return found


class _Writer:
    def __init__(self, root: etree._Element) -> None:
        self.root = root
        self.prefixes = {uri: prefix for prefix, uri in root.nsmap.items() if prefix}

    def members(
        self, element: etree._Element, schema: dict[str, Any], value: dict[str, Any]
    ) -> None:
        properties = schema.get("properties") or {}
        order = schema.get("x-order") or list(properties)
        for name in order:
            if name not in value:
                continue
            member = properties.get(name) or {}
            if member.get("type") == "array" and not (member.get("xml") or {}).get("type"):
                for item in value[name] if isinstance(value[name], list) else [value[name]]:
                    self.accessor(element, name, member.get("items") or {}, item)
            else:
                self.accessor(element, name, member, value[name])

    def accessor(
        self, parent: etree._Element, name: str, schema: dict[str, Any], value: Any
    ) -> None:
        element = etree.SubElement(parent, (schema.get("xml") or {}).get("name") or name)
        if value is None:
            element.set(XSI_NIL, "true")
            return
        if schema.get("type") == "array":
            items = schema.get("items") or {}
            values = value if isinstance(value, list) else [value]
            item_type = self.qualified(
                (items.get("xml") or {}).get("type") or f"{{{XSD_NS}}}anyType"
            )
            element.set(XSI_TYPE, "SOAP-ENC:Array")
            element.set(_ARRAY_TYPE, f"{item_type}[{len(values)}]")
            for item in values:
                self.accessor(element, "item", items, item)
            return
        declared = (schema.get("xml") or {}).get("type")
        if declared:
            element.set(XSI_TYPE, self.qualified(declared))
        if isinstance(value, dict):
            self.members(element, schema, value)
        elif not isinstance(value, list):
            element.text = "true" if value is True else "false" if value is False else str(value)

    def qualified(self, name: str) -> str:
        """``prefix:local`` of ``{namespace}local`` (the answer element
        declares every type namespace)."""
        if not name.startswith("{"):
            return name
        namespace, local = name[1:].split("}", 1)
        return f"{self.prefixes[namespace]}:{local}"
