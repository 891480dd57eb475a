"""Mocks of root fields and of types, errors alongside data, state, hooks."""

from __future__ import annotations

import time
from typing import Any

from mockc.runtime.settings import CoreSettings
from tests.support.graphql_kit import Shop, check_result


def _mock(operation: str, response: Any = None, **keys: Any) -> dict[str, Any]:
    document: dict[str, Any] = {"operation": operation, **keys}
    if response is not None:
        document["response"] = response
    return document


def test_a_root_field_mock_answers_when_its_arguments_match(shop: Shop) -> None:
    server = shop(
        {
            "luke": _mock(
                "query_user",
                {"body": {"id": "1", "name": "Luke", "orders": [{"number": 42}]}},
                match={"body": {"id": "1"}},
            ),
            "leia": _mock(
                "query_user", {"body": {"name": "Leia"}}, match={"when": 'request.body.id == "2"'}
            ),
        }
    )
    luke = server.data('{ user(id: "1") { id name login orders { number status } } }')["user"]
    assert (luke["id"], luke["name"], luke["orders"][0]["number"]) == ("1", "Luke", 42)
    assert len(luke["orders"]) == 1
    assert luke["login"] and luke["orders"][0]["status"], "fields a mock leaves out are faked"
    assert server.data('{ user(id: "2") { name } }') == {"user": {"name": "Leia"}}
    assert server.data('{ user(id: "3") { name } }')["user"]["name"] not in ("Luke", "Leia")


def test_arguments_in_templates(shop: Shop) -> None:
    server = shop(
        {
            "by-login": _mock(
                "query_userByLogin",
                {
                    "body": {
                        "name": "User {{ request.body.login | upper }}",
                        "id": "{{ request.query.login }}",
                    }
                },
            )
        }
    )
    data = server.data('{ userByLogin(login: "ada") { id name } }')
    assert data == {"userByLogin": {"id": "ada", "name": "User ADA"}}


def test_a_type_mock_answers_every_object_of_its_type(shop: Shop) -> None:
    server = shop(
        {
            "every-user": _mock("User", {"body": {"name": "Ada", "role": "ADMIN"}}),
            "luke": _mock("query_user", {"body": {"name": "Luke"}}, match={"body": {"id": "1"}}),
        }
    )
    users = server.data("{ users { name role orders { customer { name } } } }")["users"]
    assert {user["name"] for user in users} == {"Ada"}
    assert users[0]["orders"][0]["customer"]["name"] == "Ada"
    luke = server.data('{ user(id: "1") { name role } }')["user"]
    assert luke == {"name": "Luke", "role": "ADMIN"}, "the parent's data wins, the type mock fills"


def test_a_type_mock_can_match_on_the_objects_id(shop: Shop) -> None:
    server = shop(
        {"seven": _mock("User", {"body": {"name": "Seven"}}, match={"path": {"id": "7"}})}
    )
    assert server.data('{ user(id: "7") { name } }') == {"user": {"name": "Seven"}}
    assert server.data('{ user(id: "8") { name } }')["user"]["name"] != "Seven"


def test_errors_in_mock_data_are_field_errors_alongside_data(shop: Shop) -> None:
    server = shop(
        {
            "user": _mock(
                "query_user",
                {
                    "body": {
                        "name": "Luke",
                        "email": {"$error": "hidden"},
                        "homepage": {
                            "$error": {"message": "no access", "extensions": {"code": "FORBIDDEN"}}
                        },
                        "friends": [{"name": "Han"}, {"$error": "gone"}],
                    }
                },
            )
        }
    )
    query = '{ user(id: "1") { name homepage friends { name } } users { id } }'
    document = server.post(query).json()
    assert document["data"]["user"] == {
        "name": "Luke",
        "homepage": None,
        "friends": [{"name": "Han"}, None],
    }
    assert len(document["data"]["users"]) == 2
    errors = {tuple(error["path"]): error for error in document["errors"]}
    assert errors[("user", "homepage")]["message"] == "no access"
    assert errors[("user", "homepage")]["extensions"] == {"code": "FORBIDDEN"}
    assert errors[("user", "homepage")]["locations"] == [{"line": 1, "column": 24}]
    assert errors[("user", "friends", 1)]["message"] == "gone"
    assert check_result(server.schema, query, document) == []
    propagated = server.post('{ user(id: "1") { name email } }').json()
    assert propagated["data"] == {"user": None}, "a non-null field's error nulls its parent"
    assert propagated["errors"][0]["path"] == ["user", "email"]


def test_a_status_that_is_not_a_success_is_a_field_error(shop: Shop) -> None:
    server = shop(
        {
            "missing": _mock(
                "query_user",
                {"status": 404, "body": {"message": "no user 9"}},
                match={"body": {"id": "9"}},
            )
        }
    )
    document = server.post('{ user(id: "9") { name } version }').json()
    assert document["data"]["user"] is None and document["data"]["version"]
    assert document["errors"] == [
        {
            "message": "no user 9",
            "locations": [{"line": 1, "column": 3}],
            "path": ["user"],
            "extensions": {"code": "NOT_FOUND", "status": 404},
        }
    ]


def test_unmatched_policy_404_is_an_error_naming_the_closest_mock(shop: Shop) -> None:
    server = shop(
        {"one": _mock("query_user", {"body": {"name": "x"}}, match={"body": {"id": "1"}})},
        settings=CoreSettings(unmatched="404", journal="off"),
    )
    error = server.post('{ user(id: "2") { name } }').json()["errors"][0]
    assert error["extensions"]["code"] == "NOT_FOUND"
    assert error["extensions"]["near_miss"][0]["mock"] == "one"


def test_abstract_values_from_mocks(shop: Shop) -> None:
    server = shop(
        {
            "search": _mock(
                "query_search",
                {
                    "body": [
                        {"__typename": "Product", "title": "Lamp"},
                        {"number": 7},
                        {"login": "ada"},
                    ]
                },
            ),
            "node": _mock("query_node", {"body": {"__typename": "Category"}}),
        }
    )
    found = server.data(
        '{ search(text: "x") { __typename ... on Product { title } ... on Order { number }'
        " ... on User { login } } }"
    )["search"]
    assert found == [
        {"__typename": "Product", "title": "Lamp"},
        {"__typename": "Order", "number": 7},
        {"__typename": "User", "login": "ada"},
    ]
    wrong = server.post('{ node(id: "1") { id } }').json()
    assert "not a possible type of Node" in wrong["errors"][0]["message"]


def test_mutations_keep_state_so_created_objects_can_be_queried(shop: Shop) -> None:
    server = shop(
        {
            "register": _mock(
                "mutation_register",
                crud={"collection": "users", "action": "create", "id_type": "uuid"},
            ),
            "users": _mock("query_users", crud={"collection": "users", "action": "list"}),
            "user": _mock(
                "query_user",
                crud={"collection": "users", "action": "get", "id_param": "id", "id_type": "uuid"},
            ),
            "create": _mock(
                "mutation_createUser",
                actions=['state.put("user:" + request.body.input.login, request.body.input)'],
                response={"body": "{{ request.body.input }}"},
            ),
            "by-login": _mock(
                "query_userByLogin", {"body": "{{ state.get('user:' + request.body.login) }}"}
            ),
        }
    )
    assert server.data("{ users { id } }") == {"users": []}
    created = server.data(
        'mutation { register(login: "ada", email: "ada@example.com") { id login email } }'
    )["register"]
    assert created["login"] == "ada"
    listed = server.data("{ users { id login } }")["users"]
    assert listed == [{"id": created["id"], "login": "ada"}]
    fetched = server.data(f'{{ user(id: "{created["id"]}") {{ login email }} }}')
    assert fetched == {"user": {"login": "ada", "email": "ada@example.com"}}
    missing = server.post('{ user(id: "nobody") { login } }').json()
    assert missing["errors"][0]["extensions"]["code"] == "NOT_FOUND"

    server.data('mutation { createUser(input: {login: "bob", email: "b@example.com"}) { login } }')
    bob = server.data('{ userByLogin(login: "bob") { login email role } }')["userByLogin"]
    assert bob == {"login": "bob", "email": "b@example.com", "role": "CUSTOMER"}


def test_hooks_answer_root_fields_and_types(shop: Shop) -> None:
    def query_version(request: Any) -> Any:
        return request.reply(body="v-" + request.headers.get("x-client", "none"))

    def User(request: Any) -> Any:  # noqa: N802 - named like the type
        return request.reply(body={"name": "Hooked " + request.path["id"]})

    server = shop(hooks={"query_version": query_version, "User": User})
    response = server.post("{ version }", headers={"x-client": "tests"})
    assert response.json() == {"data": {"version": "v-tests"}}
    assert server.data('{ user(id: "3") { name } }') == {"user": {"name": "Hooked 3"}}

    def broken(request: Any) -> Any:
        raise RuntimeError("boom")

    failing = shop(hooks={"query_version": broken})
    error = failing.post("{ version }").json()["errors"][0]
    assert error["extensions"] == {"code": "HOOK_FAILED"} and "boom" in error["message"]


def test_delays_and_faults(shop: Shop) -> None:
    server = shop(
        {
            "slow": _mock("query_version", {"body": "1", "delay": 300}),
            "broken": _mock("query_users", {"body": [], "fault": {"kind": "malformed"}}),
            "failing": _mock(
                "query_matrix", {"body": [], "fault": {"kind": "error", "status": 503}}
            ),
        }
    )
    started = time.monotonic()
    assert server.data("{ version }") == {"version": "1"}
    assert time.monotonic() - started >= 0.3
    malformed = server.post("{ users { id } }")
    assert malformed.content.endswith(b"\x00\xff")
    error = server.post("{ matrix }").json()["errors"][0]
    assert error["extensions"]["code"] == "SERVICE_UNAVAILABLE"


def test_the_server_wide_error_rate(shop: Shop) -> None:
    server = shop(settings=CoreSettings(error_rate=1.0, journal="off"))
    document = server.post("{ version users { id } }").json()
    assert {error["extensions"]["code"] for error in document["errors"]} == {
        "INTERNAL_SERVER_ERROR"
    }
    assert document["data"] is None
