"""Whole user files (an ignore list) in conflict stay recorded until
resolved, like mock fields: over real folders, through write_output."""

from __future__ import annotations

import json
from pathlib import Path

from mockc.compiler.merge.output import MergeOptions, WriteReport, write_output
from mockc.compiler.merge.resolve import Side, resolve
from mockc.compiler.merge.state import CONFLICTS
from mockc.targets.common import FileOwner, GeneratedFile


def _write(out: Path, ignored: str, **options: bool) -> WriteReport:
    files = [
        GeneratedFile(path="server.py", content=b"# server\n"),
        GeneratedFile(path=".gitignore", content=ignored.encode(), owner=FileOwner.USER),
    ]
    return write_output(
        out, files, manifest_extra={"mockc": "test"}, operations=[], options=MergeOptions(**options)
    )


def _kinds(report: WriteReport) -> list[str]:
    return [e.kind.value for e in report.merge.entries if e.file == ".gitignore"]


def test_a_whole_file_conflict_stays_open_until_theirs(tmp_path: Path) -> None:
    _write(tmp_path, ".mockc-data/\n")
    ignore = tmp_path / ".gitignore"
    ignore.write_text(".mockc-data/\nsecrets.env\n")
    assert _kinds(_write(tmp_path, ".mockc-data/\n*.pyc\n")) == ["conflict"]
    assert json.loads((tmp_path / CONFLICTS).read_text())["conflicts"] == [
        {"file": ".gitignore", "id": None, "field": None, "base": ".mockc-data/\n"}
    ]
    assert _kinds(_write(tmp_path, ".mockc-data/\n*.pyc\n")) == ["conflict"]
    assert ignore.read_text() == ".mockc-data/\nsecrets.env\n"
    report = _write(tmp_path, ".mockc-data/\n*.pyc\n", theirs=True)
    assert _kinds(report) == ["conflict"] and report.merge.entries[-1].changes_file
    assert ignore.read_text() == ".mockc-data/\n*.pyc\n"
    assert not (tmp_path / CONFLICTS).exists()


def test_merge_theirs_restores_the_generated_file(tmp_path: Path) -> None:
    _write(tmp_path, "a/\n")
    ignore = tmp_path / ".gitignore"
    ignore.write_text("mine/\n")
    _write(tmp_path, "b/\n")
    result = resolve(tmp_path, Side.THEIRS, {".gitignore"})
    assert [c.file for c in result.resolved] == [".gitignore"] and result.written == [".gitignore"]
    assert ignore.read_text() == "b/\n"
    assert _kinds(_write(tmp_path, "b/\n")) == []
    assert not (tmp_path / CONFLICTS).exists()
