"""Incremental delivery (``@defer``, ``@stream``) over HTTP.

A client that accepts ``multipart/mixed`` gets the results of a deferring
query as the parts of one ``multipart/mixed; boundary="-"`` answer, as the
GraphQL incremental-delivery-over-HTTP draft (and GraphQL Yoga, Apollo
Router) write them: each part ``application/json``, the first holding the
initial result, each next one the results that completed, the last one
``hasNext: false``.

Two payload formats exist. By default the current one of the ``@defer``
proposal, as graphql-core produces it (``pending`` with ids, ``incremental``
naming them, ``completed``). A client that says ``deferSpec=20220824`` in
``Accept`` (Apollo Client) gets the earlier format it reads:
``incremental`` entries carrying their ``path`` and ``label``.

A client that does not accept ``multipart/mixed`` gets one plain result: the
document runs with ``@defer`` and ``@stream`` removed (:func:`without_incremental`),
which answers the same data at once.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from graphql import DirectiveNode, DocumentNode, Visitor, visit
from graphql.language.visitor import REMOVE

__all__ = [
    "CURRENT",
    "LEGACY",
    "MULTIPART_MEDIA_TYPE",
    "PayloadFormat",
    "closing",
    "has_incremental_directives",
    "incremental_format",
    "part",
    "without_incremental",
]

CURRENT = "current"
LEGACY = "20220824"
MULTIPART_MEDIA_TYPE = 'multipart/mixed; boundary="-"'
_PART_HEAD = b"\r\n---\r\nContent-Type: application/json; charset=utf-8\r\n\r\n"
_CLOSE = b"\r\n-----\r\n"
_DIRECTIVES = frozenset({"defer", "stream"})


def incremental_format(accept: str | None) -> str | None:
    """The payload format a client accepting ``accept`` reads in a multipart answer
    (:data:`CURRENT` or :data:`LEGACY`); None when it does not accept multipart/mixed."""
    if not accept:
        return None
    for media_range in accept.split(","):
        kind, *parameters = (piece.strip() for piece in media_range.split(";"))
        if kind.lower() != "multipart/mixed":
            continue
        values = {}
        for parameter in parameters:
            name, _, value = parameter.partition("=")
            values[name.strip().lower()] = value.strip().strip('"')
        if _quality(values.get("q")) == 0:
            continue
        return LEGACY if values.get("deferspec") == LEGACY else CURRENT
    return None


def _quality(text: str | None) -> float:
    if text is None:
        return 1.0
    try:
        return float(text)
    except ValueError:
        return 1.0


def has_incremental_directives(document: DocumentNode) -> bool:
    found = False

    class Finder(Visitor):
        def enter_directive(self, node: DirectiveNode, *_: Any) -> Any:
            nonlocal found
            if node.name.value in _DIRECTIVES:
                found = True
                return self.BREAK
            return None

    visit(document, Finder())
    return found


def without_incremental(document: DocumentNode) -> DocumentNode:
    """``document`` with every ``@defer`` and ``@stream`` removed."""

    class Remover(Visitor):
        def enter_directive(self, node: DirectiveNode, *_: Any) -> Any:
            return REMOVE if node.name.value in _DIRECTIVES else None

    stripped = visit(document, Remover())
    assert isinstance(stripped, DocumentNode)
    return stripped


def part(payload: bytes) -> bytes:
    """One part of the multipart answer, holding a JSON payload."""
    return _PART_HEAD + payload


def closing() -> bytes:
    """What ends the multipart answer."""
    return _CLOSE


class PayloadFormat:
    """Turns graphql-core's formatted results into the payloads a client reads."""

    def __init__(self, name: str) -> None:
        self.name = name
        self._pending: dict[str, Mapping[str, Any]] = {}
        self._initial: Any = None
        self._streamed: dict[str, int] = {}

    def payload(self, formatted: Mapping[str, Any]) -> dict[str, Any]:
        if self.name != LEGACY:
            return dict(formatted)
        return self._legacy(formatted)

    def _legacy(self, formatted: Mapping[str, Any]) -> dict[str, Any]:
        for pending in formatted.get("pending") or ():
            self._pending[pending["id"]] = pending
        out: dict[str, Any] = {}
        if "data" in formatted:
            out["data"] = formatted["data"]
            self._initial = formatted["data"]
        if formatted.get("errors"):
            out["errors"] = formatted["errors"]
        incremental = [self._legacy_item(item) for item in formatted.get("incremental") or ()]
        for completed in formatted.get("completed") or ():
            pending = self._pending.pop(completed["id"], None)
            if completed.get("errors") and pending is not None:
                incremental.append(
                    {"errors": completed["errors"], "path": list(pending.get("path") or ())}
                )
        if incremental:
            out["incremental"] = incremental
        if formatted.get("extensions"):
            out["extensions"] = formatted["extensions"]
        out["hasNext"] = formatted.get("hasNext", False)
        return out

    def _legacy_item(self, item: Mapping[str, Any]) -> dict[str, Any]:
        identifier = item.get("id")
        pending = self._pending.get(identifier, {}) if isinstance(identifier, str) else {}
        path = [*(pending.get("path") or ()), *(item.get("subPath") or ())]
        entry: dict[str, Any] = {}
        if "items" in item:
            start = self._streamed.get(identifier) if isinstance(identifier, str) else None
            if start is None:
                start = _length_at(self._initial, path)
            entry["items"] = item["items"]
            entry["path"] = [*path, start]
            if isinstance(identifier, str):
                self._streamed[identifier] = start + len(item["items"])
        else:
            entry["data"] = item.get("data")
            entry["path"] = path
        if pending.get("label") is not None:
            entry["label"] = pending["label"]
        if item.get("errors"):
            entry["errors"] = item["errors"]
        return entry


def _length_at(data: Any, path: Iterable[Any]) -> int:
    """How many items the list at ``path`` of ``data`` holds (0 when not found)."""
    for key in path:
        if isinstance(data, dict) and isinstance(key, str):
            data = data.get(key)
        elif isinstance(data, list) and isinstance(key, int) and 0 <= key < len(data):
            data = data[key]
        else:
            return 0
    return len(data) if isinstance(data, list) else 0
