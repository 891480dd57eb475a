"""AsyncAPI runtime expressions over a message: where it carries its
correlation id or its reply address (``$message.header#/replyTo``,
``$message.payload#/meta/id``). Brokers and SSE replies read them alike."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

__all__ = ["pointer_parts", "resolve_expression", "value_at"]


def pointer_parts(pointer: str) -> list[str]:
    """A JSON pointer's reference tokens (``/a~1b/c`` → ``["a/b", "c"]``)."""
    return [
        part.replace("~1", "/").replace("~0", "~") for part in pointer.strip("/").split("/") if part
    ]


def value_at(value: Any, parts: list[str]) -> Any:
    """What ``parts`` reach in decoded JSON ``value``; None when absent."""
    for part in parts:
        if isinstance(value, Mapping):
            value = value.get(part)
        elif isinstance(value, list) and part.isdigit() and int(part) < len(value):
            value = value[int(part)]
        else:
            return None
    return value


def resolve_expression(expression: str, headers: Mapping[str, str], payload: Any) -> str:
    """The text an AsyncAPI runtime expression points at in a message; "" when
    it is absent or not a single value (header names in any case)."""
    source, _, pointer = expression.partition("#")
    if source == "$message.header":
        lowered = {name.lower(): text for name, text in headers.items()}
        value = value_at(lowered, [part.lower() for part in pointer_parts(pointer)])
    elif source == "$message.payload":
        value = value_at(payload, pointer_parts(pointer))
    else:
        return ""
    if value is None or isinstance(value, (Mapping, list)):
        return ""
    return str(value)
