"""The XML vocabulary the SOAP adapter writes and reads: xsi:nil for nillable
elements, simple content beside attributes, qualified attributes."""

from __future__ import annotations

from lxml import etree

from mockc.runtime.soap.xml_values import XSI_NIL, read_element, write_element

SCHEMA = {
    "type": "object",
    "properties": {
        "name": {"type": "string", "xml": {"name": "name", "nillable": True}},
        "note": {"type": "string", "xml": {"name": "note"}},
        "usage": {
            "type": "object",
            "properties": {
                "_value": {"type": "integer", "xml": {"text": True}},
                "critical": {"type": "boolean", "xml": {"name": "critical", "attribute": True}},
                "contentType": {
                    "type": "string",
                    "xml": {"name": "contentType", "attribute": True, "namespace": "urn:mime"},
                },
            },
            "xml": {"name": "usage"},
        },
    },
    "x-order": ["name", "note", "usage"],
    "xml": {"name": "Thing", "namespace": "urn:t"},
}


def test_nillable_nulls_simple_content_and_qualified_attributes_round_trip() -> None:
    value = {
        "name": None,
        "note": None,
        "usage": {"_value": 7, "critical": True, "contentType": "text/plain"},
    }
    element = write_element(None, SCHEMA, value)
    [name, usage] = list(element)  # a null that is not nillable is left out
    assert name.tag == "name" and name.get(XSI_NIL) == "true"
    assert usage.text == "7"
    assert usage.get("critical") == "true"
    assert usage.get("{urn:mime}contentType") == "text/plain"
    again = read_element(etree.fromstring(etree.tostring(element)), SCHEMA)
    assert again == {
        "name": None,
        "usage": {"critical": True, "contentType": "text/plain", "_value": 7},
    }
