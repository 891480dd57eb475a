"""XML ↔ JSON-shaped data, both ways guided by the IR's XML vocabulary.

:func:`write_element` writes data as the element a schema describes: its
name and namespace (``xml``), members in ``x-order``, attributes where
``xml.attribute`` says, arrays as repeated elements, booleans as
``true``/``false``. :func:`read_element` reads a request element into data
for mocks and hooks: children by local name, repeated children as a list,
attributes beside them, leaf text typed by the schema when it has one.
"""

from __future__ import annotations

from typing import Any

from lxml import etree

__all__ = ["local_name", "member_schema", "read_element", "write_element"]

XSI_NIL = "{http://www.w3.org/2001/XMLSchema-instance}nil"


def write_element(
    parent: etree._Element | None, schema: dict[str, Any], value: Any
) -> etree._Element:
    """The element ``schema`` describes holding ``value`` (appended to ``parent``)."""
    xml = schema.get("xml") or {}
    tag = _tag(xml)
    element = etree.Element(tag) if parent is None else etree.SubElement(parent, tag)
    _fill(element, schema, value)
    return element


def _tag(xml: dict[str, Any]) -> str:
    name = xml.get("name") or "value"
    namespace = xml.get("namespace")
    return f"{{{namespace}}}{name}" if namespace else name


def _fill(element: etree._Element, schema: dict[str, Any], value: Any) -> None:
    properties = schema.get("properties")
    if properties is None or not isinstance(value, dict):
        if value is not None and not isinstance(value, dict | list):
            element.text = _text(value)
        return
    order = schema.get("x-order") or [
        name
        for name, member in properties.items()
        if not (member.get("xml") or {}).get("attribute")
        and not (member.get("xml") or {}).get("text")
    ]
    for name, member in properties.items():
        xml = member.get("xml") or {}
        if xml.get("attribute") and name in value and value[name] is not None:
            namespace = xml.get("namespace")
            element.set(f"{{{namespace}}}{name}" if namespace else name, _text(value[name]))
        elif xml.get("text") and value.get(name) is not None:  # simple content
            element.text = _text(value[name])
    for name in order:
        if name not in value:
            continue
        member = member_schema(schema, name)
        if value[name] is None:
            if (member.get("xml") or {}).get("nillable"):  # xsi:nil="true"
                write_element(element, member, None).set(XSI_NIL, "true")
            continue
        if member.get("type") == "array":
            items = member.get("items") or {}
            for item in value[name] if isinstance(value[name], list) else [value[name]]:
                write_element(element, items, item)
        else:
            write_element(element, member, value[name])


def member_schema(schema: dict[str, Any], name: str) -> dict[str, Any]:
    """The schema of member ``name``: a property, or an element of one of the
    branches of a choice (the ``anyOf`` beside ``x-order``)."""
    found = (schema.get("properties") or {}).get(name)
    if found is None:
        for branch in schema.get("anyOf") or ():
            found = (branch.get("properties") or {}).get(name)
            if found is not None:
                break
    return found if isinstance(found, dict) else {}


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def read_element(element: etree._Element, schema: dict[str, Any] | None = None) -> Any:
    """JSON-shaped data of ``element``."""
    schema = schema or {}
    if element.get(XSI_NIL) in ("true", "1"):
        return None
    if not len(element) and not element.attrib:  # a leaf, the most common element
        return _typed(element.text or "", schema)
    properties = schema.get("properties") or {}
    children = [child for child in element if isinstance(child.tag, str)]
    if not children and not element.attrib:
        return _typed(element.text or "", schema)
    data: dict[str, Any] = {}
    for name, value in element.attrib.items():
        if name == XSI_NIL:
            continue
        local = local_name(name)
        data[local] = _typed(value, properties.get(local) or {})
    for child in children:
        local = local_name(child.tag)
        member = properties.get(local) or member_schema(schema, local)
        if member.get("type") == "array":
            data.setdefault(local, []).append(read_element(child, member.get("items") or {}))
        elif local in data:
            known = data[local]
            data[local] = (
                [*known, read_element(child, member)]
                if isinstance(known, list)
                else [
                    known,
                    read_element(child, member),
                ]
            )
        else:
            data[local] = read_element(child, member)
    if not children and element.text and element.text.strip():
        data["_value"] = _typed(element.text, properties.get("_value") or {})
    return data


def local_name(tag: Any) -> str:
    """The local name of a ``{namespace}local`` tag (``QName`` costs more)."""
    text = str(tag)
    return text[text.index("}") + 1 :] if text.startswith("{") else text


def _typed(text: str, schema: dict[str, Any]) -> Any:
    kind = schema.get("type")
    try:
        if kind == "integer":
            return int(text.strip())
        if kind == "number":
            return float(text.strip())
    except ValueError:
        return text
    if kind == "boolean":
        return text.strip() in ("true", "1")
    return text
