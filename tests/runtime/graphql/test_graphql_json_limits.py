"""GraphQL requests whose JSON is past the limits: a GraphQL error naming the limit
(status 400), never a 500."""

from __future__ import annotations

import pytest

from mockc.runtime.settings import CoreSettings
from tests.support.graphql_kit import Shop


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (b"[" * 200_000 + b"]" * 200_000, "nested deeper than 256 levels"),
        (
            b'{"query": "{ version }", "variables": {"n": ' + b"1" * 5_000 + b"}}",
            "integer of 5000 digits",
        ),
        (b'{"query": "{ version }", "variables": {"\\ud800": 1}}', "lone UTF-16 surrogate"),
    ],
)
def test_json_past_the_limits_is_a_graphql_error(shop: Shop, body: bytes, expected: str) -> None:
    response = shop().request(
        "POST", "/graphql", content=body, headers={"content-type": "application/json"}
    )
    assert response.status_code == 400
    (error,) = response.json()["errors"]
    assert expected in error["message"]


def test_the_depth_limit_follows_the_setting(shop: Shop) -> None:
    server = shop(settings=CoreSettings(journal="off", json_max_depth=4))
    shallow = b'{"query": "{ version }", "variables": {"a": [[1]]}}'
    deep = b'{"query": "{ version }", "variables": {"a": [[[1]]]}}'
    headers = {"content-type": "application/json"}
    assert server.request("POST", "/graphql", content=shallow, headers=headers).status_code == 200
    refused = server.request("POST", "/graphql", content=deep, headers=headers)
    assert refused.status_code == 400
    assert "nested deeper than 4 levels" in refused.json()["errors"][0]["message"]
