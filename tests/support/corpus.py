"""Where the shared corpus of real-world specs is: ``../shared/corpus`` beside
the repository (``MOCKC_CORPUS`` overrides it)."""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CORPUS = Path(os.environ.get("MOCKC_CORPUS", ROOT.parent / "shared" / "corpus")).resolve()

if not (CORPUS / "openapi").is_dir():
    raise RuntimeError(
        f"the spec corpus is missing at {CORPUS}; the tests need ../shared/corpus "
        "beside the repository (or MOCKC_CORPUS pointing at it)"
    )

__all__ = ["CORPUS", "ROOT"]
