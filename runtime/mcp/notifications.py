"""Resource subscriptions and the resources mocks add.

``notifications/resources/updated`` when a resource's
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

A mock of a resource template that matches every variable of the template on
one value (``match: {path: {id: n-7}}``) adds that resource to
``resources/list`` (``notes://notes/n-7``); when the mocks change so that these
resources differ, ``notifications/resources/list_changed`` is sent (to listen
streams that asked for it, and to every session of earlier versions that
listed resources).
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
from mcp.server.subscriptions import (
    InMemorySubscriptionBus,
    ListenHandler,
    ResourcesListChanged,
    ResourceUpdated,
)

from ..events import Message, Subscription
from ..json_codec import json_bytes
from ..service import MockService
from .answers import fill
from .catalog import Catalog, McpOperation
from .listeners import Listeners

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
        self._listing = Listeners()
        """Connections (before 2026-07-28) that listed resources: told when the list changes."""
        self._mocked: list[types.Resource] = self._mocked_resources()

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

    # -- the resources mocks add ------------------------------------------

    @property
    def mocked_resources(self) -> list[types.Resource]:
        """The resources the template mocks name (see the module's docstring)."""
        return self._mocked

    def listed_by(self, session: ServerSession) -> None:
        self._listing.add(session)

    def _mocked_resources(self) -> list[types.Resource]:
        fixed = set(self.catalog.resources)
        found: dict[str, types.Resource] = {}
        for definition in self.service.mocks.served_definitions():
            template = self._resources.get(definition.operation)
            if template is None or template.uri_pattern is None:
                continue
            values = _matched_values(definition.document, template.binding["variables"])
            if values is None:
                continue
            uri = fill(template.binding["uri_template"], values)
            if uri in fixed or uri in found or not template.uri_pattern.fullmatch(uri):
                continue
            found[uri] = types.Resource(
                uri=uri,
                name=template.name,
                title=template.binding["title"] or None,
                description=template.binding["description"] or None,
                mime_type=template.binding["mime_type"] or None,
            )
        return [found[uri] for uri in sorted(found)]

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
        mocked = self._mocked_resources()
        listed_changed = mocked != self._mocked
        self._mocked = mocked
        uris: list[str] = []
        with self._lock:
            subscribed = list(self._sessions)
        for resource in changed:
            if resource.uri_pattern is None:
                uris.append(resource.binding["uri_template"])
            else:
                uris.extend(uri for uri in subscribed if resource.uri_pattern.fullmatch(uri))
        loop = self._loop
        if (uris or listed_changed) and loop is not None:
            with contextlib.suppress(RuntimeError):  # a closed loop: the server is stopping
                loop.call_soon_threadsafe(self._updated, uris, listed_changed)

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

    def _updated(self, uris: list[str], listed_changed: bool = False) -> None:
        """Tell the subscribers of ``uris`` (on the loop), and those of the
        resource list when it changed."""
        task = asyncio.get_running_loop().create_task(self._send(uris, listed_changed))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _send(self, uris: list[str], listed_changed: bool) -> None:
        if listed_changed:
            await self.bus.publish(ResourcesListChanged())
            await self._listing.notify(types.ResourceListChangedNotification())
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


def _matched_values(document: Mapping[str, Any], variables: list[str]) -> dict[str, str] | None:
    """The value a mock matches each variable on (``path.<variable>``: a
    literal or ``{equals: …}``); None unless it pins every one of them."""
    match = document.get("match")
    path = match.get("path") if isinstance(match, Mapping) else None
    if not isinstance(path, Mapping):
        return None
    values: dict[str, str] = {}
    for variable in variables:
        value = path.get(variable)
        if isinstance(value, Mapping) and set(value) == {"equals"}:
            value = value["equals"]
        if not isinstance(value, str | int | float) or isinstance(value, bool):
            return None
        values[variable] = str(value)
    return values
