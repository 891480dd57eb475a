"""Content negotiation: ``Accept`` (q-values, wildcards) and ``Content-Type`` matching."""

from __future__ import annotations

from functools import lru_cache

__all__ = ["choose_media_type", "match_declared", "media_type_of", "parse_accept"]


def media_type_of(header: str) -> str:
    """``"application/json; charset=utf-8"`` → ``"application/json"``."""
    return header.partition(";")[0].strip().lower()


def parse_accept(accept: str) -> list[tuple[str, str, float]]:
    """Accept ranges as (type, subtype, q); malformed ranges are skipped."""
    ranges = []
    for item in accept.split(","):
        media, *params = item.split(";")
        media = media.strip().lower()
        if not media:
            continue
        main, sep, sub = media.partition("/")
        if not sep:
            if main == "*":
                main, sub = "*", "*"
            else:
                continue
        quality = 1.0
        for param in params:
            key, _, value = param.strip().partition("=")
            if key.strip().lower() == "q":
                try:
                    quality = max(0.0, min(1.0, float(value)))
                except ValueError:
                    quality = 0.0
        ranges.append((main, sub, quality))
    return ranges


def _quality(media_type: str, ranges: list[tuple[str, str, float]]) -> float:
    """The q of the most specific range matching ``media_type`` (0 if none)."""
    main, _, sub = media_type_of(media_type).partition("/")
    best_specificity = -1
    quality = 0.0
    for range_main, range_sub, range_q in ranges:
        if range_main == main and range_sub == sub:
            specificity = 2
        elif range_main == main and range_sub == "*":
            specificity = 1
        elif range_main == "*" and range_sub == "*":
            specificity = 0
        elif main == "*" or (sub == "*" and range_main == main):
            specificity = 0  # a declared wildcard accepts any concrete request
        else:
            continue
        if specificity > best_specificity:
            best_specificity, quality = specificity, range_q
    return quality


@lru_cache(maxsize=1024)
def choose_media_type(accept: str | None, available: tuple[str, ...]) -> str | None:
    """The declared media type the caller prefers; spec order breaks ties.

    No ``Accept`` (or an empty one) takes the first declared; None means
    nothing declared is acceptable (406).
    """
    if not available:
        return None
    if accept is None or not accept.strip():
        return available[0]
    ranges = parse_accept(accept)
    if not ranges:
        return available[0]
    best: str | None = None
    best_quality = 0.0
    for media_type in available:
        quality = _quality(media_type, ranges)
        if quality > best_quality:
            best, best_quality = media_type, quality
    return best


@lru_cache(maxsize=1024)
def match_declared(media_type: str, declared: tuple[str, ...]) -> str | None:
    """The declared request media type (maybe ``image/*`` or ``*/*``) a Content-Type fits."""
    if media_type in declared:
        return media_type
    main = media_type.partition("/")[0]
    for candidate in declared:
        if candidate == f"{main}/*":
            return candidate
    for candidate in declared:
        if candidate == "*/*":
            return candidate
    return None
