"""The facets of a WSDL's simple types (zeep reads types without them).

xmlschema reads the WSDL's schemas again (the safety rules of the generated
server's request checks, ``runtime/soap/validation.py``: no DTD, no entity,
no file outside the WSDL's folder, no network) and gives, for each named simple type and each
global element or attribute of an anonymous simple type (zeep names such a
type after its declaration), the JSON Schema keywords of its
restriction: ``enum`` (enumeration), ``minLength``/``maxLength`` (length),
``minimum``/``maximum`` and ``exclusiveMinimum``/``exclusiveMaximum`` (bounds),
``pattern`` (an XSD pattern within the syntax JSON Schema and Python share,
anchored, since XSD patterns match the whole value). When the schemas cannot
be read, there are no facets (the schemas stay as zeep gives them).
"""

from __future__ import annotations

import decimal
import re
import warnings
from pathlib import Path
from typing import Any

__all__ = ["Facets", "facets_of", "read_facets", "read_facts", "substitutes_of"]

Facets = dict[str, dict[str, Any]]
"""Qualified name (``{ns}local``) of a simple type or a global element → keywords."""

_XSD_NS = "{http://www.w3.org/2001/XMLSchema}"
_XSD_ONLY = re.compile(r"\\[iIcCpP]|-\[")
"""XSD regex syntax that JSON Schema and Python lack (name classes, Unicode
blocks, class subtraction): such patterns are left out."""


def read_facts(wsdl: Path) -> tuple[Facets, dict[str, str]]:
    """The facets and the substitutes (:func:`substitutes`) of a WSDL's schemas,
    read once."""
    schema = _read_schema(wsdl)
    if schema is None:
        return {}, {}
    return facets_of(schema), substitutes_of(schema)


def read_facets(wsdl: Path) -> Facets:
    return read_facts(wsdl)[0]


def facets_of(schema: Any) -> Facets:
    found: Facets = {}
    for name, xsd_type in schema.maps.types.items():
        if not name.startswith(_XSD_NS) and xsd_type.is_simple():
            keywords = _keywords(xsd_type)
            if keywords:
                found[name] = keywords
    # zeep names the anonymous simple type of a global element or attribute
    # after it; a named type of the same name keeps its own facets
    for declarations in (schema.maps.elements, schema.maps.attributes):
        for name, declaration in declarations.items():
            xsd_type = declaration.type
            if xsd_type.name is None and xsd_type.is_simple() and name not in found:
                keywords = _keywords(xsd_type)
                if keywords:
                    found[name] = keywords
    return found


def substitutes_of(schema: Any) -> dict[str, str]:
    """Each abstract global element that has a substitution group → the first
    concrete member (by name): what an answer writes in its place."""
    found: dict[str, str] = {}
    for head, members in schema.maps.substitution_groups.items():
        element = schema.maps.elements.get(head)
        if element is None or not element.abstract:
            continue
        concrete = sorted(str(member.name) for member in members if not member.abstract)
        if concrete:
            found[head] = concrete[0]
    return found


def _read_schema(wsdl: Path) -> Any:
    """xmlschema's schema of the WSDL's types; None when they cannot be read."""
    from xmlschema import XMLSchema10
    from xmlschema.extras.wsdl import Wsdl11Document

    class _Unchecked(XMLSchema10):
        """Schemas not checked against XSD's own schema (zeep read them already)."""

        def __init__(self, *args: Any, **kwargs: Any) -> None:
            kwargs.setdefault("validation", "skip")
            super().__init__(*args, **kwargs)

    try:
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
    except Exception:  # xmlschema raises many kinds; all mean "no facets"
        return None
    return schema


def _keywords(xsd_type: Any) -> dict[str, Any]:
    keywords: dict[str, Any] = {}
    enumeration = getattr(xsd_type, "enumeration", None)
    if enumeration:
        keywords["enum"] = [_json(value) for value in enumeration]
        return keywords  # the values say all
    for attribute, keyword in (("min_length", "minLength"), ("max_length", "maxLength")):
        value = getattr(xsd_type, attribute, None)
        if isinstance(value, int):
            keywords[keyword] = value
    own = getattr(xsd_type, "facets", None) or {}
    for attribute, keyword, exclusive in (
        ("min_value", "minimum", "minExclusive"),
        ("max_value", "maximum", "maxExclusive"),
    ):
        value = getattr(xsd_type, attribute, None)
        if isinstance(value, int | float | decimal.Decimal) and not isinstance(value, bool):
            if f"{_XSD_NS}{exclusive}" in own:
                keyword = "exclusive" + keyword[0].upper() + keyword[1:]
            keywords[keyword] = _json(value)
    patterns = getattr(xsd_type, "patterns", None)
    regexps = list(getattr(patterns, "regexps", None) or [])
    if len(regexps) == 1 and not _XSD_ONLY.search(regexps[0]):
        try:
            re.compile(regexps[0])
        except re.error:
            pass
        else:
            keywords["pattern"] = f"^(?:{regexps[0]})$"
    return keywords


def _json(value: Any) -> Any:
    if isinstance(value, decimal.Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, int | float | str | bool):
        return value
    return str(value)
