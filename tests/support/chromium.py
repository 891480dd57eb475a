"""The system's Chromium for browser tests (never a downloaded one):
``MOCKC_CHROMIUM``, else ``chromium`` on the PATH; the flags it runs headless with."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

CHROMIUM = os.environ.get("MOCKC_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
HAS_CHROMIUM = Path(CHROMIUM).is_file() and os.access(CHROMIUM, os.X_OK)

__all__ = ["CHROMIUM", "CHROMIUM_ARGS", "HAS_CHROMIUM"]
