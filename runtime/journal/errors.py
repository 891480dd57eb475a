"""The one error class of the journal."""

from __future__ import annotations

from ..exceptions import RuntimeFailure

__all__ = ["JournalError"]


class JournalError(RuntimeFailure):
    """The journal cannot be opened, or a query on it is malformed.

    Opening errors name the file, so a server can report them in one line.
    """
