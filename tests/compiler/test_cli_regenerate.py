"""``mockc generate`` on regeneration: project config, --check, --fail-on-change,
--prune, --theirs, --adopt, --report-json; ``mockc init``; ``mockc validate``
on mock folders."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from mockc.compiler.cli import EXIT_BAD_INPUT, EXIT_USAGE, main

ROOT = Path(__file__).resolve().parents[2]
PETSTORE = ROOT / "examples" / "petstore" / "openapi.yaml"


def _run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def _tree(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Two servers: petstore, and a shop whose spec refers to a shared file."""
    (tmp_path / ".git").mkdir()
    specs = tmp_path / "specs"
    specs.mkdir()
    shutil.copy(PETSTORE, specs / "petstore.yaml")
    (specs / "shared.yaml").write_text(
        "Item:\n  type: object\n  properties:\n    sku: {type: string}\n"
    )
    (specs / "shop.yaml").write_text(
        "openapi: 3.0.3\ninfo: {title: Shop, version: '1'}\npaths:\n  /items:\n    get:\n"
        "      operationId: listItems\n      responses:\n        '200':\n"
        "          description: ok\n          content:\n            application/json:\n"
        "              schema: {$ref: 'shared.yaml#/Item'}\n"
    )
    (tmp_path / "mockc.toml").write_text(
        '[[servers]]\nname = "petstore"\nspec = "specs/petstore.yaml"\nout = "out/petstore"\n'
        '\n[[servers]]\nname = "shop"\nspec = "specs/shop.yaml"\nout = "out/shop"\n'
        "link_runtime = true\n"
    )
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _change_petstore(project: Path) -> None:
    spec = project / "specs" / "petstore.yaml"
    spec.write_text(spec.read_text().replace("  /pets/{petId}:", "  /pet/{petId}:"))


def test_without_arguments_every_configured_server_is_generated(project: Path) -> None:
    code, _, err = _run("generate")
    assert code == 0, err
    assert "mockc: petstore (out/petstore): 4 operations" in err
    assert "mockc: shop (out/shop): 1 operation;" in err
    assert (project / "out/petstore/mocks/listPets.yaml").is_file()
    assert (project / "out/shop/mocks/listItems.yaml").is_file()


def test_with_spec_paths_only_the_servers_using_them(project: Path) -> None:
    code, _, err = _run("generate", "specs/petstore.yaml")
    assert code == 0, err
    assert "petstore" in err and "shop" not in err
    code, _, err = _run("generate", "specs/shared.yaml")  # read through a $ref
    assert code == 0, err
    assert "shop (out/shop)" in err and "petstore" not in err
    code, _, err = _run("generate", "out/shop/mocks/listItems.yaml")
    assert code == 0, err
    assert "no server in mockc.toml uses" in err
    code, _, err = _run("generate", "mockc.toml")  # the config itself: every server
    assert "petstore" in err and "shop" in err


def test_check_exits_1_with_files_and_reasons_and_writes_nothing(project: Path) -> None:
    assert _run("generate")[0] == 0
    code, _, err = _run("generate", "--check")
    assert code == 0, err
    assert "petstore (out/petstore): 4 operations; up to date" in err
    _change_petstore(project)
    before = _tree(project / "out")
    code, _, err = _run("generate", "--check")
    assert code == EXIT_BAD_INPUT
    assert _tree(project / "out") == before
    assert "petstore (out/petstore): 4 operations; out of date" in err
    assert "contract.json: updated: regenerated" in err
    assert (
        "mocks/showPetById.yaml: updated [description]: "
        '"GET /pets/{petId} — Info for a specific pet" → '
        '"GET /pet/{petId} — Info for a specific pet"'
    ) in err
    assert "handlers.py: updated [hook showPetById]: docstring follows the spec" in err
    assert "shop (out/shop): 1 operation; up to date" in err


def test_fail_on_change_exits_1_once_then_0(project: Path) -> None:
    assert _run("generate", "--fail-on-change")[0] == EXIT_BAD_INPUT
    assert _run("generate", "--fail-on-change")[0] == 0
    _change_petstore(project)
    code, _, err = _run("generate", "specs/petstore.yaml", "--fail-on-change")
    assert code == EXIT_BAD_INPUT
    assert "review them and stage them" in err
    assert _run("generate", "specs/petstore.yaml", "--fail-on-change")[0] == 0


def test_report_json(project: Path) -> None:
    _run("generate")
    mock = project / "out/petstore/mocks/showPetById.yaml"
    mock.write_text(mock.read_text().replace("description: GET", "description: MINE GET"))
    _change_petstore(project)
    code, _, err = _run("generate", "--report-json", "report.json")
    assert code == 0, err
    report = json.loads((project / "report.json").read_text())
    assert report["format"] == 1 and report["check"] is False
    petstore, shop = report["servers"]
    assert (petstore["name"], shop["name"], shop["changed"]) == ("petstore", "shop", False)
    assert {
        "file": "mocks/showPetById.yaml",
        "kind": "conflict",
        "id": "showPetById",
        "field": "description",
        "detail": 'you made it "MINE GET /pets/{petId} — Info for a specific pet", the spec '
        'now makes it "GET /pet/{petId} — Info for a specific pet"; yours kept '
        "(--theirs takes the spec's)",
    } in petstore["entries"]
    assert petstore["counts"]["conflict"] == 1
    assert "mocks/showPetById.yaml" not in petstore["changed_files"]
    code, out, _ = _run("generate", "--check", "--report-json", "-")
    assert code == 0 and json.loads(out)["check"] is True


def test_theirs_and_prune(project: Path) -> None:
    _run("generate")
    mock = project / "out/petstore/mocks/showPetById.yaml"
    mock.write_text(mock.read_text().replace("description: GET", "description: MINE GET"))
    spec = project / "specs/petstore.yaml"
    text = spec.read_text().replace("  /pets/{petId}:", "  /pet/{petId}:")
    start = text.index("    delete:\n      operationId: deletePet")
    spec.write_text(text[:start] + text[text.index("components:") :])
    code, _, err = _run("generate", "--theirs")
    assert code == 0, err
    assert "description: GET /pet/{petId}" in mock.read_text()
    assert "orphaned: true" in (project / "out/petstore/mocks/deletePet.yaml").read_text()
    code, _, err = _run("generate", "--prune")
    assert code == 0, err
    assert "pruned          mocks/deletePet.yaml" in err
    assert not (project / "out/petstore/mocks/deletePet.yaml").exists()
    assert "def deletePet" not in (project / "out/petstore/handlers.py").read_text()


def test_a_folder_without_merge_state_is_refused_then_adopted(tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert _run("generate", str(PETSTORE), "-o", str(out))[0] == 0
    hooks = out / "handlers.py"
    hooks.write_text(hooks.read_text().replace("return None", "return request.reply(status=418)"))
    shutil.rmtree(out / ".mockc")
    before = _tree(out)
    code, _, err = _run("generate", str(PETSTORE), "-o", str(out))
    assert code == EXIT_BAD_INPUT
    assert str(out) in err and "--adopt" in err and "move the folder aside" in err
    assert _tree(out) == before
    code, _, err = _run("generate", str(PETSTORE), "-o", str(out), "--adopt")
    assert code == 0, err
    assert hooks.read_bytes() == before["handlers.py"]
    assert _run("generate", str(PETSTORE), "-o", str(out), "--check")[0] == 0


def test_usage_errors(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / ".git").mkdir()
    monkeypatch.chdir(tmp_path)
    code, _, err = _run("generate")
    assert code == EXIT_USAGE
    assert "mockc init" in err
    code, _, err = _run("generate", "-o", "out")
    assert code == EXIT_USAGE


def test_a_broken_config_names_file_and_line(project: Path) -> None:
    (project / "mockc.toml").write_text('[[servers]]\nname = "x"\nspec = "a.yaml"\n')
    code, _, err = _run("generate")
    assert code == EXIT_BAD_INPUT
    assert f"{project / 'mockc.toml'}:1: error: server 'x': needs out" in err


def test_one_broken_server_fails_the_run_but_not_the_others(project: Path) -> None:
    (project / "specs/shop.yaml").write_text("openapi: 3.0.3\ninfo: {title: x\n")
    code, _, err = _run("generate")
    assert code == EXIT_BAD_INPUT
    assert "shop.yaml:" in err
    assert (project / "out/petstore/server.py").is_file()


def test_init_writes_a_starter_config_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / ".git").mkdir()
    monkeypatch.chdir(tmp_path)
    code, _, err = _run("init")
    assert code == EXIT_BAD_INPUT and "found no spec" in err
    (tmp_path / "api").mkdir()
    shutil.copy(PETSTORE, tmp_path / "api" / "petstore.yaml")
    code, _, err = _run("init")
    assert code == 0, err
    assert 'specs = ["api/petstore.yaml"]' in (tmp_path / "mockc.toml").read_text()
    code, _, err = _run("init")
    assert code == EXIT_BAD_INPUT and "exists already" in err
    code, _, err = _run("generate")
    assert code == 0, err
    assert (tmp_path / "mock-servers/petstore/server.py").is_file()


def test_validate_checks_mock_folders_against_the_servers_operations(tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert _run("generate", str(PETSTORE), "-o", str(out))[0] == 0
    code, _, err = _run("validate", str(out / "mocks"))
    assert code == 0, err
    assert "0 error(s)" in err
    (out / "mocks" / "extra.yaml").write_text("id: extra\noperation: nope\nresponse: {}\n")
    for folder in (out, out / "mocks"):
        code, _, err = _run("validate", str(folder))
        assert code == EXIT_BAD_INPUT
        assert f"{(out / 'mocks' / 'extra.yaml').as_posix()}:2:" in err
        assert "nope" in err
    loose = tmp_path / "loose"
    loose.mkdir()
    (loose / "a.yaml").write_text("id: a\noperation: nope\nresponse: {status: 200}\n")
    code, _, err = _run("validate", str(loose))
    assert code == 0, err
    assert "operations unchecked" in err
