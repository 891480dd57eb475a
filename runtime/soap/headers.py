"""SOAP header blocks: which a request may carry, what mocks see, what answers carry.

A request's header blocks addressed to this server (no ``actor``/``role``,
or the ``next``/``ultimateReceiver`` one) that say ``mustUnderstand`` must
be understood: the operation's declared ``soap:header`` elements are, and so
are WS-Addressing (dispatch reads its ``Action``) and WS-Security (a mock
accepts any credentials). Any other is a ``MustUnderstand`` fault.

Mocks and hooks see every header block in ``request.headers`` under its
local name, lower-cased (``soapheaderinfo``), read like the body (typed by
the declared schema). An answer carries the output's declared header
elements: a reply header of the same name gives the value (literal XML
starting with ``<``, a JSON object or array, or the text of a simple
element); a generated answer carries fake ones.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from lxml import etree

from ..exceptions import RuntimeFailure
from .envelopes import ENVELOPE_NS
from .safety import UnsafeXml, parse_xml
from .xml_values import local_name, read_element, write_element

__all__ = [
    "UNDERSTOOD_NAMESPACES",
    "HeaderError",
    "declared_names",
    "not_understood",
    "read_headers",
    "write_headers",
]

UNDERSTOOD_NAMESPACES = frozenset(
    {
        "http://www.w3.org/2005/08/addressing",
        "http://schemas.xmlsoap.org/ws/2004/08/addressing",
        "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd",
    }
)
_OURS = {
    "1.1": frozenset({"", "http://schemas.xmlsoap.org/soap/actor/next"}),
    "1.2": frozenset(
        {
            "",
            "http://www.w3.org/2003/05/soap-envelope/role/next",
            "http://www.w3.org/2003/05/soap-envelope/role/ultimateReceiver",
        }
    ),
}
_TARGET_ATTRIBUTE = {"1.1": "actor", "1.2": "role"}


class HeaderError(RuntimeFailure, ValueError):
    """A reply's header value is not XML the answer can carry (a Server fault)."""


def not_understood(
    blocks: Iterable[etree._Element], version: str, declared: frozenset[str]
) -> list[etree._Element]:
    """The blocks addressed to this server that must be understood and are not
    (``declared``: qualified names ``{ns}local`` of the declared headers)."""
    namespace = ENVELOPE_NS[version]
    must_understand = f"{{{namespace}}}mustUnderstand"
    missing = []
    for block in blocks:
        flag = block.get(must_understand)
        if flag is None or flag.strip() not in ("1", "true"):
            continue
        target = (block.get(f"{{{namespace}}}{_TARGET_ATTRIBUTE[version]}") or "").strip()
        if target not in _OURS[version]:
            continue
        qname = etree.QName(block)
        if block.tag in declared or qname.namespace in UNDERSTOOD_NAMESPACES:
            continue
        missing.append(block)
    return missing


def read_headers(
    blocks: Iterable[etree._Element], specs: Sequence[Mapping[str, Any]]
) -> dict[str, Any]:
    """Each block's data by its lower-cased local name (a repeated one as a list)."""
    schemas = {spec["element"]: spec.get("schema") for spec in specs}
    found: dict[str, Any] = {}
    for block in blocks:
        name = local_name(block.tag).lower()
        value = read_element(block, schemas.get(str(block.tag)) or None)
        if name in found:
            known = found[name]
            found[name] = [*known, value] if isinstance(known, list) else [known, value]
        else:
            found[name] = value
    return found


def write_headers(
    header: etree._Element,
    specs: Sequence[Mapping[str, Any]],
    given: Mapping[str, str],
    fakes: Mapping[str, Any],
) -> None:
    """Append each declared header element to ``header``: the reply's value
    for it (``given``, by name in any case), else its fake value."""
    lowered = {name.lower(): value for name, value in given.items()}
    for spec in specs:
        name = spec["name"]
        schema = spec.get("schema") or {}
        text = lowered.get(name.lower())
        if text is None:
            if name in fakes:
                write_element(header, schema, fakes[name])
            continue
        stripped = text.strip()
        if stripped.startswith("<"):
            try:
                header.append(parse_xml(stripped.encode("utf-8")))
            except UnsafeXml as exc:
                raise HeaderError(f"the answer's header {name}: {exc}") from None
            continue
        value: Any = text
        if stripped.startswith(("{", "[")):
            try:
                value = json.loads(stripped)
            except ValueError:
                value = text
        write_element(header, schema, value)


def declared_names(specs: Sequence[Mapping[str, Any]]) -> frozenset[str]:
    return frozenset(spec["element"] for spec in specs)
