"""The values a GraphQL execution works on: objects as :class:`Node`, errors
written into mock data, and what one execution collects for the adapter."""

from __future__ import annotations

import json
from typing import Any

from graphql import GraphQLError

from ..engine import Reply, Request

__all__ = [
    "ERROR_KEY",
    "MISSING",
    "Event",
    "Execution",
    "Node",
    "args_key",
    "error_from_marker",
    "error_from_reply",
    "is_success",
]

ERROR_KEY = "$error"
"""``{"$error": "message"}`` or ``{"$error": {"message", "extensions"}}`` anywhere a
field's value is written in a mock: that field answers this error (and null)."""

MISSING: Any = object()
"""No value given: fake data answers."""

_CODES = {
    "400": "BAD_REQUEST",
    "401": "UNAUTHENTICATED",
    "403": "FORBIDDEN",
    "404": "NOT_FOUND",
    "409": "CONFLICT",
    "422": "BAD_USER_INPUT",
    "429": "TOO_MANY_REQUESTS",
    "500": "INTERNAL_SERVER_ERROR",
    "501": "NOT_IMPLEMENTED",
    "502": "BAD_GATEWAY",
    "503": "SERVICE_UNAVAILABLE",
    "504": "GATEWAY_TIMEOUT",
}
_SUCCESS = frozenset({"OK", "ok", "data"})


class Node:
    """An object during execution: its concrete type, the fields known so far
    (from a mock, a hook, a pushed event or echoed arguments; None when all are
    fake) and its key, from which fake values of its fields are derived."""

    __slots__ = ("data", "key", "length", "type", "weak")

    def __init__(
        self,
        type_name: str,
        data: dict[str, Any] | None,
        key: str,
        length: int | None = None,
        weak: bool = False,
    ) -> None:
        self.type = type_name
        self.data = data
        self.key = key
        self.length = length
        """How long its faked lists are, when the field that returned it said
        (a Relay connection: ``allPeople(first: 5) { edges … }``)."""
        self.weak = weak
        """Its data came from a root field's generated mock: type mocks and the
        query's fragments win over it."""

    def __repr__(self) -> str:
        return f"Node({self.type!r}, {self.key!r})"


class Event:
    """One event of a subscription: an engine reply, or data pushed through the
    admin API (``reply`` None)."""

    __slots__ = ("data", "number", "reply")

    def __init__(self, number: int, reply: Reply | None = None, data: Any = MISSING) -> None:
        self.number = number
        self.reply = reply
        self.data = data


class Execution:
    """The ``context_value`` of one execution: request headers for the engine,
    and what the adapter needs afterwards (delay, fault, what answered)."""

    __slots__ = ("delay_ms", "fault", "headers", "method", "reply", "request")

    def __init__(self, headers: dict[str, Any], method: str = "query") -> None:
        self.headers = headers
        self.method = method
        self.delay_ms = 0.0
        self.fault: str | None = None
        self.request: Request | None = None
        """The first root field's request (the journal names its operation)."""
        self.reply: Reply | None = None

    def note(self, request: Request, reply: Reply | None) -> None:
        if self.request is None:
            self.request = request
            self.reply = reply
        if reply is None:
            return
        if reply.delay_ms > self.delay_ms:
            self.delay_ms = reply.delay_ms
        if reply.fault is not None and self.fault is None:
            self.fault = reply.fault


def args_key(args: dict[str, Any]) -> str:
    """Arguments as part of a fake-data key: ``({"id":"1"})``; "" for none."""
    if not args:
        return ""
    return "(" + json.dumps(args, sort_keys=True, separators=(",", ":"), default=str) + ")"


def is_success(status: str) -> bool:
    return status.startswith("2") or status in _SUCCESS


def error_from_marker(marker: dict[str, Any]) -> GraphQLError:
    """The error a ``{"$error": …}`` value in mock data stands for."""
    detail = marker[ERROR_KEY]
    if isinstance(detail, dict):
        message = detail.get("message")
        extensions = detail.get("extensions")
        return GraphQLError(
            str(message) if message is not None else "error",
            extensions=extensions if isinstance(extensions, dict) else None,
        )
    return GraphQLError(str(detail))


def error_from_reply(status: str, data: Any, what: str) -> GraphQLError:
    """A field error for a reply that is not a success: the message from its body
    (``message``, ``detail`` or ``title``), ``extensions.code`` from its status."""
    message = None
    extensions: dict[str, Any] = {}
    if isinstance(data, dict):
        if ERROR_KEY in data:
            return error_from_marker(data)
        for name in ("message", "detail", "title"):
            if isinstance(data.get(name), str):
                message = data[name]
                break
        given = data.get("extensions")
        if isinstance(given, dict):
            extensions.update(given)
        if isinstance(data.get("near_miss"), list):
            extensions.setdefault("near_miss", data["near_miss"])
    elif isinstance(data, str) and data:
        message = data
    extensions.setdefault("code", _CODES.get(status, status))
    extensions.setdefault("status", int(status) if status.isdigit() else status)
    return GraphQLError(message or f"{what} answered {status}", extensions=extensions)
