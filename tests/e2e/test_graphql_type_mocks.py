"""Type mocks and abstract types, over real HTTP with gql: a type mock
(``operation: User``) shapes every ``User`` whatever root field reaches it,
over the generated root mocks, unless a root mock of the user's says
otherwise; unions and interfaces answer a member the query's fragments name."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from gql import Client, gql
from gql.transport.httpx import HTTPXTransport

from tests.support.graphql_kit import SHOP_SDL
from tests.support.servers import ServerProcess

MOCKC = str(Path(sys.executable).with_name("mockc"))
TYPE_MOCK = {
    "id": "every-user",
    "operation": "User",
    "response": {"body": {"name": "Typed Name", "login": "typed", "email": "t@example.com"}},
}
ROOT_MOCK = {  # the user's own mock of a root field, beside the generated one
    "id": "the-user-by-login",
    "operation": "query_userByLogin",
    "match": {"body": {"login": "x"}},
    "response": {"body": {"name": "Root Says"}},
}


@pytest.fixture(scope="module")
def url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("shop")
    spec = folder / "shop.graphql"
    spec.write_text(SHOP_SDL)
    out = folder / "server"
    result = subprocess.run(
        [MOCKC, "generate", str(spec), "-o", str(out), "-q"], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    assert (out / "mocks" / "query_user.yaml").is_file()  # the generated root mocks stay
    for mock in (TYPE_MOCK, ROOT_MOCK):
        (out / "mocks" / f"{mock['id']}.yaml").write_text(yaml.safe_dump(mock))
    with ServerProcess([sys.executable, "server.py"], cwd=out) as server:
        yield f"{server.url}/graphql"


def _ask(url: str, query: str) -> dict[str, Any]:
    with Client(transport=HTTPXTransport(url=url)) as session:
        return session.execute(gql(query))


def test_a_type_mock_wins_over_the_generated_root_mock(url: str) -> None:
    data = _ask(url, '{ user(id: "7") { id name login } }')
    assert data["user"] == {"id": "7", "name": "Typed Name", "login": "typed"}


def test_a_type_mock_applies_wherever_the_type_is_reached(url: str) -> None:
    data = _ask(
        url,
        '{ users { name } order: node(id: "1") { ... on Order { customer { login } } } }',
    )
    assert {user["name"] for user in data["users"]} == {"Typed Name"}
    assert data["order"]["customer"]["login"] == "typed"
    created = _ask(url, 'mutation { register(login: "ada", email: "a@b.co") { name } }')
    assert created["register"]["name"] == "Typed Name"


def test_the_users_root_mock_says_otherwise_field_by_field(url: str) -> None:
    data = _ask(url, '{ userByLogin(login: "x") { name login email } }')
    # name: the root mock; login: the argument, echoed; email: the type mock
    assert data["userByLogin"] == {"name": "Root Says", "login": "x", "email": "t@example.com"}


def test_union_members_follow_the_query_fragments(url: str) -> None:
    only_products = '{ search(text: "lamp") { __typename ... on Product { title } } }'
    items = _ask(url, only_products)["search"]
    assert items and {item["__typename"] for item in items} == {"Product"}
    assert all(isinstance(item["title"], str) for item in items)
    two = (
        '{ search(text: "lamp") { __typename ...OrderBits ... on Product { title } } }'
        " fragment OrderBits on Order { number }"
    )
    first = _ask(url, two)["search"]
    assert {item["__typename"] for item in first} <= {"Product", "Order"}
    assert _ask(url, two)["search"] == first  # stable for the seed


def test_interface_members_follow_the_query_fragments(url: str) -> None:
    data = _ask(url, '{ node(id: "3") { __typename ... on Order { number } } }')
    assert data["node"]["__typename"] == "Order"
    assert isinstance(data["node"]["number"], int)
    by_interface = _ask(url, '{ search(text: "n") { __typename ... on Node { id } } }')
    assert {item["__typename"] for item in by_interface["search"]} <= {
        "User",
        "Product",
        "Order",
    }
