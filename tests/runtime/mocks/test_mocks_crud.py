"""The crud preset: a REST collection over the state store."""

from __future__ import annotations

from typing import Any

from mock_kit import OPERATIONS, Server, ask, body_of, http_operation

from mockc.runtime.engine import Content, Operation, Output, Reply, Request
from mockc.runtime.mocks import MockRegistry

ACTIONS = {
    "listPets": "list",
    "createPets": "create",
    "showPetById": "get",
    "replacePet": "replace",
    "patchPet": "patch",
    "deletePet": "delete",
}


def _collection(server: Server, **options: str) -> MockRegistry:
    extra = "".join(f", {key}: {value}" for key, value in options.items())
    for operation, action in ACTIONS.items():
        server.mock(
            f"{operation}.yaml",
            f"operation: {operation}\ncrud: {{collection: pets, action: {action}{extra}}}\n",
        )
    registry = server.registry()
    assert registry.problems() == []
    return registry


def _status(reply: Reply | None) -> str:
    assert reply is not None
    return str(reply.status)


def test_full_lifecycle_with_404s(server: Server) -> None:
    registry = _collection(server)
    assert body_of(ask(registry, "listPets")) == []
    created = ask(registry, "createPets", body={"name": "Tom", "id": 99})
    assert _status(created) == "201"
    assert body_of(created) == {"id": 1, "name": "Tom"}
    assert body_of(ask(registry, "createPets", body={"name": "Jerry"}))["id"] == 2
    assert body_of(ask(registry, "showPetById", path={"petId": 1})) == {"id": 1, "name": "Tom"}
    assert body_of(ask(registry, "showPetById", path={"petId": "2"}))["name"] == "Jerry"
    assert [pet["id"] for pet in body_of(ask(registry, "listPets"))] == [1, 2]

    replaced = ask(registry, "replacePet", path={"petId": 2}, body={"name": "Spike", "id": 5})
    assert (_status(replaced), body_of(replaced)) == ("200", {"id": 2, "name": "Spike"})
    patched = ask(registry, "patchPet", path={"petId": 2}, body={"tag": "dog", "id": 7})
    assert body_of(patched) == {"id": 2, "name": "Spike", "tag": "dog"}
    unset = ask(registry, "patchPet", path={"petId": 2}, body={"tag": None})
    assert body_of(unset) == {"id": 2, "name": "Spike"}

    deleted = ask(registry, "deletePet", path={"petId": 1})
    assert (_status(deleted), deleted.content if deleted else 1) == ("204", None)
    missing = ask(registry, "showPetById", path={"petId": 1})
    assert _status(missing) == "404"
    assert body_of(missing) == {"title": "Not Found", "detail": "pets 1 does not exist"}
    assert _status(ask(registry, "deletePet", path={"petId": 1})) == "404"
    assert _status(ask(registry, "replacePet", path={"petId": 9}, body={"name": "x"})) == "404"
    assert _status(ask(registry, "patchPet", path={"petId": 9}, body={})) == "404"
    assert _status(ask(registry, "showPetById", path={"petId": "abc"})) == "404"
    assert [pet["id"] for pet in body_of(ask(registry, "listPets"))] == [2]
    assert server.state.collection("pets").get("2") == {"id": 2, "name": "Spike"}


def test_the_id_is_the_last_path_parameter_unless_id_param_says(server: Server) -> None:
    registry = _collection(server)
    ask(registry, "createPets", body={"name": "Tom"})
    # Declaration order: ownerId, then petId; the last one names the record.
    found = ask(registry, "showPetById", path={"ownerId": 9, "petId": 1})
    assert body_of(found)["name"] == "Tom"
    server.mock(
        "showPetById.yaml",
        "operation: showPetById\ncrud: {collection: pets, action: get, id_param: ownerId}\n",
    )
    registry.load()
    assert _status(ask(registry, "showPetById", path={"ownerId": 9, "petId": 1})) == "404"
    assert _status(ask(registry, "showPetById", path={"ownerId": 1, "petId": 9})) == "200"


def test_uuid_ids_are_reproducible_per_seed(server: Server) -> None:
    registry = _collection(server, id_type="uuid", id_field="key")
    created = body_of(ask(registry, "createPets", body={"name": "Tom"}))
    assert len(created["key"]) == 36 and created["key"][14] == "4"
    fetched = ask(registry, "showPetById", path={"petId": created["key"]})
    assert body_of(fetched) == created
    server.state.clear()
    again = server.registry()
    assert body_of(ask(again, "createPets", body={"name": "Tom"}))["key"] == created["key"]


def test_given_ids_come_from_the_body_and_conflict(server: Server) -> None:
    registry = _collection(server, id_type="given", id_field="sku")
    created = ask(registry, "createPets", body={"sku": "A-1", "name": "Tom"})
    assert body_of(created) == {"sku": "A-1", "name": "Tom"}
    conflict = ask(registry, "createPets", body={"sku": "A-1"})
    assert _status(conflict) == "409"
    assert body_of(conflict)["detail"] == "pets A-1 already exists"
    assert _status(ask(registry, "createPets", body={"name": "no sku"})) == "400"
    assert _status(ask(registry, "showPetById", path={"petId": "A-1"})) == "200"


def test_bodies_that_are_not_objects_are_refused(server: Server) -> None:
    registry = _collection(server)
    assert _status(ask(registry, "createPets", body=[1, 2])) == "400"
    ask(registry, "createPets", body={"name": "Tom"})
    refused = ask(registry, "replacePet", path={"petId": 1}, body="text")
    assert _status(refused) == "400"
    assert "must be a JSON object" in body_of(refused)["detail"]


def test_list_can_wrap_and_statuses_follow_the_operation(server: Server) -> None:
    server.mock(
        "list.yaml", "operation: listPets\ncrud: {collection: c, action: list, wrap: items}\n"
    )
    server.mock("create.yaml", "operation: createPets\ncrud: {collection: c, action: create}\n")
    server.mock("delete.yaml", "operation: deleteOld\ncrud: {collection: c, action: delete}\n")
    registry = server.registry()
    ask(registry, "createPets", body={"name": "Tom"})
    assert body_of(ask(registry, "listPets")) == {"items": [{"id": 1, "name": "Tom"}]}
    # deleteOld declares 200 (not 204): it answers 200 with the removed record.
    removed = ask(registry, "deleteOld", path={"id": 1})
    assert (_status(removed), body_of(removed)) == ("200", {"id": 1, "name": "Tom"})


def test_an_operation_without_path_parameters_needs_id_param(server: Server) -> None:
    server.mock("get.yaml", "operation: showPetById\ncrud: {collection: c, action: get}\n")
    registry = server.registry()
    reply = ask(registry, "showPetById")
    assert _status(reply) == "500"
    assert "set crud.id_param" in body_of(reply)["detail"]


def test_crud_statuses_for_an_operation_declaring_only_200(server: Server) -> None:
    operations: dict[str, Operation] = dict(OPERATIONS)
    operations["createPets"] = OPERATIONS["listPets"].__class__(
        "createPets", OPERATIONS["listPets"].outputs
    )
    server.mock("create.yaml", "operation: createPets\ncrud: {collection: c, action: create}\n")
    registry = server.registry(operations=operations)
    reply: Any = registry.respond(operations["createPets"], _request(body={"a": 1}))
    assert reply.status == "200"


def _request(**fields: Any) -> Any:
    from mockc.runtime.engine import Request

    return Request("createPets", **fields)


def test_records_follow_the_declared_schema(server: Server) -> None:
    """Defaults, server-set fields, typed ids, a declared wrapper and error shape."""
    record = {
        "type": "object",
        "properties": {
            "key": {"type": "string", "readOnly": True},
            "name": {"type": "string"},
            "size": {"type": "integer", "default": 3},
            "secret": {"type": "string", "readOnly": True, "minLength": 5},
        },
    }
    page = {"type": "object", "properties": {"data": {"type": "array", "items": record}}}
    error = {
        "type": "object",
        "required": ["error"],
        "properties": {"error": {"type": "string"}, "status": {"type": "integer"}},
    }

    def outputs(status: str, schema: object) -> tuple[Output, ...]:
        return (
            Output(status, (Content("application/json", schema),)),
            Output("4XX", (Content("application/json", error),)),
        )

    operations = {
        "list": http_operation("list", outputs("200", page), path=()),
        "create": http_operation("create", outputs("201", record), path=()),
        "get": http_operation("get", outputs("200", record), path=("key",)),
    }
    for operation_id in operations:
        server.mock(
            f"{operation_id}.yaml",
            f"operation: {operation_id}\n"
            f"crud: {{collection: things, action: {operation_id}, id_field: key}}\n",
        )
    registry = server.registry(operations=operations)
    assert registry.problems() == []

    def call(operation_id: str, **fields: Any) -> Reply | None:
        return registry.respond(operations[operation_id], Request(operation_id, **fields))

    created = body_of(call("create", body={"name": "a", "key": "forged", "secret": "x"}))
    assert created["key"] == "1"  # a string id: counted, as text; the body's is ignored
    assert created["size"] == 3
    assert isinstance(created["secret"], str) and len(created["secret"]) >= 5
    assert body_of(call("list")) == {"data": [created]}
    assert body_of(call("get", path={"key": "1"})) == created
    missing = call("get", path={"key": "9"})
    assert (_status(missing), body_of(missing)) == (
        "404",
        {"error": "things 9 does not exist", "status": 404},
    )
