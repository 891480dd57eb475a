"""The events of GraphQL subscriptions.

Each subscription (one ``subscribe`` message over WebSocket) has its own
stream of :class:`~.values.Event`, fed two ways:

- by the engine, asked once per event with ``Request.stream_index`` counting
  them (hooks, then mocks, then fake data), at an interval: the mock's
  ``stream.interval_ms``, else its ``delay``, else the server's default
  (``MOCKC_GRAPHQL_EVENT_INTERVAL_MS``, 1000). A mock's ``stream.count`` (by
  default, the number of its ``responses``) ends the stream after that many
  events; ``count: 0`` sends none, so only pushed events arrive;
- by the emit path (``runtime/engine/emit.py``), through the server's one
  event hub: a mock's ``emit`` schedule, a reaction (``then``) of another
  operation's mock, or the admin API (``POST /__mockc/emit/{operation}``, or
  ``POST /__mockc/events/{operation}`` with ``{"data": …}``) reach every open
  subscription of the operation at once.
"""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import AsyncIterator, Callable
from typing import Any

from ..engine import Request
from ..events import Message
from ..exceptions import HookError
from ..service import MockService
from .values import ERROR_KEY, Event, Execution

__all__ = ["EventStreams"]


class EventStreams:
    """Makes the ``subscribe`` resolver of each subscription field."""

    def __init__(self, service: MockService, *, interval_ms: float = 1000.0) -> None:
        self.service = service
        self.interval_ms = interval_ms

    def subscriber(self, operation: str, field: str) -> Callable[..., AsyncIterator[Event]]:
        target = f"subscription.{field}"

        def subscribe(root: Any, info: Any, **args: Any) -> AsyncIterator[Event]:
            execution: Execution = info.context
            return self.events(operation, target, args, execution)

        return subscribe

    async def events(
        self, operation: str, target: str, args: dict[str, Any], execution: Execution
    ) -> AsyncIterator[Event]:
        queue: asyncio.Queue[Event | None] = asyncio.Queue()
        numbers = itertools.count()

        def pushed(message: Message) -> None:
            if message.reply is not None:
                queue.put_nowait(Event(next(numbers), reply=message.reply))
            else:
                queue.put_nowait(Event(next(numbers), data=message.data))

        subscription = self.service.events.subscribe(operation, pushed)
        producer = asyncio.create_task(
            self._produce(operation, target, args, execution, queue, numbers)
        )
        try:
            while True:
                event = await queue.get()
                if event is None:
                    return
                yield event
        finally:
            subscription.close()
            producer.cancel()

    async def _produce(
        self,
        operation: str,
        target: str,
        args: dict[str, Any],
        execution: Execution,
        queue: asyncio.Queue[Event | None],
        numbers: itertools.count[int],
    ) -> None:
        for index in itertools.count():
            request = Request(
                operation,
                query=args,
                body=args,
                headers=execution.headers,
                method="subscription",
                target=target,
                stream_index=index,
            )
            try:
                reply = self.service.handle(request)
            except HookError as error:
                queue.put_nowait(Event(next(numbers), data={ERROR_KEY: str(error)}))
                return
            if index == 0:
                execution.note(request, reply)
            stream = reply.stream
            count = stream.count if stream is not None else None
            if count is not None and index >= count:
                if count > 0:
                    queue.put_nowait(None)
                return
            if index > 0:
                interval = stream.interval_ms if stream is not None else None
                if interval is None:
                    interval = reply.delay_ms or self.interval_ms
                await asyncio.sleep(interval / 1000.0)
            elif reply.delay_ms:
                await asyncio.sleep(reply.delay_ms / 1000.0)
            queue.put_nowait(Event(next(numbers), reply=reply))
