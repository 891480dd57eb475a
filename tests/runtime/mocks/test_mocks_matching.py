"""Matching: operators, loose equality, order, index isolation, near misses."""

from __future__ import annotations

import json
from typing import Any

import pytest
from mock_kit import OPERATIONS, Server, ask, body_of

from mockc.runtime.engine import Request


def _one(server: Server, match: str, **options: Any) -> Any:
    server.mock(
        "m.yaml",
        f"""\
        operation: showPetById
        match: {match}
        response: {{body: {{matched: true}}}}
        """,
    )
    return server.registry(**options)


CASES = [
    # (match, request fields, matches?)
    ("{path: {petId: 1}}", {"path": {"petId": 1}}, True),
    ("{path: {petId: 1}}", {"path": {"petId": "1"}}, True),
    ("{path: {petId: '1'}}", {"path": {"petId": 1}}, True),
    ("{path: {petId: 1}}", {"path": {"petId": 2}}, False),
    ("{path: {petId: 1}}", {"path": {}}, False),
    ("{query: {flag: true}}", {"query": {"flag": "true"}}, True),
    ("{query: {flag: true}}", {"query": {"flag": True}}, True),
    ("{query: {flag: true}}", {"query": {"flag": "1"}}, False),
    ("{query: {tag: a}}", {"query": {"tag": ["a"]}}, True),
    ("{query: {tag: a}}", {"query": {"tag": ["a", "b"]}}, False),
    ("{query: {tag: [a, b]}}", {"query": {"tag": ["a", "b"]}}, True),
    ("{query: {limit: 1.5}}", {"query": {"limit": "1.5"}}, True),
    ("{query: {name: Tom}}", {"query": {"name": "tom"}}, False),
    ("{query: {debug: null}}", {"query": {}}, True),
    ("{query: {s: {equals: x}}}", {"query": {"s": "x"}}, True),
    ("{query: {s: {not: x}}}", {"query": {"s": "y"}}, True),
    ("{query: {s: {not: x}}}", {"query": {}}, True),
    ("{query: {s: {not: x}}}", {"query": {"s": "x"}}, False),
    ("{query: {s: {in: [a, b]}}}", {"query": {"s": "b"}}, True),
    ("{query: {s: {in: [1, 2]}}}", {"query": {"s": "2"}}, True),
    ("{query: {s: {in: [a, b]}}}", {"query": {"s": "c"}}, False),
    ("{query: {s: {matches: '^ab+c'}}}", {"query": {"s": "xabbbc"}}, False),
    ("{query: {s: {matches: 'ab+c'}}}", {"query": {"s": "xabbbc"}}, True),
    ("{query: {s: {matches: '^4'}}}", {"query": {"s": 42}}, True),
    ("{query: {s: {matches: 'a'}}}", {"query": {}}, False),
    ("{query: {s: {contains: bc}}}", {"query": {"s": "abcd"}}, True),
    ("{query: {s: {contains: b}}}", {"query": {"s": ["a", "b"]}}, True),
    ("{query: {s: {contains: 2}}}", {"query": {"s": ["1", "2"]}}, True),
    ("{query: {s: {contains: z}}}", {"query": {"s": "abc"}}, False),
    ("{body: {meta: {contains: k}}}", {"body": {"meta": {"k": 1}}}, True),
    ("{query: {s: {exists: true}}}", {"query": {"s": ""}}, True),
    ("{query: {s: {exists: true}}}", {"query": {}}, False),
    ("{query: {s: {exists: false}}}", {"query": {}}, True),
    ("{query: {s: {exists: false}}}", {"query": {"s": "x"}}, False),
    ("{query: {n: {gt: 5}}}", {"query": {"n": 6}}, True),
    ("{query: {n: {gt: 5}}}", {"query": {"n": 5}}, False),
    ("{query: {n: {gte: 5}}}", {"query": {"n": "5"}}, True),
    ("{query: {n: {lt: 5}}}", {"query": {"n": 4.5}}, True),
    ("{query: {n: {lte: 5}}}", {"query": {"n": "6"}}, False),
    ("{query: {n: {gt: 5}}}", {"query": {"n": "lots"}}, False),
    ("{query: {n: {gte: 1, lte: 9}}}", {"query": {"n": 5}}, True),
    ("{query: {n: {gte: 1, lte: 9}}}", {"query": {"n": 10}}, False),
    ("{headers: {X-Tenant: acme}}", {"headers": {"x-tenant": "acme"}}, True),
    ("{headers: {x-tenant: acme}}", {"headers": {"X-TENANT": "acme"}}, True),
    ("{headers: {x-tenant: acme}}", {"headers": {"x-tenant": "ACME"}}, False),
    ("{cookies: {session: {exists: true}}}", {"cookies": {"session": "abc"}}, True),
    ("{cookies: {session: {exists: true}}}", {"cookies": {}}, False),
    ('{body: {"items[0].sku": {matches: "^A-"}}}', {"body": {"items": [{"sku": "A-1"}]}}, True),
    ('{body: {"items[0].sku": {matches: "^A-"}}}', {"body": {"items": []}}, False),
    ('{body: {"items[-1].sku": B}}', {"body": {"items": [{"sku": "A"}, {"sku": "B"}]}}, True),
    ("{body: {customer.name: Ada}}", {"body": {"customer": {"name": "Ada"}}}, True),
    ("{body: {customer.name: Ada}}", {"body": "not an object"}, False),
    ("{body: {'[\"a.b\"]': 1}}", {"body": {"a.b": 1}}, True),
    ("{body: {total: {equals: {a: 1}}}}", {"body": {"total": {"a": 1}}}, True),
    ("{when: request.body.total > 100}", {"body": {"total": 150}}, True),
    ("{when: request.body.total > 100}", {"body": {"total": 50}}, False),
    ("{when: [request.query.a == '1', request.query.b == '2']}", {"query": {"a": "1"}}, False),
    (
        "{when: [request.query.a == '1', request.query.b == '2']}",
        {"query": {"a": "1", "b": "2"}},
        True,
    ),
]


@pytest.mark.parametrize(("match", "fields", "expected"), CASES)
def test_each_operator(server: Server, match: str, fields: dict[str, Any], expected: bool) -> None:
    registry = _one(server, match)
    assert registry.problems() == []
    reply = ask(registry, "showPetById", **fields)
    assert (reply is not None) is expected


def test_a_regex_that_would_take_forever_fails_instead_of_hanging(server: Server) -> None:
    registry = _one(server, "{query: {q: {matches: '^(a+)+$'}}}")
    reply = ask(registry, "showPetById", query={"q": "a" * 40 + "!"})
    assert reply is None


def test_priority_then_condition_count_then_id(server: Server) -> None:
    for name, priority, match in [
        ("b-plain", 0, "{}"),
        ("a-plain", 0, "{}"),
        ("one-condition", 0, "{query: {x: '1'}}"),
        ("two-conditions", 0, "{query: {x: '1', y: '2'}}"),
        ("urgent", 5, "{query: {x: '1'}}"),
    ]:
        server.mock(
            f"{name}.yaml",
            f"""\
            operation: listPets
            priority: {priority}
            match: {match}
            response: {{body: {name}}}
            """,
        )
    registry = server.registry()

    def winner(query: dict[str, str]) -> str:
        reply = ask(registry, "listPets", query=query)
        assert reply is not None
        return reply.source

    assert winner({"x": "1", "y": "2"}) == "mock:urgent"
    (server.root / "mocks" / "urgent.yaml").unlink()
    registry.load()
    assert winner({"x": "1", "y": "2"}) == "mock:two-conditions"
    assert winner({"x": "1"}) == "mock:one-condition"
    assert winner({}) == "mock:a-plain"


def test_a_request_never_meets_the_mocks_of_another_operation(server: Server) -> None:
    # The mock of "other" counts every evaluation of its condition in state.
    server.mock(
        "spy.yaml",
        """\
        operation: other
        match: {when: "state.incr('evaluated') < 0"}
        response: {body: never}
        """,
    )
    server.mock("pets.yaml", "operation: listPets\nresponse: {body: [1]}\n")
    registry = server.registry()
    for _ in range(5):
        assert body_of(ask(registry, "listPets")) == [1]
        assert ask(registry, "showPetById") is None
    assert server.state.get("evaluated") is None
    assert ask(registry, "other") is None
    assert server.state.get("evaluated") == 1


def test_near_miss_names_the_closest_mocks_and_the_condition_they_failed(server: Server) -> None:
    server.mock(
        "status.yaml",
        """\
        operation: showPetById
        match:
          path: {petId: 1}
          query: {status: {in: [available, pending]}}
        response: {body: 1}
        """,
    )
    server.mock(
        "tenant.yaml",
        """\
        operation: showPetById
        match:
          headers: {X-Tenant: acme}
        response: {body: 2}
        """,
    )
    server.mock("elsewhere.yaml", "operation: listPets\nresponse: {body: 3}\n")
    registry = server.registry()
    request = Request("showPetById", path={"petId": 1}, query={"status": "sold"})
    assert registry.respond(OPERATIONS["showPetById"], request) is None
    assert request.near_miss == [
        {
            "mock": "status",
            "file": "mocks/status.yaml",
            "line": 4,
            "passed": 1,
            "of": 2,
            "failed": "query.status in [available, pending] — got 'sold'",
        },
        {
            "mock": "tenant",
            "file": "mocks/tenant.yaml",
            "line": 3,
            "passed": 0,
            "of": 1,
            "failed": "headers.X-Tenant == acme — got nothing",
        },
    ]
    matched = Request("showPetById", headers={"x-tenant": "acme"})
    assert registry.respond(OPERATIONS["showPetById"], matched) is not None
    assert matched.near_miss is None


def test_near_miss_is_at_most_three_and_reports_when_expressions(server: Server) -> None:
    for number in range(5):
        server.mock(
            f"m{number}.yaml",
            f"operation: listPets\nmatch: {{when: request.query.n == {number}}}\n"
            "response: {body: 1}\n",
        )
    registry = server.registry()
    request = Request("listPets", query={"n": 9})
    assert registry.respond(OPERATIONS["listPets"], request) is None
    assert request.near_miss is not None
    assert len(request.near_miss) == 3
    assert request.near_miss[0]["failed"] == "request.query.n == 0 — was false"


def test_the_404_policy_answers_with_the_near_miss(server: Server) -> None:
    server.mock("m.yaml", "operation: showPetById\nmatch: {path: {petId: 1}}\nresponse: {}\n")
    registry = server.registry(unmatched="404")
    reply = ask(registry, "showPetById", path={"petId": 2})
    assert reply is not None
    assert (reply.status, reply.source) == ("404", "unmatched")
    body = json.loads(reply.content or b"")
    assert body["title"] == "No mock matched"
    assert body["near_miss"][0]["failed"] == "path.petId == 1 — got 2"
    assert "showPetById" in body["detail"]
    # Operations without mocks still fall back to the spec.
    assert ask(registry, "listPets") is None


def test_unknown_policy_is_refused(server: Server) -> None:
    with pytest.raises(ValueError, match="unmatched"):
        server.registry(unmatched="maybe")


def test_prefer_skips_the_mocks(server: Server) -> None:
    server.mock("m.yaml", "operation: listPets\nresponse: {body: [1]}\n")
    registry = server.registry(unmatched="404")
    assert ask(registry, "listPets", prefer={"code": "200"}) is None
    assert ask(registry, "listPets", prefer={"dynamic": "true"}) is None
    assert ask(registry, "listPets") is not None


def test_disabled_and_orphaned_mocks_are_listed_but_not_served(server: Server) -> None:
    server.mock("off.yaml", "operation: listPets\nenabled: false\nresponse: {body: off}\n")
    server.mock("gone.yaml", "operation: removedOp\norphaned: true\nresponse: {body: gone}\n")
    server.mock(
        "orphan.yaml", "operation: listPets\norphaned: true\npriority: 1\nresponse: {body: o}\n"
    )
    registry = server.registry()
    assert ask(registry, "listPets") is None
    assert registry.active_mock_count == 0
    listed = {mock["id"]: mock for mock in registry.list_mocks()}
    assert set(listed) == {"off", "gone", "orphan"}
    assert not any(mock["served"] for mock in listed.values())
    assert "problems" not in listed["gone"]
    assert "warning: marked orphaned" in listed["orphan"]["problems"][0]

    served = server.registry(serve_orphaned=True)
    assert body_of(ask(served, "listPets")) == "o"
    assert served.active_mock_count == 1
