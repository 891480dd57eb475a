"""Bodies and metadata of spec answers: examples and fake data, encoded once.

Rendered bodies are cached as encoded bytes in a bounded LRU, so repeated
requests do no generation or encoding.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Mapping
from typing import Any

__all__ = ["DYNAMIC", "BodyCache", "echo_path_params", "header_text"]

DYNAMIC = "\x00dynamic"
"""Sentinel example name: render fake data even when examples exist."""


class BodyCache:
    """A bounded mapping that forgets the least recently used entry."""

    def __init__(self, size: int) -> None:
        self._size = size
        self._items: OrderedDict[tuple[str, ...], bytes] = OrderedDict()

    def get(self, key: tuple[str, ...]) -> bytes | None:
        value = self._items.get(key)
        if value is not None:
            self._items.move_to_end(key)
        return value

    def put(self, key: tuple[str, ...], value: bytes) -> None:
        self._items[key] = value
        if len(self._items) > self._size:
            self._items.popitem(last=False)

    def __len__(self) -> int:
        return len(self._items)


def echo_path_params(value: Any, path_params: Mapping[str, Any]) -> Any:
    """A generated object names the resource it was asked for: ``GET /pets/7``
    answers ``{"id": 7, …}``. A field takes a path parameter's value when it
    has the parameter's name (``petId``), or is ``id`` and the parameter is the
    last one, names an id and is an integer; only when the generated value has
    the same type, so the answer stays valid."""
    if not isinstance(value, dict) or not path_params:
        return value
    names = list(path_params)
    last = names[-1]
    echoed = dict(value)
    for name in names:
        fields = [name]
        is_integer = isinstance(path_params[name], int) and not isinstance(path_params[name], bool)
        if name == last and name.lower().endswith("id") and is_integer:
            fields.append("id")
        for key in fields:
            if key in echoed and _same_json_type(echoed[key], path_params[name]):
                echoed[key] = path_params[name]
    return echoed


def _same_json_type(generated: Any, given: Any) -> bool:
    if isinstance(generated, bool) or isinstance(given, bool):
        return isinstance(generated, bool) and isinstance(given, bool)
    return type(generated) is type(given) and isinstance(given, int | str)


def header_text(value: Any) -> str:
    """A header value as text: booleans lower-case, lists comma-joined."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return ",".join(header_text(item) for item in value)
    if isinstance(value, dict):
        return ",".join(f"{key},{header_text(item)}" for key, item in value.items())
    if value is None:
        return ""
    return str(value)
