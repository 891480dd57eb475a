"""XML request bodies into plain data, read by the schema's ``xml`` annotations.

The parser is defusedxml's: a document type declaration, entity declarations
and external references are refused, so no billion laughs and no file reads.
The element tree is walked with the schema: an object's properties are child
elements (or attributes, ``xml.attribute``) named by ``xml.name`` or the
property name; an array property is its repeated elements, inside one
wrapper element when ``xml.wrapped``; scalars are the element's text,
converted to the schema's type where the text allows it. Namespaces are
matched by local name. Elements the schema does not declare are kept (as
text or objects) so that ``additionalProperties`` can speak about them.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

from ..web.problems import Problem
from .params import coercer, object_properties
from .schemas import kind_of, resolve

__all__ = ["MAX_XML_DEPTH", "XmlReader", "is_xml"]

MAX_XML_DEPTH = 256
"""Element nesting a request body may have."""


def is_xml(media_type: str) -> bool:
    return media_type.endswith("/xml") or media_type.endswith("+xml")


def _local(name: str) -> str:
    return name.rsplit("}", 1)[-1]


def _malformed(detail: str) -> Problem:
    return Problem(400, detail, title="Malformed request body")


class XmlReader:
    """Reads the XML bodies of one schema."""

    def __init__(self, schema: Any, defs: Mapping[str, Any]) -> None:
        self._schema = schema
        self._defs = defs

    def read(self, raw: bytes) -> Any:
        try:
            root = fromstring(raw, forbid_dtd=True)
        except DefusedXmlException as refused:
            raise _malformed(f"XML body refused: {type(refused).__name__}") from None
        except ParseError as bad:
            raise _malformed(f"malformed XML: {bad}") from None
        _check_depth(root)
        return self._value(root, self._schema, 0)

    def _value(self, element: Element, schema: Any, depth: int) -> Any:
        kind = kind_of(schema, self._defs)
        if kind == "object" or (kind is None and (len(element) or element.attrib)):
            return self._object(element, schema)
        if kind == "array":
            items = _resolved_items(schema, self._defs)
            wanted = _xml_name(items, self._defs)
            return [
                self._value(child, items, depth + 1)
                for child in element
                if wanted is None or _local(child.tag) == wanted
            ]
        return coercer(schema, self._defs)((element.text or "").strip())

    def _object(self, element: Element, schema: Any) -> dict[str, Any]:
        properties = object_properties(schema, self._defs)
        out: dict[str, Any] = {}
        children: dict[str, list[Element]] = {}
        for child in element:
            children.setdefault(_local(child.tag), []).append(child)
        attributes = {_local(name): value for name, value in element.attrib.items()}
        used: set[str] = set()
        for name, sub in properties.items():
            annotation = _xml(sub, self._defs)
            renamed = annotation.get("name")
            wire = renamed if isinstance(renamed, str) else name
            if annotation.get("attribute") is True:
                if wire in attributes:
                    out[name] = coercer(sub, self._defs)(attributes[wire])
                continue
            if kind_of(sub, self._defs) == "array":
                found = self._array(sub, wire, annotation, children, used)
                if found is not None:
                    out[name] = found
                continue
            if wire in children:
                used.add(wire)
                out[name] = self._value(children[wire][0], sub, 1)
        for tag, elements in children.items():
            if tag not in used and tag not in out:
                out[tag] = self._value(elements[0], {}, 1)
        return out

    def _array(
        self,
        schema: Any,
        wire: str,
        annotation: Mapping[str, Any],
        children: Mapping[str, list[Element]],
        used: set[str],
    ) -> list[Any] | None:
        items = _resolved_items(schema, self._defs)
        if annotation.get("wrapped") is True:
            wrapper = children.get(wire)
            if not wrapper:
                return None
            used.add(wire)
            return self._value(wrapper[0], schema, 1)  # type: ignore[no-any-return]
        item_name = _xml_name(items, self._defs) or wire
        if item_name not in children:
            return None
        used.add(item_name)
        return [self._value(child, items, 1) for child in children[item_name]]


def _xml(schema: Any, defs: Mapping[str, Any]) -> Mapping[str, Any]:
    for candidate in (schema, resolve(schema, defs)):
        if isinstance(candidate, Mapping) and isinstance(candidate.get("xml"), Mapping):
            return candidate["xml"]  # type: ignore[no-any-return]
    return {}


def _xml_name(schema: Any, defs: Mapping[str, Any]) -> str | None:
    name = _xml(schema, defs).get("name")
    return name if isinstance(name, str) else None


def _resolved_items(schema: Any, defs: Mapping[str, Any]) -> Any:
    resolved = resolve(schema, defs)
    return resolved.get("items", {}) if isinstance(resolved, Mapping) else {}


def _check_depth(root: Element) -> None:
    pending = [(root, 1)]
    while pending:
        element, depth = pending.pop()
        if depth > MAX_XML_DEPTH:
            raise _malformed(f"XML body nests deeper than {MAX_XML_DEPTH} elements")
        pending.extend((child, depth + 1) for child in element)
