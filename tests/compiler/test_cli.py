"""The ``mockc`` command: output, exit codes, and errors that name the place."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from mockc.compiler.cli import EXIT_BAD_INPUT, EXIT_USAGE, main

ROOT = Path(__file__).resolve().parents[2]
PETSTORE = ROOT / "examples" / "petstore" / "openapi.yaml"


def _run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def test_help_exists_for_every_command() -> None:
    for command in ("generate", "serve", "inspect", "validate"):
        code, out, _ = _run(command, "--help")
        assert code == 0
        assert "Usage: " in out and command in out


def test_inspect_prints_the_ir_as_json() -> None:
    code, out, _ = _run("inspect", str(PETSTORE))
    assert code == 0
    api = json.loads(out)
    assert api["title"] == "Swagger Petstore"
    ids = [operation["id"] for operation in api["operations"]]
    assert ids == ["listPets", "createPet", "showPetById", "deletePet"]
    get = api["operations"][2]
    assert get["binding"] == get["binding"] | {
        "kind": "http",
        "method": "GET",
        "path": "/pets/{petId}",
    }


def test_validate_reports_ok() -> None:
    code, _, err = _run("validate", str(PETSTORE))
    assert code == 0
    assert "ok: 4 operation(s)" in err


def test_generate_writes_a_server_and_reports(tmp_path: Path) -> None:
    code, _, err = _run("generate", str(PETSTORE), "-o", str(tmp_path / "out"))
    assert code == 0, err
    assert (tmp_path / "out" / "server.py").is_file()
    assert "4 operations" in err


def test_a_broken_ref_names_file_and_pointer(tmp_path: Path) -> None:
    spec = tmp_path / "broken.yaml"
    spec.write_text(
        "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n"
        "      responses:\n        '200':\n          description: ok\n          content:\n"
        "            application/json:\n              schema:\n"
        "                $ref: '#/components/schemas/Missing'\n"
    )
    code, _, err = _run("generate", str(spec), "-o", str(tmp_path / "out"))
    assert code == EXIT_BAD_INPUT
    assert str(spec) in err
    assert "#/paths/~1a/get/responses/200/content/application~1json/schema" in err
    assert "Traceback" not in err
    assert not (tmp_path / "out").exists()


def test_malformed_yaml_names_line_and_column(tmp_path: Path) -> None:
    spec = tmp_path / "bad.yaml"
    spec.write_text("openapi: 3.0.3\ninfo: {title: t, version: '1'\npaths: {}\n")
    code, _, err = _run("validate", str(spec))
    assert code == EXIT_BAD_INPUT
    assert f"{spec}:3:" in err or f"{spec}:2:" in err
    assert "Traceback" not in err


def test_missing_spec_and_not_a_spec(tmp_path: Path) -> None:
    code, _, err = _run("validate", str(tmp_path / "nope.yaml"))
    assert code == EXIT_BAD_INPUT
    assert "nope.yaml" in err and "no such file" in err
    other = tmp_path / "notes.txt"
    other.write_text("hello\n")
    code, _, err = _run("validate", str(other))
    assert code == EXIT_BAD_INPUT
    assert "notes.txt" in err and "not a spec" in err


def test_refuses_a_folder_it_did_not_generate(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "precious.txt").write_text("mine")
    code, _, err = _run("generate", str(PETSTORE), "-o", str(out))
    assert code == EXIT_BAD_INPUT
    assert "not empty" in err
    assert (out / "precious.txt").read_text() == "mine"
    assert sorted(p.name for p in out.iterdir()) == ["precious.txt"]


def test_a_damaged_manifest_is_refused_not_guessed(tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert _run("generate", str(PETSTORE), "-o", str(out))[0] == 0
    (out / ".mockc" / "manifest.json").write_text("{not json")
    code, _, err = _run("generate", str(PETSTORE), "-o", str(out))
    assert code == EXIT_BAD_INPUT
    assert "manifest is damaged" in err


def test_usage_errors_have_their_own_exit_code() -> None:
    code, _, _ = _run("generate", str(PETSTORE))  # no -o
    assert code == EXIT_USAGE


@pytest.mark.parametrize("args", [["--version"], ["validate", str(PETSTORE)]])
def test_the_console_script_runs(args: list[str]) -> None:
    mockc = Path(sys.executable).with_name("mockc")
    result = subprocess.run([str(mockc), *args], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
