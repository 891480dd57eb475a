"""The orchestrator's errors: each becomes one ``application/problem+json`` answer."""

from __future__ import annotations

from typing import Any

from mockc.runtime.web.problems import Problem

__all__ = ["Conflict", "Forbidden", "Invalid", "NotFound", "Problem", "Unauthorized"]


class Unauthorized(Problem):
    def __init__(self, detail: str) -> None:
        super().__init__(
            401, detail, headers=[("www-authenticate", 'Bearer realm="mockc orchestrator"')]
        )


class Forbidden(Problem):
    def __init__(self, detail: str) -> None:
        super().__init__(403, detail)


class NotFound(Problem):
    def __init__(self, detail: str) -> None:
        super().__init__(404, detail)


class Conflict(Problem):
    def __init__(self, detail: str, **extra: Any) -> None:
        super().__init__(409, detail, **extra)


class Invalid(Problem):
    """The request is well-formed but its content is not acceptable (422)."""

    def __init__(self, detail: str, **extra: Any) -> None:
        super().__init__(422, detail, **extra)
