"""Freezing JSON values, and lossless conversion of IR nodes to and from JSON."""

from __future__ import annotations

import dataclasses
import types
from collections.abc import Mapping
from enum import Enum
from typing import Any, get_type_hints

from . import model

_BINDING_KINDS: dict[str, type] = {
    "http": model.HttpBinding,
    "grpc": model.GrpcBinding,
    "graphql": model.GraphqlBinding,
    "soap": model.SoapBinding,
    "channel": model.ChannelBinding,
    "mcp": model.McpBinding,
}
_OPTION_KINDS: dict[str, type] = {
    "kafka": model.KafkaOptions,
    "amqp": model.AmqpOptions,
    "mqtt": model.MqttOptions,
    "websocket": model.WebSocketOptions,
    "sse": model.SseOptions,
}
_KIND_OF: dict[type, str] = {
    cls: kind for kinds in (_BINDING_KINDS, _OPTION_KINDS) for kind, cls in kinds.items()
}
"""Classes that stand for one member of a union: their JSON carries a tag."""
_TAG = "kind"
for _tagged in _KIND_OF:
    if _TAG in {f.name for f in dataclasses.fields(_tagged)}:
        raise TypeError(f"{_tagged.__name__} has a field named like the tag {_TAG!r}")


MAX_DEPTH = 300
"""Deepest JSON value the IR holds. Front ends bound what they read well below
this (and name the place); the guard keeps the recursion below Python's limit."""


class NestingError(ValueError):
    """A value nested deeper than :data:`MAX_DEPTH`."""


def freeze(value: Any) -> model.JsonValue:
    """Deep-freeze plain JSON data: dicts become read-only mappings, lists tuples.
    Raises :class:`NestingError` for data nested deeper than :data:`MAX_DEPTH`."""
    return _freeze(value, MAX_DEPTH)


def _freeze(value: Any, room: int) -> model.JsonValue:
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if room <= 0:
        raise NestingError(f"a value is nested deeper than {MAX_DEPTH} levels")
    if isinstance(value, Mapping):
        return types.MappingProxyType({str(k): _freeze(v, room - 1) for k, v in value.items()})
    if isinstance(value, list | tuple):
        return tuple(_freeze(v, room - 1) for v in value)
    raise TypeError(f"not a JSON value: {type(value).__name__}")


def thaw(value: model.JsonValue) -> Any:
    """Plain, mutable JSON data (dicts and lists) from a frozen value."""
    kind = value.__class__
    if kind is types.MappingProxyType or kind is dict:
        return {
            k: v if v.__class__ in _SCALARS else thaw(v)
            for k, v in value.items()  # type: ignore[union-attr]
        }
    if kind is tuple:
        return [v if v.__class__ in _SCALARS else thaw(v) for v in value]  # type: ignore[union-attr]
    if kind in _SCALARS:
        return value
    if isinstance(value, Mapping):
        return {k: thaw(v) for k, v in value.items()}
    if isinstance(value, tuple):
        return [thaw(v) for v in value]
    return value


_SCALARS = frozenset({str, int, float, bool, type(None)})
"""Classes :func:`thaw` returns as they are without asking ``isinstance`` (the
common case, checked first: the IR's values are mostly these and the two above)."""


def to_json(node: Any) -> Any:
    """Plain JSON data for an IR node (dataclass), recursively. Bindings carry a
    ``"kind"`` tag so that :func:`from_json` can rebuild them."""
    if dataclasses.is_dataclass(node) and not isinstance(node, type):
        out: dict[str, Any] = {}
        kind = _KIND_OF.get(type(node))
        if kind is not None:
            out[_TAG] = kind
        for f in dataclasses.fields(node):
            out[f.name] = to_json(getattr(node, f.name))
        return out
    if isinstance(node, Enum):
        return node.value
    if isinstance(node, Mapping):
        return {k: to_json(v) for k, v in node.items()}
    if isinstance(node, tuple | list):
        return [to_json(v) for v in node]
    return node


def api_from_json(data: Mapping[str, Any]) -> model.Api:
    """Rebuild an :class:`~mockc.compiler.ir.model.Api` from :func:`to_json` output."""
    return _build(model.Api, data)


_JSON_FIELDS = {"schema", "value", "encoding", "security", "extensions", "key"}
"""Fields holding JSON values (``key``: a Kafka key's schema, or an output's
key, a string, which freezing keeps as it is)."""


def _build(cls: type, data: Mapping[str, Any]) -> Any:
    hints = get_type_hints(cls, vars(model))
    kwargs: dict[str, Any] = {}
    for f in dataclasses.fields(cls):
        if f.name not in data:
            continue
        kwargs[f.name] = _value(f.name, hints[f.name], data[f.name])
    return cls(**kwargs)


def _value(name: str, hint: Any, raw: Any) -> Any:
    if raw is None:
        return None
    if name in _JSON_FIELDS:
        return freeze(raw)
    origin = getattr(hint, "__origin__", None)
    args: tuple[Any, ...] = getattr(hint, "__args__", ())
    if origin is tuple:
        item_hint = args[0]
        return tuple(_value(name, item_hint, item) for item in raw)
    if name in ("binding", "alternate_bindings"):
        return _build(_BINDING_KINDS[raw[_TAG]], raw)
    if name == "options":
        return _build(_OPTION_KINDS[raw[_TAG]], raw)
    candidates = [a for a in args if a is not type(None)] if args else [hint]
    for candidate in candidates:
        if isinstance(candidate, type) and dataclasses.is_dataclass(candidate):
            return _build(candidate, raw)
        if isinstance(candidate, type) and issubclass(candidate, Enum):
            return candidate(raw)
    return raw
