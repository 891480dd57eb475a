"""``GET <address>?wsdl``: the WSDL with every port's address rewritten to this server."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from urllib.parse import urlparse

from lxml import etree

__all__ = ["served_wsdl"]

_ADDRESS_NS = (
    "http://schemas.xmlsoap.org/wsdl/soap/",
    "http://schemas.xmlsoap.org/wsdl/soap12/",
    "http://schemas.xmlsoap.org/wsdl/http/",
)
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)


@lru_cache(maxsize=8)
def served_wsdl(path: Path, base_url: str) -> bytes:
    tree = etree.parse(str(path), _PARSER)
    for namespace in _ADDRESS_NS:
        for address in tree.iter(f"{{{namespace}}}address"):
            location = address.get("location")
            if location is not None:
                address.set("location", base_url + (urlparse(location).path or "/"))
    result: bytes = etree.tostring(tree, xml_declaration=True, encoding="utf-8")
    return result
