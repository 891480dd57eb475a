"""``GET <address>?wsdl`` and ``?xsd=<file>``: the WSDL and the files it imports.

Every port's address is rewritten to this server's URL, and every relative
``wsdl:import``/``xsd:import``/``xsd:include`` location to
``<address>?xsd=<file>``, so a client reads the whole tree from the server.
Only files the contract lists are served.
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path
from urllib.parse import quote, urlparse

from lxml import etree

__all__ = ["WsdlFiles"]

_ADDRESS_NS = (
    "http://schemas.xmlsoap.org/wsdl/soap/",
    "http://schemas.xmlsoap.org/wsdl/soap12/",
    "http://schemas.xmlsoap.org/wsdl/http/",
)
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)


class WsdlFiles:
    """The WSDL tree a server was generated from (paths relative to ``directory``)."""

    def __init__(self, directory: Path, main: str, files: Iterable[str]) -> None:
        self.directory = directory
        self.main = main
        self.files = frozenset(files)

    def served(self, name: str | None, endpoint: str) -> bytes | None:
        """The main WSDL (``name`` None) or an imported file, rewritten for
        ``endpoint`` (this server's URL of the address asked); None if unknown."""
        name = self.main if name is None else name
        if not name or name not in self.files:
            return None
        return _served(self.directory, name, self.files, endpoint)


@lru_cache(maxsize=64)
def _served(directory: Path, name: str, files: frozenset[str], endpoint: str) -> bytes:
    tree = etree.parse(str(directory / name), _PARSER)
    base = urlparse(endpoint)
    origin = f"{base.scheme}://{base.netloc}"
    folder = posixpath.dirname(name)
    for element in tree.iter():
        if not isinstance(element.tag, str):
            continue
        qname = etree.QName(element)
        if qname.localname == "address" and qname.namespace in _ADDRESS_NS:
            location = element.get("location")
            if location is not None:
                element.set("location", origin + (urlparse(location).path or "/"))
            continue
        for attribute in ("schemaLocation", "location"):
            location = element.get(attribute)
            if location is None or qname.localname not in ("import", "include"):
                continue
            if urlparse(location).scheme:
                continue
            target = posixpath.normpath(posixpath.join(folder, location))
            if target in files:
                element.set(attribute, f"{endpoint}?xsd={quote(target, safe='/')}")
    result: bytes = etree.tostring(tree, xml_declaration=True, encoding="utf-8")
    return result
