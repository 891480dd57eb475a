"""The user documentation lists exactly the fake data names the language knows."""

import re
from pathlib import Path

from mockc.runtime.expressions import FAKE_NAMES

DOCS = Path(__file__).resolve().parents[3] / "docs" / "mocks.md"


def test_docs_list_every_fake_name() -> None:
    text = DOCS.read_text(encoding="utf-8")
    section = text.split("### Fake data names", 1)[1]
    listed = tuple(re.findall(r"`([a-z0-9_]+)`", section))
    assert listed == FAKE_NAMES
