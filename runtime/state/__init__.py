"""The state store mocks read and write: key/value pairs, counters and the
record collections of the ``crud`` preset. Values are JSON data.

In memory by default; Redis (``MOCKC_STATE=redis://…``) when several replicas
of one server must share it. Both implement :class:`StateStore`;
:func:`open_store` picks one from the ``MOCKC_STATE`` setting.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .base import Collection, ReplicaControl, StateError, StateStore
from .factory import open_store
from .memory import MemoryStore

if TYPE_CHECKING:
    from .redis import RedisStore

__all__ = [
    "Collection",
    "MemoryStore",
    "RedisStore",
    "ReplicaControl",
    "StateError",
    "StateStore",
    "open_store",
]


def __getattr__(name: str) -> Any:
    # The Redis client library loads only for servers that use it.
    if name == "RedisStore":
        from .redis import RedisStore

        return RedisStore
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
