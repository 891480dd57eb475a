"""The readiness document every server answers at ``/health``."""

from __future__ import annotations

import time

from .. import __version__
from ..json_codec import json_bytes

__all__ = ["Health"]


class Health:
    """``{"status": "ok", "version": …, "uptime": seconds}`` since it was made."""

    __slots__ = ("_started",)

    def __init__(self) -> None:
        self._started = time.monotonic()

    def document(self) -> dict[str, object]:
        uptime = round(time.monotonic() - self._started, 3)
        return {"status": "ok", "version": __version__, "uptime": uptime}

    def body(self) -> bytes:
        return json_bytes(self.document())
