"""mockc.testing's public names, and the plug-in's loading cost."""

from __future__ import annotations

import subprocess
import sys

import mockc.testing


def test_every_public_name_resolves() -> None:
    for name in mockc.testing.__all__:
        assert getattr(mockc.testing, name).__name__ == name


def test_loading_the_plugin_imports_neither_compiler_nor_runtime() -> None:
    shown = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys, mockc.testing.plugin; "
            "print(sorted(m for m in sys.modules if m.startswith('mockc.')))",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "mockc.testing.plugin" in shown
    assert "mockc.compiler" not in shown and "mockc.runtime" not in shown
