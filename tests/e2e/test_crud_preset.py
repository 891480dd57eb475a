"""The crud preset added next to the generated mocks, over real HTTP, on a
corpus spec (petstore-expanded, OpenAPI 3.0) and the todos fixture: it beats
the generated mocks of its operations, fills defaults and server-set fields,
answers errors in the spec's error shape, and pages and filters lists by the
parameters the spec declares."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import httpx
import pytest

from mockc.compiler.driver import GenerateOptions, generate
from tests.support.corpus import CORPUS
from tests.support.servers import ServerProcess

PETSTORE = CORPUS / "openapi" / "oai-petstore-expanded-v3" / "petstore-expanded.yaml"
TODOS = Path(__file__).parent / "fixtures" / "todos.yaml"


def _serve_with_crud(
    spec: Path, out: Path, collection: str, actions: dict[str, str]
) -> ServerProcess:
    generate([spec], out, GenerateOptions(link_runtime=True))
    generated = {path.name for path in (out / "mocks").iterdir()}
    assert generated >= {f"{operation}.yaml" for operation in actions}  # kept beside the crud
    for operation, action in actions.items():
        (out / "mocks" / f"crud-{operation}.yaml").write_text(
            f"operation: {operation}\ncrud: {{collection: {collection}, action: {action}}}\n",
            encoding="utf-8",
        )
    return ServerProcess([sys.executable, "server.py"], cwd=out)


@pytest.fixture
def pets(tmp_path: Path) -> Iterator[str]:
    actions = {"findPets": "list", "addPet": "create", "find_pet_by_id": "get"}
    actions["deletePet"] = "delete"
    with _serve_with_crud(PETSTORE, tmp_path / "pets", "pets", actions) as server:
        yield f"{server.url}/pets"


def test_crud_beats_the_generated_mocks_on_a_corpus_spec(pets: str) -> None:
    assert httpx.get(pets).json() == []
    created = httpx.post(pets, json={"name": "Rex", "tag": "dog"})
    assert created.status_code == 200  # the spec declares 200 for addPet
    assert created.json() == {"id": 1, "name": "Rex", "tag": "dog"}
    assert httpx.get(f"{pets}/1").json() == created.json()
    assert httpx.get(pets).json() == [created.json()]
    assert httpx.delete(f"{pets}/1").status_code == 204
    assert httpx.get(pets).json() == []


def test_errors_follow_the_declared_error_schema(pets: str) -> None:
    missing = httpx.get(f"{pets}/7")
    assert missing.status_code == 404
    assert missing.headers["content-type"] == "application/json"
    # the spec's Error: {code: integer (int32), message: string}, both required
    assert missing.json() == {"code": 404, "message": "pets 7 does not exist"}
    assert httpx.delete(f"{pets}/7").json() == {"code": 404, "message": "pets 7 does not exist"}


def test_lists_page_and_filter_by_declared_parameters(pets: str) -> None:
    for index, tag in enumerate(["cat", "dog", "cat", "bird", "cat"]):
        assert httpx.post(pets, json={"name": f"pet{index}", "tag": tag}).status_code == 200
    assert [pet["id"] for pet in httpx.get(pets, params={"limit": 2}).json()] == [1, 2]
    cats = httpx.get(pets, params={"tags": "cat"}).json()  # tags filters the tag property
    assert [pet["id"] for pet in cats] == [1, 3, 5]
    either = httpx.get(pets, params={"tags": ["cat", "bird"], "limit": 3}).json()
    assert [pet["id"] for pet in either] == [1, 3, 4]


@pytest.fixture
def todos(tmp_path: Path) -> Iterator[str]:
    actions = {
        "listTodos": "list",
        "createTodo": "create",
        "getTodo": "get",
        "replaceTodo": "replace",
        "patchTodo": "patch",
        "deleteTodo": "delete",
    }
    with _serve_with_crud(TODOS, tmp_path / "todos", "todos", actions) as server:
        yield f"{server.url}/todos"


def test_records_get_defaults_and_server_set_fields(todos: str) -> None:
    created = httpx.post(todos, json={"title": "write tests"})
    assert created.status_code == 201
    todo = created.json()
    assert todo["id"] == 1
    assert todo["done"] is False  # the schema's default
    stamp = datetime.fromisoformat(todo["createdAt"])  # readOnly date-time: set now
    assert stamp.tzinfo is not None
    assert httpx.get(f"{todos}/1").json() == todo
    forged = httpx.put(f"{todos}/1", json={"title": "again", "createdAt": "1999-01-01T00:00:00Z"})
    assert forged.status_code == 200
    assert forged.json() == {**todo, "title": "again"}  # readOnly kept from the record
    patched = httpx.patch(f"{todos}/1", json={"done": True}).json()
    assert patched == {**todo, "title": "again", "done": True}


def test_todos_page_by_page_and_per_page_and_filter_by_property(todos: str) -> None:
    for index in range(7):
        httpx.post(todos, json={"title": f"t{index}", "done": index % 3 == 0})
    page = httpx.get(todos, params={"page": 2, "per_page": 3}).json()
    assert [todo["id"] for todo in page] == [4, 5, 6]
    assert [todo["id"] for todo in httpx.get(todos, params={"page": 3, "per_page": 3}).json()] == [
        7
    ]
    done = httpx.get(todos, params={"done": "true"}).json()
    assert [todo["id"] for todo in done] == [1, 4, 7]
    assert len(httpx.get(todos).json()) == 7  # per_page defaults to 30


def test_todo_errors_use_the_problem_schema_or_problem_documents(todos: str) -> None:
    missing = httpx.get(f"{todos}/9")
    assert missing.status_code == 404
    assert missing.json() == {"title": "Not Found", "detail": "todos 9 does not exist"}
    undeclared = httpx.delete(f"{todos}/9")  # deleteTodo declares no error: a problem document
    assert undeclared.status_code == 404
    assert undeclared.headers["content-type"] == "application/problem+json"
