"""Shared pytest set-up: put the repository root on ``sys.path`` so tests can
``import tests.support...`` (the root itself is the ``mockc`` package, so
pytest's own rootdir logic would insert its parent instead)."""

import sys
from pathlib import Path

_ROOT = str(Path(__file__).resolve().parents[1])
if _ROOT not in sys.path:
    sys.path.insert(0, _ROOT)
