"""Reading a WSDL with zeep, safely: the one module that talks to zeep's loader.

XML safety is the same as for requests at run time: no DTD, no entity
declarations, no external fetches by the parser, libxml2's default depth and
size limits (no ``huge_tree``). ``wsdl:import``/``xsd:import``/``xsd:include``
of local files are followed; a remote location is refused unless
``allow_remote_refs``. Every failure is a :class:`SpecError` naming the file
(and the line, where lxml gives one).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from lxml import etree
from zeep.exceptions import (
    DTDForbidden,
    EntitiesForbidden,
    ExternalReferenceForbidden,
    XMLSyntaxError,
)
from zeep.exceptions import Error as ZeepError
from zeep.settings import Settings
from zeep.transports import Transport
from zeep.wsdl import Document
from zeep.xsd import visitor as xsd_visitor

from mockc.compiler.errors import Diagnostic, SpecError

from .wildcards import WILDCARD_NOTE, Wildcard

__all__ = [
    "MAX_WSDL_BYTES",
    "SOAP_ENCODING_NS",
    "soap_encoding_schema",
    "WSDL_NS",
    "OperationPlace",
    "operation_places",
    "read_document",
]

WSDL_NS = "http://schemas.xmlsoap.org/wsdl/"
WSDL2_NS = "http://www.w3.org/ns/wsdl"
SOAP_ENCODING_NS = "http://schemas.xmlsoap.org/soap/encoding/"
MAX_WSDL_BYTES = 16 * 1024 * 1024
"""The largest WSDL or XSD file read (each file of an import tree)."""

_SAFE_PARSER = etree.XMLParser(
    resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False
)


class _LocalTransport(Transport):  # type: ignore[misc]
    """zeep's transport, loading local files only unless remote ones are allowed."""

    def __init__(self, origin: str, *, allow_remote: bool) -> None:
        super().__init__()
        self.origin = origin
        self.allow_remote = allow_remote
        self.loaded: list[str] = []

    def load(self, url: str) -> bytes:
        if url.rstrip("/") == SOAP_ENCODING_NS.rstrip("/"):
            return soap_encoding_schema()
        scheme = urlparse(url).scheme
        if scheme in ("http", "https") and not self.allow_remote:
            raise SpecError(
                Diagnostic(
                    file=self.origin,
                    message=f"remote reference {url} refused "
                    "(pass --allow-remote-refs to follow it)",
                )
            )
        if scheme not in ("http", "https"):
            path = Path(url[len("file://") :] if scheme == "file" else url)
            if path.stat().st_size > MAX_WSDL_BYTES:
                raise SpecError(
                    Diagnostic(file=str(path), message=f"larger than {MAX_WSDL_BYTES} bytes")
                )
            self.loaded.append(str(path))
        content: bytes = super().load(url)
        return content


def soap_encoding_schema() -> bytes:
    """The SOAP 1.1 encoding schema (``soapenc:Array``, ``soapenc:string``…),
    which zeep imports by its namespace URL: xmlschema's bundled copy, never
    the network."""
    import xmlschema

    return (Path(xmlschema.__file__).parent / "schemas" / "WSDL" / "soap-encoding.xsd").read_bytes()


def _settings(*, allow_remote: bool) -> Settings:
    return Settings(
        strict=False,
        forbid_dtd=True,
        forbid_entities=True,
        # the transport refuses remote files unless allowed, and serves the
        # SOAP encoding schema zeep imports by its URL from a local copy
        forbid_external=False,
        xml_huge_tree=False,
    )


def read_document(path: Path, *, allow_remote_refs: bool) -> tuple[Any, list[str]]:
    """zeep's Document of the WSDL at ``path`` and the local files it read."""
    file = str(path)
    _refuse_wsdl2(path)
    _check_main_file(path)
    transport = _LocalTransport(file, allow_remote=allow_remote_refs)
    try:
        with _noting_wildcards():
            document = Document(
                str(path.resolve()),
                transport,  # type: ignore[arg-type]
                settings=_settings(allow_remote=allow_remote_refs),
            )
    except SpecError:
        raise
    except (DTDForbidden, EntitiesForbidden) as exc:
        raise SpecError(
            Diagnostic(file=file, message=f"refused: {exc} (DTDs and entities are not read)")
        ) from None
    except XMLSyntaxError as exc:
        raise SpecError(Diagnostic(file=file, message=f"malformed XML: {exc}")) from None
    except etree.XMLSyntaxError as exc:
        raise SpecError(
            Diagnostic(file=exc.filename or file, line=exc.lineno, message=f"malformed XML: {exc}")
        ) from None
    except ExternalReferenceForbidden as exc:
        raise SpecError(
            Diagnostic(
                file=file,
                message=f"remote reference {exc.url} refused "
                "(pass --allow-remote-refs to follow it)",
            )
        ) from None
    except (ZeepError, KeyError, ValueError, AttributeError, OSError) as exc:
        raise SpecError(Diagnostic(file=file, message=f"cannot read the WSDL: {exc}")) from None
    return document, transport.loaded


@contextmanager
def _noting_wildcards() -> Iterator[None]:
    """zeep's reading of ``xsd:any`` notes on each wildcard what zeep leaves
    out: its namespace constraint, its schema's target namespace, its file and
    line (:class:`.wildcards.Wildcard`)."""
    visitors = xsd_visitor.SchemaVisitor.visitors
    tag = xsd_visitor.tags.any
    original: Any = visitors[tag]

    def visit_any(self: Any, node: etree._Element, parent: Any) -> Any:
        found = original(self, node, parent)
        location = str(getattr(self.document, "_location", "") or "")
        setattr(
            found,
            WILDCARD_NOTE,
            Wildcard(
                constraint=node.get("namespace", "##any"),
                target=getattr(self.document, "_target_namespace", None) or None,
                file=location[len("file://") :] if location.startswith("file://") else location,
                line=node.sourceline,
            ),
        )
        return found

    visitors[tag] = visit_any
    try:
        yield
    finally:
        visitors[tag] = original


def _check_main_file(path: Path) -> None:
    """Refuse a DTD and report malformed XML with its line (zeep reads leniently)."""
    content = path.read_bytes()
    if len(content) > MAX_WSDL_BYTES:
        raise SpecError(Diagnostic(file=str(path), message=f"larger than {MAX_WSDL_BYTES} bytes"))
    doctype = content.find(b"<!DOCTYPE")
    if doctype >= 0:
        raise SpecError(
            Diagnostic(
                file=str(path),
                line=content.count(b"\n", 0, doctype) + 1,
                message="refused: a document type declaration (DTDs and entities are not read)",
            )
        )
    try:
        etree.fromstring(content, _SAFE_PARSER)
    except etree.XMLSyntaxError as exc:
        raise SpecError(
            Diagnostic(file=str(path), line=exc.lineno, message=f"malformed XML: {exc.msg}")
        ) from None


def _refuse_wsdl2(path: Path) -> None:
    head = path.read_bytes()[:65536]
    if WSDL2_NS.encode() in head and WSDL_NS.encode() not in head:
        raise SpecError(
            Diagnostic(
                file=str(path), line=1, message="WSDL 2.0 is not supported yet (WSDL 1.1 is)"
            )
        )


@dataclass(frozen=True, slots=True)
class OperationPlace:
    """Where a ``wsdl:binding/wsdl:operation`` of the main file is, and how it is encoded."""

    line: int
    encoded: bool
    """A ``soap:body`` of it says ``use="encoded"``."""


def operation_places(path: Path) -> dict[tuple[str, str], OperationPlace]:
    """Each ``wsdl:binding/wsdl:operation`` of the main file, by (binding, operation)."""
    try:
        root = etree.parse(str(path), _SAFE_PARSER).getroot()
    except etree.XMLSyntaxError:
        return {}
    places: dict[tuple[str, str], OperationPlace] = {}
    for binding in root.iterfind(f"{{{WSDL_NS}}}binding"):
        for operation in binding.iterfind(f"{{{WSDL_NS}}}operation"):
            encoded = any(
                body.get("use") == "encoded"
                for body in operation.iter()
                if isinstance(body.tag, str) and etree.QName(body).localname == "body"
            )
            places[(binding.get("name", ""), operation.get("name", ""))] = OperationPlace(
                line=operation.sourceline or 0, encoded=encoded
            )
    return places
