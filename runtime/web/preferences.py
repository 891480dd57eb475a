"""The ``Prefer`` request header (RFC 7240) as hints for the engine."""

from __future__ import annotations

from functools import lru_cache

__all__ = ["parse_prefer"]


@lru_cache(maxsize=256)
def _parse(header: str) -> tuple[tuple[str, str], ...]:
    hints: dict[str, str] = {}
    for item in header.replace(";", ",").split(","):
        name, sep, value = item.strip().partition("=")
        name = name.strip().lower()
        if not name:
            continue
        hints[name] = value.strip().strip('"') if sep else "true"
    return tuple(hints.items())


def parse_prefer(header: str) -> dict[str, str]:
    """``"code=404, example=cat"`` → ``{"code": "404", "example": "cat"}``.

    Preferences are separated by commas or semicolons; a bare token means
    ``true``; quoted values are unquoted; the last occurrence wins.
    """
    return dict(_parse(header))
