"""``GET <address>?wsdl`` and ``?xsd=<file>``: the WSDL and the files it imports.

Every port's address is rewritten to this server's URL and the path the port
is served at, and every relative ``wsdl:import``/``xsd:import``/``xsd:include``
location to ``<address>?xsd=<file>``, so a client reads the whole tree from
the server. Only files the contract lists are served. With several WSDLs
served together, an address serves the WSDL its ports come from.
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterable, Mapping, Sequence
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
    """The WSDL trees a server was generated from (paths relative to ``directory``).

    ``mains``: the WSDL each address path serves; ``ports``: for each WSDL,
    (service, port, served path) of its ports."""

    def __init__(
        self,
        directory: Path,
        main: str,
        files: Iterable[str],
        mains: Mapping[str, str] | None = None,
        ports: Mapping[str, Iterable[Sequence[str]]] | None = None,
    ) -> None:
        self.directory = directory
        self.main = main
        self.files = frozenset(files)
        self.mains = dict(mains or {})
        self.ports = {
            wsdl: tuple((str(s), str(p), str(a)) for s, p, a in entries)
            for wsdl, entries in (ports or {}).items()
        }

    def served(self, name: str | None, endpoint: str, path: str = "") -> bytes | None:
        """The WSDL of the address ``path`` (``name`` None) or an imported file,
        rewritten for ``endpoint`` (this server's URL of the address asked);
        None if unknown."""
        name = self.mains.get(path, self.main) if name is None else name
        if not name or name not in self.files:
            return None
        return _served(self.directory, name, self.files, endpoint, self.ports.get(name, ()))


@lru_cache(maxsize=64)
def _served(
    directory: Path,
    name: str,
    files: frozenset[str],
    endpoint: str,
    ports: tuple[tuple[str, str, str], ...] = (),
) -> bytes:
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
                served = _port_address(element, ports)
                element.set("location", origin + (served or urlparse(location).path or "/"))
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


def _port_address(address: etree._Element, ports: tuple[tuple[str, str, str], ...]) -> str | None:
    """The served path of the ``wsdl:port`` holding ``address`` (by service and port name)."""
    port = address.getparent()
    service = port.getparent() if port is not None else None
    if port is None or service is None:
        return None
    for service_name, port_name, path in ports:
        if service_name == service.get("name") and port_name == port.get("name"):
            return path
    return None
