"""Form fields (urlencoded or multipart) into the object their schema declares.

Form bodies carry nested data in bracket keys, as OpenAPI's ``deepObject``
style (with ``explode: true``) and large payment APIs write them:
``metadata[order]=6735`` is ``{"metadata": {"order": "6735"}}``,
``items[0][price]=3`` is ``{"items": [{"price": "3"}]}`` and ``expand[]=a``
appends to ``{"expand": ["a"]}``. The schema decides what a level is: an
``array`` level takes its numeric keys in order, anything else stays an
object; a leaf is every value sent when its schema is an array, else the
first; a required object or array with no field is empty (brackets cannot
write an empty one). Fields whose schema is an object or array may also
arrive as one JSON document (multipart's default ``application/json`` part,
or a client that sends JSON in a form field); such a value is parsed when it
is JSON of the declared kind. Scalars are converted to the schema's types where their text
allows it (else kept as text, for the validator to report).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from ..json_codec import JsonLimitError, parse_json
from ..web.problems import Problem
from .params import coercer, object_properties
from .schemas import kind_of, resolve

__all__ = ["MAX_FORM_DEPTH", "FormShaper"]

MAX_FORM_DEPTH = 32
"""Bracket levels one form key may nest (``a[b][c]`` has two)."""

_KEY = re.compile(r"^([^\[\]]+)((?:\[[^\[\]]*\])+)$")
_SEGMENT = re.compile(r"\[([^\[\]]*)\]")
_JSON_KINDS = {"object": dict, "array": list}
_EMPTY: dict[str, type[dict[str, Any]] | type[list[Any]]] = {"object": dict, "array": list}
"""A required object or array sent with no field at all is empty: bracket keys
cannot write an empty one, so its absence is how a form says it."""


class _Node:
    """One level of bracket keys: named children and values appended with ``[]``."""

    __slots__ = ("appended", "children", "values")

    def __init__(self) -> None:
        self.values: list[str] = []
        self.children: dict[str, _Node] = {}
        self.appended: list[_Node] = []


class FormShaper:
    """Shapes the fields of one form body schema."""

    def __init__(self, schema: Any, defs: Mapping[str, Any]) -> None:
        self._schema = schema
        self._defs = defs
        self._declared = frozenset(object_properties(schema, defs))

    def shape(self, fields: Mapping[str, list[str]]) -> dict[str, Any]:
        """``{name: [values]}`` as sent → ``{name: value}`` nested as the schema says."""
        root = _Node()
        for key, values in fields.items():
            node = root.children.setdefault(key, _Node()) if key in self._declared else None
            if node is None:
                node = self._place(root, key)
            node.values.extend(values)
        return self._object(root, self._schema, 0)

    def _place(self, root: _Node, key: str) -> _Node:
        match = _KEY.match(key)
        if match is None:
            return root.children.setdefault(key, _Node())
        segments = _SEGMENT.findall(match.group(2))
        if len(segments) > MAX_FORM_DEPTH:
            raise Problem(
                400,
                f"form field {key[:80]!r} nests {len(segments)} levels; the limit is "
                f"{MAX_FORM_DEPTH}",
                title="Malformed request body",
            )
        node = root.children.setdefault(match.group(1), _Node())
        for segment in segments:
            if segment:
                node = node.children.setdefault(segment, _Node())
            else:
                child = _Node()
                node.appended.append(child)
                node = child
        return node

    # -- shaping by schema --------------------------------------------------------

    def _value(self, node: _Node, schema: Any, depth: int) -> Any:
        kind = kind_of(schema, self._defs)
        if node.children or node.appended:
            if kind == "array":
                return self._array(node, schema, depth)
            return self._object(node, schema, depth)
        if kind == "array":
            if len(node.values) == 1 and self._has_string_branch(schema):
                return node.values[0]
            items = self._items(schema)
            item_kind = kind_of(items, self._defs)
            if item_kind in _JSON_KINDS:
                return [_json_or_text(value, item_kind) for value in node.values]
            if len(node.values) == 1:
                parsed = _json_or_text(node.values[0], "array")
                if isinstance(parsed, list):
                    return parsed
            convert = coercer(items, self._defs)
            return [convert(value) for value in node.values]
        first = node.values[0] if node.values else ""
        if kind in _JSON_KINDS:
            return _json_or_text(first, kind)
        return self._scalar(first, schema)

    def _scalar(self, text: str, schema: Any) -> Any:
        """``text`` as the schema's scalar type; with ``anyOf``/``oneOf`` alternatives
        (``"now"`` or a timestamp), the first alternative the text converts to."""
        value = coercer(schema, self._defs)(text)
        resolved = resolve(schema, self._defs)
        if value is not text or not isinstance(resolved, Mapping):
            return value
        for keyword in ("anyOf", "oneOf"):
            for branch in resolved.get(keyword) or ():
                if kind_of(branch, self._defs) in ("integer", "number", "boolean"):
                    converted = coercer(branch, self._defs)(text)
                    if converted is not text:
                        return converted
        return text

    def _has_string_branch(self, schema: Any) -> bool:
        resolved = resolve(schema, self._defs)
        if not isinstance(resolved, Mapping):
            return False
        return any(
            kind_of(branch, self._defs) == "string"
            for keyword in ("oneOf", "anyOf")
            for branch in resolved.get(keyword) or ()
        )

    def _object(self, node: _Node, schema: Any, depth: int) -> dict[str, Any]:
        properties = object_properties(schema, self._defs)
        resolved = resolve(schema, self._defs)
        extra = resolved.get("additionalProperties") if isinstance(resolved, Mapping) else None
        other = extra if isinstance(extra, Mapping) else {}
        out: dict[str, Any] = {}
        for name, child in node.children.items():
            out[name] = self._value(child, properties.get(name, other), depth + 1)
        for index, child in enumerate(node.appended):
            out.setdefault(str(index), self._value(child, other, depth + 1))
        required = resolved.get("required") if isinstance(resolved, Mapping) else None
        for name in required if isinstance(required, list) else ():
            if name not in out and name in properties:
                empty = _EMPTY.get(kind_of(properties[name], self._defs) or "")
                if empty is not None:
                    out[name] = empty()
        return out

    def _array(self, node: _Node, schema: Any, depth: int) -> list[Any]:
        items = self._items(schema)
        numbered = sorted(
            ((int(key), child) for key, child in node.children.items() if key.isdecimal()),
            key=lambda pair: pair[0],
        )
        out = [self._value(child, items, depth + 1) for _, child in numbered]
        out.extend(self._value(child, items, depth + 1) for child in node.appended)
        if kind_of(items, self._defs) in _JSON_KINDS:
            out.extend(node.values)
        else:
            convert = coercer(items, self._defs)
            out.extend(convert(value) for value in node.values)
        named = [key for key in node.children if not key.isdecimal()]
        if named:  # not an array after all: the validator reports it
            return [*out, {key: self._value(node.children[key], {}, depth + 1) for key in named}]
        return out

    def _items(self, schema: Any) -> Any:
        resolved = resolve(schema, self._defs)
        if isinstance(resolved, Mapping):
            if "items" in resolved:
                return resolved["items"]
            for keyword in ("allOf", "oneOf", "anyOf"):
                for branch in resolved.get(keyword) or ():
                    if kind_of(branch, self._defs) == "array":
                        return self._items(branch)
        return {}


def _json_or_text(text: str, kind: str | None) -> Any:
    """``text`` parsed when it is a JSON document of ``kind``; else ``text`` itself."""
    wanted = _JSON_KINDS.get(kind or "")
    stripped = text.lstrip()
    if wanted is None or not stripped.startswith(("{", "[")):
        return text
    try:
        value = parse_json(text.encode("utf-8", "surrogatepass"))
    except (ValueError, JsonLimitError):  # malformed, or past the client-JSON limits
        return text
    return value if isinstance(value, wanted) else text
