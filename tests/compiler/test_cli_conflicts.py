"""Conflicts stay open until resolved: ``mockc generate --theirs`` on a later
run, ``mockc merge --theirs/--ours PATH``, ``mockc generate --conflicts`` —
over real generated folders from the petstore spec."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from mockc.compiler.cli import main
from mockc.compiler.merge.state import CONFLICTS

ROOT = Path(__file__).resolve().parents[2]
PETSTORE = ROOT / "examples" / "petstore" / "openapi.yaml"
MOCK = "out/mocks/showPetById.yaml"


def _run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A petstore server whose showPetById description both sides changed."""
    monkeypatch.chdir(tmp_path)
    shutil.copy(PETSTORE, tmp_path / "petstore.yaml")
    code, _, err = _run("generate", "petstore.yaml", "-o", "out")
    assert code == 0, err
    mock = tmp_path / MOCK
    mock.write_text(mock.read_text().replace("description: GET", "description: MINE GET"))
    spec = tmp_path / "petstore.yaml"
    spec.write_text(spec.read_text().replace("  /pets/{petId}:", "  /pet/{petId}:"))
    code, _, err = _run("generate", "petstore.yaml", "-o", "out")
    assert code == 0, err
    assert "conflict        mocks/showPetById.yaml [description]" in err
    assert "mockc: out: 1 conflict(s) left open, yours kept: 'mockc merge --theirs PATH'" in err
    return tmp_path


def _description(project: Path) -> str:
    line = next(x for x in (project / MOCK).read_text().splitlines() if "description" in x)
    return line.split(": ", 1)[1]


def test_the_conflict_stays_open_across_runs_until_theirs_takes_the_spec(project: Path) -> None:
    record = json.loads((project / "out" / CONFLICTS).read_text())
    assert record["conflicts"] == [
        {
            "file": "mocks/showPetById.yaml",
            "id": "showPetById",
            "field": ["description"],
            "base": "GET /pets/{petId} — Info for a specific pet",
            "ours": "MINE GET /pets/{petId} — Info for a specific pet",
            "theirs": "GET /pet/{petId} — Info for a specific pet",
        }
    ]
    # A run without --theirs: still a conflict, still the user's value.
    code, _, err = _run("generate", "petstore.yaml", "-o", "out")
    assert code == 0, err
    assert "conflict        mocks/showPetById.yaml [description]" in err
    assert _description(project) == "MINE GET /pets/{petId} — Info for a specific pet"
    code, _, err = _run("generate", "petstore.yaml", "-o", "out", "--check")
    assert code == 0, err  # an open conflict is not a pending change
    code, out, err = _run("generate", "-o", "out", "--conflicts")
    assert code == 0, err
    assert out.splitlines() == [
        "out/mocks/showPetById.yaml [description]: yours is "
        '"MINE GET /pets/{petId} — Info for a specific pet", the spec\'s is '
        '"GET /pet/{petId} — Info for a specific pet"'
    ]
    assert "mockc merge --theirs PATH" in err
    # A later --theirs takes the spec's value and closes it.
    code, _, err = _run("generate", "petstore.yaml", "-o", "out", "--theirs")
    assert code == 0, err
    assert "the spec's taken (--theirs)" in err
    assert _description(project) == "GET /pet/{petId} — Info for a specific pet"
    assert not (project / "out" / CONFLICTS).exists()
    code, out, err = _run("generate", "-o", "out", "--conflicts")
    assert code == 0 and out == "" and "no open conflicts" in err
    code, _, err = _run("generate", "petstore.yaml", "-o", "out", "--check")
    assert code == 0 and "up to date" in err, err


def test_merge_theirs_on_one_file_resolves_without_the_spec(project: Path) -> None:
    before = (project / MOCK).read_text()
    code, _, err = _run("merge", "--theirs", MOCK)
    assert code == 0, err
    assert "showPetById.yaml [description]: took the spec's version" in err
    after = (project / MOCK).read_text()
    assert after == before.replace("MINE GET /pets/{petId}", "GET /pet/{petId}")
    assert not (project / "out" / CONFLICTS).exists()
    code, _, err = _run("generate", "petstore.yaml", "-o", "out", "--check")
    assert code == 0 and "up to date" in err, err
    code, _, err = _run("merge", "--theirs", MOCK)
    assert code == 1 and "has no open conflict" in err


def test_merge_ours_keeps_yours_and_closes_it(project: Path) -> None:
    code, _, err = _run("merge", "--ours", "out")
    assert code == 0, err
    assert "kept yours" in err
    code, _, err = _run("generate", "petstore.yaml", "-o", "out")
    assert code == 0, err
    assert "conflict" not in err
    assert "kept-user-edit  mocks/showPetById.yaml [description]" in err
    assert _description(project) == "MINE GET /pets/{petId} — Info for a specific pet"
    code, _, err = _run("generate", "petstore.yaml", "-o", "out", "--theirs")
    assert _description(project) == "MINE GET /pets/{petId} — Info for a specific pet"


def test_taking_the_value_by_hand_or_a_new_spec_change_updates_the_record(project: Path) -> None:
    spec = project / "petstore.yaml"
    spec.write_text(spec.read_text().replace("Info for a specific pet", "One pet"))
    code, _, err = _run("generate", "petstore.yaml", "-o", "out")
    assert code == 0, err
    [conflict] = json.loads((project / "out" / CONFLICTS).read_text())["conflicts"]
    assert conflict["theirs"] == "GET /pet/{petId} — One pet"
    assert conflict["base"] == "GET /pets/{petId} — Info for a specific pet"
    mock = project / MOCK
    mock.write_text(
        mock.read_text().replace(
            "MINE GET /pets/{petId} — Info for a specific pet", "GET /pet/{petId} — One pet"
        )
    )
    code, _, err = _run("generate", "petstore.yaml", "-o", "out")
    assert code == 0, err
    assert "conflict" not in err
    assert not (project / "out" / CONFLICTS).exists()


def test_a_deleted_mock_the_spec_changed_is_restored_later(project: Path) -> None:
    (project / MOCK).unlink()
    spec = project / "petstore.yaml"
    spec.write_text(spec.read_text().replace("Info for a specific pet", "One pet"))
    code, _, err = _run("generate", "petstore.yaml", "-o", "out")
    assert code == 0, err
    assert "you deleted this mock and the spec changed it; it stays deleted" in err
    code, _, err = _run("generate", "petstore.yaml", "-o", "out")
    assert "you deleted this mock and the spec changed it; it stays deleted" in err
    assert not (project / MOCK).exists()
    code, out, _ = _run("generate", "-o", "out", "--conflicts")
    assert "you deleted this mock and the spec changed it" in out
    code, _, err = _run("merge", "--theirs", MOCK)
    assert code == 0, err
    assert "description: GET /pet/{petId} — One pet" in (project / MOCK).read_text()
    code, _, err = _run("generate", "petstore.yaml", "-o", "out", "--check")
    assert code == 0 and "up to date" in err, err


def test_merge_outside_a_generated_folder_and_a_damaged_record(project: Path) -> None:
    code, _, err = _run("merge", "--theirs", "petstore.yaml")
    assert code == 1 and "is not in a folder generated by mockc" in err
    code, _, err = _run("merge", MOCK)
    assert code == 2 and "--theirs" in err
    (project / "out" / CONFLICTS).write_text("{not json")
    code, _, err = _run("generate", "petstore.yaml", "-o", "out")
    assert code == 1
    assert "conflicts.json" in err and "record of open conflicts is damaged" in err
    assert "Traceback" not in err


def test_conflicts_of_the_configured_servers(project: Path) -> None:
    (project / "mockc.toml").write_text(
        '[[servers]]\nname = "pets"\nspec = "petstore.yaml"\nout = "out"\n'
    )
    (project / ".git").mkdir()
    code, out, err = _run("generate", "--conflicts")
    assert code == 0, err
    assert "mockc: pets (out): 1 open conflict(s):" in err
    assert out.startswith("out/mocks/showPetById.yaml [description]: yours is")
