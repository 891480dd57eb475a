"""The agent desk: a request awaits the agent on the event loop, gets its
checked answer, or the fallback after the timeout; the clock is the test's."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from mockc.runtime.agent import AgentDesk, BadAgentCall, InvalidMockData
from mockc.runtime.engine import AgentRoute, Content, Engine, Operation, Output, Reply, Request
from mockc.runtime.http.encoding import encode_body
from mockc.runtime.http.outputs import OUTPUTS

PET = {
    "type": "object",
    "required": ["id", "name"],
    "properties": {"id": {"type": "integer"}, "name": {"$ref": "#/$defs/Name"}},
}
DEFS = {"Name": {"type": "string", "minLength": 2}}
OPERATION = Operation(
    "getPet",
    (Output("200", (Content("application/json", PET),)), Output("404")),
    path=("petId",),
    policy=OUTPUTS,
)


class Clock:
    now = 1_800_000_000.0

    def __call__(self) -> float:
        return self.now


def _desk(clock: Clock, **settings: Any) -> AgentDesk:
    engine = Engine([OPERATION], DEFS, encoder=encode_body)
    return AgentDesk(
        operations=engine.operations,
        defs=DEFS,
        protocol=settings.pop("protocol", "http"),
        mode="unmatched",
        window_ms=0,
        encode=engine.encode_reply,
        redacted={"authorization"},
        clock=clock,
        **settings,
    )


def _request(**headers: str) -> Request:
    return Request(
        "getPet",
        path={"petId": 7},
        headers=headers,
        method="GET",
        target="/pets/7",
        agent=AgentRoute(),
    )


FALLBACK = Reply(status="200", body={"id": 7, "name": "fake"}, source="fake")


async def _agent(desk: AgentDesk, mocks: Any, run: str | None = None) -> dict[str, Any]:
    """Claim the first batch (polling the loop) and provide ``mocks(requests)``."""
    for _ in range(200):
        claimed = desk.claim({"run_id": run} if run else None)
        if claimed is not None:
            break
        await asyncio.sleep(0.005)
    else:
        raise AssertionError("nothing to claim")
    body = {"claim_token": claimed["claim_token"], "mocks": mocks(claimed["requests"])}
    return desk.provide(claimed["batch_id"], body)


def test_the_agent_answers_the_waiting_request() -> None:
    desk = _desk(Clock(), timeout_ms=5000)

    async def scenario() -> tuple[Reply, dict[str, Any]]:
        waiting = asyncio.ensure_future(
            desk.answer(_request(authorization="Bearer s3cret", **{"x-mockc-run": "r"}), FALLBACK)
        )
        shown: dict[str, Any] = {}

        def mocks(requests: list[dict[str, Any]]) -> list[dict[str, Any]]:
            shown.update(requests[0])
            return [{"request_id": requests[0]["request_id"], "body": {"id": 7, "name": "Rex"}}]

        provided = await _agent(desk, mocks, run="r")
        return await waiting, {"shown": shown, "provided": provided}

    reply, seen = asyncio.run(scenario())
    assert reply.status == "200" and reply.source == "agent"
    assert reply.content == b'{"id":7,"name":"Rex"}'
    assert reply.media_type == "application/json"
    assert seen["provided"] == {"answered": 1, "saved": []}
    shown = seen["shown"]
    assert shown["request"]["headers"]["authorization"] == "[redacted]"
    assert shown["request"]["path_params"] == {"petId": 7}
    assert shown["responses"]["200"]["schema"]["$defs"] == DEFS
    assert shown["responses"]["404"] == {"schema": None, "media_type": None}


def test_invalid_data_is_refused_with_pointers_and_the_claim_kept() -> None:
    desk = _desk(Clock(), timeout_ms=5000)

    async def scenario() -> Reply:
        waiting = asyncio.ensure_future(desk.answer(_request(), FALLBACK))
        await asyncio.sleep(0.01)
        claimed = desk.claim({})
        assert claimed is not None
        request_id = claimed["requests"][0]["request_id"]
        token, batch = claimed["claim_token"], claimed["batch_id"]
        with pytest.raises(InvalidMockData) as refused:
            desk.provide(
                batch,
                {
                    "claim_token": token,
                    "mocks": [{"request_id": request_id, "body": {"name": "R"}}],
                },
            )
        assert refused.value.errors == [
            {
                "request_id": request_id,
                "pointer": "/mocks/0/body/id",
                "message": '"id" is a required property',
            },
            {
                "request_id": request_id,
                "pointer": "/mocks/0/body/name",
                "message": '"R" is shorter than 2 characters',
            },
        ]
        with pytest.raises(InvalidMockData) as undeclared:
            desk.provide(
                batch,
                {"claim_token": token, "mocks": [{"request_id": request_id, "status": 418}]},
            )
        assert undeclared.value.errors[0]["pointer"] == "/mocks/0/status"
        with pytest.raises(InvalidMockData) as informational:
            desk.provide(
                batch,
                {"claim_token": token, "mocks": [{"request_id": request_id, "status": "101"}]},
            )
        assert "200-599" in informational.value.errors[0]["message"]
        with pytest.raises(InvalidMockData) as bodiless:
            desk.provide(
                batch,
                {
                    "claim_token": token,
                    "mocks": [{"request_id": request_id, "status": 404, "body": 1}],
                },
            )
        assert bodiless.value.errors[0]["pointer"] == "/mocks/0/body"
        assert desk.get_batch(batch)["state"] == "claimed"
        mock = {"request_id": request_id, "status": "404", "headers": {"x-why": "gone"}}
        desk.provide(batch, {"claim_token": token, "mocks": [mock]})
        return await waiting

    reply = asyncio.run(scenario())
    assert reply.status == "404" and reply.headers == {"x-why": "gone"}


@pytest.mark.parametrize(
    ("protocol", "fallback", "status"),
    [("http", "fake", "200"), ("http", "error", "504"), ("grpc", "error", "DEADLINE_EXCEEDED")],
)
def test_an_unanswered_request_gets_the_fallback(protocol: str, fallback: str, status: str) -> None:
    desk = _desk(Clock(), timeout_ms=30, fallback=fallback, protocol=protocol)
    reply = asyncio.run(desk.answer(_request(), Reply(status="200", source="fake")))
    assert reply.status == status
    assert desk.status()["waiting_requests"] == 0
    assert desk.get_batch("b1")["state"] == "expired"


def test_a_cancelled_request_stops_waiting() -> None:
    desk = _desk(Clock(), timeout_ms=5000)

    async def scenario() -> None:
        waiting = asyncio.ensure_future(desk.answer(_request(), FALLBACK))
        await asyncio.sleep(0.01)
        assert desk.status()["waiting_requests"] == 1
        waiting.cancel()
        with pytest.raises(asyncio.CancelledError):
            await waiting

    asyncio.run(scenario())
    assert desk.status()["waiting_requests"] == 0


@pytest.mark.parametrize(
    "body",
    [[], "x", {"run_id": ""}, {"lease_ms": True}, {"lease_ms": 10**9}, {"other": 1}],
)
def test_bad_claims_are_refused(body: Any) -> None:
    with pytest.raises(BadAgentCall):
        _desk(Clock()).claim(body)
