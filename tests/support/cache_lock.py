"""One process at a time in a cache folder shared by parallel test workers.

    with cache_lock(folder):      # blocks while another process holds it
        ...fill folder if it is missing...

The lock is an ``flock`` on ``<folder>.lock`` beside the folder: released when
the block ends or the process dies, so a killed worker leaves no stale lock.
"""

from __future__ import annotations

import fcntl
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

__all__ = ["cache_lock", "replace_atomically"]


@contextmanager
def cache_lock(folder: Path) -> Iterator[None]:
    folder.parent.mkdir(parents=True, exist_ok=True)
    with open(folder.parent / f"{folder.name}.lock", "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def replace_atomically(target: Path, data: bytes) -> None:
    """Write ``target`` so that a reader in another process sees the old file or
    the new one, never a half-written one."""
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
