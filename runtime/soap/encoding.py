"""SOAP 1.1 section 5 encoding (rpc/encoded): reading and checking requests.

A body schema marked with :data:`ENCODING_KEYWORD` describes the operation
element (in the ``soap:body`` namespace) whose unqualified accessors are the
message parts; ``xml.type`` names each accessor's XSD type.

Reading (:func:`read_encoded`) follows ``href="#id"`` references to the
Body's top-level elements carrying that ``id`` (how Axis 1 and suds send
multi-reference values), reads SOAP-ENC arrays (any member element names),
and checks what libxml2 cannot: every part is present, an ``xsi:type`` agrees
with the declared type, simple values have their type's lexical form (and
its enumeration and pattern). A reference that names no element or leads back
to itself is an :class:`EncodingError` (a Client fault).

Answers are written by :mod:`.encoded_answers`.
"""

from __future__ import annotations

import re
from typing import Any

from lxml import etree

from ..exceptions import RuntimeFailure
from .xml_values import XSI_NIL, local_name

__all__ = [
    "ENCODING_KEYWORD",
    "SOAP_ENCODING_NS",
    "XSD_NS",
    "XSI_NS",
    "XSI_TYPE",
    "EncodingError",
    "is_encoded",
    "read_encoded",
]

ENCODING_KEYWORD = "x-soap-encoding"
"""Body schema annotation: the encoding style of an rpc/encoded body."""
SOAP_ENCODING_NS = "http://schemas.xmlsoap.org/soap/encoding/"
XSD_NS = "http://www.w3.org/2001/XMLSchema"
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"
XSI_TYPE = f"{{{XSI_NS}}}type"
_MAX_DEPTH = 64
_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$|^(INF|-INF|NaN)$")
_INTEGER = re.compile(r"^[+-]?\d+$")
_DECIMAL = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$")
_BOOLEAN = frozenset({"true", "false", "1", "0"})
_JSON_TYPES = {
    "string": "string",
    "normalizedString": "string",
    "token": "string",
    "anyURI": "string",
    "QName": "string",
    "dateTime": "string",
    "date": "string",
    "time": "string",
    "duration": "string",
    "base64Binary": "string",
    "base64": "string",
    "hexBinary": "string",
    "boolean": "boolean",
    "decimal": "number",
    "float": "number",
    "double": "number",
    "integer": "integer",
    "int": "integer",
    "long": "integer",
    "short": "integer",
    "byte": "integer",
    "nonNegativeInteger": "integer",
    "positiveInteger": "integer",
    "nonPositiveInteger": "integer",
    "negativeInteger": "integer",
    "unsignedLong": "integer",
    "unsignedInt": "integer",
    "unsignedShort": "integer",
    "unsignedByte": "integer",
}
"""The JSON type of each XSD (and SOAP-ENC) built-in type an ``xsi:type`` may name."""


class EncodingError(RuntimeFailure, ValueError):
    """A SOAP-encoded request that cannot be read (a Client fault)."""


def is_encoded(schema: dict[str, Any] | None) -> bool:
    return schema is not None and ENCODING_KEYWORD in schema


def read_encoded(element: etree._Element, schema: dict[str, Any]) -> tuple[Any, list[str]]:
    """The data of an rpc/encoded operation element, and what is wrong with it
    (missing parts, values not of their type); :class:`EncodingError` when a
    reference cannot be followed."""
    body = element.getparent()
    targets: dict[str, etree._Element] = {}
    if body is not None:
        for child in body:
            if isinstance(child.tag, str) and child.get("id"):
                targets[str(child.get("id"))] = child
    reader = _Reader(targets)
    data = reader.struct(element, schema, "/" + local_name(element.tag), ())
    return data, reader.problems


class _Reader:
    def __init__(self, targets: dict[str, etree._Element]) -> None:
        self.targets = targets
        self.problems: list[str] = []

    def value(
        self, element: etree._Element, schema: dict[str, Any], path: str, seen: tuple[str, ...]
    ) -> Any:
        element, seen = self._resolved(element, path, seen)
        if element.get(XSI_NIL) in ("true", "1"):
            return None
        self._check_type(element, schema, path)
        kind = schema.get("type")
        if kind == "array":
            items = schema.get("items") or {}
            return [
                self.value(child, items, f"{path}/{local_name(child.tag)}[{index}]", seen)
                for index, child in enumerate(_children(element), 1)
            ]
        if kind == "object" or schema.get("properties"):
            return self.struct(element, schema, path, seen)
        return self.simple(element.text or "", schema, path)

    def struct(
        self, element: etree._Element, schema: dict[str, Any], path: str, seen: tuple[str, ...]
    ) -> dict[str, Any]:
        properties = schema.get("properties") or {}
        data: dict[str, Any] = {}
        for child in _children(element):
            local = local_name(child.tag)
            member = properties.get(local) or {}
            value = self.value(child, member, f"{path}/{local}", seen)
            if local in data:  # a repeated member
                known = data[local]
                data[local] = [*known, value] if isinstance(known, list) else [known, value]
            else:
                data[local] = value
        for name in schema.get("required") or ():
            if name not in data and not (properties.get(name, {}).get("xml") or {}).get(
                "attribute"
            ):
                self.problems.append(f"{path}/{name}: missing")
        return data

    def simple(self, text: str, schema: dict[str, Any], path: str) -> Any:
        kind = schema.get("type")
        value: Any = text
        stripped = text.strip()
        if kind == "integer":
            if not _INTEGER.match(stripped):
                self.problems.append(f"{path}: {stripped!r} is not an integer")
                return text
            value = int(stripped)
        elif kind == "number":
            if not _NUMBER.match(stripped) or (
                schema.get("format") is None and not _DECIMAL.match(stripped)
            ):
                self.problems.append(f"{path}: {stripped!r} is not a number")
                return text
            value = float(stripped)
        elif kind == "boolean":
            if stripped not in _BOOLEAN:
                self.problems.append(f"{path}: {stripped!r} is not a boolean")
                return text
            return stripped in ("true", "1")
        enum = schema.get("enum")
        if enum is not None and value not in enum and stripped not in [str(v) for v in enum]:
            self.problems.append(f"{path}: {stripped!r} is not one of {list(enum)}")
        pattern = schema.get("pattern")
        if isinstance(pattern, str) and kind == "string" and not _matches(pattern, text):
            self.problems.append(f"{path}: {text!r} does not match {pattern}")
        return value

    def _resolved(
        self, element: etree._Element, path: str, seen: tuple[str, ...]
    ) -> tuple[etree._Element, tuple[str, ...]]:
        href = element.get("href")
        while href is not None:  # a reference, possibly to another reference
            if not href.startswith("#") or href[1:] not in self.targets:
                raise EncodingError(f"{path}: href {href!r} names no element of the Body")
            if href in seen or len(seen) >= _MAX_DEPTH:
                raise EncodingError(f"{path}: href {href!r} leads back to itself")
            element, seen = self.targets[href[1:]], (*seen, href)
            href = element.get("href")
        return element, seen

    def _check_type(self, element: etree._Element, schema: dict[str, Any], path: str) -> None:
        given = element.get(XSI_TYPE)
        if given is None:
            return
        prefix, _, local = given.rpartition(":")
        namespace = element.nsmap.get(prefix or None)
        if namespace is None:
            raise EncodingError(f"{path}: xsi:type {given!r} has an undeclared prefix")
        if namespace not in (XSD_NS, SOAP_ENCODING_NS):
            return  # a named type of the service's schemas: read by the declared type
        if schema.get("type") == "array":
            if local != "Array":
                raise EncodingError(f"{path}: xsi:type {given!r} where an array is declared")
            return
        given_kind = _JSON_TYPES.get(local)
        declared = schema.get("type")
        if given_kind is None or declared is None or given_kind == declared:
            return
        if given_kind == "integer" and declared == "number":
            return  # an integer is a decimal
        raise EncodingError(
            f"{path}: xsi:type {given!r} does not fit the declared type {_declared_name(schema)}"
        )


def _declared_name(schema: dict[str, Any]) -> str:
    declared = (schema.get("xml") or {}).get("type")
    return str(declared) if declared else str(schema.get("type"))


def _matches(pattern: str, text: str) -> bool:
    try:
        return re.fullmatch(pattern.removeprefix("^").removesuffix("$"), text) is not None
    except re.error:
        return True  # an XSD pattern Python cannot read is not held against the request


def _children(element: etree._Element) -> list[etree._Element]:
    return [child for child in element if isinstance(child.tag, str)]
