"""The interface every state store implements."""

from __future__ import annotations

from typing import Any, Protocol

from ..exceptions import RuntimeFailure

__all__ = ["Collection", "StateError", "StateStore"]


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
        """Forget every key, counter and collection."""

    def close(self) -> None: ...
