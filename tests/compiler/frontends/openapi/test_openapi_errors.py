"""Malformed specs are rejected with located diagnostics, never a traceback."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from mockc.compiler.errors import RefError, SpecError, UnsupportedSpecError
from mockc.compiler.frontends import openapi

HEAD = 'openapi: 3.0.0\ninfo: {title: T, version: "1"}\n'


def write(directory: Path, name: str, text: str) -> Path:
    path = directory / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def response_ref(ref: str) -> str:
    return HEAD + textwrap.dedent(
        f"""\
        paths:
          /a:
            get:
              responses:
                "200":
                  description: ok
                  content:
                    application/json:
                      schema: {{$ref: '{ref}'}}
        """
    )


def test_bad_yaml_reports_the_yaml_position(tmp_path: Path) -> None:
    path = write(tmp_path, "bad.yaml", HEAD + "paths:\n  /a: [unclosed\n")
    with pytest.raises(SpecError) as caught:
        openapi.load(path)
    (diagnostic,) = caught.value.diagnostics
    assert (diagnostic.file, diagnostic.line, diagnostic.column) == (str(path), 5, 1)
    assert "invalid YAML" in diagnostic.message


def test_bad_json_reports_the_json_position(tmp_path: Path) -> None:
    path = write(tmp_path, "bad.json", '{\n  "openapi": "3.0.0",\n  "info": }\n')
    with pytest.raises(SpecError) as caught:
        openapi.load(path)
    assert caught.value.render(excerpt=False).startswith(f"{path}:3:11: error: invalid JSON")


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(SpecError) as caught:
        openapi.load(tmp_path / "nowhere.yaml")
    assert caught.value.diagnostics[0].file == str(tmp_path / "nowhere.yaml")
    assert "cannot read file" in caught.value.diagnostics[0].message


def test_empty_file(tmp_path: Path) -> None:
    path = write(tmp_path, "empty.yaml", "\n")
    with pytest.raises(SpecError, match="document is empty") as caught:
        openapi.load(path)
    assert caught.value.diagnostics[0].file == str(path)


def test_document_not_a_mapping(tmp_path: Path) -> None:
    path = write(tmp_path, "list.yaml", "- openapi\n")
    with pytest.raises(SpecError, match="must be a mapping, not a list") as caught:
        openapi.load(path)
    assert caught.value.diagnostics[0].pointer == ""


def test_unknown_version(tmp_path: Path) -> None:
    path = write(tmp_path, "v4.yaml", 'info: {title: T}\nopenapi: "4.0.0"\npaths: {}\n')
    with pytest.raises(UnsupportedSpecError) as caught:
        openapi.load(path)
    (diagnostic,) = caught.value.diagnostics
    assert (diagnostic.file, diagnostic.pointer, diagnostic.line) == (str(path), "/openapi", 2)
    assert "unsupported OpenAPI version '4.0.0'" in diagnostic.message


def test_paths_not_a_mapping(tmp_path: Path) -> None:
    path = write(tmp_path, "paths.yaml", HEAD + "paths: [/a, /b]\n")
    with pytest.raises(SpecError) as caught:
        openapi.load(path)
    (diagnostic,) = caught.value.diagnostics
    assert (diagnostic.pointer, diagnostic.line, diagnostic.column) == ("/paths", 3, 1)
    assert diagnostic.message == "paths must be a mapping, not a list"


def test_ref_to_missing_file(tmp_path: Path) -> None:
    path = write(tmp_path, "api.yaml", response_ref("models/missing.yaml"))
    with pytest.raises(RefError) as caught:
        openapi.load(path)
    (diagnostic,) = caught.value.diagnostics
    assert diagnostic.file == str(path)
    assert diagnostic.pointer == (
        "/paths/~1a/get/responses/200/content/application~1json/schema/$ref"
    )
    assert (diagnostic.line, diagnostic.column) == (11, 24)
    assert str(tmp_path / "models/missing.yaml") in diagnostic.message


def test_ref_to_missing_pointer(tmp_path: Path) -> None:
    write(tmp_path, "models.yaml", "Pet: {type: object}\n")
    path = write(tmp_path, "api.yaml", response_ref("models.yaml#/Dog"))
    with pytest.raises(RefError, match="points to nothing: no 'Dog'") as caught:
        openapi.load(path)
    assert caught.value.diagnostics[0].line == 11


def test_remote_ref_needs_the_flag(tmp_path: Path) -> None:
    path = write(tmp_path, "api.yaml", response_ref("https://example.test/pet.yaml"))
    with pytest.raises(RefError, match="remote reference not fetched; pass --allow-remote-refs"):
        openapi.load(path)


def test_several_problems_in_one_error(tmp_path: Path) -> None:
    spec = HEAD + textwrap.dedent(
        """\
        paths:
          /a:
            get:
              parameters: [{$ref: '#/components/parameters/Nope'}]
              responses: {}
          /b: 42
        """
    )
    with pytest.raises(SpecError) as caught:
        openapi.load(write(tmp_path, "api.yaml", spec))
    pointers = [d.pointer for d in caught.value.diagnostics]
    assert pointers == ["/paths/~1a/get/parameters/0/$ref", "/paths/~1b"]
    assert not isinstance(caught.value, RefError)


def test_circular_ref(tmp_path: Path) -> None:
    spec = HEAD + textwrap.dedent(
        """\
        paths:
          /a: {$ref: '#/paths/~1b'}
          /b: {$ref: '#/paths/~1a'}
        """
    )
    with pytest.raises(RefError, match="circular"):
        openapi.load(write(tmp_path, "api.yaml", spec))


def test_detect() -> None:
    assert openapi.detect({"openapi": "3.1.0"}) and openapi.detect({"swagger": "2.0"})
    assert not openapi.detect({"asyncapi": "2.6.0"})
