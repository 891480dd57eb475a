"""XSD types (as zeep reads them) → IR JSON Schema with the IR's XML vocabulary.

Each element becomes a schema whose ``xml`` names it (local name and
namespace; ``attribute: true`` for attributes), an object's wire order is its
``x-order``, ``maxOccurs > 1`` is an array of the element, ``minOccurs="0"``
leaves it out of ``required``. Schemas are written inline, so one schema
carries every name the XML writer needs; a type reached again inside itself
(recursion) stops as an open object.
"""

from __future__ import annotations

import itertools
import math
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

from zeep.xsd import elements as xsd_elements
from zeep.xsd import indicators  # type: ignore[attr-defined]

from mockc.compiler.errors import Diagnostic

from .wildcards import ANY_NAMESPACE, pick_element, wildcard_of

__all__ = ["TEXT_PROPERTY", "element_schema", "type_schema", "using_facets"]

ANY_PROPERTY = "_any"
"""The property standing for a required ``xsd:any`` (``_any_2``… for further ones)."""
TEXT_PROPERTY = "_value"
"""The property holding the text of an element with simple content and
attributes (``xml.text``), as the runtime reads it."""


@dataclass
class _Reading:
    """What schemas written inside :func:`using_facets` draw on."""

    facets: dict[str, dict[str, Any]]
    """The facets of the WSDL being read (see :mod:`.facets`), by type or element name."""
    substitutes: dict[str, Any]
    """zeep's element to write in place of an abstract one, by the abstract one's name."""
    elements: list[Any]
    """The global elements of the WSDL's schemas (what a wildcard may be answered with)."""
    warnings: list[Diagnostic]
    warned: set[str] = field(default_factory=set)
    path: list[str] = field(default_factory=list)
    """The names of the elements being written (outermost first)."""


_READING: ContextVar[_Reading | None] = ContextVar("wsdl_reading", default=None)


@contextmanager
def using_facets(
    facets: dict[str, dict[str, Any]],
    substitutes: dict[str, Any] | None = None,
    *,
    elements: list[Any] | None = None,
    warnings: list[Diagnostic] | None = None,
) -> Iterator[None]:
    """Schemas written inside this block carry ``facets`` on their simple types,
    name a concrete member of a substitution group in place of an abstract
    head (``substitutes``: head name → zeep element), answer a required
    wildcard with one of ``elements`` (zeep's global elements), and add to
    ``warnings`` what they cannot answer."""
    found = warnings if warnings is not None else []
    token = _READING.set(_Reading(facets, substitutes or {}, elements or [], found))
    try:
        yield
    finally:
        _READING.reset(token)


def _reading() -> _Reading:
    return _READING.get() or _Reading({}, {}, [], [])


_SIMPLE: dict[str, dict[str, Any]] = {
    "String": {"type": "string"},
    "NormalizedString": {"type": "string"},
    "Token": {"type": "string"},
    "Boolean": {"type": "boolean"},
    "Decimal": {"type": "number"},
    "Float": {"type": "number", "format": "float"},
    "Double": {"type": "number", "format": "double"},
    "Integer": {"type": "integer"},
    "Long": {"type": "integer", "format": "int64"},
    "Int": {"type": "integer", "format": "int32"},
    "Short": {"type": "integer", "minimum": -32768, "maximum": 32767},
    "Byte": {"type": "integer", "minimum": -128, "maximum": 127},
    "UnsignedLong": {"type": "integer", "minimum": 0},
    "UnsignedInt": {"type": "integer", "minimum": 0, "maximum": 4294967295},
    "UnsignedShort": {"type": "integer", "minimum": 0, "maximum": 65535},
    "UnsignedByte": {"type": "integer", "minimum": 0, "maximum": 255},
    "NonNegativeInteger": {"type": "integer", "minimum": 0},
    "PositiveInteger": {"type": "integer", "minimum": 1},
    "NonPositiveInteger": {"type": "integer", "maximum": 0},
    "NegativeInteger": {"type": "integer", "maximum": -1},
    "DateTime": {"type": "string", "format": "date-time"},
    "Date": {"type": "string", "format": "date"},
    "Time": {"type": "string", "format": "time"},
    "Duration": {"type": "string", "pattern": "^P(T1S|1D)$"},
    "AnyURI": {"type": "string", "format": "uri"},
    "Base64Binary": {"type": "string", "pattern": "^(QUJD)*$"},
    "HexBinary": {"type": "string", "pattern": "^([0-9A-F]{2})*$"},
    "QName": {"type": "string", "pattern": "^[a-z][a-z0-9]{0,10}$"},
    "Language": {"type": "string", "enum": ["en"]},
}
"""zeep's builtin type classes (by name, through a restriction's class) → schema."""

_MAX_DEPTH = 24


def element_schema(element: Any, stack: tuple[str, ...] = ()) -> dict[str, Any]:
    """The schema of one XSD element (its type, named by ``xml``)."""
    qname = element.qname
    path = _reading().path
    path.append(qname.localname if qname is not None else str(element.name))
    try:
        schema = type_schema(element.type, stack)
    finally:
        path.pop()
    xml: dict[str, Any] = {"name": qname.localname if qname is not None else element.name}
    if qname is not None and qname.namespace:
        xml["namespace"] = qname.namespace
    if getattr(element, "nillable", False):
        xml["nillable"] = True
    return {**schema, "xml": xml}


def type_schema(xsd_type: Any, stack: tuple[str, ...] = ()) -> dict[str, Any]:
    """The schema of an XSD type: a simple type's JSON type, or an object."""
    if xsd_type is None:
        return {}
    if not hasattr(xsd_type, "elements"):
        return _simple(xsd_type)
    name = str(getattr(xsd_type, "qname", None) or id(xsd_type))
    if name in stack or len(stack) > _MAX_DEPTH:
        return {"type": "object"}
    stack = (*stack, name)
    properties: dict[str, Any] = {}
    required: list[str] = []
    order: list[str] = []
    choices: list[list[dict[str, Any]]] = []
    for _name, attribute in getattr(xsd_type, "attributes", []) or []:
        if not hasattr(attribute, "qname") or attribute.qname is None:
            continue
        local = attribute.qname.localname
        xml: dict[str, Any] = {"name": local, "attribute": True}
        if attribute.qname.namespace:  # a qualified attribute (xmime:contentType)
            xml["namespace"] = attribute.qname.namespace
        properties[local] = {**_simple(attribute.type), "xml": xml}
        if getattr(attribute, "required", False):
            required.append(local)
    indicator: Any = getattr(xsd_type, "_element", None)
    if _is_simple_content(indicator):  # text beside attributes: zeep's _value_1
        properties[TEXT_PROPERTY] = {**_simple(indicator.type), "xml": {"text": True}}
        required.append(TEXT_PROPERTY)
    elif indicator is not None:
        _members(indicator, stack, properties, required, order, optional=False, choices=choices)
    elif not properties and not hasattr(xsd_type, "_element"):
        return _simple(xsd_type)
    schema: dict[str, Any] = {"type": "object", "properties": properties}
    if required:
        schema["required"] = required
    if order:
        schema["x-order"] = order
    if choices:
        schema["anyOf"] = _combinations(choices)
    return schema


def _is_simple_content(indicator: Any) -> bool:
    return (
        isinstance(indicator, xsd_elements.Element)
        and indicator.name == "_value_1"
        and not hasattr(indicator.type, "elements")
    )


def _members(
    indicator: Any,
    stack: tuple[str, ...],
    properties: dict[str, Any],
    required: list[str],
    order: list[str],
    *,
    optional: bool,
    choices: list[list[dict[str, Any]]] | None = None,
) -> None:
    """Add the elements of a sequence, all, choice or group (in order).

    A choice whose branches each require their own elements is described
    whole (see :func:`_choice`); a choice inside an optional particle, or
    whose branches cannot be told apart, contributes its first branch only."""
    within_optional = optional
    optional = optional or _min(indicator) == 0
    if isinstance(indicator, indicators.Group):
        _members(
            indicator.child, stack, properties, required, order, optional=optional, choices=choices
        )
        return
    if isinstance(indicator, indicators.Choice):
        if not len(indicator):
            return
        if choices is not None and not within_optional:  # noqa: SIM102
            if _choice(indicator, stack, properties, order, choices):
                return
        first = indicator[0]
        if isinstance(first, indicators.Indicator):
            _members(first, stack, properties, required, order, optional=optional, choices=choices)
        else:  # zeep gives a choice's elements minOccurs 0: a required choice needs one
            _members_of([first], stack, properties, required, order, optional=optional, chosen=True)
        return
    children = indicator if isinstance(indicator, indicators.Indicator) else [indicator]
    _members_of(children, stack, properties, required, order, optional=optional, choices=choices)


_MAX_COMBINATIONS = 32
"""The most combinations of branches a type's ``anyOf`` lists (the product of
its choices' branches); a choice that would pass it answers its first branch."""


def _choice(
    choice: Any,
    stack: tuple[str, ...],
    properties: dict[str, Any],
    order: list[str],
    choices: list[list[dict[str, Any]]],
) -> bool:
    """Describe ``choice`` whole, if its branches can be told apart: every
    branch's elements stand in ``x-order`` at the choice's place and the
    choice's options (``properties`` and ``required`` each; a nested choice's
    branches multiply its branch's options; an optional choice has an empty
    option last) join ``choices``, whose product is the type's ``anyOf``. The
    options start at a branch picked from the branches' element names (the
    same every time, not always the first). False when it cannot be."""
    branches = _branches(choice, stack)
    if len(branches) < 2:
        return False
    names = [name for branch in branches for name in branch["x-order"]]
    taken = {name for options in choices for option in options for name in option["properties"]}
    if taken.union(properties) & set(names):
        return False
    start = zlib.crc32(" ".join(names).encode()) % len(branches)
    options = [
        option for branch in branches[start:] + branches[:start] for option in branch["options"]
    ]
    if _min(choice) == 0:
        options.append({"properties": {}, "required": []})
    if math.prod(len(known) for known in choices) * len(options) > _MAX_COMBINATIONS:
        return False
    choices.append(options)
    order.extend(names)
    return True


def _branches(choice: Any, stack: tuple[str, ...]) -> list[dict[str, Any]]:
    """Each branch of a choice: its ``x-order`` and its ``options``
    (``properties`` and ``required``, one per combination of the branches of
    the choices inside it); none when an option requires nothing or two
    branches share a name (the branches could not be told apart)."""
    found: list[dict[str, Any]] = []
    seen: set[str] = set()
    for branch in choice:
        properties: dict[str, Any] = {}
        required: list[str] = []
        order: list[str] = []
        inner: list[list[dict[str, Any]]] = []
        if isinstance(branch, indicators.Indicator):
            _members(branch, stack, properties, required, order, optional=False, choices=inner)
        else:
            _members_of([branch], stack, properties, required, order, optional=False, chosen=True)
        options = _combinations([[{"properties": properties, "required": required}], *inner])
        if len(options) > _MAX_COMBINATIONS or not all(o["required"] for o in options):
            return []
        if seen & set(order):
            return []
        seen |= set(order)
        found.append({"options": options, "x-order": order})
    return found


def _combinations(choices: list[list[dict[str, Any]]]) -> list[dict[str, Any]]:
    """One option (``properties``, ``required``) per combination of one option of each choice."""
    found: list[dict[str, Any]] = []
    for picked in itertools.product(*choices):
        properties: dict[str, Any] = {}
        required: list[str] = []
        for option in picked:
            properties.update(option["properties"])
            required.extend(option["required"])
        found.append({"properties": properties, "required": required})
    return found


def _members_of(
    children: Any,
    stack: tuple[str, ...],
    properties: dict[str, Any],
    required: list[str],
    order: list[str],
    *,
    optional: bool,
    chosen: bool = False,
    choices: list[list[dict[str, Any]]] | None = None,
) -> None:
    for child in children:
        if isinstance(child, xsd_elements.Any):
            if not optional and (child.min_occurs or 0) > 0:
                answer = _wildcard_answer(child, stack)
                if answer is not None:
                    name = ANY_PROPERTY
                    for number in itertools.count(2):
                        if name not in properties:
                            break
                        name = f"{ANY_PROPERTY}_{number}"
                    properties[name] = answer
                    order.append(name)
                    required.append(name)
            continue
        if isinstance(child, indicators.Indicator):
            _members(child, stack, properties, required, order, optional=optional, choices=choices)
            continue
        if isinstance(child, tuple):  # zeep keeps (name, element) in some indicators
            child = child[1]
        if not isinstance(child, xsd_elements.Element):
            continue
        substitute = _reading().substitutes.get(child.qname.text) if child.qname else None
        if substitute is not None:  # an abstract head: a concrete member of its group
            child = _substituted(child, substitute)
        local = child.qname.localname if child.qname is not None else child.name
        if local in properties or any(local in o["properties"] for c in choices or () for o in c):
            continue
        recursive = str(getattr(child.type, "qname", None) or id(child.type)) in stack
        if recursive and (optional or (child.min_occurs or 0) == 0):
            continue  # an optional element of a type met again: left out
        item = element_schema(child, stack)
        most = child.max_occurs
        if most == "unbounded" or (isinstance(most, int) and most > 1):
            item = {"type": "array", "items": item, "maxItems": 3, "xml": dict(item["xml"])}
        properties[local] = item
        order.append(local)
        if not optional and (chosen or (child.min_occurs or 0) > 0):
            required.append(local)


def _wildcard_answer(wildcard: Any, stack: tuple[str, ...]) -> dict[str, Any] | None:
    """The schema of the element answering a required ``xsd:any`` (see
    :mod:`.wildcards`); None, with a warning naming the wildcard's place,
    when no element can."""
    declared = wildcard_of(wildcard)
    lenient = wildcard.process_contents in ("lax", "skip")
    if lenient and declared.allows(ANY_NAMESPACE):  # an element no schema declares
        return {"type": "string", "xml": {"name": "any", "namespace": ANY_NAMESPACE}}
    reading = _reading()
    element = pick_element(declared, reading.elements, stack)
    if element is not None:
        return element_schema(element, stack)
    if lenient:  # lax or skip content accepts an undeclared element of an allowed namespace
        namespace = declared.first_namespace()
        return {
            "type": "string",
            "xml": {"name": "any", **({"namespace": namespace} if namespace else {})},
        }
    where = declared.where()
    if where not in reading.warned:
        reading.warned.add(where)
        reading.warnings.append(
            Diagnostic(
                file=declared.file,
                line=declared.line,
                level="warning",
                message=f'a required xsd:any (processContents="strict", '
                f'namespace="{declared.constraint}") in {"/".join(reading.path)}: no '
                "global element of the schemas fits it, so fake data and generated "
                "mocks leave it out and their answers are not valid XSD (a mock's "
                "literal XML body can hold one)",
            )
        )
    return None


def _substituted(head: Any, member: Any) -> Any:
    """``member`` with the occurrence bounds of ``head`` where the head stood."""
    clone = member.clone(member.qname, min_occurs=head.min_occurs, max_occurs=head.max_occurs)
    return clone


def _min(indicator: Any) -> int:
    value = getattr(indicator, "min_occurs", 1)
    return value if isinstance(value, int) else 1


_LIST_PATTERNS = {
    "integer": "^[1-9][0-9]{0,2}( [1-9][0-9]{0,2}){0,2}$",
    "number": "^[1-9][0-9]{0,2}( [1-9][0-9]{0,2}){0,2}$",
    "boolean": "^(true|false)( (true|false)){0,2}$",
}


def _simple(xsd_type: Any) -> dict[str, Any]:
    schema = _builtin(xsd_type)
    qname = getattr(xsd_type, "qname", None)
    facets = _reading().facets.get(qname.text) if qname is not None else None
    if not facets:
        return schema
    binary = _BINARY_UNITS.get(_builtin_name(xsd_type))
    if binary is not None:  # lengths count octets: a pattern of whole units
        unit, octets = binary
        least = -(-int(facets.get("minLength", facets.get("length", 0))) // octets)
        most = int(facets.get("maxLength", facets.get("length", 3 * octets))) // octets
        if "enum" not in facets and least <= most:
            return {**schema, "pattern": f"^({unit}){{{least},{most}}}$"}
        return schema
    schema = {key: value for key, value in schema.items() if key not in ("pattern", "enum")}
    if "enum" in facets:
        schema.pop("format", None)
    schema.update(facets)
    return schema


_BINARY_UNITS = {"HexBinary": ("[0-9A-F]{2}", 1), "Base64Binary": ("QUJD", 3)}
"""Binary types: the faked unit of text and the octets it stands for."""


def _builtin_name(xsd_type: Any) -> str:
    for cls in type(xsd_type).__mro__:
        if cls.__name__ in _SIMPLE:
            return cls.__name__
    return ""


def _builtin(xsd_type: Any) -> dict[str, Any]:
    item_type = getattr(xsd_type, "item_type", None)
    if item_type is not None:  # xsd:list: space-separated values in one text
        item = _simple(item_type)
        pattern = _LIST_PATTERNS.get(item.get("type", ""), "^[a-z]{1,8}( [a-z]{1,8}){0,2}$")
        return {"type": "string", "pattern": pattern}
    for cls in type(xsd_type).__mro__:
        found = _SIMPLE.get(cls.__name__)
        if found is not None:
            return dict(found)
    return {"type": "string"}
