"""The one place a journal :class:`~.entry.Entry` is made, for every adapter.

Each app (HTTP, GraphQL, gRPC, admin) holds an :class:`EntryBuilder` made from
its settings and calls :meth:`EntryBuilder.entry` once per request. The
builder applies the journal settings the same way for all of them:

- ``MOCKC_JOURNAL_DETAIL=summary`` keeps neither headers nor bodies;
- the values of ``authorization``, ``cookie``, ``proxy-authorization`` and
  ``set-cookie`` (and of the headers named in ``MOCKC_JOURNAL_REDACT``;
  for gRPC, metadata keys, binary ones too: ``authorization-bin``) are
  replaced by :data:`REDACTED`, in requests and
  responses, and so is what a near-miss report says the request held for
  them (``headers.authorization == … — got [redacted]``; cookies too when
  ``cookie`` is redacted), unless ``MOCKC_JOURNAL_REDACT=off``.

It costs little per request: headers holding none of those names are kept
as they are (one set test of their names), others are copied once.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..settings import CoreSettings
from .entry import Entry

__all__ = ["REDACTED", "EntryBuilder"]

REDACTED = "[redacted]"
"""What the journal keeps in place of a redacted header's value."""


class EntryBuilder:
    """Makes the journal entries of one protocol's requests."""

    __slots__ = ("_redact", "detailed", "protocol")

    def __init__(self, protocol: str, settings: CoreSettings) -> None:
        self.protocol = protocol
        self.detailed = settings.journal_detail != "summary"
        """False in summary mode: callers may skip preparing bodies nobody keeps."""
        self._redact = _with_binary_keys(settings.journal_redact)

    def entry(
        self,
        *,
        time: float,
        duration_ms: float,
        method: str,
        target: str,
        operation: str | None,
        status: str,
        source: str,
        matched: bool | None = None,
        near_miss: list[dict[str, Any]] | None = None,
        request_headers: dict[str, Any] | None = None,
        request_body: bytes | None = None,
        response_headers: dict[str, Any] | None = None,
        response_body: bytes | None = None,
        admin: bool = False,
        protocol: str | None = None,
        clients: list[str] | None = None,
    ) -> Entry:
        """One request's entry; ``protocol`` overrides the builder's (``graphql-ws``).

        Request header names are lower-case (as ASGI and gRPC give them);
        response header names may have any case."""
        redact = self._redact
        if near_miss is not None and redact:
            near_miss = _scrubbed_near_miss(near_miss, redact)
        if not self.detailed:  # summary: no headers, no bodies
            request_headers = response_headers = None
            request_body = response_body = None
        else:
            if request_headers is not None and not redact.isdisjoint(request_headers):
                request_headers = _redacted(request_headers, redact)
            if response_headers and not redact.isdisjoint(map(str.lower, response_headers)):
                response_headers = _redacted(response_headers, redact)
        return Entry(
            time,
            duration_ms,
            protocol or self.protocol,
            method,
            target,
            operation,
            status,
            source,
            admin,
            matched,
            near_miss,
            request_headers,
            request_body,
            response_headers,
            response_body,
            clients,
        )

    def redacted(self, headers: Mapping[str, Any]) -> dict[str, Any]:
        """``headers`` (names of any case) as the journal keeps them."""
        return _redacted(headers, self._redact)


def _with_binary_keys(names: frozenset[str]) -> frozenset[str]:
    """``names`` and their binary gRPC metadata keys (``authorization-bin``)."""
    return names.union(f"{name}-bin" for name in names if not name.endswith("-bin"))


def _redacted(headers: Mapping[str, Any], redact: frozenset[str]) -> dict[str, Any]:
    return {name: REDACTED if name.lower() in redact else value for name, value in headers.items()}


_GOT = " — got "


def _scrubbed_near_miss(
    near_miss: list[dict[str, Any]], redact: frozenset[str]
) -> list[dict[str, Any]]:
    """``near_miss`` without the request's values of redacted headers (and cookies)."""
    scrubbed: list[dict[str, Any]] | None = None
    for index, report in enumerate(near_miss):
        failed = report.get("failed")
        if not isinstance(failed, str) or not _names_redacted(failed, redact):
            continue
        if scrubbed is None:
            scrubbed = list(near_miss)
        condition = failed.partition(_GOT)[0]
        scrubbed[index] = {**report, "failed": f"{condition}{_GOT}{REDACTED}"}
    return near_miss if scrubbed is None else scrubbed


def _names_redacted(failed: str, redact: frozenset[str]) -> bool:
    """True when a near-miss text is about a redacted header, or a cookie when
    ``cookie`` is redacted (``headers.Authorization == 'x' — got 'y'``)."""
    if _GOT not in failed:
        return False
    if failed.startswith("cookies."):
        return "cookie" in redact
    if failed.startswith("headers."):
        name = failed[len("headers.") :].split(" ", 1)[0]
        return name.lower() in redact
    return False
