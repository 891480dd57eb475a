"""Content negotiation over real HTTP, with the Accept headers real clients send,
on a server generated from a corpus spec (petstore-expanded, OpenAPI 3.0)."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from mockc.compiler.driver import GenerateOptions, generate
from tests.support.corpus import CORPUS
from tests.support.servers import ServerProcess

SPEC = CORPUS / "openapi" / "oai-petstore-expanded-v3" / "petstore-expanded.yaml"

OCTOKIT_ACCEPT = "application/vnd.github.v3+json"
"""What @octokit/rest sends on every request."""
GH_ACCEPT = "application/vnd.github+json"
"""What the gh CLI (``gh api``) and GitHub's documentation send."""


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("negotiation") / "server"
    generate([SPEC], out, GenerateOptions(link_runtime=True))
    return out


@pytest.fixture(scope="module")
def server(generated: Path) -> Iterator[ServerProcess]:
    with ServerProcess([sys.executable, "server.py"], cwd=generated) as running:
        yield running


@pytest.mark.parametrize(
    "accept",
    [
        OCTOKIT_ACCEPT,
        GH_ACCEPT,
        "application/vnd.github.v3+json; charset=utf-8",
        "application/vnd.github.v3.raw+json;q=0.8, */*;q=0.1",
        "text/html;q=0.9, application/*;q=0.5",
        "*/*",
    ],
)
def test_real_clients_accept_headers_are_served(server: ServerProcess, accept: str) -> None:
    for path in ("/pets", "/pets/3"):
        response = httpx.get(server.url + path, headers={"Accept": accept})
        assert response.status_code == 200, response.text
        assert response.headers["content-type"] == "application/json"


def test_a_mock_answer_honours_suffix_types_too(server: ServerProcess) -> None:
    mock = {
        "id": "octo",
        "priority": 10,
        "operation": "find_pet_by_id",
        "response": {"status": 200, "body": {"id": 7, "name": "Octo"}},
    }
    created = httpx.post(f"{server.url}/__mockc/mocks", json=mock)
    assert created.status_code == 201, created.text
    try:
        response = httpx.get(f"{server.url}/pets/7", headers={"Accept": OCTOKIT_ACCEPT})
        assert response.status_code == 200
        assert response.json() == {"id": 7, "name": "Octo"}
        refused = httpx.get(f"{server.url}/pets/7", headers={"Accept": "text/html"})
        assert refused.status_code == 406
    finally:
        httpx.delete(f"{server.url}/__mockc/mocks/octo")


@pytest.mark.parametrize("accept", ["text/html", "image/png", "application/json;q=0"])
def test_refused_types_get_406_naming_what_is_available(server: ServerProcess, accept: str) -> None:
    response = httpx.get(f"{server.url}/pets/3", headers={"Accept": accept})
    assert response.status_code == 406
    assert response.json()["available"] == ["application/json"]


def test_without_validation_nothing_is_refused(generated: Path) -> None:
    env = {"MOCKC_VALIDATE": "0", "MOCKC_JOURNAL": "off"}
    with ServerProcess([sys.executable, "server.py"], cwd=generated, env=env) as running:
        for accept in ("text/html", "image/png", "application/json;q=0"):
            response = httpx.get(f"{running.url}/pets/3", headers={"Accept": accept})
            assert response.status_code == 200
            assert response.headers["content-type"] == "application/json"
