"""A WSDL's schemas assembled for libxml2 (``lxml.etree.XMLSchema``).

libxml2 compiles one schema document and loads what it imports. A WSDL's
schemas are inline (``wsdl:types``), in the WSDLs it imports and in the
files they import, and an inline schema often imports another one's
namespace without a location. This module gathers them all as documents in
memory, each under a name of its own (``mockc:/…``): every inline schema
stands alone with the namespaces in scope at its place in the WSDL, every
import and include points at one of those names, and a driver schema imports
(or, without a namespace, includes) each inline group. Files are read with
the request's safety rules (no DTD, no entity, no network) and only under
the WSDL's folder; an import that is remote or outside the folder keeps its
namespace but loses its location, so libxml2 reads nothing for it. A
resolver serves the names and refuses everything else.
"""

from __future__ import annotations

from copy import deepcopy
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

from lxml import etree

from ..exceptions import RuntimeFailure

__all__ = ["SchemaSet", "SchemaSetError", "collect_schemas"]

XSD = "http://www.w3.org/2001/XMLSchema"
WSDL = "http://schemas.xmlsoap.org/wsdl/"
MAX_FILE_BYTES = 16 * 1024 * 1024
_PREFIX = "mockc:/"
_REFERENCES = {f"{{{XSD}}}import", f"{{{XSD}}}include", f"{{{XSD}}}redefine"}
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)


class SchemaSetError(RuntimeFailure):
    """The WSDL or a file it imports could not be read as schemas."""


@dataclass
class SchemaSet:
    """Every schema document of one WSDL, by name, and what they declare."""

    driver: bytes = b""
    documents: dict[str, bytes] = field(default_factory=dict)
    elements: set[str] = field(default_factory=set)
    """Qualified names (``{ns}local``) of the global elements."""

    def compile(self) -> etree.XMLSchema:
        """libxml2's schema of them all (``etree.XMLSchemaParseError`` when
        libxml2 cannot compile them)."""
        parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
        parser.resolvers.add(_Served(self.documents))
        driver = etree.fromstring(self.driver, parser, base_url=_PREFIX + "driver.xsd")
        return etree.XMLSchema(driver)


class _Served(etree.Resolver):  # type: ignore[misc]  # lxml-stubs: Any
    """Serves the assembled documents; any other name is an empty document."""

    def __init__(self, documents: dict[str, bytes]) -> None:
        super().__init__()
        self._documents = documents

    def resolve(self, system_url: str, public_id: str, context: object) -> object:
        served = self._documents.get(system_url)
        if served is None:
            return self.resolve_empty(context)
        return self.resolve_string(served, context, base_url=system_url)


def _read(path: Path) -> etree._Element:
    """A file parsed with the request's safety rules, or a located error."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise SchemaSetError(f"{path.name}: cannot be read ({exc.strerror})") from None
    if len(raw) > MAX_FILE_BYTES:
        raise SchemaSetError(f"{path.name}: larger than {MAX_FILE_BYTES} bytes")
    if b"<!DOCTYPE" in raw or b"<!ENTITY" in raw:
        raise SchemaSetError(f"{path.name}: DTDs and entities are forbidden")
    try:
        return etree.fromstring(raw, _PARSER)
    except etree.XMLSyntaxError as exc:
        raise SchemaSetError(f"{path.name}: malformed XML: {exc}") from None


class _Collector:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.found = SchemaSet()
        self._inline: dict[str | None, list[str]] = {}
        """Names of the inline schemas of each target namespace."""
        self._files: dict[Path, str] = {}
        self._wsdls: set[Path] = set()
        self._pending: list[tuple[etree._Element, Path, str, str | None]] = []
        """Schema documents whose references are still to be pointed."""

    def local(self, base: Path, location: str) -> Path | None:
        """The file a location names, when it is local and inside the folder."""
        parsed = urlparse(location)
        if parsed.scheme and len(parsed.scheme) > 1 and parsed.scheme != "file":
            return None
        target = (base.parent / (parsed.path if parsed.scheme == "file" else location)).resolve()
        if not target.is_relative_to(self.folder) or not target.is_file():
            return None
        return target

    def wsdl(self, path: Path) -> None:
        if path in self._wsdls:
            return
        self._wsdls.add(path)
        root = _read(path)
        for child in root:
            if child.tag == f"{{{WSDL}}}import" and child.get("location"):
                imported = self.local(path, child.get("location", ""))
                if imported is not None and imported.suffix.lower() != ".xsd":
                    self.wsdl(imported)
                elif imported is not None:
                    self.file(imported, None)
            elif child.tag == f"{{{WSDL}}}types":
                for schema in child.iterchildren(f"{{{XSD}}}schema"):
                    self.inline(schema, path)

    def inline(self, schema: etree._Element, path: Path) -> None:
        standalone = etree.Element(schema.tag, attrib=dict(schema.attrib), nsmap=schema.nsmap)
        for child in schema:
            standalone.append(deepcopy(child))
        namespace = schema.get("targetNamespace")
        name = f"{_PREFIX}inline/{len(self._pending)}.xsd"
        self._inline.setdefault(namespace, []).append(name)
        self._pending.append((standalone, path, name, None))

    def file(self, path: Path, chameleon: str | None) -> str:
        name = self._files.get(path)
        if name is None:
            name = f"{_PREFIX}file/{path.relative_to(self.folder).as_posix()}"
            self._files[path] = name
            self._pending.append((_read(path), path, name, chameleon))
        return name

    def finish(self) -> SchemaSet:
        groups = {
            namespace: self._group(namespace, names) for namespace, names in self._inline.items()
        }
        done = 0
        while done < len(self._pending):
            schema, path, name, chameleon = self._pending[done]
            done += 1
            self._point(schema, path, groups)
            self._declare(schema, chameleon)
            self.found.documents[name] = etree.tostring(schema)
        driver = etree.Element(f"{{{XSD}}}schema", nsmap={"xsd": XSD})
        for namespace, name in groups.items():
            if namespace is None:
                etree.SubElement(driver, f"{{{XSD}}}include", schemaLocation=name)
            else:
                etree.SubElement(
                    driver, f"{{{XSD}}}import", namespace=namespace, schemaLocation=name
                )
        self.found.driver = etree.tostring(driver)
        return self.found

    def _group(self, namespace: str | None, names: list[str]) -> str:
        """One name for the inline schemas of a namespace (a schema including
        them when there are several)."""
        if len(names) == 1:
            return names[0]
        group = etree.Element(f"{{{XSD}}}schema", nsmap={"xsd": XSD})
        if namespace is not None:
            group.set("targetNamespace", namespace)
        for name in names:
            etree.SubElement(group, f"{{{XSD}}}include", schemaLocation=name)
        name = f"{_PREFIX}group/{len(self.found.documents)}.xsd"
        self.found.documents[name] = etree.tostring(group)
        return name

    def _point(self, schema: etree._Element, path: Path, groups: dict[str | None, str]) -> None:
        """Every import and include of ``schema`` at an assembled name."""
        for reference in list(schema):
            if reference.tag not in _REFERENCES:
                continue
            location = reference.get("schemaLocation")
            target = self.local(path, location) if location else None
            if target is not None:
                includer = schema.get("targetNamespace")
                reference.set("schemaLocation", self.file(target, includer))
                continue
            if "schemaLocation" in reference.attrib:
                del reference.attrib["schemaLocation"]
            if reference.tag != f"{{{XSD}}}import":
                schema.remove(reference)  # an include or redefine of nothing readable
                continue
            group = groups.get(reference.get("namespace"))
            if group is not None:
                reference.set("schemaLocation", group)

    def _declare(self, schema: etree._Element, chameleon: str | None) -> None:
        """Its global elements (an included schema without a namespace takes
        its includer's)."""
        namespace = schema.get("targetNamespace") or chameleon
        for element in schema.iterchildren(f"{{{XSD}}}element"):
            name = element.get("name")
            if name:
                self.found.elements.add(f"{{{namespace}}}{name}" if namespace else name)


def collect_schemas(wsdl: Path) -> SchemaSet:
    """Every schema of the WSDL at ``wsdl`` (and of what it imports under its
    folder), ready for :meth:`SchemaSet.compile`."""
    path = wsdl.resolve()
    collector = _Collector(path.parent)
    collector.wsdl(path)
    return collector.finish()
