"""The per-operation index: which mocks a request of an operation tries, in order.

Order: the active scenario's mocks before the base mocks; within each, higher
``priority`` first, then more conditions first, then ``crud`` mocks (a crud
preset beats the fixed answers generated for its operation), then by id. A request only
ever meets the mocks of its own operation.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from ..engine import Request
from ..expressions import Scope
from .served import ServedMock

__all__ = ["NEAR_MISSES", "OperationMocks", "build_index"]

NEAR_MISSES = 3
"""How many of the closest mocks a near-miss report names."""


class OperationMocks:
    """The mocks of one operation, in match order."""

    __slots__ = ("fast_reply", "mocks", "needs_scope")

    def __init__(self, mocks: tuple[ServedMock, ...]) -> None:
        self.mocks = mocks
        self.needs_scope = any(mock.needs_scope for mock in mocks)
        first = mocks[0] if mocks else None
        self.fast_reply = first.fast_reply if first is not None and not first.conditions else None
        """The answer to every request, when the first mock always matches and is static."""

    def select(self, request: Request, scope: Scope | None) -> ServedMock | None:
        """The first mock whose conditions all hold; else None, with
        ``request.near_miss`` naming the closest mocks."""
        failures: list[tuple[int, ServedMock, Any]] = []
        for mock in self.mocks:
            conditions = mock.conditions
            if not conditions:
                return mock
            for passed, condition in enumerate(conditions):
                if not condition.holds(request, scope):
                    failures.append((passed, mock, condition))
                    break
            else:
                return mock
        failures.sort(key=lambda failure: -failure[0])
        request.near_miss = [
            {
                "mock": mock.key,
                "file": mock.definition.file,
                "line": condition.line,
                "passed": passed,
                "of": len(mock.conditions),
                "failed": condition.failure(request),
            }
            for passed, mock, condition in failures[:NEAR_MISSES]
        ]
        return None


def _order(mock: ServedMock) -> tuple[int, int, int, int, str]:
    return (
        0 if mock.scenario is not None else 1,
        -mock.definition.priority,
        -len(mock.conditions),
        0 if mock.crud is not None else 1,
        mock.definition.id,
    )


def build_index(mocks: Iterable[ServedMock]) -> dict[str, OperationMocks]:
    """Operation id → its mocks in match order."""
    grouped: dict[str, list[ServedMock]] = {}
    for mock in mocks:
        grouped.setdefault(mock.definition.operation, []).append(mock)
    return {
        operation: OperationMocks(tuple(sorted(group, key=_order)))
        for operation, group in grouped.items()
    }
