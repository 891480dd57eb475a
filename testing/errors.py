"""The errors of :mod:`mockc.testing`: each says what failed and where."""

from __future__ import annotations

__all__ = [
    "AdminError",
    "GenerationFailed",
    "MockcTestingError",
    "NotSupportedYet",
    "ServerDidNotStart",
    "SpecNotFound",
]


class MockcTestingError(Exception):
    """Base of the errors of the test client and plug-in."""


class SpecNotFound(MockcTestingError):
    """The spec (or config file) a server is asked for does not exist."""


class GenerationFailed(MockcTestingError):
    """mockc refused the spec; the message is the located error (file:line: …)."""


class ServerDidNotStart(MockcTestingError):
    """The generated server exited or did not answer its health check in time;
    the message ends with the tail of its log."""


class AdminError(MockcTestingError):
    """The admin API refused a call; the message holds its status and problem document."""

    def __init__(self, method: str, path: str, status: int, document: object) -> None:
        super().__init__(f"{method} {path} answered {status}: {document}")
        self.status = status
        self.document = document


class NotSupportedYet(MockcTestingError):
    """A part of the test client that waits on a runtime feature not built yet."""
