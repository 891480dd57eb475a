"""``mockc validate OUT`` and the admin API's reload on hostile mock files: the
generated mocks of a real corpus spec, mutated. A broken file is a located
problem (exit 1), never a traceback, and a reload never answers 5xx."""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mockc.compiler.cli import main
from mockc.compiler.driver import GenerateOptions, generate
from tests.fuzz.mutation import document_text, mutated
from tests.support.corpus import CORPUS
from tests.support.servers import ServerProcess

SPEC = CORPUS / "openapi" / "oai-petstore-expanded-v3" / "petstore-expanded.yaml"
FUZZ_EXAMPLES = int(os.environ.get("MOCKC_FUZZ_EXAMPLES", "60"))
_PROBLEM = re.compile(r"^\S*/mocks/fuzz\.(json|yaml)(:\d+:\d+)?: ", re.MULTILINE)


@pytest.fixture(scope="module")
def server_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("mocks") / "server"
    generate([SPEC], out, GenerateOptions())
    return out


@pytest.fixture(scope="module")
def generated_mocks(server_dir: Path) -> list[Any]:
    files = sorted((server_dir / "mocks").glob("*.yaml"))
    assert files
    return [yaml.safe_load(path.read_text(encoding="utf-8")) for path in files]


def validate(folder: Path) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["validate", str(folder)], env={"MOCKC_DEBUG": "1"})
    assert result.exception is None or isinstance(result.exception, SystemExit), (
        f"an exception escaped: {result.exception!r}"
    )
    return result.exit_code, result.output


def write_mock(server_dir: Path, text: str, as_json: bool) -> Path:
    for old in (server_dir / "mocks").glob("fuzz.*"):
        old.unlink()
    path = server_dir / "mocks" / ("fuzz.json" if as_json else "fuzz.yaml")
    path.write_text(text, encoding="utf-8", errors="surrogatepass")
    return path


@settings(
    max_examples=FUZZ_EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(data=st.data(), as_json=st.booleans())
def test_mutated_mock_files_validate_cleanly(
    server_dir: Path, generated_mocks: list[Any], data: st.DataObject, as_json: bool
) -> None:
    mock = data.draw(st.sampled_from(generated_mocks))
    document = data.draw(mutated(mock))
    text = document_text(document, as_json=as_json)
    if text is None:
        text, as_json = document_text(document, as_json=True) or "", True
    write_mock(server_dir, text, as_json)
    try:
        code, output = validate(server_dir)
    finally:
        write_mock(server_dir, "", True).unlink()
    assert code in (0, 1), output[-3000:]
    assert "internal error" not in output and "Traceback" not in output, output[-3000:]
    if code == 1:
        assert _PROBLEM.search(output), output[-3000:]


HOSTILE_MOCKS = {
    "lone-surrogate-key.json": (
        '{"operation": "addPet", "response": {"body": {"\\ud800": 1}}}',
        "mocks/lone-surrogate-key.json:1:48: invalid JSON: lone UTF-16 surrogate \\ud800",
    ),
    "lone-surrogate-value.json": (
        '{"operation": "addPet", "response": {"body": "\\udc00"}}',
        "invalid JSON: lone UTF-16 surrogate \\udc00",
    ),
    "deep.json": ("[" * 100_000 + "]" * 100_000, "nested more than 64 levels deep"),
    "huge-integer.json": (
        '{"operation": "addPet", "response": {"body": ' + "9" * 5_000 + "}}",
        "JSON integer of 5000 digits; the limit is 4300 digits",
    ),
}


@pytest.mark.parametrize("name", sorted(HOSTILE_MOCKS))
def test_hostile_json_mocks_are_located_problems(server_dir: Path, name: str) -> None:
    text, expected = HOSTILE_MOCKS[name]
    path = server_dir / "mocks" / name
    path.write_text(text, encoding="utf-8")
    try:
        code, output = validate(server_dir)
    finally:
        path.unlink()
    assert code == 1, output
    assert "internal error" not in output
    assert expected in output, output


@pytest.fixture
def running(server_dir: Path) -> Iterator[ServerProcess]:
    with ServerProcess([sys.executable, "server.py"], cwd=server_dir) as process:
        yield process


def test_reloading_hostile_mocks_reports_problems_and_keeps_serving(
    server_dir: Path, running: ServerProcess
) -> None:
    for name, (text, _) in HOSTILE_MOCKS.items():
        (server_dir / "mocks" / name).write_text(text, encoding="utf-8")
    try:
        response = httpx.post(f"{running.url}/__mockc/mocks/reload", timeout=10.0)
    finally:
        for name in HOSTILE_MOCKS:
            (server_dir / "mocks" / name).unlink()
    assert response.status_code == 200, response.text
    problems = response.json()["problems"]
    for name, (_, expected) in HOSTILE_MOCKS.items():
        assert any(
            name in problem and expected.split(": ", 1)[-1] in problem for problem in problems
        )
    assert httpx.get(f"{running.url}/pets", timeout=10.0).status_code == 200
