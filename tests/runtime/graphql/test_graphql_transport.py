"""GraphQL over HTTP: methods, media types, statuses; GraphiQL, health, admin, journal."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
from graphql import get_introspection_query

from mockc.runtime.graphql.app import GraphqlOptions
from mockc.runtime.graphql.graphiql import ASSETS
from mockc.runtime.settings import CoreSettings
from tests.support.graphql_kit import Shop

GQL = "application/graphql-response+json"


def _errors(response: httpx.Response) -> list[str]:
    return [error["message"] for error in response.json()["errors"]]


def test_post_and_get(shop: Shop) -> None:
    server = shop()
    posted = server.post("query Q($id: ID!) { user(id: $id) { id } }", {"id": "5"})
    assert posted.status_code == 200
    assert posted.headers["content-type"] == "application/json"
    assert posted.json() == {"data": {"user": {"id": "5"}}}
    got = server.request(
        "GET",
        "/graphql",
        params={"query": "query Q($id: ID!) { user(id: $id) { id } }", "variables": '{"id": "6"}'},
    )
    assert got.json() == {"data": {"user": {"id": "6"}}}
    raw = server.request(
        "POST", "/graphql", content="{ version }", headers={"content-type": "application/graphql"}
    )
    assert "version" in raw.json()["data"]
    form = server.request("POST", "/graphql", data={"query": "{ version }"})
    assert "version" in form.json()["data"]


def test_the_response_media_type_follows_accept(shop: Shop) -> None:
    server = shop()
    for accept, expected in (
        (None, "application/json"),
        ("*/*", "application/json"),
        ("application/json", "application/json"),
        (f"{GQL}, application/json;q=0.9", GQL),
        (f"application/json, {GQL}", GQL),
        (f"application/json, {GQL};q=0.5", "application/json"),
    ):
        headers = {"accept": accept} if accept else {}
        response = server.post("{ version }", headers=headers)
        assert response.headers["content-type"] == expected, accept
    refused = server.post("{ version }", headers={"accept": "text/csv"})
    assert refused.status_code == 406
    assert "Accept" in _errors(refused)[0]


def test_invalid_documents_get_spec_errors(shop: Shop) -> None:
    server = shop()
    query = "{ user(id: 1) { nope } }"
    legacy = server.post(query)
    assert legacy.status_code == 200, "application/json: GraphQL errors are 200"
    modern = server.post(query, headers={"accept": GQL})
    assert modern.status_code == 400
    assert modern.json() == {
        "errors": [
            {
                "message": "Cannot query field 'nope' on type 'User'. "
                "Did you mean 'name' or 'role'?",
                "locations": [{"line": 1, "column": 17}],
            }
        ]
    }
    syntax = server.post("{ user(", headers={"accept": GQL})
    assert syntax.status_code == 400
    assert syntax.json()["errors"][0]["message"].startswith("Syntax Error:")
    variables = server.post(
        "query Q($id: ID!) { user(id: $id) { id } }", {"id": None}, headers={"accept": GQL}
    )
    assert variables.status_code == 400 and "data" not in variables.json()
    unknown = server.post("query A { version } query B { version }", headers={"accept": GQL})
    assert unknown.status_code == 400
    assert "Must provide operation name" in _errors(unknown)[0]


def test_malformed_requests(shop: Shop) -> None:
    server = shop()
    cases = [
        (
            server.request(
                "POST", "/graphql", content=b"{", headers={"content-type": "application/json"}
            ),
            400,
        ),
        (server.request("POST", "/graphql", json={"variables": {}}), 400),
        (server.request("POST", "/graphql", json=["x"]), 400),
        (server.request("POST", "/graphql", json={"query": "{ version }", "variables": []}), 400),
        (
            server.request("POST", "/graphql", content=b"x", headers={"content-type": "text/csv"}),
            415,
        ),
        (server.request("PUT", "/graphql", json={"query": "{ version }"}), 405),
        (server.request("GET", "/graphql"), 400),
        (
            server.request(
                "GET",
                "/graphql",
                params={"query": 'mutation { register(login: "a", email: "b") { id } }'},
            ),
            405,
        ),
        (server.request("GET", "/elsewhere"), 404),
    ]
    for response, status in cases:
        assert response.status_code == status, response.text
        assert _errors(response)
    assert cases[5][0].headers["allow"] == "GET, POST"
    assert cases[7][0].headers["allow"] == "POST"
    small = shop(options=GraphqlOptions(max_body_bytes=100))
    assert small.post("{ version }" + " " * 200).status_code == 413


def test_subscriptions_are_refused_over_http(shop: Shop) -> None:
    response = shop().post("subscription { ticks }", headers={"accept": GQL})
    assert response.status_code == 400
    assert "WebSocket" in _errors(response)[0]


def test_introspection_can_be_turned_off(shop: Shop) -> None:
    schema = shop().data(get_introspection_query())["__schema"]
    assert schema["queryType"]["name"] == "Query"
    assert schema["subscriptionType"]["name"] == "Subscription"
    closed = shop(options=GraphqlOptions(introspection=False))
    assert "introspection" in _errors(closed.post("{ __schema { queryType { name } } }"))[0]
    assert closed.data("{ version }")


def test_graphiql_page_and_its_files(shop: Shop) -> None:
    server = shop()
    page = server.request("GET", "/graphql", headers={"accept": "text/html,*/*"})
    assert page.status_code == 200
    assert page.headers["content-type"] == "text/html; charset=utf-8"
    for name in ("react.production.min.js", "react-dom.production.min.js", "graphiql.min.js"):
        assert f'<script src="/graphql/graphiql/{name}">' in page.text
    assert "https://" not in page.text and "http://" not in page.text, "nothing from a CDN"
    for name, media_type in ASSETS.items():
        asset = server.request("GET", f"/graphql/graphiql/{name}")
        assert asset.status_code == 200 and asset.headers["content-type"] == media_type
    assert server.request("GET", "/graphql/graphiql/../app.py").status_code == 404
    off = shop(options=GraphqlOptions(graphiql=False))
    assert off.request("GET", "/graphql", headers={"accept": "text/html"}).status_code == 406


def test_health_metrics_and_the_admin_api(shop: Shop) -> None:
    server = shop()
    assert server.request("GET", "/health").json()["status"] == "ok"
    server.data("{ version }")
    metrics = server.request("GET", "/metrics").text
    assert 'operation="query_version"' in metrics
    paths = server.request("GET", "/__mockc/openapi.json").json()["paths"]
    assert "/__mockc/events/{operation}" in paths
    info = server.request("GET", "/__mockc/info").json()
    assert info["protocol"] == "graphql"
    assert {"query_user", "subscription_ticks", "User", "Order"} <= set(info["operations"])
    created = server.request(
        "POST",
        "/__mockc/mocks",
        json={"operation": "query_version", "response": {"body": "live"}},
    )
    assert created.status_code == 201
    assert server.data("{ version }") == {"version": "live"}


def test_requests_are_journaled(shop: Shop, tmp_path: Path) -> None:
    server = shop(settings=CoreSettings(journal=str(tmp_path / "journal.sqlite")))
    server.data('{ user(id: "1") { id } version }')
    server.post("{ nope }")
    server.app.service.journal.flush()
    found = server.app.service.journal.search(limit=10)["entries"]
    assert [(e["operation"], e["status"], e["protocol"]) for e in found] == [
        (None, "200", "graphql"),
        ("query_user", "200", "graphql"),
    ]
    assert json.loads(found[1]["request"]["body"]["data"])["query"].startswith("{ user")
