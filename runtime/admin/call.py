"""What an admin operation is given, and what it returns."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ..service import MockService

__all__ = ["AdminCall", "Handler", "Result"]


@dataclass(slots=True)
class AdminCall:
    """One call of an admin operation: its path parameters, query and JSON body."""

    params: dict[str, str] = field(default_factory=dict)
    query: dict[str, str] = field(default_factory=dict)
    body: Any = None


Result = tuple[int, Any]
"""``(status, document)``; a 204 has no document."""
Handler = Callable[[MockService, AdminCall], Result]
