"""The error classes of the runtime, one small family.

Start-up errors (a broken contract or handlers file) stop the server with a
one-line message; request errors become protocol-level error replies.
"""

from __future__ import annotations

from collections.abc import Sequence

__all__ = [
    "HandlersError",
    "HookError",
    "NotAcceptable",
    "PreferenceError",
    "RuntimeFailure",
    "StartupError",
]


class RuntimeFailure(Exception):
    """Base class of every error the runtime raises on purpose."""


class HandlersError(RuntimeFailure):
    """The user hooks file (``handlers.py``) cannot be loaded."""


class StartupError(RuntimeFailure):
    """The server cannot start: something it must write or read at start-up failed."""


class PreferenceError(RuntimeFailure):
    """The caller asked for an output or example the operation does not declare."""

    def __init__(self, message: str, *, available: Sequence[str]) -> None:
        super().__init__(message)
        self.available = tuple(available)


class HookError(RuntimeFailure):
    """A user hook raised an exception or returned something that is not a reply."""

    def __init__(self, hook: str, error: BaseException | str) -> None:
        described = error if isinstance(error, str) else f"{type(error).__name__}: {error}"
        super().__init__(f"hook {hook}() failed: {described}")
        self.hook = hook
        self.error = described


class NotAcceptable(RuntimeFailure):
    """None of the media types an output declares is acceptable to the caller."""

    def __init__(self, available: Sequence[str]) -> None:
        super().__init__("no acceptable media type; available: " + ", ".join(available))
        self.available = tuple(available)
