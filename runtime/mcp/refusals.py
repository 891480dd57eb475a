"""What the SDK's types refused in a value a mock gave, in one line.

The SDK's models raise pydantic's ``ValidationError`` (a ``ValueError``);
pydantic is the SDK's dependency, not the runtime's, so it is read through
its ``errors()`` list without being imported."""

from __future__ import annotations

from typing import Any

__all__ = ["refused"]

_MOST_SHOWN = 5


def refused(exc: ValueError) -> str:
    """``/messages/0/content: Field required; …`` for a validation error, else its text."""
    errors: Any = getattr(exc, "errors", None)
    if not callable(errors):
        return str(exc)
    return "; ".join(
        f"/{'/'.join(map(str, error['loc']))}: {error['msg']}" for error in errors()[:_MOST_SHOWN]
    )
