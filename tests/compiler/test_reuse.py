"""Regeneration with unchanged inputs compiles nothing and changes nothing,
and a merge parses only the mock files that differ from this generation."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from mockc.compiler import driver
from mockc.compiler.driver import GenerateOptions, generate
from mockc.compiler.merge import documents
from mockc.compiler.merge.output import MergeOptions

ROOT = Path(__file__).resolve().parents[2]
PETSTORE = ROOT / "examples" / "petstore" / "openapi.yaml"


def _tree(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and "__pycache__" not in p.parts
    }


@pytest.fixture
def specs(tmp_path: Path) -> Path:
    folder = tmp_path / "specs"
    folder.mkdir()
    shutil.copy(PETSTORE, folder / "petstore.yaml")
    text = (folder / "petstore.yaml").read_text()
    (folder / "petstore.yaml").write_text(
        text.replace('$ref: "#/components/schemas/Error"', "$ref: error.yaml")
    )
    (folder / "error.yaml").write_text(
        "type: object\nrequired: [code, message]\nproperties:\n"
        "  code: {type: integer}\n  message: {type: string}\n"
    )
    return folder


def _generate(spec: Path, out: Path, **merge: bool) -> driver.Compiled:
    options = GenerateOptions(link_runtime=True, merge=MergeOptions(**merge))
    compiled, _ = generate([spec], out, options)
    return compiled


def _count_parses(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    parsed: list[str] = []
    original = documents._parse

    def counting(mock: documents.MockFile) -> object:
        parsed.append(mock.path)
        return original(mock)

    monkeypatch.setattr(documents, "_parse", counting)
    return parsed


def test_unchanged_inputs_compile_nothing_and_keep_edits(
    specs: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    spec = specs / "petstore.yaml"
    parsed = _count_parses(monkeypatch)
    first = _generate(spec, out)
    assert first.reused is None
    assert parsed == []  # nothing to merge into an empty folder
    mock = out / "mocks" / "showPetById.yaml"
    mock.write_text(mock.read_text().replace("status: 200", "status: 203"))
    before = _tree(out)

    compiling = []
    monkeypatch.setattr(driver, "compile_specs", lambda *a, **k: compiling.append(a))
    again = _generate(spec, out)
    assert compiling == []
    assert again.reused is not None and len(again.operation_ids) == 4
    assert _tree(out) == before
    assert set(parsed) == {"mocks/showPetById.yaml"}  # the edited file (three ways) only
    monkeypatch.undo()

    full = tmp_path / "full"
    shutil.copytree(out, full)
    (full / ".mockc" / "cache.json").unlink()
    assert _generate(spec, full).reused is None
    assert _tree(full) == {**before, ".mockc/cache.json": _tree(full)[".mockc/cache.json"]}


@pytest.mark.parametrize("changed", ["petstore.yaml", "error.yaml"])
def test_a_changed_spec_or_referenced_file_compiles_again(
    specs: Path, tmp_path: Path, changed: str
) -> None:
    out = tmp_path / "out"
    spec = specs / "petstore.yaml"
    _generate(spec, out)
    target = specs / changed
    target.write_text(target.read_text().replace("message", "reason"))
    assert _generate(spec, out).reused is None
    assert b"reason" in (out / "contract.json").read_bytes()


def test_a_hand_edited_generated_file_or_new_option_compiles_again(
    specs: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    spec = specs / "petstore.yaml"
    _generate(spec, out)
    dockerfile = out / "Dockerfile"
    original = dockerfile.read_bytes()
    dockerfile.write_bytes(original + b"# mine\n")
    assert _generate(spec, out).reused is None
    assert dockerfile.read_bytes() == original
    assert (out / ".mockc" / "backup" / "Dockerfile").read_bytes() == original + b"# mine\n"
    assert _generate(spec, out, prune=True).reused is None
    compiled, _ = generate([spec], out, GenerateOptions(link_runtime=True, seed=7))
    assert compiled.reused is None
    assert _generate(spec, out, dry_run=True).reused is None  # seed 0 again: not recorded


def test_the_cache_stays_out_of_version_control(specs: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    _generate(specs / "petstore.yaml", out)
    assert (out / ".mockc" / ".gitignore").read_text().splitlines()[-1] == "/cache.json"
    assert ".mockc/cache.json" not in (out / ".mockc" / "manifest.json").read_text()
