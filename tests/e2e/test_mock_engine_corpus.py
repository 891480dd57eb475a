"""The mock engine on a real spec of the corpus (the Swagger petstore-expanded
example, OpenAPI 3.0), over real HTTP: the crud preset, conditions on an
array query parameter, the near-miss report, and live edits."""

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
CRUD = {
    "findPets": "list",
    "addPet": "create",
    "find_pet_by_id": "get",
    "deletePet": "delete",
}


@pytest.fixture
def server(tmp_path: Path) -> Iterator[ServerProcess]:
    out = tmp_path / "server"
    generate([SPEC], out, GenerateOptions())
    assert sorted(path.stem for path in (out / "mocks").iterdir()) == sorted(CRUD)
    for operation, action in CRUD.items():
        (out / "mocks" / f"{operation}.yaml").write_text(
            f"id: {operation}\noperation: {operation}\n"
            f"crud: {{collection: pets, action: {action}}}\n",
            encoding="utf-8",
        )
    with ServerProcess([sys.executable, "server.py"], cwd=out) as running:
        yield running


def test_the_crud_preset_on_a_corpus_spec(server: ServerProcess) -> None:
    url = f"{server.url}/pets"
    created = httpx.post(url, json={"name": "Rex", "tag": "dog"})
    assert created.status_code == 200  # the spec declares 200 for addPet
    pet = created.json()
    assert pet == {"name": "Rex", "tag": "dog", "id": 1}
    assert httpx.get(f"{url}/1").json() == pet
    assert httpx.get(url).json() == [pet]
    assert httpx.delete(f"{url}/1").status_code == 204
    assert httpx.get(f"{url}/1").status_code == 404
    invalid = httpx.post(url, json={"tag": "no name"})
    assert invalid.status_code == 422  # the spec requires a name: validation first


def test_conditions_on_an_array_parameter_and_the_near_miss(server: ServerProcess) -> None:
    mock = {
        "id": "cats",
        "operation": "findPets",
        "priority": 10,
        "match": {"query": {"tags": {"contains": "cat"}, "limit": {"lte": 5}}},
        "response": {"status": 200, "body": [{"id": 9, "name": "Tom", "tag": "cat"}]},
    }
    assert httpx.post(f"{server.url}/__mockc/mocks", json=mock).status_code == 201
    cats = httpx.get(f"{server.url}/pets", params={"tags": ["cat", "dog"], "limit": 3})
    assert cats.json() == [{"id": 9, "name": "Tom", "tag": "cat"}]
    too_many = httpx.get(f"{server.url}/pets", params={"tags": "cat", "limit": 50})
    assert too_many.json() == []  # falls through to the crud list, which is empty
    journal = httpx.get(f"{server.url}/__mockc/journal", params={"path": "limit=50"}).json()
    entry = journal["entries"][0]
    assert entry["source"] == "mock:findPets"
    assert entry["operation"] == "findPets"
