"""Mocks that cannot work are refused where they enter: ``mockc validate`` and
the admin API, on a server generated from a corpus spec (petstore-expanded)."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from click.testing import CliRunner

from mockc.compiler.cli import main
from mockc.compiler.driver import GenerateOptions, generate
from tests.support.corpus import CORPUS
from tests.support.servers import ServerProcess

SPEC = CORPUS / "openapi" / "oai-petstore-expanded-v3" / "petstore-expanded.yaml"


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("checks") / "server"
    generate([SPEC], out, GenerateOptions(link_runtime=True))
    return out


def validate(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["validate", *args], catch_exceptions=False)
    return result.exit_code, result.output


def test_generated_mocks_pass_strict_validation(generated: Path) -> None:
    code, output = validate("--strict", str(generated))
    assert code == 0, output
    assert "0 error(s), 0 warning(s)" in output


def test_a_body_contradicting_its_schema_fails_strict_validation(generated: Path) -> None:
    mock = generated / "mocks" / "wrong-body.yaml"
    mock.write_text(
        "operation: find_pet_by_id\nresponse:\n  body: {id: 1, name: 42}\n", encoding="utf-8"
    )
    try:
        lenient = validate(str(generated))
        strict = validate("--strict", str(generated))
    finally:
        mock.unlink()
    assert lenient[0] == 0
    assert strict[0] == 1
    assert (
        "mocks/wrong-body.yaml:3:23: warning: response.body.name: 42 is not of type "
        '"string"' in strict[1]
    )


def test_every_problem_is_reported_in_one_run(generated: Path) -> None:
    mock = generated / "mocks" / "broken.yaml"
    mock.write_text(
        "operation: find_pet_by_id\nresponse: {status: abc, color: red}\n"
        "match: {query: {a: {eq: 1}}}\n",
        encoding="utf-8",
    )
    try:
        code, output = validate(str(generated))
    finally:
        mock.unlink()
    assert code == 1
    lines = [line for line in output.splitlines() if "broken.yaml" in line]
    assert len(lines) == 3, output
    assert "broken.yaml:2:20: status 'abc' is not an HTTP status" in lines[0]
    assert "broken.yaml:2:25: unknown key 'color'" in lines[1]
    assert "broken.yaml:3:21: unknown key 'eq'" in lines[2]


@pytest.fixture(scope="module")
def server(generated: Path) -> Iterator[ServerProcess]:
    with ServerProcess([sys.executable, "server.py"], cwd=generated) as running:
        yield running


@pytest.mark.parametrize(
    "response",
    [
        {"status": "abc"},
        {"status": "999"},
        {"status": 101},
        {"status": 200, "headers": {"X-A": "a\u0000b"}},
        {"status": 200, "surprise": True},
    ],
)
def test_the_admin_api_refuses_mocks_that_cannot_work(
    server: ServerProcess, response: dict[str, object]
) -> None:
    mock = {"id": "bad", "operation": "find_pet_by_id", "priority": 9, "response": response}
    refused = httpx.post(f"{server.url}/__mockc/mocks", json=mock)
    assert refused.status_code == 422, refused.text
    assert httpx.get(f"{server.url}/pets/1").status_code == 200
