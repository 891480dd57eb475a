"""Mocks written when first needed, for a server generated to be served at once.

``mockc serve SPEC`` serves a spec without writing its mocks first: the
process that compiled the spec, and serves it, offers a :class:`PendingMocks`
for the server folder before the server starts, and the folder's
:class:`~.registry.MockRegistry` takes it. Each pending mock is written into
``mocks/`` (the same bytes ``mockc generate`` would have written) and loaded
like any mock file when its operation is first asked for; everything else that
reads or changes the set of mocks (the admin API, a reload, a scenario switch)
writes every pending mock first. So what is served, listed and journaled is
what it would be had every mock been written before the server started.

A server started any other way (``python server.py``) has nothing pending.
"""

from __future__ import annotations

from collections.abc import Collection
from pathlib import Path
from typing import Protocol

__all__ = ["PendingMocks", "offer", "take"]


class PendingMocks(Protocol):
    """The mocks of a server not written yet: generated mocks, which never carry
    an ``emit`` schedule (the emit path reads the schedules of the written ones)."""

    @property
    def operation_ids(self) -> Collection[str]:
        """The operations that have a mock pending (one each)."""
        ...

    def write(self, operation_id: str, mocks: Path) -> Path:
        """Write the mock of ``operation_id`` into the folder ``mocks``; its path."""
        ...


_offered: dict[Path, PendingMocks] = {}


def offer(directory: Path, pending: PendingMocks) -> None:
    """Have the server of ``directory`` (started later in this process) write its
    mocks when first needed."""
    _offered[Path(directory).resolve()] = pending


def take(directory: Path) -> PendingMocks | None:
    """The pending mocks offered for ``directory``, once (None: none)."""
    return _offered.pop(Path(directory).resolve(), None)
