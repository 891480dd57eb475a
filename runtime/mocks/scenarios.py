"""Scenario folders: ``scenarios/NAME/`` holds the mocks of scenario NAME."""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from pathlib import Path

from .definition import is_safe_name
from .files import display_path, write_atomic
from .problems import MockError, MockProblem

__all__ = ["ScenarioFolders"]


class ScenarioFolders:
    """The scenario folders under ``root``; names are safe folder names."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def names(self) -> list[str]:
        """Every scenario, by name."""
        if not self.root.is_dir():
            return []
        return sorted(
            entry.name
            for entry in self.root.iterdir()
            if entry.is_dir() and is_safe_name(entry.name)
        )

    def folders(self, problems: list[MockProblem], base: Path) -> list[tuple[str, Path]]:
        """(name, folder) of every scenario; folders whose name is not a valid
        scenario name are reported in ``problems`` and skipped."""
        if not self.root.is_dir():
            return []
        for entry in sorted(self.root.iterdir()):
            if entry.is_dir() and not entry.name.startswith(".") and not is_safe_name(entry.name):
                problems.append(
                    MockProblem(
                        display_path(entry, base),
                        0,
                        0,
                        "not a valid scenario name (letters, digits, '_', '-', '.'); skipped",
                    )
                )
        return [(name, self.root / name) for name in self.names()]

    def exists(self, name: str) -> bool:
        return is_safe_name(name) and (self.root / name).is_dir()

    def path(self, name: str) -> Path:
        return self.root / name

    def check_name(self, name: str) -> None:
        """MockError unless ``name`` can name a scenario folder."""
        if not isinstance(name, str) or not is_safe_name(name):
            raise MockError(
                [
                    MockProblem(
                        f"scenarios/{name}",
                        0,
                        0,
                        "not a valid scenario name: letters, digits, '_', '-' and '.', "
                        "at most 128 characters, not starting with '.' or '-'",
                    )
                ]
            )

    def write(self, name: str, files: dict[str, str]) -> None:
        """Create the folder of scenario ``name`` holding ``files`` (name → text) at
        once: written into a hidden folder beside it, then renamed."""
        self.root.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{name}.", dir=self.root))
        try:
            for file_name, text in files.items():
                write_atomic(staging / file_name, text)
            os.rename(staging, self.root / name)
        except BaseException:
            with contextlib.suppress(OSError):
                shutil.rmtree(staging)
            raise

    def delete(self, name: str) -> None:
        """Remove the folder of scenario ``name`` and everything in it."""
        target = self.root / name
        graveyard = self.root / f".{name}.deleted"
        with contextlib.suppress(OSError):
            shutil.rmtree(graveyard)
        os.rename(target, graveyard)
        shutil.rmtree(graveyard, ignore_errors=True)
