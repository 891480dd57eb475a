"""Property test: a mock the admin API accepts can be served.

Mutated mocks (statuses, headers, media types, bodies and text templates
drawn from hostile values) are sent to the admin API of a server generated
from a corpus spec (petstore-expanded); every one it accepts (201) must
answer its operation's requests without a server error, unless the mock
itself asks for a 5xx status. What cannot work must be refused up front (422).
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mockc.compiler.driver import GenerateOptions, generate
from tests.support.corpus import CORPUS
from tests.support.servers import ServerProcess

SPEC = CORPUS / "openapi" / "oai-petstore-expanded-v3" / "petstore-expanded.yaml"
REQUESTS = {
    "findPets": ("GET", "/pets?limit=2", None),
    "addPet": ("POST", "/pets", {"name": "Rex"}),
    "find_pet_by_id": ("GET", "/pets/1", None),
    "deletePet": ("DELETE", "/pets/1", None),
}
"""A valid request of each operation."""


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    out = tmp_path_factory.mktemp("mock-fuzz") / "server"
    generate([SPEC], out, GenerateOptions(link_runtime=True))
    env = {"MOCKC_JOURNAL": "off"}
    with ServerProcess([sys.executable, "server.py"], cwd=out, env=env) as running:
        yield running
        assert "unexpected error" not in running.stderr, running.stderr[-4000:]


_TEXT = st.one_of(
    st.text(max_size=20),
    st.sampled_from(
        [
            "{{ request.query.limit }}",
            "{{ request.body.name }}",
            "{{ request.path.id | int }}",
            "{{ request.headers['x-q'] }}",
            "$.body.name",
            "{{ fake.email }}",
            "{{ now() }}",
            "{{ 1 / 0 }}",
            "{{ 'a' * 100 }}",
            "a\x00b",
            "line\r\nX-Evil: 1",
            "\u2460\u00e9",
            "\\{{ literal",
        ]
    ),
)
_JSON = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(-(10**20), 10**20), _TEXT),
    lambda children: st.one_of(
        st.lists(children, max_size=3), st.dictionaries(_TEXT, children, max_size=3)
    ),
    max_leaves=12,
)
_STATUSES = st.sampled_from(
    [200, "200", 201, 204, 304, 404, "404", 418, 299, 101, 199, 500, 503, "abc", "2XX", "OK", 0]
)
_MEDIA_TYPES = st.sampled_from(
    [
        "application/json",
        "text/plain",
        "application/xml",
        "application/problem+json",
        "application/x-thing; v=1",
        "text/csv; charset=latin-1",
        "image/png",
        "application/json; a=\x00",
    ]
)


@st.composite
def _responses(draw: st.DrawFn) -> dict[str, Any]:
    response: dict[str, Any] = {}
    if draw(st.booleans()):
        response["status"] = draw(_STATUSES)
    if draw(st.booleans()):
        names = st.one_of(st.sampled_from(["X-A", "Content-Type", "bad name", "é", ""]), _TEXT)
        response["headers"] = draw(st.dictionaries(names, _TEXT, max_size=2))
    if draw(st.booleans()):
        response["media_type"] = draw(_MEDIA_TYPES)
    choice = draw(st.integers(0, 2))
    if choice == 1:
        response["body"] = draw(_JSON)
    elif choice == 2:
        response["text"] = draw(_TEXT)
    return response


@st.composite
def mocks(draw: st.DrawFn) -> dict[str, Any]:
    operation = draw(st.sampled_from(sorted(REQUESTS)))
    mock: dict[str, Any] = {"id": "fuzzed", "operation": operation, "priority": 50}
    shape = draw(st.integers(0, 4))
    if shape == 0:
        crud: dict[str, Any] = {"collection": "pets", "action": draw(st.sampled_from(ACTIONS))}
        for key, values in CRUD_OPTIONS.items():
            if draw(st.booleans()):
                crud[key] = draw(st.sampled_from(values))
        mock["crud"] = crud
    elif shape == 1:
        mock["responses"] = draw(st.lists(_responses(), min_size=1, max_size=3))
    else:
        mock["response"] = draw(_responses())
    return mock


ACTIONS = ("create", "get", "list", "replace", "patch", "delete")
CRUD_OPTIONS = {
    "id_field": ["id", "name", "tag", "x"],
    "id_param": ["id", "limit", "tags", "nope"],
    "id_type": ["int", "uuid", "given"],
    "wrap": ["items", "data"],
}


def _asks_for_server_error(mock: dict[str, Any]) -> bool:
    responses = mock.get("responses") or [mock.get("response") or {}]
    return any(str(response.get("status", "")).startswith("5") for response in responses)


def test_accepted_mocks_never_make_the_server_fail(server: ServerProcess) -> None:
    admin = f"{server.url}/__mockc/mocks"

    @settings(
        max_examples=150,
        deadline=None,
        database=None,
        derandomize=True,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
    )
    @given(mock=mocks())
    def check(mock: dict[str, Any]) -> None:
        created = httpx.post(admin, json=mock, timeout=10)
        assert created.status_code in (201, 422), created.text
        if created.status_code == 422:
            return
        try:
            method, path, body = REQUESTS[mock["operation"]]
            for _ in range(2):  # sequences: more than one response
                answer = httpx.request(
                    method, server.url + path, json=body, headers={"x-q": "1"}, timeout=10
                )
                assert answer.status_code < 500 or _asks_for_server_error(mock), (
                    f"{answer.status_code} {answer.text[:300]} for {mock!r}"
                )
        finally:
            assert httpx.delete(f"{admin}/fuzzed", timeout=10).status_code == 204

    check()


def test_the_fuzzed_mock_is_gone_afterwards(server: ServerProcess) -> None:
    assert httpx.get(f"{server.url}/__mockc/mocks/fuzzed").status_code == 404
