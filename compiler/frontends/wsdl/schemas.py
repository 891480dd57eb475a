"""XSD types (as zeep reads them) → IR JSON Schema with the IR's XML vocabulary.

Each element becomes a schema whose ``xml`` names it (local name and
namespace; ``attribute: true`` for attributes), an object's wire order is its
``x-order``, ``maxOccurs > 1`` is an array of the element, ``minOccurs="0"``
leaves it out of ``required``. Schemas are written inline, so one schema
carries every name the XML writer needs; a type reached again inside itself
(recursion) stops as an open object.
"""

from __future__ import annotations

from typing import Any

from zeep.xsd import elements as xsd_elements
from zeep.xsd import indicators  # type: ignore[attr-defined]

__all__ = ["element_schema", "type_schema"]

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
    schema = type_schema(element.type, stack)
    qname = element.qname
    xml: dict[str, Any] = {"name": qname.localname if qname is not None else element.name}
    if qname is not None and qname.namespace:
        xml["namespace"] = qname.namespace
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
    for _name, attribute in getattr(xsd_type, "attributes", []) or []:
        if not hasattr(attribute, "qname") or attribute.qname is None:
            continue
        local = attribute.qname.localname
        properties[local] = {**_simple(attribute.type), "xml": {"name": local, "attribute": True}}
        if getattr(attribute, "required", False):
            required.append(local)
    indicator = getattr(xsd_type, "_element", None)
    if indicator is not None:
        _members(indicator, stack, properties, required, order, optional=False)
    elif not properties and not hasattr(xsd_type, "_element"):
        return _simple(xsd_type)
    schema: dict[str, Any] = {"type": "object", "properties": properties}
    if required:
        schema["required"] = required
    if order:
        schema["x-order"] = order
    return schema


def _members(
    indicator: Any,
    stack: tuple[str, ...],
    properties: dict[str, Any],
    required: list[str],
    order: list[str],
    *,
    optional: bool,
) -> None:
    """Add the elements of a sequence, all, choice or group (in order). A
    choice contributes its first branch only, so answers stay valid (one
    branch); its other branches are not described yet."""
    optional = optional or _min(indicator) == 0
    if isinstance(indicator, indicators.Group):
        _members(indicator.child, stack, properties, required, order, optional=optional)
        return
    if isinstance(indicator, indicators.Choice):
        if len(indicator):
            first = indicator[0]
            branch = first if isinstance(first, indicators.Indicator) else [first]
            _members_of(branch, stack, properties, required, order, optional=optional)
        return
    children = indicator if isinstance(indicator, indicators.Indicator) else [indicator]
    _members_of(children, stack, properties, required, order, optional=optional)


def _members_of(
    children: Any,
    stack: tuple[str, ...],
    properties: dict[str, Any],
    required: list[str],
    order: list[str],
    *,
    optional: bool,
) -> None:
    for child in children:
        if isinstance(child, xsd_elements.Any):
            continue
        if isinstance(child, indicators.Indicator):
            _members(child, stack, properties, required, order, optional=optional)
            continue
        if isinstance(child, tuple):  # zeep keeps (name, element) in some indicators
            child = child[1]
        if not isinstance(child, xsd_elements.Element):
            continue
        local = child.qname.localname if child.qname is not None else child.name
        if local in properties:
            continue
        item = element_schema(child, stack)
        most = child.max_occurs
        if most == "unbounded" or (isinstance(most, int) and most > 1):
            item = {"type": "array", "items": item, "maxItems": 3, "xml": dict(item["xml"])}
        properties[local] = item
        order.append(local)
        if not optional and (child.min_occurs or 0) > 0:
            required.append(local)


def _min(indicator: Any) -> int:
    value = getattr(indicator, "min_occurs", 1)
    return value if isinstance(value, int) else 1


_LIST_PATTERNS = {
    "integer": "^[1-9][0-9]{0,2}( [1-9][0-9]{0,2}){0,2}$",
    "number": "^[1-9][0-9]{0,2}( [1-9][0-9]{0,2}){0,2}$",
    "boolean": "^(true|false)( (true|false)){0,2}$",
}


def _simple(xsd_type: Any) -> dict[str, Any]:
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
