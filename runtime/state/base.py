"""The interface every state store implements."""

from __future__ import annotations

from typing import Any, Protocol

from ..exceptions import RuntimeFailure

__all__ = ["Collection", "ReplicaControl", "StateError", "StateStore"]


class StateError(RuntimeFailure):
    """The state store cannot be reached or holds data it cannot read."""


class Collection(Protocol):
    """Records of one REST collection, in creation order, keyed by id (as text)."""

    def next_id(self) -> int:
        """A fresh integer id, never handed out before in this collection."""

    def list(self) -> list[Any]:
        """Every record, oldest first."""

    def get(self, record_id: str) -> Any | None:
        """The record stored under ``record_id``, or None."""

    def put(self, record_id: str, record: Any) -> bool:
        """Store ``record``; True when it was new (keeps its place when replaced)."""

    def delete(self, record_id: str) -> bool:
        """Remove the record; True when it existed."""

    def clear(self) -> None: ...


class ReplicaControl(Protocol):
    """What the replicas of one server agree on through a shared store, besides
    the mocks' own state: the active scenario and the positions of the mocks'
    response sequences. Only a store several processes share has one."""

    def next_position(self, sequence: str) -> int:
        """The next position (0, 1, 2, …) of response sequence ``sequence``,
        atomically across every replica."""

    def active_scenario(self) -> tuple[int, str | None]:
        """(version, name) of the shared active scenario; version 0 (and None) when
        no replica has set one. The version grows with every change."""

    def set_active_scenario(self, name: str | None, *, unless_set: bool = False) -> int:
        """Share ``name`` (None: base mocks only) as the active scenario; the new
        version. With ``unless_set``, only when none is shared yet (then the version
        already shared, unchanged)."""


class StateStore(Protocol):
    """Key/value state shared by the mocks of one server (and its replicas)."""

    def get(self, key: str, default: Any = None) -> Any: ...

    def put(self, key: str, value: Any) -> None: ...

    def delete(self, key: str) -> bool: ...

    def incr(self, key: str, by: int = 1) -> int:
        """Add ``by`` to the integer counter ``key`` (0 when absent); the new value."""

    def keys(self, prefix: str = "") -> list[str]:
        """Every key starting with ``prefix``, sorted."""

    def snapshot(self) -> dict[str, Any]:
        """Every key and value, for the admin API."""

    def collection(self, name: str) -> Collection: ...

    def clear(self) -> None:
        """Forget every key, counter, collection and sequence position (the shared
        active scenario stays)."""

    def replicas(self) -> ReplicaControl | None:
        """What replicas sharing this store agree on; None for a store of one process."""

    def close(self) -> None: ...
