"""No garbage collection while a command compiles a spec.

Compiling builds millions of objects that live until the command writes its
output or starts its server, and CPython's collector kept walking them: 0.6 s
of the 2 s GitHub's spec took to compile for ``mockc serve``, and as much in
``mockc generate``. What compiling leaves as garbage is little (41,000 objects
for that spec), collected when the pause ends. Only for one-shot commands: a
long-running process (the orchestrator) keeps collecting as usual.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["paused_collections"]


@contextmanager
def paused_collections() -> Iterator[None]:
    """No garbage collection inside (collections resume after, as they were)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
