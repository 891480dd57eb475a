"""Content negotiation: ``Accept`` (RFC 9110 §12.5.1) and ``Content-Type`` matching.

A declared media type is acceptable to an ``Accept`` range when the range
names it, names its type with ``*`` (``application/*``), is ``*/*``, or shares
its structured syntax: a client asking for ``application/vnd.github+json``
takes the declared ``application/json``, and one asking for
``application/json`` takes a declared ``application/hal+json`` (RFC 6839
suffixes ``+json`` and ``+xml``). The most specific range that matches gives
the quality; ``q=0`` refuses (the type named, not its relatives). Among
declared types of equal quality the one matched most specifically wins, then
the spec's order.
"""

from __future__ import annotations

from functools import lru_cache

__all__ = [
    "choose_media_type",
    "choose_media_type_leniently",
    "match_declared",
    "media_type_of",
    "parse_accept",
]

_SUFFIX_BASES = {"json": ("application/json",), "xml": ("application/xml", "text/xml")}
"""Structured-syntax suffix → the plain media types of that syntax."""

_EXACT, _SYNTAX, _RELATED, _SUBTYPE_WILDCARD, _ANY = 4, 3, 2, 1, 0
"""How specifically an Accept range matches a declared type (higher: more)."""


def media_type_of(header: str) -> str:
    """``"application/json; charset=utf-8"`` → ``"application/json"``."""
    return header.partition(";")[0].strip().lower()


def _syntax(media_type: str) -> str | None:
    """The structured syntax of a media type: ``json`` for ``application/json``
    and ``application/vnd.github.v3+json``, ``xml`` for ``text/xml``; else None."""
    main, _, sub = media_type.partition("/")
    _, plus, suffix = sub.rpartition("+")
    if plus and suffix in _SUFFIX_BASES:
        return suffix
    for syntax, bases in _SUFFIX_BASES.items():
        if media_type in bases:
            return syntax
    return None


def parse_accept(accept: str) -> list[tuple[str, str, float]]:
    """Accept ranges as (type, subtype, q); malformed ranges are skipped.

    Media-type parameters (``charset=utf-8``) do not change what matches; a
    range whose ``q`` is not a number in 0–1 is malformed, and skipped."""
    ranges = []
    for item in accept.split(","):
        media, *params = item.split(";")
        media = media.strip().lower()
        if not media:
            continue
        main, sep, sub = media.partition("/")
        main, sub = main.strip(), sub.strip()
        if not sep:
            if main != "*":
                continue
            main, sub = "*", "*"
        if not main or not sub or (main == "*" and sub != "*"):
            continue
        quality: float | None = 1.0
        for param in params:
            key, _, value = param.strip().partition("=")
            if key.strip().lower() == "q":
                quality = _q_value(value.strip())
                break  # later parameters are accept-extensions
        if quality is not None:
            ranges.append((main, sub, quality))
    return ranges


def _q_value(text: str) -> float | None:
    try:
        quality = float(text)
    except ValueError:
        return None
    return quality if 0.0 <= quality <= 1.0 else None


def _match(media_type: str, range_main: str, range_sub: str) -> int | None:
    """How specifically the range ``range_main/range_sub`` takes ``media_type``."""
    main, _, sub = media_type.partition("/")
    if main == "*" or (sub == "*" and range_main in (main, "*")):
        return _ANY  # a declared wildcard answers any concrete request
    if range_main == "*":
        return _ANY
    if range_main == main and range_sub == sub:
        return _EXACT
    if range_sub == "*":
        return _SUBTYPE_WILDCARD if range_main == main else None
    wanted = f"{range_main}/{range_sub}"
    syntax = _syntax(media_type)
    if syntax is None or _syntax(wanted) != syntax:
        return None
    if wanted in _SUFFIX_BASES[syntax] or media_type in _SUFFIX_BASES[syntax]:
        return _SYNTAX  # a +json type and plain JSON (either way round)
    return _RELATED  # two +json types: the same syntax, other vocabularies


def _rank(media_type: str, ranges: list[tuple[str, str, float]]) -> tuple[float, int]:
    """(q, specificity) of the most specific range matching ``media_type``; q 0 if none."""
    media_type = media_type_of(media_type)
    best_specificity = -1
    quality = 0.0
    for range_main, range_sub, range_q in ranges:
        specificity = _match(media_type, range_main, range_sub)
        if specificity in (_SYNTAX, _RELATED) and range_q == 0.0:
            continue  # refusing a related type does not refuse this one
        if specificity is not None and specificity > best_specificity:
            best_specificity, quality = specificity, range_q
    return quality, best_specificity


@lru_cache(maxsize=1024)
def choose_media_type(accept: str | None, available: tuple[str, ...]) -> str | None:
    """The declared media type the caller prefers; None when the caller refuses
    every one (406). No ``Accept`` (or one with no valid range) takes the first
    declared."""
    if not available:
        return None
    if accept is None or not accept.strip():
        return available[0]
    ranges = parse_accept(accept)
    if not ranges:
        return available[0]
    best: str | None = None
    best_rank = (0.0, -1)
    for media_type in available:
        rank = _rank(media_type, ranges)
        if rank[0] > 0.0 and rank > best_rank:
            best, best_rank = media_type, rank
    return best


def choose_media_type_leniently(accept: str | None, available: tuple[str, ...]) -> str | None:
    """Like :func:`choose_media_type`, but never refuses: the first declared type
    when the caller accepts none (servers that do not validate requests)."""
    chosen = choose_media_type(accept, available)
    return chosen if chosen is not None or not available else available[0]


@lru_cache(maxsize=1024)
def match_declared(media_type: str, declared: tuple[str, ...]) -> str | None:
    """The declared request media type (maybe ``image/*`` or ``*/*``) a Content-Type
    fits; a ``+json`` or ``+xml`` type fits its plain syntax (``application/json``)."""
    if media_type in declared:
        return media_type
    main = media_type.partition("/")[0]
    for candidate in declared:
        if candidate == f"{main}/*":
            return candidate
    syntax = _syntax(media_type)
    if syntax is not None:
        for candidate in declared:
            if candidate in _SUFFIX_BASES[syntax]:
                return candidate
    for candidate in declared:
        if candidate == "*/*":
            return candidate
    return None
