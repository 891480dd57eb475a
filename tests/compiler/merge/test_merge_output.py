"""Regeneration over real folders: merge, merge state, refusal, --adopt, --check."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from mockc.compiler.errors import GenerationError, MockcError
from mockc.compiler.merge.output import MergeOptions, WriteReport, write_output
from mockc.compiler.merge.state import BACKUP_DIR, BASE_DIR, MANIFEST, check_writable
from mockc.targets.common import FileOwner, GeneratedFile

HOOKS = '"""Hooks."""\n'


def _mock(op: str, name: str = "Rex") -> str:
    return (
        f"# generated\nid: {op}\noperation: {op}\n"
        f"response:\n  status: 200\n  body:\n    name: {name}\n"
    )


def _plan(ops: dict[str, str], *, server: str = "v1") -> list[GeneratedFile]:
    hooks = HOOKS + "".join(f"\n\ndef {op}(request):\n    return None\n" for op in ops)
    files = [
        GeneratedFile(path="server.py", content=f"# {server}\n".encode(), executable=True),
        GeneratedFile(path="handlers.py", content=hooks.encode(), owner=FileOwner.USER),
    ]
    files += [
        GeneratedFile(
            path=f"mocks/{op}.yaml", content=_mock(op, name).encode(), owner=FileOwner.USER
        )
        for op, name in ops.items()
    ]
    return files


def _write(out: Path, ops: dict[str, str], **options: bool) -> WriteReport:
    return write_output(
        out,
        _plan(ops),
        manifest_extra={"mockc": "test"},
        operations=list(ops),
        options=MergeOptions(**options),
    )


def _tree(out: Path) -> dict[str, bytes]:
    return {str(p.relative_to(out)): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}


def _kinds(report: WriteReport) -> list[tuple[str, str]]:
    return [(e.file, e.kind.value) for e in report.merge.entries if not e.generated]


def test_the_base_is_what_was_generated_and_stays_current(tmp_path: Path) -> None:
    _write(tmp_path, {"a": "Rex"})
    manifest = json.loads((tmp_path / MANIFEST).read_text())
    assert manifest["merge"] == {"orphaned": [], "retained_base": {}}
    assert (tmp_path / BASE_DIR / "mocks/a.yaml").read_text() == _mock("a")
    mock = tmp_path / "mocks/a.yaml"
    mock.write_text(mock.read_text().replace("status: 200", "status: 202  # mine"))
    report = _write(tmp_path, {"a": "Max"})
    assert mock.read_text() == _mock("a", "Max").replace("status: 200", "status: 202  # mine")
    assert (tmp_path / BASE_DIR / "mocks/a.yaml").read_text() == _mock("a", "Max")
    assert ("mocks/a.yaml", "updated") in _kinds(report)
    assert ("mocks/a.yaml", "kept-user-edit") in _kinds(report)


def test_merging_twice_changes_nothing(tmp_path: Path) -> None:
    _write(tmp_path, {"a": "Rex", "b": "Rex"})
    (tmp_path / "mocks/a.yaml").write_text(_mock("a", "Tom"))
    (tmp_path / "mocks/b.yaml").unlink()
    _write(tmp_path, {"a": "Max", "c": "Rex"})
    before = _tree(tmp_path)
    report = _write(tmp_path, {"a": "Max", "c": "Rex"})
    assert _tree(tmp_path) == before
    assert report.merge.changed_files == []
    assert not report.merge.changed


def test_dry_run_writes_nothing_and_says_what_would_change(tmp_path: Path) -> None:
    out = tmp_path / "out"
    report = _write(out, {"a": "Rex"}, dry_run=True)
    assert not out.exists()
    assert "mocks/a.yaml" in report.merge.changed_files
    _write(out, {"a": "Rex"})
    before = _tree(out)
    assert _write(out, {"a": "Rex"}, dry_run=True).merge.changed_files == []
    report = _write(out, {"a": "Max"}, dry_run=True)
    assert _tree(out) == before
    assert report.merge.changed_files == [
        f"{BASE_DIR}/mocks/a.yaml",
        MANIFEST,
        "mocks/a.yaml",
    ]


def test_a_user_file_that_cannot_be_read_stops_everything(tmp_path: Path) -> None:
    _write(tmp_path, {"a": "Rex"})
    (tmp_path / "mocks/a.yaml").write_text("id: a\nresponse: [\n")
    before = _tree(tmp_path)
    with pytest.raises(MockcError) as caught:
        _write(tmp_path, {"a": "Max", "b": "Rex"})
    assert f"{tmp_path / 'mocks/a.yaml'}:3:1" in caught.value.render()
    assert _tree(tmp_path) == before


def test_deleted_user_files_stay_deleted_and_are_reported(tmp_path: Path) -> None:
    _write(tmp_path, {"a": "Rex"})
    (tmp_path / "handlers.py").unlink()
    (tmp_path / "mocks/a.yaml").unlink()
    report = _write(tmp_path, {"a": "Rex", "b": "Rex"})
    assert not (tmp_path / "handlers.py").exists()
    assert not (tmp_path / "mocks/a.yaml").exists()
    assert (tmp_path / "mocks/b.yaml").exists()
    kinds = _kinds(report)
    assert ("handlers.py", "conflict") in kinds  # deleted by you, changed by the spec (hook b)
    assert ("mocks/a.yaml", "kept-user-edit") in kinds
    restored = _write(tmp_path, {"a": "Rex", "b": "Rex", "c": "Rex"}, theirs=True)
    assert (tmp_path / "handlers.py").exists()
    assert ("handlers.py", "conflict") in _kinds(restored)


def test_orphans_keep_their_base_and_come_back_three_ways(tmp_path: Path) -> None:
    _write(tmp_path, {"a": "Rex", "gone": "Rex"})
    mock = tmp_path / "mocks/gone.yaml"
    mock.write_text(mock.read_text().replace("status: 200", "status: 410"))
    report = _write(tmp_path, {"a": "Rex"})
    assert "orphaned: true" in mock.read_text()
    assert ("mocks/gone.yaml", "orphaned") in _kinds(report)
    manifest = json.loads((tmp_path / MANIFEST).read_text())
    assert manifest["merge"]["orphaned"] == ["gone"]
    assert list(manifest["merge"]["retained_base"]) == ["mocks/gone.yaml"]
    assert "def gone" in (tmp_path / "handlers.py").read_text()
    _write(tmp_path, {"a": "Rex"})  # still orphaned: nothing new
    report = _write(tmp_path, {"a": "Rex", "gone": "Max"})
    text = mock.read_text()
    assert "orphaned" not in text
    assert "status: 410" in text and "name: Max" in text  # three-way again, no conflict
    assert not [k for k in _kinds(report) if k[1] == "conflict"]


def test_prune_removes_orphaned_mocks_and_their_state(tmp_path: Path) -> None:
    _write(tmp_path, {"a": "Rex", "gone": "Rex"})
    _write(tmp_path, {"a": "Rex"})
    report = _write(tmp_path, {"a": "Rex"}, prune=True)
    assert not (tmp_path / "mocks/gone.yaml").exists()
    assert "def gone" not in (tmp_path / "handlers.py").read_text()
    assert ("mocks/gone.yaml", "pruned") in _kinds(report)
    manifest = json.loads((tmp_path / MANIFEST).read_text())
    assert manifest["merge"] == {"orphaned": [], "retained_base": {}}
    assert not (tmp_path / BASE_DIR / "mocks/gone.yaml").exists()


def test_hand_edits_of_generated_files_are_saved_before_replacing(tmp_path: Path) -> None:
    _write(tmp_path, {"a": "Rex"})
    (tmp_path / "server.py").write_text("# patched by hand\n")
    report = write_output(
        tmp_path, _plan({"a": "Rex"}, server="v2"), manifest_extra={}, operations=["a"]
    )
    assert (tmp_path / "server.py").read_text() == "# v2\n"
    assert (tmp_path / BACKUP_DIR / "server.py").read_text() == "# patched by hand\n"
    [entry] = [e for e in report.merge.entries if e.file == "server.py"]
    assert "saved as .mockc/backup/server.py" in entry.detail


@pytest.mark.parametrize(
    "damage",
    [
        MANIFEST,
        "manifest: not a mapping of files",
        f"{BASE_DIR}/mocks/a.yaml",
        f"{BASE_DIR}/handlers.py: changed",
    ],
)
def test_a_folder_without_merge_state_is_refused_with_ways_forward(
    tmp_path: Path, damage: str
) -> None:
    _write(tmp_path, {"a": "Rex"})
    (tmp_path / "mocks/a.yaml").write_text(_mock("a", "Mine"))
    if damage.endswith(": changed"):
        (tmp_path / damage.split(":")[0]).write_text("# changed")
    elif damage.startswith("manifest:"):
        (tmp_path / MANIFEST).write_text('{"files": 3}')
    else:
        (tmp_path / damage).unlink()
    before = _tree(tmp_path)
    with pytest.raises(GenerationError) as caught:
        check_writable(tmp_path)
    message = caught.value.render()
    assert str(tmp_path / ".mockc") in message
    assert "--adopt" in message and "version control" in message
    with pytest.raises(GenerationError):
        _write(tmp_path, {"a": "Max"})
    assert _tree(tmp_path) == before
    _write(tmp_path, {"a": "Max"}, adopt=True)
    assert "name: Mine" in (tmp_path / "mocks/a.yaml").read_text()
    assert _write(tmp_path, {"a": "Max"}).merge.changed_files == []


def test_adopt_keeps_every_file_as_the_users(tmp_path: Path) -> None:
    (tmp_path / "mocks").mkdir()
    (tmp_path / "mocks/a.yaml").write_text("id: a\noperation: a\nresponse: {status: 204}\n")
    (tmp_path / "server.py").write_text("# someone else's server\n")
    (tmp_path / "notes.txt").write_text("mine")
    with pytest.raises(GenerationError, match="not empty"):
        _write(tmp_path, {"a": "Rex", "b": "Rex"})
    report = _write(tmp_path, {"a": "Rex", "b": "Rex"}, adopt=True)
    assert (tmp_path / BACKUP_DIR / "server.py").read_text() == "# someone else's server\n"
    assert (tmp_path / "notes.txt").read_text() == "mine"
    text = (tmp_path / "mocks/a.yaml").read_text()
    assert "status: 204" in text and "name: Rex" in text  # two-way: theirs fills in
    assert (tmp_path / "mocks/b.yaml").exists()
    assert ("mocks/a.yaml", "conflict") in _kinds(report)
    assert _write(tmp_path, {"a": "Rex", "b": "Rex"}).merge.changed_files == []


def test_the_output_path_must_be_a_folder(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("x")
    with pytest.raises(GenerationError, match="not a folder"):
        check_writable(tmp_path / "file")
