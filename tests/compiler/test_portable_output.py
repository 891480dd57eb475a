"""Generated output does not depend on where the project is checked out, and
spec file names reach generated files only as inert text."""

from __future__ import annotations

import ast
import hashlib
import json
import shutil
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from mockc.compiler.cli import main
from mockc.targets.common import comment_text, shown_sources

ROOT = Path(__file__).resolve().parents[2]
PETSTORE = ROOT / "examples" / "petstore" / "openapi.yaml"
SWAPI = ROOT / "tests" / "corpus" / "graphql" / "swapi" / "schema.graphql"
HOSTILE_NAME = 'pet"store\n# injected --> `x` \\ \u2028'


def _run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    return result.exit_code, result.stderr


def _tree(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and "__pycache__" not in p.parts
    }


def _project(root: Path) -> Path:
    (root / ".git").mkdir(parents=True)
    specs = root / "specs"
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
    shutil.copy(SWAPI, specs / "swapi.graphql")
    (root / "mockc.toml").write_text(
        '[[servers]]\nname = "petstore"\nspec = "specs/petstore.yaml"\nout = "out/petstore"\n'
        '\n[[servers]]\nname = "shop"\nspec = "specs/shop.yaml"\nout = "out/shop"\n'
        "link_runtime = true\n"
        '\n[[servers]]\nname = "swapi"\nspec = "specs/swapi.graphql"\nout = "out/swapi"\n'
        "link_runtime = true\n"
    )
    return root


def test_a_copied_project_is_up_to_date_in_its_new_place(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = _project(tmp_path / "alice" / "work")
    monkeypatch.chdir(first)
    code, err = _run("generate")
    assert code == 0, err
    for path, content in _tree(first / "out").items():
        assert str(tmp_path).encode() not in content, path
    header = (first / "out/shop/server.py").read_text().splitlines()[0]
    assert header.endswith("from ../../specs/shop.yaml, ../../specs/shared.yaml; do not edit")

    second = tmp_path / "elsewhere" / "bob-checkout"
    shutil.copytree(first, second)
    monkeypatch.chdir(second)
    code, err = _run("generate", "--check")
    assert code == 0, err
    assert err.count("up to date") == 3


def test_a_copied_output_folder_is_up_to_date_with_o(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = tmp_path / "one"
    first.mkdir()
    shutil.copy(PETSTORE, first / "petstore.yaml")
    code, err = _run("generate", str(first / "petstore.yaml"), "-o", str(first / "out"))
    assert code == 0, err
    second = tmp_path / "two" / "deeper"
    shutil.copytree(first, second)
    monkeypatch.chdir(second)
    code, err = _run("generate", "petstore.yaml", "-o", "out", "--check")
    assert code == 0, err


def test_a_folder_generated_with_absolute_paths_regenerates_keeping_edits(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Output of the versions that wrote the spec's absolute path into headers:
    its generated files are replaced without being taken for hand edits, and the
    user's mocks and hooks are kept."""
    project = _project(tmp_path / "project")
    monkeypatch.chdir(project)
    assert _run("generate")[0] == 0
    out = project / "out" / "petstore"
    manifest = json.loads((out / ".mockc/manifest.json").read_text())
    absolute = str((project / "specs" / "petstore.yaml").resolve())
    for path, entry in manifest["files"].items():
        if entry["owner"] != "generated":
            continue
        content = (out / path).read_bytes()
        old = content.replace(b"from ../../specs/petstore.yaml;", f"from {absolute};".encode())
        if old != content:
            (out / path).write_bytes(old)
            entry["sha256"] = hashlib.sha256(old).hexdigest()
    (out / ".mockc/manifest.json").write_text(json.dumps(manifest, indent=1, sort_keys=True))
    (out / ".mockc/cache.json").unlink()  # those versions kept no cache
    (out / ".mockc/.gitignore").unlink()
    assert absolute in (out / "Dockerfile").read_text()
    mock = out / "mocks" / "showPetById.yaml"
    mock.write_text(mock.read_text().replace("status: 200", "status: 203"))
    handlers = out / "handlers.py"
    handlers.write_text(handlers.read_text().replace("    return None\n", "    return 1\n", 1))

    code, err = _run("generate")
    assert code == 0, err
    assert absolute not in (out / "Dockerfile").read_text()
    assert "status: 203" in mock.read_text()
    assert "    return 1\n" in handlers.read_text()
    assert not (out / ".mockc" / "backup").exists()
    code, err = _run("generate", "--check")
    assert code == 0, err


def test_spec_file_names_reach_generated_files_as_inert_text(tmp_path: Path) -> None:
    for source, target in ((PETSTORE, "http"), (SWAPI, "graphql")):
        spec = tmp_path / f"{target}-{HOSTILE_NAME}{source.suffix}"
        shutil.copy(source, spec)
        out = tmp_path / f"out-{target}"
        code, err = _run("generate", str(spec), "-o", str(out), "--link-runtime")
        assert code == 0, err
        files = _tree(out)
        for path, content in files.items():
            text = content.decode()
            assert "\u2028" not in text, path
            assert not any(line.startswith("# injected") for line in text.split("\n")), path
            if path.endswith((".py", ".yaml", ".yml", ".graphql", ".txt", "Dockerfile")):
                assert text.startswith("# @generated") or path.startswith(
                    ("mocks/", ".mockc/", "handlers")
                )
        for path in ("server.py", "handlers.py"):
            ast.parse(files[path])
        for path in ("k8s.yaml", "docker-compose.yml"):
            list(yaml.safe_load_all(files[path]))
        readme = files["README.md"].decode()
        assert readme.splitlines()[0].count("-->") == 1
        assert readme.splitlines()[0].endswith("; do not edit -->")
        (sentence,) = [line for line in readme.splitlines() if line.startswith("Generated by")]
        assert sentence.split("`")[1] == comment_text(spec.name)


def test_comment_text_quotes_and_escapes_what_is_not_plain_path_text() -> None:
    assert comment_text("../../specs/pet-store_v1.yaml") == "../../specs/pet-store_v1.yaml"
    assert comment_text('a"b\nc') == '"a\\"b\\nc"'
    assert comment_text("a-->b") == '"a-\\u002d>b"'.replace(">", "\\u003e")
    assert comment_text("x\u2028y`") == '"x\\u2028y\\u0060"'
    assert "\n" not in comment_text("\x85\x0b\x0c\r\n")


def test_shown_sources_are_relative_to_the_output_folder(tmp_path: Path) -> None:
    spec = tmp_path / "specs" / "a.yaml"
    assert shown_sources([str(spec)], tmp_path / "out" / "a") == ("../../specs/a.yaml",)
    assert shown_sources([str(spec)], None) == ("a.yaml",)
    assert shown_sources(["https://example.com/a.yaml"], tmp_path) == (
        "https://example.com/a.yaml",
    )
