"""The ASGI application of a generated GraphQL server.

``/graphql`` answers GraphQL over HTTP (``POST``, and ``GET`` for queries)
and over WebSocket (``graphql-transport-ws``, for subscriptions); a browser
asking for ``/graphql`` gets GraphiQL. ``/health``, ``/metrics`` and the admin
API under ``/__mockc/`` are the same as on every mockc server. Every request
is journaled: its operation is the first root field it asked for.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from graphql import build_ast_schema, parse

from ..admin import ADMIN_PREFIX, METRICS_PATH, AdminApp
from ..contract import engine_operations
from ..engine import Hook, Reply
from ..journal import EntryBuilder
from ..json_codec import json_bytes
from ..service import MockService, matched_of
from ..settings import CoreSettings
from ..web.asgi import Receive, Scope, Send, lifespan
from ..web.bodies import DEFAULT_MAX_BODY_BYTES
from ..web.health import Health
from ..web.responses import send_response
from . import graphiql
from .contract import GraphqlContract, root_fields, type_targets
from .execution import Documents, encode_result
from .fakes import LeafFakes
from .limits import Limits
from .outputs import OUTPUTS
from .over_http import GRAPHQL_PATH, serve_http
from .resolvers import Resolvers
from .subscriptions import EventStreams
from .transport import JSON
from .values import Execution
from .websocket import serve_websocket

__all__ = ["DEFAULT_MAX_BODY_BYTES", "GraphqlApp", "GraphqlOptions"]

HEALTH_PATH = "/health"


@dataclass(frozen=True, slots=True)
class GraphqlOptions:
    """What only a GraphQL server is told (environment variables in server.py)."""

    list_length: int = 2
    """Items in a faked list (``MOCKC_GRAPHQL_LIST_LENGTH``)."""
    max_list: int = 100
    """Most items a faked list has when ``first``/``last``/``limit`` ask for more."""
    event_interval_ms: float = 1000.0
    """Between two events of a subscription a mock says nothing about."""
    graphiql: bool = True
    introspection: bool = True
    max_body_bytes: int = DEFAULT_MAX_BODY_BYTES
    limits: Limits = Limits()
    validate: bool = True
    """Check input values (``MOCKC_VALIDATE``); see :data:`.execution.INPUT_VALUE_RULES`."""
    """Depth, answer size and subscriptions per connection (:mod:`.limits`)."""


def _encode(data: Any, media_type: str | None, schema: Any = None) -> bytes:
    return data if isinstance(data, bytes) else json_bytes(data)


class GraphqlApp:
    """Serves the schema ``sdl`` described by ``contract`` from the folder ``directory``."""

    def __init__(
        self,
        contract: GraphqlContract,
        sdl: str,
        directory: Path,
        *,
        settings: CoreSettings | None = None,
        options: GraphqlOptions | None = None,
        hooks: Mapping[str, Hook] | None = None,
    ) -> None:
        settings = settings or CoreSettings()
        self.options = options = options or GraphqlOptions()
        api = contract["api"]
        self.title = api.get("title") or api.get("name") or "GraphQL API"
        roots = root_fields(contract)
        self.operation_count = len(roots)
        hooks = dict(hooks or {})
        self.service = MockService(
            directory,
            engine_operations(contract, OUTPUTS),
            {},
            encoder=_encode,
            settings=settings,
            protocol="graphql",
            name=api.get("name") or "api",
            hooks=hooks,
            outputs=OUTPUTS,
        )
        self._journal = EntryBuilder("graphql", self.service.settings)
        self.schema = build_ast_schema(parse(sdl), assume_valid=True, assume_valid_sdl=True)
        self.resolvers = Resolvers(
            self.schema,
            self.service,
            {(root.root, root.field): root for root in roots},
            LeafFakes(settings.seed, contract["graphql"]["scalars"]),
            list_length=options.list_length,
            max_list=options.max_list,
            hooked_types=frozenset(name for name in type_targets(contract) if name in hooks),
            streams=EventStreams(self.service, interval_ms=options.event_interval_ms),
        )
        self.resolvers.attach()
        self.documents = Documents(
            self.schema,
            introspection=options.introspection,
            limits=options.limits,
            list_length=options.list_length,
            max_list=options.max_list,
            validate=options.validate,
        )
        self.admin = AdminApp(self.service, title=self.title)
        self.page = graphiql.page(self.title, GRAPHQL_PATH)
        """GraphiQL, for a browser opening :data:`GRAPHQL_PATH`."""
        self._health = Health()

    def close(self) -> None:
        """Flush the journal and release the state store."""
        self.service.close()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        kind = scope["type"]
        if kind == "http":
            path: str = scope["path"]
            if path.startswith(ADMIN_PREFIX) or path == METRICS_PATH:
                await self.admin(scope, receive, send)
            elif path == GRAPHQL_PATH:
                await serve_http(self, scope, receive, send)
            elif path == HEALTH_PATH:
                await send_response(
                    send, 200, _JSON, self._health.body(), head=scope["method"] == "HEAD"
                )
            elif path.startswith(GRAPHQL_PATH + graphiql.ASSET_PREFIX):
                await self._asset(scope, send, path[len(GRAPHQL_PATH + graphiql.ASSET_PREFIX) :])
            else:
                body = encode_result(
                    {
                        "errors": [
                            {"message": f"no route {path}; GraphQL is served at {GRAPHQL_PATH}"}
                        ]
                    }
                )
                await send_response(send, 404, _JSON, body)
        elif kind == "websocket":
            if scope["path"] == GRAPHQL_PATH:
                await serve_websocket(self, scope, receive, send)
            else:
                await receive()
                await send({"type": "websocket.close", "code": 4404, "reason": "Not found"})
        elif kind == "lifespan":
            await lifespan(receive, send)

    # -- GraphiQL's files, the journal --------------------------------------

    async def _asset(self, scope: Scope, send: Send, name: str) -> None:
        found = graphiql.asset(name) if scope["method"] in ("GET", "HEAD") else None
        if found is None:
            body = encode_result({"errors": [{"message": "no such file"}]})
            await send_response(send, 404, _JSON, body)
            return
        content, media_type = found
        cache = [(b"cache-control", b"public, max-age=86400")]
        head = scope["method"] == "HEAD"
        await send_response(send, 200, media_type.encode(), content, cache, head=head)

    def record_http(
        self,
        scope: Scope,
        execution: Execution,
        status: int,
        started: float,
        arrived: float,
        raw: bytes,
        content: bytes,
        fault: str | None,
    ) -> None:
        request, reply = execution.request, execution.reply
        """Journal one request over HTTP (once it is answered)."""
        query: bytes = scope.get("query_string", b"")
        self.service.record(
            self._journal.entry(
                time=arrived,
                duration_ms=(time.perf_counter() - started) * 1000.0,
                method=scope["method"],
                target=scope["path"] + ("?" + query.decode("latin-1") if query else ""),
                operation=request.operation_id if request is not None else None,
                status=f"fault:{fault}" if fault else str(status),
                source=_source(reply, request is not None),
                matched=matched_of(reply, request),
                near_miss=request.near_miss if request is not None else None,
                request_headers=execution.headers,
                request_body=raw,
                response_body=content,
            ),
        )

    def record_socket(
        self,
        path: str,
        execution: Execution,
        status: str,
        started: float,
        arrived: float,
        payload: dict[str, Any],
    ) -> None:
        """Journal one operation run over WebSocket (when it ends)."""
        request, reply = execution.request, execution.reply
        self.service.record(
            self._journal.entry(
                time=arrived,
                duration_ms=(time.perf_counter() - started) * 1000.0,
                protocol="graphql-ws",
                method=execution.method.upper(),
                target=path,
                operation=request.operation_id if request is not None else None,
                status=status,
                source=_source(reply, request is not None),
                matched=matched_of(reply, request),
                near_miss=request.near_miss if request is not None else None,
                request_headers=execution.headers,
                request_body=json_bytes(payload) if self._journal.detailed else None,
            ),
        )


def _source(reply: Reply | None, asked: bool) -> str:
    if reply is None:
        return "error" if asked else "graphql"
    return reply.source or "fake"


_JSON = JSON.encode()
