"""The settings tables of the READMEs say what the servers do (runtime/settings/table.py)."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path
from types import ModuleType

import pytest

from mockc.runtime.settings import PROTOCOL_NAMES, SETTINGS

ROOT = Path(__file__).resolve().parent.parent


def _tables() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "settings_tables", ROOT / "scripts" / "settings_tables.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_readme_settings_tables_are_rendered_from_the_code() -> None:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    assert _tables().rendered_readme(text) == text, (
        "README.md's settings tables differ from runtime/settings/table.py: "
        "run python scripts/settings_tables.py --write"
    )


def test_a_changed_declaration_changes_the_table(monkeypatch: pytest.MonkeyPatch) -> None:
    tables = _tables()
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    monkeypatch.setattr(tables, "SETTINGS", SETTINGS[1:])
    assert tables.rendered_readme(text) != text


@pytest.mark.parametrize("protocol", sorted(PROTOCOL_NAMES))
def test_generated_readmes_name_only_settings_their_server_honours(protocol: str) -> None:
    template = ROOT / "targets" / protocol / "templates" / "README.md.j2"
    named = set(re.findall(r"`((?:MOCKC_)[A-Z_]+|PORT|HOST)`", template.read_text()))
    honoured = {s.env for s in SETTINGS if s.env and protocol in s.protocols}
    assert named and named <= honoured, named - honoured
