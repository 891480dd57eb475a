"""Resource subscriptions: ``notifications/resources/updated`` when a resource's
mocks change (a file edited under hot reload, the admin API) or when the
resource is emitted (``POST /__mockc/emit/<operation>``, a mock's ``emit``
schedule or ``then`` reaction).

Both protocol eras are served: ``subscriptions/listen`` (2026-07-28: the
SDK's :class:`ListenHandler` over one in-process bus) and
``resources/subscribe`` / ``resources/unsubscribe`` (earlier versions: the
subscribing sessions are kept per URI and sent the notification).

A fixed resource's URI is the one updated; for a resource template, an emit
names the URI in its data (``{"data": {"uri": "notes://notes/7"}}``), and a
change of the template's mocks updates every subscribed URI it matches.
Changes arrive on any thread (the admin API's, the file watcher's) and are
handed to the server's event loop.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import hashlib
import threading
from collections.abc import Mapping
from typing import Any

import mcp_types as types
from mcp.server.context import ServerRequestContext
from mcp.server.session import ServerSession
from mcp.server.subscriptions import InMemorySubscriptionBus, ListenHandler, ResourceUpdated

from ..events import Message, Subscription
from ..json_codec import json_bytes
from ..service import MockService
from .catalog import Catalog, McpOperation

__all__ = ["ResourceNotifier"]

Context = ServerRequestContext[Any]


class ResourceNotifier:
    def __init__(self, catalog: Catalog, service: MockService) -> None:
        self.catalog = catalog
        self.service = service
        self.bus = InMemorySubscriptionBus()
        self.listen = ListenHandler(self.bus)
        """The ``subscriptions/listen`` handler (``on_subscriptions_listen``)."""
        self._resources: dict[str, McpOperation] = {
            resource.id: resource for resource in (*catalog.resources.values(), *catalog.templates)
        }
        self._sessions: dict[str, set[ServerSession]] = {}
        self._lock = threading.Lock()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._hub: list[Subscription] = []
        self._tasks: set[asyncio.Task[None]] = set()
        self._prints: dict[str, str] = {}

    # -- life --------------------------------------------------------------

    def start(self) -> None:
        """Follow emits and mock changes; call on the server's event loop."""
        self._loop = asyncio.get_running_loop()
        self._prints = self._fingerprints()
        for operation_id in self._resources:
            self._hub.append(
                self.service.events.subscribe(
                    operation_id, functools.partial(self._emitted, operation_id)
                )
            )
        self.service.change_listeners.append(self._mocks_changed)

    def stop(self) -> None:
        if self._mocks_changed in self.service.change_listeners:
            self.service.change_listeners.remove(self._mocks_changed)
        for subscription in self._hub:
            subscription.close()
        self._hub.clear()
        self.listen.close()
        self._loop = None

    # -- resources/subscribe (before 2026-07-28) ---------------------------

    async def subscribe(
        self, ctx: Context, params: types.SubscribeRequestParams
    ) -> types.EmptyResult:
        with self._lock:
            self._sessions.setdefault(str(params.uri), set()).add(ctx.session)
        return types.EmptyResult()

    async def unsubscribe(
        self, ctx: Context, params: types.UnsubscribeRequestParams
    ) -> types.EmptyResult:
        with self._lock:
            sessions = self._sessions.get(str(params.uri))
            if sessions is not None:
                sessions.discard(ctx.session)
                if not sessions:
                    del self._sessions[str(params.uri)]
        return types.EmptyResult()

    # -- what changes ------------------------------------------------------

    def _emitted(self, operation_id: str, message: Message) -> None:
        """An emit of a resource (on the loop): its URI, or the one its data names."""
        resource = self._resources[operation_id]
        data = message.data
        if isinstance(data, Mapping) and isinstance(data.get("uri"), str):
            uri = str(data["uri"])
        elif resource.uri_pattern is None:
            uri = resource.binding["uri_template"]
        else:
            return  # a template's emit names no URI: nothing to say
        self._updated([uri])

    def _mocks_changed(self) -> None:
        """The mocks changed (any thread): the resources whose mocks differ now."""
        prints = self._fingerprints()
        changed = [
            self._resources[op] for op in self._resources if prints.get(op) != self._prints.get(op)
        ]
        self._prints = prints
        uris: list[str] = []
        with self._lock:
            subscribed = list(self._sessions)
        for resource in changed:
            if resource.uri_pattern is None:
                uris.append(resource.binding["uri_template"])
            else:
                uris.extend(uri for uri in subscribed if resource.uri_pattern.fullmatch(uri))
        loop = self._loop
        if uris and loop is not None:
            with contextlib.suppress(RuntimeError):  # a closed loop: the server is stopping
                loop.call_soon_threadsafe(self._updated, uris)

    def _fingerprints(self) -> dict[str, str]:
        """Per resource operation, a digest of the mocks served for it."""
        documents: dict[str, list[Any]] = {}
        for definition in self.service.mocks.served_definitions():
            if definition.operation in self._resources:
                documents.setdefault(definition.operation, []).append(
                    [definition.id, definition.enabled, definition.document]
                )
        return {
            operation: hashlib.sha256(
                json_bytes(sorted(found, key=lambda d: str(d[0])))
            ).hexdigest()
            for operation, found in documents.items()
        }

    def _updated(self, uris: list[str]) -> None:
        """Tell the subscribers of ``uris`` (on the loop)."""
        task = asyncio.get_running_loop().create_task(self._send(uris))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _send(self, uris: list[str]) -> None:
        for uri in dict.fromkeys(uris):
            await self.bus.publish(ResourceUpdated(uri=uri))
            with self._lock:
                sessions = list(self._sessions.get(uri, ()))
            for session in sessions:
                try:
                    await session.send_resource_updated(uri)
                except Exception:  # noqa: BLE001 - a closed session just drops out
                    with self._lock:
                        self._sessions.get(uri, set()).discard(session)
