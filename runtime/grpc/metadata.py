"""gRPC metadata to and from the engine's headers."""

from __future__ import annotations

import base64
from collections.abc import Mapping
from typing import Any

from ..web.headers import join_repeated

__all__ = ["reply_metadata", "request_headers"]

_RESERVED_METADATA = frozenset({"content-type", "te", "user-agent", "content-length"})


def request_headers(metadata: Any) -> dict[str, Any]:
    """Call metadata as request headers: lower-case names, repeated keys joined
    with ", ", binary (``-bin``) values as base64 text."""
    if not metadata:
        return {}
    return join_repeated(
        (key, base64.b64encode(value).decode("ascii") if isinstance(value, bytes) else value)
        for key, value in metadata
    )


def reply_metadata(headers: Mapping[str, str]) -> tuple[tuple[str, Any], ...]:
    """Reply headers as gRPC metadata: lower-case keys, ``-bin`` values as bytes,
    reserved names (``grpc-*``, ``content-type``…) left out."""
    out: list[tuple[str, Any]] = []
    for name, value in headers.items():
        key = name.lower()
        if key.startswith(("grpc-", ":")) or key in _RESERVED_METADATA:
            continue
        if key.endswith("-bin"):
            try:
                out.append((key, base64.b64decode(value)))
            except ValueError:
                out.append((key, value.encode()))
        else:
            out.append((key, value))
    return tuple(out)
