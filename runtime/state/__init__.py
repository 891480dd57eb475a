"""The state store mocks read and write: key/value pairs, counters and the
record collections of the ``crud`` preset. Values are JSON data.

In memory by default; Redis (``MOCKC_STATE=redis://…``) when several replicas
of one server must share it. Both implement :class:`StateStore`.
"""

from .base import Collection, StateError, StateStore
from .memory import MemoryStore

__all__ = ["Collection", "MemoryStore", "StateError", "StateStore"]
