"""Parameter deserialisation by OpenAPI style and explode, and type coercion.

Each declared parameter is compiled once into a :class:`ParamDecoder`; at
request time it pulls its raw text out of the path, query, headers or cookies,
splits it by its style and coerces the pieces to the schema's types. Values
that do not coerce stay strings, so the validator reports them with their
original text.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from ..exceptions import RuntimeFailure
from ..json_codec import parse_json
from .schemas import kind_of, resolve

__all__ = [
    "MISSING",
    "ParamDecoder",
    "ParamError",
    "coercer",
    "object_properties",
    "parse_cookies",
    "split_query",
]

MISSING: Any = object()
Coerce = Callable[[Any], Any]
_INTEGER = re.compile(r"^[+-]?\d+$")
_DEEP_KEY = re.compile(r"\[([^\[\]]*)\]")


class ParamError(RuntimeFailure):
    """A parameter value that cannot be decoded at all (e.g. invalid JSON)."""


def _to_integer(text: Any) -> Any:
    if isinstance(text, str) and _INTEGER.match(text):
        return int(text)
    return text


def _to_number(text: Any) -> Any:
    if not isinstance(text, str):
        return text
    if _INTEGER.match(text):
        return int(text)
    try:
        value = float(text)
    except ValueError:
        return text
    return value if value == value and value not in (float("inf"), float("-inf")) else text


def _to_boolean(text: Any) -> Any:
    if text == "true":
        return True
    if text == "false":
        return False
    return text


def _same(text: Any) -> Any:
    return text


_SCALAR_COERCERS: dict[str | None, Coerce] = {
    "integer": _to_integer,
    "number": _to_number,
    "boolean": _to_boolean,
}


def coercer(schema: Any, defs: Mapping[str, Any]) -> Coerce:
    """A function turning strings (or lists/dicts of strings) into ``schema``'s types."""
    kind = kind_of(schema, defs)
    if kind == "array":
        resolved = resolve(schema, defs)
        item = coercer(resolved.get("items", {}), defs) if isinstance(resolved, Mapping) else _same

        def to_array(value: Any) -> Any:
            if isinstance(value, list):
                return [item(element) for element in value]
            return [item(value)]

        return to_array
    if kind == "object":
        resolved = resolve(schema, defs)
        properties = object_properties(schema, defs)
        fields = {name: coercer(sub, defs) for name, sub in properties.items()}
        extra = resolved.get("additionalProperties") if isinstance(resolved, Mapping) else None
        other = coercer(extra, defs) if isinstance(extra, Mapping) else _same

        def to_object(value: Any) -> Any:
            if not isinstance(value, dict):
                return value
            return {key: fields.get(key, other)(element) for key, element in value.items()}

        return to_object
    return _SCALAR_COERCERS.get(kind, _same)


def object_properties(
    schema: Any, defs: Mapping[str, Any], seen: frozenset[int] = frozenset()
) -> dict[str, Any]:
    """The properties ``schema`` declares, also inside its ``allOf``/``oneOf``/``anyOf``
    branches (the first declaration of a name wins)."""
    resolved = resolve(schema, defs)
    if not isinstance(resolved, Mapping) or id(resolved) in seen:
        return {}
    seen = seen | {id(resolved)}
    own = resolved.get("properties")
    found: dict[str, Any] = dict(own) if isinstance(own, Mapping) else {}
    for keyword in ("allOf", "oneOf", "anyOf"):
        branches = resolved.get(keyword)
        for branch in branches if isinstance(branches, list) else ():
            for name, sub in object_properties(branch, defs, seen).items():
                found.setdefault(name, sub)
    return found


def split_query(query: str) -> dict[str, list[str]]:
    """``a=1&a=2&b=`` → ``{"a": ["1", "2"], "b": [""]}``, form-decoded."""
    from urllib.parse import unquote_plus

    values: dict[str, list[str]] = {}
    for pair in query.split("&"):
        if not pair:
            continue
        name, _, value = pair.partition("=")
        name = unquote_plus(name) if "%" in name or "+" in name else name
        value = unquote_plus(value) if "%" in value or "+" in value else value
        values.setdefault(name, []).append(value)
    return values


def parse_cookies(header: str) -> dict[str, str]:
    cookies: dict[str, str] = {}
    for part in header.split(";"):
        name, sep, value = part.strip().partition("=")
        if sep and name:
            cookies.setdefault(name, value.strip().strip('"'))
    return cookies


def _pairs_to_object(items: list[str]) -> dict[str, str]:
    return dict(zip(items[0::2], items[1::2], strict=False))


def _assignments(items: list[str]) -> dict[str, str]:
    result: dict[str, str] = {}
    for item in items:
        key, _, value = item.partition("=")
        result[key] = value
    return result


@dataclass(slots=True)
class ParamDecoder:
    """How one declared parameter is read from a request."""

    name: str
    location: str
    style: str
    explode: bool
    kind: str | None
    coerce: Coerce
    media_type: str | None = None
    properties: tuple[str, ...] = ()
    read_text: Callable[[str], Any] = _same
    """``from_text``, or the bare coercion when the style needs no splitting."""
    coerce_scalar: Coerce = _same
    """The coercion of a plain (unbracketed) value of a ``deepObject`` parameter: the
    schema's first scalar alternative (``created=17`` for ``anyOf: [object, integer]``)."""

    def __post_init__(self) -> None:
        plain = self.media_type is None and self.kind not in ("array", "object")
        self.read_text = self.coerce if plain and self.style == "simple" else self.from_text

    @classmethod
    def compile(cls, spec: Mapping[str, Any], defs: Mapping[str, Any]) -> ParamDecoder:
        schema = spec.get("schema") or {}
        resolved = resolve(schema, defs)
        properties = resolved.get("properties", {}) if isinstance(resolved, Mapping) else {}
        return cls(
            name=spec["name"],
            location=spec["location"],
            style=spec.get("style") or _DEFAULT_STYLES.get(spec["location"], "simple"),
            explode=bool(spec.get("explode", spec["location"] in ("query", "cookie"))),
            kind=kind_of(schema, defs),
            coerce=coercer(schema, defs),
            media_type=spec.get("media_type"),
            properties=tuple(properties),
            coerce_scalar=_scalar_alternative(schema, defs),
        )

    # -- reading raw text --------------------------------------------------

    def from_text(self, text: str) -> Any:
        """Decode a single raw value (path segment, header or cookie)."""
        if self.media_type is not None:
            return self._json(text)
        style = self.style
        if style == "label":
            return self.coerce(self._label(text))
        if style == "matrix":
            return self.coerce(self._matrix(text))
        return self.coerce(self._delimited(text, ","))

    def from_query(self, query: Mapping[str, list[str]]) -> Any:
        """Decode from the grouped query string; MISSING when absent."""
        style = self.style
        if style == "deepObject":
            if self.kind == "array":
                return self._deep_array(query)
            found = self._deep_object(query)
            if found is MISSING and self.name in query:
                return self.coerce_scalar(query[self.name][0])
            return found
        values = query.get(self.name)
        if self.media_type is not None:
            return MISSING if values is None else self._json(values[0])
        if self.kind == "object" and self.explode and style == "form":
            wanted = self.properties or tuple(query)
            found = {key: query[key][0] for key in wanted if key in query}
            return self.coerce(found) if found else MISSING
        if values is None:
            return MISSING
        if self.kind == "array" and self.explode:
            return self.coerce(values)
        separator = {"spaceDelimited": " ", "pipeDelimited": "|"}.get(style, ",")
        return self.coerce(self._delimited(values[0], separator))

    # -- styles ------------------------------------------------------------

    def _delimited(self, text: str, separator: str) -> Any:
        if self.kind == "array":
            return text.split(separator) if text else []
        if self.kind == "object":
            items = text.split(separator) if text else []
            if self.explode and separator == ",":
                return _assignments(items)
            return _pairs_to_object(items)
        return text

    def _label(self, text: str) -> Any:
        body = text[1:] if text.startswith(".") else text
        if self.kind == "array":
            return body.split("." if self.explode else ",") if body else []
        if self.kind == "object":
            if self.explode:
                return _assignments(body.split(".")) if body else {}
            return _pairs_to_object(body.split(",")) if body else {}
        return body

    def _matrix(self, text: str) -> Any:
        parts = [part for part in text.split(";") if part]
        prefix = f"{self.name}="
        if self.kind == "array":
            if self.explode:
                return [part[len(prefix) :] for part in parts if part.startswith(prefix)]
            value = parts[0][len(prefix) :] if parts and parts[0].startswith(prefix) else ""
            return value.split(",") if value else []
        if self.kind == "object":
            if self.explode:
                return _assignments(parts)
            value = parts[0][len(prefix) :] if parts and parts[0].startswith(prefix) else ""
            return _pairs_to_object(value.split(",")) if value else {}
        if parts and parts[0].startswith(prefix):
            return parts[0][len(prefix) :]
        return parts[0] if parts else ""

    def _deep_object(self, query: Mapping[str, list[str]]) -> Any:
        prefix = f"{self.name}["
        result: dict[str, Any] = {}
        for key, values in query.items():
            if not key.startswith(prefix):
                continue
            path = _DEEP_KEY.findall(key[len(self.name) :])
            if not path:
                continue
            node = result
            for part in path[:-1]:
                child = node.setdefault(part, {})
                if not isinstance(child, dict):
                    break
                node = child
            else:
                node[path[-1]] = values[0] if len(values) == 1 else values
        return self.coerce(result) if result else MISSING

    def _deep_array(self, query: Mapping[str, list[str]]) -> Any:
        """An array in deepObject style, as clients send it: ``name[]=a&name[]=b``,
        ``name[0]=a&name[1]=b`` or plain ``name=a&name=b``."""
        appended: list[str] = []
        numbered: list[tuple[int, list[str]]] = []
        for key, values in query.items():
            if key == self.name or key == f"{self.name}[]":
                appended.extend(values)
            elif key.startswith(f"{self.name}[") and key.endswith("]"):
                index = key[len(self.name) + 1 : -1]
                if index.isdecimal():
                    numbered.append((int(index), values))
        if not appended and not numbered:
            return MISSING
        numbered.sort(key=lambda pair: pair[0])
        return self.coerce([*(v for _, values in numbered for v in values), *appended])

    def _json(self, text: str) -> Any:
        try:
            return parse_json(text)
        except ValueError as exc:
            raise ParamError(f"{self.media_type} value is not valid JSON: {exc}") from None


def _scalar_alternative(schema: Any, defs: Mapping[str, Any]) -> Coerce:
    resolved = resolve(schema, defs)
    if not isinstance(resolved, Mapping):
        return _same
    for keyword in ("anyOf", "oneOf"):
        branches = resolved.get(keyword)
        for branch in branches if isinstance(branches, list) else ():
            kind = kind_of(branch, defs)
            if kind not in (None, "object", "array"):
                return _SCALAR_COERCERS.get(kind, _same)
    return _same


_DEFAULT_STYLES = {"path": "simple", "query": "form", "header": "simple", "cookie": "form"}
