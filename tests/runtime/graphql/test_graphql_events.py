"""The event hub behind ``POST /__mockc/events/{operation}`` (runtime/events.py)."""

from __future__ import annotations

import asyncio
import threading
from typing import Any

from mockc.runtime.events import EventHub


def test_publishing_reaches_each_open_stream_of_the_operation_from_any_thread() -> None:
    hub = EventHub()

    async def run() -> tuple[list[Any], list[Any], int, dict[str, int]]:
        first: list[Any] = []
        second: list[Any] = []
        a = hub.subscribe("op", first.append)
        hub.subscribe("op", second.append)
        hub.subscribe("other", second.append)
        counts = hub.counts()
        results: list[int] = []
        thread = threading.Thread(target=lambda: results.append(hub.publish("op", {"data": 1})))
        thread.start()
        thread.join()
        await asyncio.sleep(0.01)
        a.close()
        a.close()  # closing twice is harmless
        hub.publish("op", {"data": 2})
        await asyncio.sleep(0.01)
        return first, second, results[0], counts

    first, second, delivered, counts = asyncio.run(run())
    assert counts == {"op": 2, "other": 1}
    assert delivered == 2
    assert first == [{"data": 1}]
    assert second == [{"data": 1}, {"data": 2}]
    assert hub.publish("nobody", {"data": 0}) == 0


def test_a_stream_whose_loop_closed_is_dropped() -> None:
    hub = EventHub()

    async def subscribe() -> None:
        hub.subscribe("op", lambda payload: None)

    asyncio.run(subscribe())
    assert hub.publish("op", {"data": 1}) == 0
    assert hub.counts() == {}
