"""Checking request and answer XML against the WSDL's schemas.

The schemas are the WSDL's own (inline ``types`` and the files they import),
read once at start-up from the copy beside the contract: no DTD, no entity,
no file outside that folder and nothing from the network. libxml2
(``lxml.etree.XMLSchema``, about 3 µs for a small element) checks them when
it can compile them (:mod:`.schema_set` assembles them for it); xmlschema
(pure Python, about 0.4 ms) when it cannot. An element is checked when the
schemas declare it globally (document/literal bodies, header elements, fault
details); the wrapper of an rpc/literal body is not a schema element and is
not checked.
"""

from __future__ import annotations

import warnings
from pathlib import Path
from typing import Any, Protocol

from lxml import etree

from ..exceptions import RuntimeFailure
from .schema_set import SchemaSetError, collect_schemas

__all__ = [
    "MAX_PROBLEMS",
    "LibxmlSchemas",
    "SchemaLoadError",
    "WsdlSchemas",
    "XmlschemaSchemas",
    "load_schemas",
]

MAX_PROBLEMS = 3
"""Problems named per element (the first few say enough)."""


class SchemaLoadError(RuntimeFailure):
    """The WSDL's schemas could not be read (the server then does not check XML)."""


class WsdlSchemas(Protocol):
    """The XSD components of one WSDL, for checking elements."""

    def declares(self, element: etree._Element) -> bool: ...

    def declares_name(self, name: str) -> bool:
        """Whether the schemas declare a global element ``name`` (``{ns}local``)."""
        ...

    def problems(self, element: etree._Element) -> list[str]:
        """What is wrong with ``element`` (at most :data:`MAX_PROBLEMS`); []
        when it is valid or the schemas do not declare it."""
        ...


def load_schemas(wsdl: Path) -> WsdlSchemas:
    """The schemas of the WSDL at ``wsdl`` (files it imports must lie under
    its folder): libxml2's when it compiles them, else xmlschema's."""
    try:
        return LibxmlSchemas.load(wsdl)
    except etree.LxmlError:  # most often XMLSchemaParseError: libxml2 cannot compile them
        return XmlschemaSchemas.load(wsdl)


class LibxmlSchemas:
    """The schemas compiled by libxml2."""

    def __init__(self, schema: etree.XMLSchema, elements: set[str]) -> None:
        self._schema = schema
        self._elements = frozenset(elements)

    @classmethod
    def load(cls, wsdl: Path) -> LibxmlSchemas:
        """``etree.XMLSchemaParseError`` when libxml2 cannot compile them."""
        try:
            found = collect_schemas(wsdl)
        except SchemaSetError as exc:
            raise SchemaLoadError(f"{exc}; XML is not checked") from None
        return cls(found.compile(), found.elements)

    def declares(self, element: etree._Element) -> bool:
        return str(element.tag) in self._elements

    def declares_name(self, name: str) -> bool:
        return name in self._elements

    def problems(self, element: etree._Element) -> list[str]:
        if not self.declares(element) or self._schema.validate(element):
            return []
        found: list[str] = []
        for error in self._schema.error_log:
            found.append(f"{_located(element, error.path, error.line)}: {_reason(error.message)}")
            if len(found) >= MAX_PROBLEMS:
                break
        return found


def _located(element: etree._Element, path: str | None, line: int) -> str:
    """``/Add/intA (line 3)``: the failing element by local names from the
    checked one, and its line in the request. libxml2's ``path`` counts from
    the checked element as the root (``/*/*[2]``, ``/Add/a:intA``)."""
    node: Any = element
    steps = (path or "").split("/")[2:]  # "", the checked element, then its descendants
    if steps:
        prefixes = {prefix: uri for prefix, uri in element.nsmap.items() if prefix}
        try:
            matched = element.xpath("./" + "/".join(steps), namespaces=prefixes)
        except etree.XPathError:
            matched = []
        if matched and isinstance(matched[0], etree._Element):
            node = matched[0]
    names = []
    while node is not None:
        names.append(etree.QName(node).localname)
        if node is element:
            break
        node = node.getparent()
    return "/" + "/".join(reversed(names)) + (f" (line {line})" if line else "")


def _reason(message: str) -> str:
    """libxml2's message without its ``Element '{ns}name': `` lead."""
    if message.startswith("Element '"):
        end = message.find("': ")
        if end > 0:
            return message[end + 3 :].rstrip(".")
    return message.rstrip(".")


class XmlschemaSchemas:
    """The schemas read by xmlschema (when libxml2 cannot compile them)."""

    def __init__(self, schema: Any) -> None:
        self._schema = schema
        self._elements = schema.maps.elements

    @classmethod
    def load(cls, wsdl: Path) -> XmlschemaSchemas:
        """The schemas of the WSDL at ``wsdl`` (files it imports must lie
        under its folder)."""
        try:
            from xmlschema import XMLSchema10
            from xmlschema.extras.wsdl import Wsdl11Document

            class _Unchecked(XMLSchema10):
                """Schemas built without checking them against XSD's own schema
                (the WSDL was read at generation; that check is 5/6 of the time)."""

                def __init__(self, *args: Any, **kwargs: Any) -> None:
                    kwargs.setdefault("validation", "skip")
                    super().__init__(*args, **kwargs)

            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                document = Wsdl11Document(  # type: ignore[no-untyped-call]
                    str(wsdl.resolve()),
                    cls=_Unchecked,
                    allow="sandbox",
                    defuse="always",
                    validation="skip",
                )
                schema = document.schema
                schema.build()
        except Exception as exc:  # xmlschema raises many kinds; all mean "cannot read"
            raise SchemaLoadError(
                f"{wsdl.name}: schemas not read ({exc}); XML is not checked"
            ) from None
        return cls(schema)

    @property
    def schema(self) -> Any:
        """xmlschema's schema (every component of the WSDL's schemas)."""
        return self._schema

    def declares(self, element: etree._Element) -> bool:
        return str(element.tag) in self._elements

    def declares_name(self, name: str) -> bool:
        return name in self._elements

    def problems(self, element: etree._Element) -> list[str]:
        if not self.declares(element):
            return []
        from xmlschema import XMLResource

        found: list[str] = []
        resource = XMLResource(element, allow="none", defuse="always")
        for error in self._schema.iter_errors(resource, use_location_hints=False):
            found.append(f"{error.path or etree.QName(element).localname}: {error.reason}")
            if len(found) >= MAX_PROBLEMS:
                break
        return found
