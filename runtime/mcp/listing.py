"""Tools and prompts that mocks take away, and ``list_changed`` for them.

A mock of a tool or prompt whose one response is ``fault: {kind: gone}``
makes it disappear: without ``match`` (and at the default rate, 1) it leaves
``tools/list`` (``prompts/list``) while the mock is served, and a call is
answered as for a tool the server does not have (``-32602``); with ``match``
only the calls it matches are. When the mocks change so that the listed
tools (prompts) differ — such a mock created or deleted through the admin
API, edited on disk — ``notifications/tools/list_changed``
(``notifications/prompts/list_changed``) is sent: to ``subscriptions/listen``
streams that asked for it (protocol 2026-07-28) and to every session of
earlier versions that listed tools (prompts). Changes arrive on any thread
and are handed to the server's event loop, as for resources
(:mod:`.notifications`).
"""

from __future__ import annotations

import asyncio
import contextlib

import mcp_types as types
from mcp.server.session import ServerSession
from mcp.server.subscriptions import InMemorySubscriptionBus, PromptsListChanged, ToolsListChanged

from ..mocks.definition import MockDefinition
from ..service import MockService
from .catalog import Catalog
from .listeners import Listeners

__all__ = ["GONE", "ListChanges"]

GONE = "gone"
"""The fault kind of a tool or prompt that disappears."""


class ListChanges:
    """The tools and prompts mocks took away, followed as the mocks change."""

    def __init__(
        self, catalog: Catalog, service: MockService, bus: InMemorySubscriptionBus
    ) -> None:
        self.service = service
        self.bus = bus
        self._tool_ids = {tool.id: tool.name for tool in catalog.tools.values()}
        self._prompt_ids = {prompt.id: prompt.name for prompt in catalog.prompts.values()}
        self._loop: asyncio.AbstractEventLoop | None = None
        self._tasks: set[asyncio.Task[None]] = set()
        self._tool_listers = Listeners()
        self._prompt_listers = Listeners()
        self.gone_tools, self.gone_prompts = self._gone()

    def start(self) -> None:
        """Follow mock changes; call on the server's event loop."""
        self._loop = asyncio.get_running_loop()
        self.service.change_listeners.append(self._mocks_changed)

    def stop(self) -> None:
        if self._mocks_changed in self.service.change_listeners:
            self.service.change_listeners.remove(self._mocks_changed)
        self._loop = None

    def tools_listed_by(self, session: ServerSession) -> None:
        self._tool_listers.add(session)

    def prompts_listed_by(self, session: ServerSession) -> None:
        self._prompt_listers.add(session)

    def _gone(self) -> tuple[frozenset[str], frozenset[str]]:
        gone = {
            definition.operation
            for definition in self.service.mocks.served_definitions()
            if _takes_away(definition)
        }
        return (
            frozenset(name for op, name in self._tool_ids.items() if op in gone),
            frozenset(name for op, name in self._prompt_ids.items() if op in gone),
        )

    def _mocks_changed(self) -> None:
        """The mocks changed (any thread): tell the listers when a list differs."""
        tools, prompts = self._gone()
        changed = (tools != self.gone_tools, prompts != self.gone_prompts)
        self.gone_tools, self.gone_prompts = tools, prompts
        loop = self._loop
        if any(changed) and loop is not None:
            with contextlib.suppress(RuntimeError):  # a closed loop: the server is stopping
                loop.call_soon_threadsafe(self._schedule, *changed)

    def _schedule(self, tools: bool, prompts: bool) -> None:
        task = asyncio.get_running_loop().create_task(self._send(tools, prompts))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _send(self, tools: bool, prompts: bool) -> None:
        if tools:
            await self.bus.publish(ToolsListChanged())
            await self._tool_listers.notify(types.ToolListChangedNotification())
        if prompts:
            await self.bus.publish(PromptsListChanged())
            await self._prompt_listers.notify(types.PromptListChangedNotification())


def _takes_away(definition: MockDefinition) -> bool:
    """Whether the mock takes its tool or prompt away from every call."""
    if not definition.enabled or definition.conditions or len(definition.responses) != 1:
        return False
    fault = definition.responses[0].fault
    return fault is not None and fault.kind == GONE and fault.rate >= 1
