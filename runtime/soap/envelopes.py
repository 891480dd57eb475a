"""SOAP envelopes: reading a request's, writing answers and faults of both versions.

SOAP 1.1: ``text/xml``, the action in ``SOAPAction``, faults with
``faultcode`` (``soap:Client``/``soap:Server``), ``faultstring``, ``detail``.
SOAP 1.2: ``application/soap+xml`` whose ``action`` parameter names the
action, faults with ``Code/Value`` (``env:Sender``/``env:Receiver``),
``Reason/Text``, ``Detail``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from lxml import etree

from ..exceptions import RuntimeFailure
from .outputs import CLIENT, MUST_UNDERSTAND

__all__ = [
    "ENVELOPE_NS",
    "MEDIA_TYPES",
    "ReadEnvelope",
    "add_header",
    "fault_envelope",
    "read_envelope",
    "success_envelope",
    "version_of",
]

ENVELOPE_NS = {
    "1.1": "http://schemas.xmlsoap.org/soap/envelope/",
    "1.2": "http://www.w3.org/2003/05/soap-envelope",
}
MEDIA_TYPES = {"1.1": "text/xml; charset=utf-8", "1.2": "application/soap+xml; charset=utf-8"}
_CODES_11 = {CLIENT: "Client", MUST_UNDERSTAND: "MustUnderstand"}
_CODES_12 = {CLIENT: "Sender", MUST_UNDERSTAND: "MustUnderstand"}
_WSA = ("http://www.w3.org/2005/08/addressing", "http://schemas.xmlsoap.org/ws/2004/08/addressing")


class EnvelopeError(RuntimeFailure, ValueError):
    """The request is not a SOAP envelope (a Client/Sender fault)."""


@dataclass(frozen=True, slots=True)
class ReadEnvelope:
    version: str
    body: etree._Element | None
    """The body's first element (None for an empty body)."""
    addressing_action: str
    headers: tuple[etree._Element, ...] = ()
    """The Header's blocks (its child elements), in order."""
    header_tags: tuple[str, ...] = ()
    """Their tags (``{namespace}local``)."""


def version_of(content_type: str) -> str:
    return "1.2" if "application/soap+xml" in content_type.lower() else "1.1"


def content_type_action(content_type: str) -> str:
    """The ``action`` parameter of a SOAP 1.2 content type."""
    if "action" not in content_type.lower():
        return ""
    for parameter in content_type.split(";")[1:]:
        name, _, value = parameter.strip().partition("=")
        if name.strip().lower() == "action":
            return value.strip().strip('"')
    return ""


_PARTS = {
    f"{{{namespace}}}Envelope": (version, f"{{{namespace}}}Header", f"{{{namespace}}}Body")
    for version, namespace in ENVELOPE_NS.items()
}
"""The envelope's tag → its version and the tags of its Header and Body."""
_ACTIONS = tuple(f"{{{namespace}}}Action" for namespace in _WSA)


def read_envelope(root: etree._Element) -> ReadEnvelope:
    parts = _PARTS.get(str(root.tag))
    if parts is None:
        raise EnvelopeError(f"expected a SOAP Envelope, got {root.tag}")
    version, header_tag, body_tag = parts
    header = body = None
    for child in root:  # the first Header and Body, as ``find`` would (a quarter of its cost)
        if child.tag == body_tag and body is None:
            body = child
        elif child.tag == header_tag and header is None:
            header = child
    if body is None:
        raise EnvelopeError("the Envelope has no Body")
    first = None
    for child in body:
        if isinstance(child.tag, str):
            first = child
            break
    blocks: list[etree._Element] = []
    tags: list[str] = []
    actions: dict[str, str] = {}
    if header is not None:
        for block in header:  # each tag read once: lxml builds the string anew on every read
            tag = block.tag
            if not isinstance(tag, str):
                continue
            blocks.append(block)
            tags.append(tag)
            if tag in _ACTIONS and tag not in actions:
                actions[tag] = block.text or ""
    action = ""
    for tag in _ACTIONS if actions else ():
        found = actions.get(tag)
        if found:
            action = found.strip()
            break
    return ReadEnvelope(version, first, action, tuple(blocks), tuple(tags))


def _envelope(version: str) -> tuple[etree._Element, etree._Element]:
    namespace = ENVELOPE_NS[version]
    prefix = "soap" if version == "1.1" else "env"
    envelope = etree.Element(f"{{{namespace}}}Envelope", nsmap={prefix: namespace})
    body = etree.SubElement(envelope, f"{{{namespace}}}Body")
    return envelope, body


def success_envelope(version: str) -> tuple[etree._Element, etree._Element]:
    """An envelope and its (empty) Body."""
    return _envelope(version)


def add_header(version: str, envelope: etree._Element) -> etree._Element:
    """The envelope's Header (created before the Body)."""
    namespace = ENVELOPE_NS[version]
    found = envelope.find(f"{{{namespace}}}Header")
    if found is not None:
        return found
    header = etree.Element(f"{{{namespace}}}Header")
    envelope.insert(0, header)
    return header


def fault_envelope(
    version: str, kind: str, reason: str
) -> tuple[etree._Element, etree._Element | None]:
    """A fault envelope and the element its detail goes in (created empty)."""
    envelope, body = _envelope(version)
    namespace = ENVELOPE_NS[version]
    if version == "1.1":
        fault = etree.SubElement(body, f"{{{namespace}}}Fault")
        etree.SubElement(fault, "faultcode").text = "soap:" + _CODES_11.get(kind, "Server")
        etree.SubElement(fault, "faultstring").text = reason
        return envelope, fault
    fault = etree.SubElement(body, f"{{{namespace}}}Fault")
    code = etree.SubElement(fault, f"{{{namespace}}}Code")
    etree.SubElement(code, f"{{{namespace}}}Value").text = "env:" + _CODES_12.get(kind, "Receiver")
    reason_element = etree.SubElement(fault, f"{{{namespace}}}Reason")
    text = etree.SubElement(reason_element, f"{{{namespace}}}Text")
    text.set("{http://www.w3.org/XML/1998/namespace}lang", "en")
    text.text = reason
    return envelope, fault


def add_detail(version: str, fault: etree._Element) -> etree._Element:
    if version == "1.1":
        return etree.SubElement(fault, "detail")
    return etree.SubElement(fault, f"{{{ENVELOPE_NS['1.2']}}}Detail")


def serialise(envelope: etree._Element) -> bytes:
    result: bytes = etree.tostring(envelope, xml_declaration=True, encoding="utf-8")
    return result


def fault_status(version: str, kind: str) -> int:
    return 400 if version == "1.2" and kind == CLIENT else 500


def reason_of(body: Any, default: str) -> str:
    if isinstance(body, dict):
        for key in ("faultstring", "reason", "message", "detail"):
            if isinstance(body.get(key), str):
                return str(body[key])
    return default
