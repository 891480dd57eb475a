"""Answers without mocks: fake data shaped by the query, valid against the schema."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from graphql import GraphQLSchema

from mockc.runtime.graphql.app import GraphqlOptions
from tests.support.graphql_kit import (
    InProcess,
    Shop,
    build_query,
    check_result,
    root_fields,
    write_server,
)


def _fields(schema: GraphQLSchema) -> list[tuple[str, str]]:
    return [(root, name) for root in ("query", "mutation") for name in root_fields(schema, root)]


def test_every_root_field_answers_valid_data(shop: Shop) -> None:
    server = shop()
    for root, name in _fields(server.schema):
        query = build_query(server.schema, root, name, depth=4)
        response = server.post(query)
        assert response.status_code == 200
        document = response.json()
        assert "errors" not in document, (name, document)
        assert check_result(server.schema, query, document) == [], name


def test_answers_are_stable_per_path_whatever_else_is_selected(shop: Shop) -> None:
    server = shop()
    wide = server.data('{ user(id: "1") { name email orders { number } } }')
    narrow = server.data('{ user(id: "1") { email } }')
    assert narrow["user"]["email"] == wide["user"]["email"]
    assert server.data('{ user(id: "1") { name email } }') == server.data(
        '{ user(id: "1") { name email } }'
    )
    other = server.data('{ user(id: "2") { name email } }')
    assert other["user"] != {k: wide["user"][k] for k in ("name", "email")}


def test_arguments_named_like_a_field_are_echoed(shop: Shop) -> None:
    server = shop()
    assert server.data('{ user(id: "7") { id } }') == {"user": {"id": "7"}}
    assert server.data('{ userByLogin(login: "ada") { login } }')["userByLogin"]["login"] == "ada"


def test_list_lengths(shop: Shop) -> None:
    server = shop()
    assert len(server.data("{ users { id } }")["users"]) == 2
    assert len(server.data('{ user(id: "1") { orders(first: 5) { id } } }')["user"]["orders"]) == 5
    products = server.data("{ products(first: 4) { edges { node { id } } } }")["products"]
    assert len(products["edges"]) == 4, "a connection's page argument sizes its lists"
    capped = server.data('{ user(id: "1") { orders(first: 1000) { id } } }')["user"]["orders"]
    assert len(capped) == 100
    matrix = server.data("{ matrix }")["matrix"]
    assert [len(row) for row in matrix] == [2, 2]
    longer = shop(options=GraphqlOptions(list_length=3))
    assert len(longer.data("{ users { id } }")["users"]) == 3


def test_leaf_values(shop: Shop) -> None:
    server = shop()
    users = server.data(
        "{ users { role email createdAt homepage settings orders { status lines { product"
        " { sku price stock } } } } }"
    )["users"]
    for user in users:
        assert user["role"] in ("ADMIN", "CUSTOMER"), "deprecated values are not faked"
        assert "@" in user["email"]
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", user["createdAt"])
        assert user["homepage"].startswith("https://")
        assert isinstance(user["settings"], dict)
        for order in user["orders"]:
            assert order["status"] in ("PLACED", "SHIPPED", "DELIVERED")
            for line in order["lines"]:
                product = line["product"]
                assert re.fullmatch(
                    r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}",
                    product["sku"],
                )
                assert -(2**31) <= product["stock"] < 2**31


@pytest.mark.parametrize("text", ["a", "b", "c", "d", "e", "f"])
def test_abstract_types_resolve_to_a_possible_type(shop: Shop, text: str) -> None:
    server = shop()
    query = (
        f'{{ search(text: "{text}") {{ __typename ... on User {{ login }} ... on Product'
        ' { title } ... on Order { number } } node(id: "1") { __typename id } }'
    )
    data = server.data(query)
    assert {item["__typename"] for item in data["search"]} <= {"User", "Product", "Order"}
    assert data["node"]["__typename"] in ("User", "Product", "Order")
    assert data["node"]["id"] == "1"


def test_the_seed_changes_the_data(shop: Shop) -> None:
    from mockc.runtime.settings import CoreSettings

    first = shop().data('{ user(id: "1") { name email } }')
    again = shop().data('{ user(id: "1") { name email } }')
    other = shop(settings=CoreSettings(seed=5, journal="off")).data(
        '{ user(id: "1") { name email } }'
    )
    assert first == again != other


def test_nested_lists_stay_small(tmp_path: Path) -> None:
    """Lists of lists hold one item past the second level: 20 levels answer
    four values, not a million (the same rule as the generated mocks)."""
    sdl = "type Query { a: " + "[" * 20 + "Int" + "]" * 20 + " }"
    server = InProcess(write_server(tmp_path / "nested", sdl))
    try:
        data = server.post("{ a }").json()["data"]["a"]
    finally:
        server.close()
    assert len(json.dumps(data)) < 200
    assert len(data) == 2 and len(data[0]) == 2 and len(data[0][0]) == 1
