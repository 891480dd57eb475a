"""The distribution ships every package of the source tree, and its version."""

from __future__ import annotations

import tomllib
from pathlib import Path

import mockc
import mockc.runtime

ROOT = Path(__file__).resolve().parents[1]


def test_every_source_package_is_listed_in_pyproject() -> None:
    listed = set(
        tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"]
    )
    found = {"mockc"}
    for top in ("compiler", "targets", "runtime", "testing"):
        for init in (ROOT / top).rglob("__init__.py"):
            found.add(".".join(["mockc", *init.parent.relative_to(ROOT).parts]))
    assert found == listed


def test_templates_are_package_data() -> None:
    data = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"][
        "package-data"
    ]
    for templates in ROOT.glob("targets/*/templates"):
        assert f"mockc.targets.{templates.parent.name}" in data


def test_versions_agree() -> None:
    version = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["version"]
    assert mockc.__version__ == version == mockc.runtime.__version__
