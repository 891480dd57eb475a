"""Schemas that declare ``@defer``/``@stream`` (Shopify's Storefront API does):
every query answers, deferring queries answer ``multipart/mixed`` to clients
that accept it (the incremental-delivery-over-HTTP draft) and one plain
result to the others.

No maintained Python GraphQL client reads incremental multipart answers (gql
reads only Apollo's multipart *subscription* protocol), so the multipart
answers are read over a real connection with httpx and split by the standard
library's MIME parser; plain answers are read with gql."""

from __future__ import annotations

import email.parser
import email.policy
import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from gql import Client, gql
from gql.transport.httpx import HTTPXTransport

from tests.support.corpus import CORPUS
from tests.support.servers import ServerProcess

STOREFRONT = CORPUS / "graphql" / "shopify-storefront" / "storefront.schema.json"
MOCKC = str(Path(sys.executable).with_name("mockc"))
STREAMING_SDL = """
directive @defer(label: String, if: Boolean! = true) on FRAGMENT_SPREAD | INLINE_FRAGMENT
directive @stream(label: String, if: Boolean! = true, initialCount: Int = 0) on FIELD
type Query { greeting: String!  products(first: Int): [Product!]! }
type Product { id: ID!  title: String!  price: Float! }
"""
DEFERRING = '{ shop { name ... @defer(label: "more") { description moneyFormat } } }'
MULTIPART_ACCEPT = "multipart/mixed, application/graphql-response+json, application/json"


def _serve(spec: Path, out: Path) -> ServerProcess:
    result = subprocess.run(
        [MOCKC, "generate", str(spec), "-o", str(out), "-q"], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    return ServerProcess([sys.executable, "server.py"], cwd=out, start_timeout=60)


@pytest.fixture(scope="module")
def storefront(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with _serve(STOREFRONT, tmp_path_factory.mktemp("storefront") / "server") as server:
        yield f"{server.url}/graphql"


@pytest.fixture(scope="module")
def streaming(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("streaming")
    spec = folder / "catalog.graphql"
    spec.write_text(STREAMING_SDL)
    with _serve(spec, folder / "server") as server:
        yield f"{server.url}/graphql"


def _multipart(url: str, query: str, accept: str = MULTIPART_ACCEPT) -> list[dict[str, Any]]:
    """The JSON payloads of a multipart/mixed answer, in order."""
    with httpx.stream(
        "POST", url, json={"query": query}, headers={"accept": accept}, timeout=30
    ) as response:
        assert response.status_code == 200
        content_type = response.headers["content-type"]
        body = response.read()
    assert content_type == 'multipart/mixed; boundary="-"'
    message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(
        b"Content-Type: " + content_type.encode() + b"\r\n\r\n" + body
    )
    assert message.is_multipart() and not message.defects
    parts = list(message.iter_parts())
    assert all(part.get_content_type() == "application/json" for part in parts)
    return [json.loads(part.get_payload(decode=True)) for part in parts]


def _merge(initial: dict[str, Any], later: list[dict[str, Any]]) -> dict[str, Any]:
    """The complete data, from the current format's payloads."""
    data = json.loads(json.dumps(initial["data"]))
    pending = {item["id"]: item for item in initial.get("pending", [])}
    for payload in later:
        pending.update({item["id"]: item for item in payload.get("pending", [])})
        for item in payload.get("incremental", []):
            target: Any = data
            for key in [*pending[item["id"]]["path"], *item.get("subPath", [])]:
                target = target[key]
            if "items" in item:
                target.extend(item["items"])
            else:
                target.update(item["data"])
    return data


def test_plain_queries_answer_on_a_schema_declaring_defer(storefront: str) -> None:
    with Client(transport=HTTPXTransport(url=storefront)) as session:
        data = session.execute(gql("{ shop { name } products(first: 3) { nodes { title } } }"))
    assert isinstance(data["shop"]["name"], str)
    assert len(data["products"]["nodes"]) == 3


def test_a_client_without_multipart_gets_one_complete_result(storefront: str) -> None:
    with Client(transport=HTTPXTransport(url=storefront)) as session:
        data = session.execute(gql(DEFERRING))
    assert set(data["shop"]) == {"name", "description", "moneyFormat"}


def test_a_multipart_client_gets_the_deferred_fields_in_a_later_part(storefront: str) -> None:
    payloads = _multipart(storefront, DEFERRING)
    initial, *later = payloads
    assert initial["hasNext"] is True
    assert set(initial["data"]["shop"]) == {"name"}
    assert initial["pending"] == [{"id": "0", "path": ["shop"], "label": "more"}]
    assert later and later[-1]["hasNext"] is False
    assert [done["id"] for payload in later for done in payload.get("completed", [])] == ["0"]
    with Client(transport=HTTPXTransport(url=storefront)) as session:
        plain = session.execute(gql(DEFERRING))
    assert _merge(initial, later) == plain  # the same data, delivered in two steps


def test_apollo_clients_get_the_2022_payloads_they_read(storefront: str) -> None:
    accept = "multipart/mixed;deferSpec=20220824,application/json"
    initial, *later = _multipart(storefront, DEFERRING, accept)
    assert "pending" not in initial and initial["hasNext"] is True
    [entry] = [item for payload in later for item in payload.get("incremental", [])]
    assert entry["path"] == ["shop"] and entry["label"] == "more"
    assert set(entry["data"]) == {"description", "moneyFormat"}
    assert later[-1]["hasNext"] is False


def test_stream_sends_the_rest_of_a_list_in_later_parts(streaming: str) -> None:
    query = "{ greeting products(first: 4) @stream(initialCount: 1) { id title } }"
    initial, *later = _multipart(streaming, query)
    assert len(initial["data"]["products"]) == 1
    merged = _merge(initial, later)
    plain = httpx.post(streaming, json={"query": query}).json()["data"]
    assert merged == plain and len(plain["products"]) >= 2  # the generated mock has 2
    legacy_initial, *legacy = _multipart(
        streaming, query, "multipart/mixed;deferSpec=20220824, application/json"
    )
    paths = [item["path"] for payload in legacy for item in payload.get("incremental", [])]
    assert paths and paths[0] == ["products", 1]


def test_queries_without_defer_stay_plain_for_multipart_clients(streaming: str) -> None:
    response = httpx.post(
        streaming, json={"query": "{ greeting }"}, headers={"accept": MULTIPART_ACCEPT}
    )
    assert response.headers["content-type"].startswith("application/graphql-response+json")
    assert isinstance(response.json()["data"]["greeting"], str)


def test_invalid_defer_use_gets_a_spec_error(streaming: str) -> None:
    twice = '{ ... @defer(label: "a") { greeting } ... @defer(label: "a") { x: greeting } }'
    response = httpx.post(
        streaming,
        json={"query": twice},
        headers={"accept": MULTIPART_ACCEPT},
    )
    assert response.status_code == 400
    assert "label" in response.json()["errors"][0]["message"]


def test_a_client_reading_only_multipart_gets_plain_results_as_one_part(streaming: str) -> None:
    [only] = _multipart(streaming, "{ greeting }", accept="multipart/mixed")
    assert isinstance(only["data"]["greeting"], str) and "hasNext" not in only
