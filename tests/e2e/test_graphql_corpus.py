"""Generated servers of corpus schemas, asked with a real GraphQL client (gql):
every root query field (and every GitHub mutation), with nested selections,
answers what graphql-core validates against the schema; bad queries get spec errors."""

from __future__ import annotations

import sys
from collections.abc import Iterator

import httpx
import pytest
from gql import Client, gql
from gql.transport.exceptions import TransportQueryError
from gql.transport.httpx import HTTPXTransport
from graphql import (
    GraphQLSchema,
    build_client_schema,
    build_schema,
    get_introspection_query,
    lexicographic_sort_schema,
    print_schema,
)

from mockc.compiler.driver import GenerateOptions, generate
from tests.support.corpus import CORPUS
from tests.support.graphql_kit import build_query, check_result, root_fields
from tests.support.servers import ServerProcess

pytestmark = pytest.mark.slow

NAMES = ("swapi", "github", "saleor", "shopify-storefront")
_INTROSPECTION = get_introspection_query(
    specified_by_url=True,
    directive_is_repeatable=True,
    schema_description=True,
    input_value_deprecation=True,
    one_of=True,
)


class Served:
    def __init__(self, server: ServerProcess, schema: GraphQLSchema) -> None:
        self.server = server
        self.schema = schema
        self.url = f"{server.url}/graphql"
        with Client(transport=HTTPXTransport(url=self.url)) as session:
            introspection = session.execute(gql(_INTROSPECTION))
        # assume_valid: GitHub's schema breaks a rule graphql-core 3.3 added (an
        # implementation field deprecated while the interface's is not)
        self.fetched = build_client_schema(introspection, assume_valid=True)  # type: ignore[arg-type]
        self.client = Client(schema=self.fetched, transport=HTTPXTransport(url=self.url))
        self.session = self.client.connect_sync()

    def check(self, root: str, field: str) -> None:
        query = build_query(self.schema, root, field)
        data = self.session.execute(gql(query))
        problems = check_result(self.schema, query, {"data": data})
        assert problems == [], (field, problems)

    def close(self) -> None:
        self.client.close_sync()


@pytest.fixture(scope="module", params=NAMES)
def served(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Served]:
    name = request.param
    out = tmp_path_factory.mktemp(name) / "server"
    [spec] = sorted((CORPUS / "graphql" / name).glob("*schema.*"))
    generate([spec], out, GenerateOptions())
    schema = build_schema((out / "schema.graphql").read_text(), assume_valid=True)
    with ServerProcess([sys.executable, "server.py"], cwd=out, start_timeout=60) as server:
        found = Served(server, schema)
        yield found
        found.close()


def test_every_root_query_field_answers_valid_data(served: Served) -> None:
    fields = root_fields(served.schema, "query")
    assert fields
    for field in fields:
        served.check("query", field)


def test_mutations_answer_valid_data(served: Served) -> None:
    fields = root_fields(served.schema, "mutation")
    if not fields:
        pytest.skip("the schema has no mutations")
    step = 1 if len(fields) < 300 else 3  # Saleor's 332: every third
    for field in fields[::step]:
        served.check("mutation", field)


def test_introspection_answers_the_served_schema(served: Served) -> None:
    assert print_schema(lexicographic_sort_schema(served.fetched)) == print_schema(
        lexicographic_sort_schema(served.schema)
    )


def test_invalid_queries_get_spec_errors(served: Served) -> None:
    raw = Client(transport=HTTPXTransport(url=served.url))
    with raw as session, pytest.raises(TransportQueryError) as raised:
        session.execute(gql("{ thisFieldDoesNotExist }"))
    error = raised.value.errors[0]  # type: ignore[index]
    assert error["message"].startswith("Cannot query field 'thisFieldDoesNotExist'")
    assert error["locations"] and error["locations"][0]["column"] == 3
    response = httpx.post(
        served.url,
        json={"query": "{ __typename("},
        headers={"accept": "application/graphql-response+json"},
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["message"].startswith("Syntax Error")
