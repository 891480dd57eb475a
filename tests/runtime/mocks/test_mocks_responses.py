"""Responses: status, media type, templates, sequences, delay, faults, actions."""

from __future__ import annotations

import json
from collections import Counter

from mock_kit import OPERATIONS, Server, ask, body_of

from mockc.runtime.engine import Reply


def test_a_static_mock_answers_a_fresh_copy_of_a_prebuilt_reply(server: Server) -> None:
    server.mock(
        "pets.yaml",
        """\
        operation: listPets
        response:
          headers: {X-Total: 2, X-Flag: true}
          body: [{id: 1, name: Tom}, {id: 2, name: Jerry}]
        """,
    )
    registry = server.registry()
    first = ask(registry, "listPets")
    assert first == Reply(
        status="200",
        headers={"X-Total": "2", "X-Flag": "true"},
        media_type="application/json",
        content=b'[{"id":1,"name":"Tom"},{"id":2,"name":"Jerry"}]',
        source="mock:pets",
    )
    assert first is not None
    first.headers["X-Total"] = "changed"
    first.status = "500"
    second = ask(registry, "listPets")
    assert second is not None
    assert (second.status, second.headers["X-Total"]) == ("200", "2")


def test_status_defaults_to_the_operations_default_output(server: Server) -> None:
    server.mock("create.yaml", "operation: createPets\nresponse: {body: {id: 1}}\n")
    server.mock("ping.yaml", "operation: ping\nresponse: {}\n")
    server.mock("gone.yaml", "operation: showPetById\nresponse: {status: 404}\n")
    registry = server.registry()
    created = ask(registry, "createPets")
    assert created is not None and created.status == "201"
    ping = ask(registry, "ping")
    assert ping is not None
    assert (ping.status, ping.content, ping.media_type) == ("200", None, None)
    gone = ask(registry, "showPetById")
    assert gone is not None and gone.status == "404"


def test_media_type_comes_from_the_mock_the_header_or_the_operation(server: Server) -> None:
    server.mock(
        "readme.yaml", "operation: getReadme\nresponse: {text: 'Hello {{ request.query.who }}'}\n"
    )
    server.mock(
        "csv.yaml",
        """\
        operation: listPets
        response:
          headers: {Content-Type: text/csv}
          text: "id,name\\n1,Tom\\n"
        """,
    )
    server.mock(
        "xml.yaml",
        "operation: showPetById\nresponse: {media_type: application/xml, body: {id: 1}}\n",
    )
    server.mock("ping.yaml", "operation: ping\nresponse: {body: {ok: true}}\n")
    registry = server.registry()
    readme = ask(registry, "getReadme", query={"who": "Ada"})
    assert readme is not None
    assert (readme.media_type, readme.content) == ("text/plain", b"Hello Ada")
    csv = ask(registry, "listPets")
    assert csv is not None
    assert (csv.media_type, csv.content, csv.headers) == ("text/csv", b"id,name\n1,Tom\n", {})
    xml = ask(registry, "showPetById")
    assert xml is not None and xml.media_type == "application/xml"
    assert xml.content is not None and xml.content.startswith(b"<")
    ping = ask(registry, "ping")
    assert ping is not None and ping.media_type == "application/json"


def test_templates_render_per_request_keeping_whole_value_types(server: Server) -> None:
    server.mock(
        "pet.yaml",
        """\
        operation: showPetById
        response:
          headers: {X-Pet: "pet-{{ request.path.petId }}"}
          body:
            id: "{{ request.path.petId }}"
            label: "pet {{ request.path.petId }}"
            name: $.queryParam.name
        """,
    )
    registry = server.registry()
    reply = ask(registry, "showPetById", path={"petId": 7}, query={"name": "Tom"})
    assert body_of(reply) == {"id": 7, "label": "pet 7", "name": "Tom"}
    assert reply is not None and reply.headers == {"X-Pet": "pet-7"}
    assert body_of(ask(registry, "showPetById", path={"petId": 8}))["id"] == 8


def test_json_mocks_render_templates_however_they_are_spelled(server: Server) -> None:
    # A JSON file without "{{", "$." or an escape is static as a whole; one that
    # spells a template with \\u escapes is still a template.
    server.mock("static.json", '{"operation": "listPets", "response": {"body": [{"id": 1}]}}')
    server.mock(
        "escaped.json",
        '{"operation": "showPetById", "response": {"body": '
        '{"id": "\\u007b{ request.path.petId }}", "name": "\\u0024.queryParam.name"}}}',
    )
    server.mock(
        "plain.json",
        '{"operation": "createPets", "response": {"status": 201, "body": {"name": "$.x"}}}',
    )
    registry = server.registry()
    assert body_of(ask(registry, "listPets")) == [{"id": 1}]
    reply = ask(registry, "showPetById", path={"petId": 7}, query={"name": "Tom"})
    assert body_of(reply) == {"id": 7, "name": "Tom"}
    assert body_of(ask(registry, "createPets")) == {"name": "$.x"}


def test_a_template_that_grows_too_large_answers_500(server: Server) -> None:
    server.mock(
        "big.yaml",
        "operation: listPets\nresponse: {body: {v: '{{ request.body.s + request.body.s }}'}}\n",
    )
    registry = server.registry()
    reply = ask(registry, "listPets", body={"s": "x" * 700_000})
    assert reply is not None
    assert (reply.status, reply.source) == ("500", "mock:big")
    assert "mock big (mocks/big.yaml)" in body_of(reply)["detail"]
    assert body_of(ask(registry, "listPets", body={"s": "ok"})) == {"v": "okok"}


def _sequence(server: Server, mode: str, weights: tuple[float, ...] = (1, 1, 1)) -> list[str]:
    server.mock(
        "seq.yaml",
        f"""\
        operation: listPets
        sequence: {mode}
        responses:
          - {{body: a, weight: {weights[0]}}}
          - {{body: b, weight: {weights[1]}}}
          - {{body: c, weight: {weights[2]}}}
        """,
    )
    registry = server.registry(seed=7)
    return [body_of(ask(registry, "listPets")) for _ in range(7)]


def test_sequence_cycle(server: Server) -> None:
    assert _sequence(server, "cycle") == ["a", "b", "c", "a", "b", "c", "a"]


def test_sequence_once_each_then_the_last_repeats(server: Server) -> None:
    assert _sequence(server, "once-each") == ["a", "b", "c", "c", "c", "c", "c"]


def test_sequence_random_follows_the_weights(server: Server) -> None:
    server.mock(
        "seq.yaml",
        """\
        operation: listPets
        sequence: random
        responses:
          - {body: a, weight: 3}
          - {body: b, weight: 1}
          - {body: never, weight: 0}
        """,
    )
    registry = server.registry(seed=1)
    counts = Counter(body_of(ask(registry, "listPets")) for _ in range(4000))
    assert counts["never"] == 0
    assert 0.70 < counts["a"] / 4000 < 0.80
    again = server.registry(seed=1)
    replay = [body_of(ask(again, "listPets")) for _ in range(50)]
    third = server.registry(seed=1)
    assert replay == [body_of(ask(third, "listPets")) for _ in range(50)]


def test_reset_starts_sequences_over(server: Server) -> None:
    server.mock(
        "seq.yaml",
        "operation: listPets\nresponses: [{body: a}, {body: b}]\nsequence: once-each\n",
    )
    registry = server.registry()
    assert [body_of(ask(registry, "listPets")) for _ in range(3)] == ["a", "b", "b"]
    registry.reset()
    assert body_of(ask(registry, "listPets")) == "a"


def test_fixed_and_random_delays(server: Server) -> None:
    server.mock("fixed.yaml", "operation: listPets\nresponse: {body: 1, delay: 120}\n")
    server.mock(
        "range.yaml", "operation: showPetById\nresponse: {body: 1, delay: {min: 50, max: 300}}\n"
    )
    registry = server.registry(seed=3)
    fixed = ask(registry, "listPets")
    assert fixed is not None and fixed.delay_ms == 120
    delays = [ask(registry, "showPetById").delay_ms for _ in range(200)]  # type: ignore[union-attr]
    assert all(50 <= delay <= 300 for delay in delays)
    assert len(set(delays)) > 100
    replay = server.registry(seed=3)
    assert [ask(replay, "showPetById").delay_ms for _ in range(200)] == delays  # type: ignore[union-attr]


def test_fault_kinds(server: Server) -> None:
    for kind in ("empty", "reset", "malformed", "duplicate"):
        server.mock(
            f"{kind}.yaml",
            f"operation: listPets\nmatch: {{query: {{k: {kind}}}}}\n"
            f"response: {{body: [1], fault: {{kind: {kind}}}, delay: 10}}\n",
        )
    server.mock(
        "error.yaml",
        "operation: listPets\nmatch: {query: {k: error}}\n"
        "response: {body: [1], fault: {kind: error, status: 503}}\n",
    )
    server.mock(
        "default.yaml",
        "operation: listPets\nmatch: {query: {k: default}}\nresponse: {fault: {kind: error}}\n",
    )
    registry = server.registry()
    for kind in ("empty", "reset", "malformed", "duplicate"):
        reply = ask(registry, "listPets", query={"k": kind})
        assert reply is not None
        assert (reply.fault, reply.status, reply.delay_ms) == (kind, "200", 10)
    error = ask(registry, "listPets", query={"k": "error"})
    assert error is not None
    assert (error.status, error.fault, error.source) == ("503", None, "mock:error")
    assert body_of(error) == {
        "title": "Injected fault",
        "status": 503,
        "detail": "mock:error answered with an injected 503 error",
    }
    default = ask(registry, "listPets", query={"k": "default"})
    assert default is not None and default.status == "500"


def test_fault_rate_decides_per_request_reproducibly(server: Server) -> None:
    server.mock(
        "flaky.yaml",
        "operation: listPets\n"
        "response: {body: [1], fault: {kind: error, status: 503, rate: 0.2}}\n",
    )

    def statuses() -> list[str]:
        registry = server.registry(seed=11)
        return [ask(registry, "listPets").status for _ in range(2000)]  # type: ignore[union-attr]

    first = statuses()
    share = first.count("503") / len(first)
    assert 0.16 < share < 0.24
    assert statuses() == first


def test_actions_run_before_the_response_renders(server: Server) -> None:
    server.mock(
        "orders.yaml",
        """\
        operation: createPets
        actions:
          - state.put("last-order", request.body)
          - state.incr("orders")
        response:
          body: {count: "{{ state.get('orders') }}", last: "{{ state.get('last-order') }}"}
        """,
    )
    registry = server.registry()
    ask(registry, "createPets", body={"name": "Tom"})
    assert body_of(ask(registry, "createPets", body={"name": "Jerry"})) == {
        "count": 2,
        "last": {"name": "Jerry"},
    }
    assert server.state.get("orders") == 2


def test_conditions_read_state_written_by_other_mocks(server: Server) -> None:
    server.mock(
        "login.yaml",
        "operation: createPets\nactions: state.put('logged-in', true)\nresponse: {status: 201}\n",
    )
    server.mock(
        "secret.yaml",
        "operation: listPets\nmatch: {when: state.get('logged-in')}\nresponse: {body: secret}\n",
    )
    registry = server.registry()
    assert ask(registry, "listPets") is None
    ask(registry, "createPets")
    assert body_of(ask(registry, "listPets")) == "secret"


def test_a_static_body_is_encoded_once_at_load(server: Server) -> None:
    calls: list[object] = []

    def encoder(data: object, media_type: str | None, schema: object) -> bytes:
        calls.append(data)
        return json.dumps(data).encode()

    server.mock("pets.yaml", "operation: listPets\nresponse: {body: [1, 2]}\n")
    registry = server.registry(encoder=encoder)
    for _ in range(10):
        reply = registry.respond(OPERATIONS["listPets"], _request("listPets"))
        assert reply is not None and reply.content == b"[1, 2]"
    assert calls == [[1, 2]]


def _request(operation: str) -> object:
    from mockc.runtime.engine import Request

    return Request(operation)
