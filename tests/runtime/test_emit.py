"""The emit path: schedules, sends on demand, reactions, through the one event hub."""

from __future__ import annotations

import asyncio
import threading
import time
from typing import Any

import pytest

from mockc.runtime.engine import (
    Content,
    Engine,
    Operation,
    Output,
    Reply,
    Request,
    Schedule,
    Trigger,
)
from mockc.runtime.engine.emit import Emitter, ScheduledEmit
from mockc.runtime.events import EventHub, Message
from mockc.runtime.http.encoding import encode_body

TICK = Operation(
    "tick",
    (Output("200", (Content("application/json", {"type": "integer"}, {"one": 1}),)),),
)


def emitter() -> Emitter:
    engine = Engine([TICK], {}, encoder=encode_body)
    return Emitter(engine.handle, EventHub())


@pytest.mark.parametrize(
    ("schedule", "waits"),
    [
        (Schedule(), [0.0, None]),
        (Schedule(after_ms=250), [250.0, None]),
        (Schedule(every_ms=10, count=3), [0.0, 10.0, 10.0, None]),
        (Schedule(after_ms=5, delays_ms=(1, 2)), [5.0, 1.0, 2.0, None]),
        (Schedule(delays_ms=(1, 2), count=5), [0.0, 1.0, 2.0, 2.0, 2.0, None]),
    ],
)
def test_a_schedule_says_how_long_to_wait_before_each_send(
    schedule: Schedule, waits: list[float | None]
) -> None:
    assert [schedule.wait_before(send) for send in range(len(waits))] == waits


def test_an_interval_without_count_never_ends() -> None:
    schedule = Schedule(every_ms=100)
    assert schedule.sends is None and schedule.wait_before(10_000) == 100.0


async def _collect(emit: Emitter, operation: str, expected: int, timeout: float = 5.0) -> list[Any]:
    received: list[Message] = []
    done = asyncio.Event()

    def deliver(message: Message) -> None:
        received.append(message)
        if len(received) >= expected:
            done.set()

    subscription = emit.hub.subscribe(operation, deliver)
    try:
        await asyncio.wait_for(done.wait(), timeout)
    finally:
        subscription.close()
    return received


def test_messages_are_the_engines_answers_or_given_data() -> None:
    emit = emitter()

    async def run() -> list[Message]:
        loop = asyncio.get_running_loop()
        collecting = asyncio.create_task(_collect(emit, "tick", 2))
        await asyncio.sleep(0.01)
        assert await loop.run_in_executor(None, emit.emit, "tick") == 1
        assert await loop.run_in_executor(None, emit.send, "tick", {"given": True}) == 1
        return await collecting

    first, second = asyncio.run(run())
    assert first.reply is not None and first.reply.content == b"1"
    assert (first.number, second.number, second.reply, second.data) == (0, 1, None, {"given": True})
    assert emit.emit("tick") == 0  # nobody listens: nothing delivered


def test_a_schedule_sends_bursts_after_its_delays_and_stops() -> None:
    emit = emitter()
    scheduled = ScheduledEmit("tick", "mock:t", Schedule(after_ms=20, delays_ms=(30,), burst=2))

    async def run() -> list[Message]:
        collecting = asyncio.create_task(_collect(emit, "tick", 4))
        await asyncio.sleep(0.01)
        started = time.monotonic()
        emit.schedule([scheduled])
        received = await collecting
        assert time.monotonic() - started >= 0.045
        await asyncio.sleep(0.15)
        assert len(received) == 4  # two sends of two, then nothing
        return received

    received = asyncio.run(run())
    assert [message.number for message in received] == [0, 1, 2, 3]
    assert emit.schedules == (scheduled,)
    emit.close()


def test_rescheduling_keeps_running_schedules_and_stops_removed_ones() -> None:
    emit = emitter()
    once = ScheduledEmit("tick", "mock:once", Schedule(after_ms=10))
    forever = ScheduledEmit("tick", "mock:every", Schedule(after_ms=500, every_ms=500))

    async def run() -> list[Message]:
        received: list[Message] = []
        subscription = emit.hub.subscribe("tick", received.append)
        emit.schedule([once, forever])
        await asyncio.sleep(0.1)
        emit.schedule([once])  # once has sent; it is not sent again; forever stops
        await asyncio.sleep(0.7)
        subscription.close()
        return received

    assert len(asyncio.run(run())) == 1
    emit.close()


def test_reactions_answer_with_the_triggering_request_or_send_their_body() -> None:
    seen: list[Request] = []

    def hook(request: Request) -> Any:
        seen.append(request)
        return request.reply(200, {"echo": request.body})

    engine = Engine([TICK], {}, encoder=encode_body, hooks={"tick": hook})
    emit = Emitter(engine.handle, EventHub())

    async def run() -> list[Message]:
        collecting = asyncio.create_task(_collect(emit, "tick", 2))
        await asyncio.sleep(0.01)
        trigger = Request("order", body={"id": 9}, path={"p": 1}, method="POST")
        emit.react(
            (Trigger("tick"), Trigger("tick", after_ms=30, body=[1], has_body=True)), trigger
        )
        return await collecting

    rendered, given = asyncio.run(run())
    assert rendered.reply is not None and rendered.reply.content == b'{"echo":{"id":9}}'
    assert (seen[0].method, seen[0].path, seen[0].stream_index) == ("emit", {"p": 1}, 0)
    assert (given.reply, given.data) == (None, [1])
    emit.close()


def _count_wakeups(loop: asyncio.AbstractEventLoop) -> list[int]:
    """A one-item list counting the loop's wake-ups from other threads from now on."""
    wakeups = [0]
    original = loop.call_soon_threadsafe

    def counting(*args: Any, **kwargs: Any) -> Any:
        wakeups[0] += 1
        return original(*args, **kwargs)

    loop.call_soon_threadsafe = counting  # type: ignore[method-assign]
    return wakeups


def test_the_hub_wakes_each_loop_once_and_counts_every_client() -> None:
    hub = EventHub()

    async def run() -> tuple[list[int], int, int]:
        got: list[int] = []
        wakeups = _count_wakeups(asyncio.get_running_loop())
        streams = [hub.subscribe("tick", got.append) for _ in range(50)]
        shared = hub.subscribe("tick", got.append, audience=lambda payload: 7)
        counted: list[int] = []
        publisher = threading.Thread(target=lambda: counted.append(hub.publish("tick", 1)))
        publisher.start()
        publisher.join()  # from another thread, as the admin API and schedules publish
        delivered = counted[0]
        await asyncio.sleep(0.01)
        for stream in [*streams, shared]:
            stream.close()
        return got, delivered, wakeups[0]

    got, delivered, wakeups = asyncio.run(run())
    assert got == [1] * 51
    assert delivered == 50 + 7  # a shared feed counts the clients it reaches
    assert wakeups == 1


def test_a_burst_from_another_thread_arrives_in_order_with_few_wakeups() -> None:
    hub = EventHub()

    async def run() -> tuple[list[int], int, int]:
        got: list[int] = []
        wakeups = _count_wakeups(asyncio.get_running_loop())
        stream = hub.subscribe("tick", got.append)
        counted: list[int] = []
        burst = threading.Thread(
            target=lambda: counted.extend(hub.publish("tick", n) for n in range(1000))
        )
        burst.start()
        burst.join()  # the loop sleeps meanwhile: the burst waits for one wake-up
        await asyncio.sleep(0.01)
        stream.close()
        return got, sum(counted), wakeups[0]

    got, delivered, wakeups = asyncio.run(run())
    assert got == list(range(1000))
    assert delivered == 1000
    assert wakeups == 1


def test_streams_of_a_closed_loop_are_dropped_on_publish() -> None:
    hub = EventHub()
    got: list[int] = []

    async def subscribe() -> None:
        hub.subscribe("tick", got.append)

    asyncio.run(subscribe())  # its loop is closed once run returns
    assert hub.publish("tick", 1) == 0
    assert hub.counts() == {}
    assert got == []


class _Counted:
    """A responder answering ``tick``: a fixed reply, or one per call when asked to vary."""

    def __init__(self, *, varies: bool) -> None:
        self.varies = varies
        self.asked = 0
        self.fixed_asked = 0

    def respond(self, operation: Operation, request: Request) -> Reply | None:
        self.asked += 1
        return Reply("200", content=f"{self.asked if self.varies else 0}".encode())

    def fixed_reply(self, operation_id: str) -> Reply | None:
        self.fixed_asked += 1
        return None if self.varies else Reply("200", content=b"0")


@pytest.mark.parametrize("varies", [False, True])
def test_many_messages_ask_the_engine_once_when_its_answer_is_fixed(varies: bool) -> None:
    responder = _Counted(varies=varies)
    engine = Engine([TICK], {}, encoder=encode_body, responders=[responder])
    emit = Emitter(engine.handle, EventHub(), engine.fixed_reply)

    async def run() -> tuple[list[Message], int]:
        loop = asyncio.get_running_loop()
        collecting = asyncio.create_task(_collect(emit, "tick", 50))
        await asyncio.sleep(0.01)
        delivered = await loop.run_in_executor(None, emit.emit_many, "tick", 50)
        return await collecting, delivered

    received, delivered = asyncio.run(run())
    assert delivered == 50
    assert [message.number for message in received] == list(range(50))
    contents = [message.reply.content for message in received if message.reply is not None]
    if varies:
        assert responder.asked == 50 and contents == [f"{n}".encode() for n in range(1, 51)]
    else:
        assert responder.asked == 0 and responder.fixed_asked == 50
        assert contents == [b"0"] * 50
        assert len({id(message.reply) for message in received}) == 50  # each its own copy


def test_a_hook_is_asked_for_each_message() -> None:
    asked: list[int] = []

    def hook(request: Request) -> Reply:
        asked.append(request.stream_index)
        return Reply("200", content=b"hooked")

    responder = _Counted(varies=False)
    engine = Engine([TICK], {}, encoder=encode_body, responders=[responder], hooks={"tick": hook})
    emit = Emitter(engine.handle, EventHub(), engine.fixed_reply)
    assert engine.fixed_reply("tick") is None
    emit.emit_many("tick", 3)
    assert asked == [0, 1, 2] and responder.fixed_asked == 0
