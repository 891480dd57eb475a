"""What a required ``xsd:any`` is answered with: an element its namespace
constraint allows and its ``processContents`` accepts.

zeep keeps neither the constraint (``namespace="##other"``, ``##local``,
``##targetNamespace``, a list of URIs) nor where the wildcard was declared;
:mod:`.reading` notes both on each wildcard zeep reads (:class:`Wildcard`).
Lax and skip content accept an element no schema declares: the element
``any`` of ``urn:mockc:any`` when the constraint allows that namespace.
Otherwise, and always for strict content, the answer holds a global element
of the schemas in an allowed namespace, picked the same way every time (see
:func:`pick_element`); lax or skip content with none falls back to the
undeclared element ``any`` of the first allowed namespace.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

__all__ = ["ANY_NAMESPACE", "WILDCARD_NOTE", "Wildcard", "pick_element", "wildcard_of"]

ANY_NAMESPACE = "urn:mockc:any"
"""The namespace of the element answering a lax or skip ``xsd:any`` (no schema declares it)."""
WILDCARD_NOTE = "mockc_wildcard"
"""The attribute :mod:`.reading` sets on zeep's ``Any`` objects."""
_NOT_ANSWERS = frozenset(
    {"http://schemas.xmlsoap.org/soap/encoding/", "http://www.w3.org/2001/XMLSchema"}
)
"""Namespaces whose elements never answer a wildcard (SOAP encoding, XSD's own)."""


@dataclass(frozen=True, slots=True)
class Wildcard:
    """An ``xsd:any`` as declared: its constraint and its place."""

    constraint: str
    """The ``namespace`` attribute (``##any`` when absent)."""
    target: str | None
    """The target namespace of the schema declaring it (None: no namespace)."""
    file: str
    line: int | None

    def allows(self, namespace: str | None) -> bool:
        """True when an element of ``namespace`` (None: unqualified) may stand here."""
        tokens = self.constraint.split() or ["##any"]
        if tokens == ["##any"]:
            return True
        if tokens == ["##other"]:  # XSD 1.0: neither the target namespace nor none
            return namespace is not None and namespace != self.target
        for token in tokens:
            if token == "##local" and namespace is None:
                return True
            if token == "##targetNamespace" and namespace == self.target:
                return True
            if token == namespace:
                return True
        return False

    def first_namespace(self) -> str | None:
        """The first namespace the constraint names (``##local``: None)."""
        for token in self.constraint.split():
            if token == "##targetNamespace":
                return self.target
            if token == "##local":
                return None
            if not token.startswith("##"):
                return token
        return self.target

    def where(self) -> str:
        return f"{self.file}:{self.line}" if self.line else self.file


def wildcard_of(element: Any) -> Wildcard:
    """What :mod:`.reading` noted on zeep's ``Any`` (``##any`` of no place when nothing)."""
    found = getattr(element, WILDCARD_NOTE, None)
    return found if isinstance(found, Wildcard) else Wildcard("##any", None, "", None)


def pick_element(wildcard: Wildcard, elements: list[Any], stack: tuple[str, ...]) -> Any:
    """The global element answering ``wildcard``, or None when none fits.

    Candidates: concrete global elements of an allowed namespace (not the
    SOAP encoding's or XSD's), not of a type being written (no recursion). Elements
    of simple type come first, then those of the wildcard's own target
    namespace, then by qualified name."""
    candidates = []
    for element in elements:
        qname = getattr(element, "qname", None)
        if qname is None or not hasattr(element, "type") or getattr(element, "abstract", False):
            continue
        namespace = qname.namespace or None
        if namespace in _NOT_ANSWERS or not wildcard.allows(namespace):
            continue
        xsd_type = getattr(element, "type", None)
        if str(getattr(xsd_type, "qname", None) or id(xsd_type)) in stack:
            continue
        complex_type = hasattr(xsd_type, "elements") or bool(getattr(xsd_type, "attributes", ()))
        candidates.append((complex_type, namespace != wildcard.target, qname.text, element))
    if not candidates:
        return None
    return min(candidates, key=lambda candidate: candidate[:3])[3]
