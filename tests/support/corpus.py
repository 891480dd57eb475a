"""Where the corpus of real-world specs is: ``tests/corpus`` in the repository
(``MOCKC_CORPUS`` overrides it). New specs arrive from outside the repository
and are copied in with their licence and a line in ``tests/corpus/SOURCES.md``."""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CORPUS = Path(os.environ.get("MOCKC_CORPUS", ROOT / "tests" / "corpus")).resolve()

if not (CORPUS / "openapi").is_dir():
    raise RuntimeError(
        f"the spec corpus is missing at {CORPUS}; the repository keeps it in tests/corpus "
        "(MOCKC_CORPUS may point elsewhere)"
    )

__all__ = ["CORPUS", "ROOT"]
