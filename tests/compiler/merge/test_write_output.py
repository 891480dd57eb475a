"""Writing the output folder: generated files rewritten, user files kept."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from mockc.compiler.errors import GenerationError
from mockc.compiler.merge.output import write_output
from mockc.compiler.merge.state import MANIFEST, check_writable
from mockc.targets.common import FileOwner, GeneratedFile


def _plan(version: str, *, extra: bool = True) -> list[GeneratedFile]:
    files = [
        GeneratedFile(path="server.py", content=f"# v{version}\n".encode()),
        GeneratedFile(
            path="handlers.py", content=f"# hooks v{version}\n".encode(), owner=FileOwner.USER
        ),
    ]
    if extra:
        files.append(GeneratedFile(path="_vendor/pkg/mod.py", content=b"x = 1\n"))
    return files


def test_first_write_creates_everything_and_a_manifest(tmp_path: Path) -> None:
    report = write_output(tmp_path, _plan("1"), manifest_extra={"mockc": "t"})
    assert sorted(report.written) == ["_vendor/pkg/mod.py", "handlers.py", "server.py"]
    manifest = json.loads((tmp_path / MANIFEST).read_text())
    assert manifest["files"]["handlers.py"]["owner"] == "user"
    assert manifest["mockc"] == "t"
    assert (tmp_path / ".mockc" / "base" / "handlers.py").read_text() == "# hooks v1\n"


def test_regeneration_keeps_user_files_and_rewrites_generated_ones(tmp_path: Path) -> None:
    write_output(tmp_path, _plan("1"), manifest_extra={})
    (tmp_path / "handlers.py").write_text("# my edits\n")
    (tmp_path / "server.py").write_text("# someone edited a generated file\n")
    report = write_output(tmp_path, _plan("2"), manifest_extra={})
    assert (tmp_path / "handlers.py").read_text() == "# my edits\n"
    assert report.kept_user_files == ["handlers.py"]
    assert (tmp_path / "server.py").read_text() == "# v2\n"
    assert (tmp_path / ".mockc" / "base" / "handlers.py").read_text() == "# hooks v2\n"


def test_unchanged_files_are_not_rewritten(tmp_path: Path) -> None:
    write_output(tmp_path, _plan("1"), manifest_extra={})
    before = (tmp_path / "server.py").stat().st_mtime_ns
    report = write_output(tmp_path, _plan("1"), manifest_extra={})
    assert "server.py" in report.unchanged
    assert (tmp_path / "server.py").stat().st_mtime_ns == before


def test_stale_generated_files_go_but_user_files_stay(tmp_path: Path) -> None:
    write_output(tmp_path, _plan("1"), manifest_extra={})
    (tmp_path / "_vendor" / "pkg" / "notes.md").write_text("mine")
    (tmp_path / "mine.txt").write_text("mine")
    report = write_output(tmp_path, _plan("2", extra=False), manifest_extra={})
    assert report.removed == ["_vendor/pkg/mod.py"]
    assert (tmp_path / "_vendor" / "pkg" / "notes.md").read_text() == "mine"
    assert (tmp_path / "mine.txt").read_text() == "mine"


def test_empty_folders_of_stale_files_are_removed(tmp_path: Path) -> None:
    write_output(tmp_path, _plan("1"), manifest_extra={})
    write_output(tmp_path, _plan("2", extra=False), manifest_extra={})
    assert not (tmp_path / "_vendor").exists()


def test_check_writable(tmp_path: Path) -> None:
    check_writable(tmp_path / "new")
    check_writable(tmp_path)  # empty
    (tmp_path / "x").write_text("x")
    with pytest.raises(GenerationError, match="not empty"):
        check_writable(tmp_path)
    with pytest.raises(GenerationError, match="not a folder"):
        check_writable(tmp_path / "x")
