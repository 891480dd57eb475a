"""``source: agent`` mocks and MOCKC_AGENT=unmatched: which requests the
registry marks for an agent (runtime/agent answers them)."""

from __future__ import annotations

from mock_kit import OPERATIONS, Server, body_of

from mockc.runtime.agent import Answer
from mockc.runtime.agent.saving import saved_mock
from mockc.runtime.engine import AgentRoute, Request
from mockc.runtime.mocks.definition import load_mock_document


def _ask(registry, operation_id: str, **fields):  # type: ignore[no-untyped-def]
    request = Request(operation_id, **fields)
    return registry.respond(OPERATIONS[operation_id], request), request


def test_a_source_agent_mock_marks_what_it_matches(server: Server) -> None:
    server.mock(
        "agent.yaml",
        """\
        operation: showPetById
        source: agent
        priority: 4
        match: {path: {petId: 5}}
        """,
    )
    registry = server.registry()
    reply, request = _ask(registry, "showPetById", path={"petId": 5})
    assert reply is None  # the spec answers, as the fallback
    assert request.agent == AgentRoute("agent", 4)
    reply, request = _ask(registry, "showPetById", path={"petId": 6})
    assert reply is None and request.agent is None
    assert registry.list_mocks()[0]["served"] is True


def test_source_excludes_the_answers(tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "both.yaml"
    path.write_text("operation: showPetById\nsource: agent\nresponse: {status: 200}\n")
    document = load_mock_document(path, file="mocks/both.yaml", operations=OPERATIONS)
    assert document.definition is None
    assert any("exclude each other" in problem.render() for problem in document.problems)
    path.write_text("operation: showPetById\nsource: human\n")
    document = load_mock_document(path, file="mocks/bad.yaml", operations=OPERATIONS)
    assert any("agent" in problem.render() for problem in document.problems)


def test_unmatched_requests_are_marked_and_the_generated_mock_does_not_count(
    server: Server,
) -> None:
    server.mock(
        "showPetById.yaml",
        "id: showPetById\noperation: showPetById\nresponse: {body: {id: 1, name: gen}}\n",
    )
    server.mock(
        "pet-2.yaml",
        "operation: showPetById\nmatch: {path: {petId: 2}}\nresponse: {body: {id: 2, name: two}}\n",
    )
    registry = server.registry(agent_unmatched=True)
    reply, request = _ask(registry, "showPetById", path={"petId": 1})
    assert body_of(reply)["name"] == "gen"  # the fallback
    assert request.agent == AgentRoute()
    reply, request = _ask(registry, "showPetById", path={"petId": 2})
    assert body_of(reply)["name"] == "two" and request.agent is None
    reply, request = _ask(registry, "listPets")
    assert reply is None and request.agent == AgentRoute()  # no mock at all
    reply, request = _ask(registry, "showPetById", path={"petId": 1}, prefer={"code": "200"})
    assert request.agent is None
    plain = server.registry()
    reply, request = _ask(plain, "showPetById", path={"petId": 1})
    assert body_of(reply)["name"] == "gen" and request.agent is None


def test_an_answer_saved_from_a_scenarios_agent_mock_goes_into_the_scenario(
    server: Server,
) -> None:
    server.write(
        "scenarios/outage/agent.yaml",
        "operation: showPetById\nsource: agent\nmatch: {path: {petId: 3}}\n",
    )
    registry = server.registry(scenario="outage")
    reply, request = _ask(registry, "showPetById", path={"petId": 3})
    assert reply is None and request.agent == AgentRoute("outage/agent", 0, "outage")
    document = saved_mock(request, Answer("200", {"id": 3, "name": "Saved"}))
    saved = registry.save_mock(document, subfolder="showPetById", scenario="outage")
    assert saved == "scenarios/outage/showPetById/showPetById-agent.json"
    reply, request = _ask(registry, "showPetById", path={"petId": 3})
    assert body_of(reply) == {"id": 3, "name": "Saved"} and request.agent is None
    again = registry.save_mock(document, subfolder="showPetById", scenario="outage")
    assert again == "scenarios/outage/showPetById/showPetById-agent-2.json"
    assert registry.save_mock(document, subfolder="../x").startswith("mocks/showPetById-agent")
