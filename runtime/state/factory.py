"""Choose the state store a server runs with from its ``MOCKC_STATE`` setting."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode, urlsplit

from .base import StateError, StateStore
from .memory import MemoryStore

__all__ = ["REDIS_SCHEMES", "open_store", "redact_url"]

REDIS_SCHEMES = ("redis", "rediss", "unix")
"""URL schemes that select the Redis store."""

_ACCEPTED = (
    "'memory' (or empty), redis://[user:password@]host[:port][/db], "
    "rediss://… (TLS) or unix:///path/to/redis.sock"
)
_SECRET_PARAMETERS = frozenset({"password", "pass", "pwd", "token"})


def open_store(url: str | None, namespace: str) -> StateStore:
    """The store ``url`` names: memory for None, ``""`` or ``"memory"``; Redis for
    ``redis://``, ``rediss://`` and ``unix://`` URLs, its keys under ``namespace``.

    Raises :class:`StateError` for any other text, and when Redis cannot be reached.
    """
    text = (url or "").strip()
    if text in ("", "memory"):
        return MemoryStore()
    scheme = text.partition("://")[0].lower() if "://" in text else ""
    if scheme in REDIS_SCHEMES:
        from .redis import RedisStore

        return RedisStore(scheme + text[len(scheme) :], namespace)
    raise StateError(f"unknown state store {redact_url(text)!r}; accepted: {_ACCEPTED}")


def redact_url(url: str) -> str:
    """``url`` with any password (in the user part or the query) shown as ``***``."""
    if "://" not in url:
        # Not a URL with an authority: hide whatever might be credentials.
        return "***@" + url.rpartition("@")[2] if "@" in url else url
    try:
        parts = urlsplit(url)
        password = parts.password
    except ValueError:
        return "<unreadable URL>"
    netloc = parts.netloc
    if password is not None:
        userinfo, _, hostinfo = netloc.rpartition("@")
        netloc = f"{userinfo.partition(':')[0]}:***@{hostinfo}"
    text = f"{parts.scheme}://{netloc}{parts.path}"
    pairs = parse_qsl(parts.query, keep_blank_values=True)
    if any(name.lower() in _SECRET_PARAMETERS for name, _ in pairs):
        hidden = [
            (name, "***" if name.lower() in _SECRET_PARAMETERS else value) for name, value in pairs
        ]
        return f"{text}?{urlencode(hidden, safe='*/:')}"
    return f"{text}?{parts.query}" if parts.query else text
