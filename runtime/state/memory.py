"""The in-memory state store: one process, lost on restart."""

from __future__ import annotations

import copy
import threading
from typing import Any

__all__ = ["MemoryStore"]

_ABSENT = object()


class _MemoryCollection:
    def __init__(self, lock: threading.Lock) -> None:
        self._lock = lock
        self._records: dict[str, Any] = {}
        self._last_id = 0

    def next_id(self) -> int:
        with self._lock:
            self._last_id += 1
            return self._last_id

    def list(self) -> list[Any]:
        with self._lock:
            return [copy.deepcopy(record) for record in self._records.values()]

    def get(self, record_id: str) -> Any | None:
        with self._lock:
            return copy.deepcopy(self._records.get(record_id))

    def put(self, record_id: str, record: Any) -> bool:
        with self._lock:
            new = record_id not in self._records
            self._records[record_id] = copy.deepcopy(record)
            return new

    def delete(self, record_id: str) -> bool:
        with self._lock:
            return self._records.pop(record_id, _ABSENT) is not _ABSENT

    def clear(self) -> None:
        with self._lock:
            self._records.clear()
            self._last_id = 0


class MemoryStore:
    """A :class:`~.base.StateStore` in a dict, safe across threads."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._values: dict[str, Any] = {}
        self._collections: dict[str, _MemoryCollection] = {}

    def get(self, key: str, default: Any = None) -> Any:
        with self._lock:
            if key not in self._values:
                return default
            return copy.deepcopy(self._values[key])

    def put(self, key: str, value: Any) -> None:
        with self._lock:
            self._values[key] = copy.deepcopy(value)

    def delete(self, key: str) -> bool:
        with self._lock:
            return self._values.pop(key, _ABSENT) is not _ABSENT

    def incr(self, key: str, by: int = 1) -> int:
        with self._lock:
            current = self._values.get(key, 0)
            if not isinstance(current, int) or isinstance(current, bool):
                current = 0
            current += by
            self._values[key] = current
            return current

    def keys(self, prefix: str = "") -> list[str]:
        with self._lock:
            return sorted(key for key in self._values if key.startswith(prefix))

    def snapshot(self) -> dict[str, Any]:
        with self._lock:
            values = copy.deepcopy(self._values)
            collections = {name: c for name, c in self._collections.items()}
        return {
            "values": values,
            "collections": {name: c.list() for name, c in sorted(collections.items())},
        }

    def collection(self, name: str) -> _MemoryCollection:
        with self._lock:
            found = self._collections.get(name)
            if found is None:
                found = self._collections[name] = _MemoryCollection(threading.Lock())
            return found

    def clear(self) -> None:
        with self._lock:
            self._values.clear()
            collections = list(self._collections.values())
            self._collections.clear()
        for collection in collections:
            collection.clear()

    def replicas(self) -> None:
        """None: an in-memory store is never shared with another process."""
        return None

    def close(self) -> None:
        return None
