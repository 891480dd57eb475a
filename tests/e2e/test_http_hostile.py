"""Requests and mocks that used to crash the HTTP adapter (500), over real HTTP
on a server generated from a corpus spec (petstore-expanded, OpenAPI 3.0)."""

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
    out = tmp_path_factory.mktemp("hostile") / "server"
    generate([SPEC], out, GenerateOptions(link_runtime=True))
    return out


@pytest.fixture(scope="module")
def server(generated: Path) -> Iterator[ServerProcess]:
    with ServerProcess([sys.executable, "server.py"], cwd=generated) as running:
        yield running


@pytest.mark.parametrize(
    "body",
    [
        b'{"name": "Rex", "\\ud800": 1}',
        b'{"name": "\\udfff"}',
        b'["\\ud800"]',
        b'{"name": 1, "\\ud800": 2}',
    ],
)
def test_a_lone_surrogate_in_a_json_body_is_no_server_error(
    server: ServerProcess, body: bytes
) -> None:
    response = httpx.post(
        f"{server.url}/pets", content=body, headers={"content-type": "application/json"}
    )
    assert response.status_code < 500, response.text


@pytest.mark.parametrize("code", ["999", "600", "100", "101", "0", "①②③", "٤٠٤"])
def test_prefer_code_outside_final_statuses_is_refused(server: ServerProcess, code: str) -> None:
    response = httpx.get(f"{server.url}/pets/1", headers={"Prefer": f"code={code}".encode()})
    assert response.status_code == 400
    assert response.json()["title"] == "Cannot honour Prefer"


def test_prefer_code_of_a_declared_response_is_honoured(server: ServerProcess) -> None:
    # find_pet_by_id declares 200 and default: default covers any error status
    response = httpx.get(f"{server.url}/pets/1", headers={"Prefer": "code=404"})
    assert response.status_code == 404
    assert set(response.json()) <= {"code", "message"}


@pytest.mark.parametrize("value", ["a\x00b", "a\r\nX-Injected: 1", "line\nfeed", "bell\x07"])
def test_a_mock_header_with_control_characters_is_refused(
    server: ServerProcess, value: str
) -> None:
    mock = {
        "id": "bad-header",
        "operation": "find_pet_by_id",
        "response": {"status": 200, "headers": {"X-Trace": value}, "body": {}},
    }
    response = httpx.post(f"{server.url}/__mockc/mocks", json=mock)
    assert response.status_code == 422, response.text
    assert "X-Trace" in response.text and "control character" in response.text
    assert httpx.get(f"{server.url}/pets/1").status_code == 200


def test_headers_rendered_from_the_request_are_sent_safely(server: ServerProcess) -> None:
    mock = {
        "id": "echo-header",
        "operation": "find_pet_by_id",
        "priority": 10,
        "response": {
            "status": 200,
            "headers": {"X-Echo": "{{ request.query.echo }}"},
            "body": {"id": 1, "name": "Echo"},
        },
    }
    assert httpx.post(f"{server.url}/__mockc/mocks", json=mock).status_code == 201
    try:
        response = httpx.get(f"{server.url}/pets/1", params={"echo": "a\r\nX-Injected: 1\x00"})
        assert response.status_code == 200
        assert "x-injected" not in response.headers
        assert response.headers["x-echo"].startswith("a  X-Injected: 1")
    finally:
        httpx.delete(f"{server.url}/__mockc/mocks/echo-header")


def test_mock_files_with_bad_headers_are_errors_with_their_place(generated: Path) -> None:
    (generated / "mocks" / "nul.json").write_text(
        '{"operation": "find_pet_by_id",\n "response": {"headers": {"X-A": "a\\u0000b",'
        ' "Bad Name": "x"}}}\n',
        encoding="utf-8",
    )
    try:
        result = CliRunner().invoke(main, ["validate", str(generated)], catch_exceptions=False)
    finally:
        (generated / "mocks" / "nul.json").unlink()
    assert result.exit_code == 1, result.output
    assert "nul.json:2:" in result.output
    assert "U+0000" in result.output
    assert "'Bad Name' is not a valid field name" in result.output
