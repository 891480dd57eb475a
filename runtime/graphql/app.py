"""The ASGI application of a generated GraphQL server.

``/graphql`` answers GraphQL over HTTP (``POST``, and ``GET`` for queries)
and over WebSocket (``graphql-transport-ws``, for subscriptions); a browser
asking for ``/graphql`` gets GraphiQL. ``/health``, ``/metrics`` and the admin
API under ``/__mockc/`` are the same as on every mockc server. Every request
is journaled: its operation is the first root field it asked for.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import AsyncIterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from graphql import (
    ExperimentalIncrementalExecutionResults,
    GraphQLError,
    SubsequentIncrementalExecutionResult,
    build_ast_schema,
    parse,
)

from .. import __version__
from ..admin import ADMIN_PREFIX, METRICS_PATH, AdminApp
from ..asgi import Receive, Scope, Send, lifespan
from ..contract import engine_operations
from ..engine import Hook, Reply
from ..http.framing import INCOMPLETE_BODY
from ..journal import EntryBuilder
from ..json_codec import json_bytes
from ..service import MockService, matched_of
from ..settings import CoreSettings
from . import graphiql
from .contract import GraphqlContract, root_fields, type_targets
from .execution import Documents, encode_result, is_request_error, operation_type, result_document
from .fakes import LeafFakes
from .incremental import MULTIPART_MEDIA_TYPE, PayloadFormat, closing, incremental_format, part
from .limits import Limits
from .outputs import OUTPUTS
from .resolvers import Resolvers
from .subscriptions import EventStreams
from .transport import (
    GRAPHQL_RESPONSE,
    JSON,
    GraphqlParams,
    RequestError,
    params_from_body,
    params_from_query,
    response_media_type,
)
from .values import Execution
from .websocket import serve_websocket

__all__ = ["DEFAULT_MAX_BODY_BYTES", "GraphqlApp", "GraphqlOptions"]

DEFAULT_MAX_BODY_BYTES = 10 * 1024 * 1024
GRAPHQL_PATH = "/graphql"
HEALTH_PATH = "/health"
logger = logging.getLogger("mockc")


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


@dataclass(frozen=True, slots=True)
class _Later:
    """The results of a deferring query that follow its initial one."""

    payloads: PayloadFormat
    results: AsyncIterator[SubsequentIncrementalExecutionResult]


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
        self._page = graphiql.page(self.title, GRAPHQL_PATH)
        self._started = time.monotonic()

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
                await self._graphql(scope, receive, send)
            elif path == HEALTH_PATH:
                await self._health(scope, send)
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
                await _send(send, 404, JSON, body)
        elif kind == "websocket":
            if scope["path"] == GRAPHQL_PATH:
                await serve_websocket(self, scope, receive, send)
            else:
                await receive()
                await send({"type": "websocket.close", "code": 4404, "reason": "Not found"})
        elif kind == "lifespan":
            await lifespan(receive, send)

    # -- GraphQL over HTTP -------------------------------------------------

    async def _graphql(self, scope: Scope, receive: Receive, send: Send) -> None:
        started = time.perf_counter()
        arrived = time.time()
        headers = _headers(scope)
        method: str = scope["method"]
        raw = b""
        execution = Execution(headers)
        media_type = response_media_type(headers.get("accept")) or JSON
        status = 200
        content = b""
        extra: list[tuple[bytes, bytes]] = []
        later: _Later | None = None
        try:
            if method == "GET" and _wants_page(headers, scope) and self.options.graphiql:
                await _send(send, 200, "text/html; charset=utf-8", self._page)
                return
            chosen = response_media_type(headers.get("accept"))
            deferring = incremental_format(headers.get("accept"))
            if chosen is None and deferring is None:
                raise RequestError(
                    406,
                    f"answers are {GRAPHQL_RESPONSE} or {JSON}; the Accept header allows neither",
                )
            if method == "GET":
                params = params_from_query(scope.get("query_string", b"").decode("latin-1"))
            elif method == "POST":
                raw = await self._read_body(receive, headers)
                params = params_from_body(
                    headers.get("content-type"),
                    raw,
                    max_depth=self.service.settings.json_max_depth,
                )
            else:
                raise RequestError(
                    405, f"{method} is not allowed; use GET or POST", (("allow", "GET, POST"),)
                )
            status, content, later = self._run(
                params, execution, media_type, get=method == "GET", deferring=deferring
            )
            if chosen is None and later is None:  # the client reads multipart answers only
                media_type = MULTIPART_MEDIA_TYPE
                content = part(content) + closing()
        except RequestError as error:
            status = error.status
            content = encode_result({"errors": [{"message": error.message}]})
            extra = [(name.encode(), value.encode()) for name, value in error.headers]
        except Exception:
            logger.exception("unexpected error on %s %s", method, scope["path"])
            status = 500
            content = encode_result(
                {"errors": [{"message": "unexpected error; see the server log"}]}
            )
        if later is not None:
            try:
                content = await self._send_incremental(send, execution, content, later)
            finally:
                self._record(scope, execution, status, started, arrived, raw, content, None)
            return
        if execution.delay_ms > 0:
            await asyncio.sleep(execution.delay_ms / 1000.0)
        fault = execution.fault
        try:
            if fault is not None:
                await _send_fault(send, fault, status, media_type, content)
            else:
                await _send(send, status, media_type, content, extra)
        finally:
            self._record(scope, execution, status, started, arrived, raw, content, fault)

    def _run(
        self,
        params: GraphqlParams,
        execution: Execution,
        media_type: str,
        *,
        get: bool,
        deferring: str | None = None,
    ) -> tuple[int, bytes, _Later | None]:
        """(status, body, None) of one GraphQL request; (200, the first part, what
        follows) when it defers or streams and the client reads multipart answers."""
        request_error = 400 if media_type == GRAPHQL_RESPONSE else 200
        prepared = self.documents.prepare(params.query)
        if prepared.document is None:
            errors = encode_result({"errors": [e.formatted for e in prepared.errors]})
            return request_error, errors, None
        operation = prepared.operation(params.operation_name)
        kind = operation_type(operation)
        execution.method = kind
        if get and kind == "mutation":
            raise RequestError(405, "mutations are sent with POST", (("allow", "POST"),))
        if kind == "subscription":
            error = GraphQLError(
                f"subscriptions are served over WebSocket (graphql-transport-ws) at {GRAPHQL_PATH}",
                operation,
            )
            return request_error, encode_result({"errors": [error.formatted]}), None
        refused = self.documents.too_costly(prepared.document, operation, params.variables)
        if refused is not None:
            return request_error, encode_result({"errors": [refused.formatted]}), None
        if deferring is not None and prepared.plain is not None:
            found = self.documents.execute_incrementally(
                prepared.document, execution, params.variables, params.operation_name
            )
            if isinstance(found, ExperimentalIncrementalExecutionResults):
                payloads = PayloadFormat(deferring)
                first = encode_result(payloads.payload(found.initial_result.formatted))
                return 200, first, _Later(payloads, found.subsequent_results)
            result = found
        else:
            document = prepared.plain_document
            assert document is not None
            result = self.documents.execute(
                document, execution, params.variables, params.operation_name
            )
        status = request_error if is_request_error(result) else 200
        content = encode_result(result_document(result))
        too_large = self.documents.too_large(content)
        if too_large is not None:
            return request_error, too_large, None
        return status, content, None

    async def _send_incremental(
        self, send: Send, execution: Execution, first: bytes, later: _Later
    ) -> bytes:
        """Answer ``multipart/mixed``: the initial result, then each next one as it
        completes. Returns the whole body (for the journal)."""
        if execution.delay_ms > 0:
            await asyncio.sleep(execution.delay_ms / 1000.0)
        headers = [
            (b"content-type", MULTIPART_MEDIA_TYPE.encode()),
            (b"cache-control", b"no-cache"),
        ]
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        sent = [part(first)]
        await send({"type": "http.response.body", "body": sent[0], "more_body": True})
        try:
            async for result in later.results:
                chunk = part(encode_result(later.payloads.payload(result.formatted)))
                sent.append(chunk)
                await send({"type": "http.response.body", "body": chunk, "more_body": True})
        except Exception:
            logger.exception("unexpected error while delivering a deferred result")
        sent.append(closing())
        await send({"type": "http.response.body", "body": sent[-1]})
        return b"".join(sent)

    async def _read_body(self, receive: Receive, headers: Mapping[str, str]) -> bytes:
        limit = self.options.max_body_bytes
        declared = headers.get("content-length")
        if declared is not None and declared.isdigit() and int(declared) > limit:
            raise RequestError(413, f"the request body is larger than {limit} bytes")
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                raise RequestError(400, INCOMPLETE_BODY)
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > limit:
                raise RequestError(413, f"the request body is larger than {limit} bytes")
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        return b"".join(chunks)

    # -- the rest ----------------------------------------------------------

    async def _health(self, scope: Scope, send: Send) -> None:
        document = {
            "status": "ok",
            "version": __version__,
            "uptime": round(time.monotonic() - self._started, 3),
        }
        await _send(send, 200, JSON, json_bytes(document), head=scope["method"] == "HEAD")

    async def _asset(self, scope: Scope, send: Send, name: str) -> None:
        found = graphiql.asset(name) if scope["method"] in ("GET", "HEAD") else None
        if found is None:
            await _send(send, 404, JSON, encode_result({"errors": [{"message": "no such file"}]}))
            return
        content, media_type = found
        cache = [(b"cache-control", b"public, max-age=86400")]
        await _send(send, 200, media_type, content, cache, head=scope["method"] == "HEAD")

    def _record(
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


def _headers(scope: Scope) -> dict[str, str]:
    headers: dict[str, str] = {}
    for name, value in scope["headers"]:
        key = name.decode("latin-1")
        text = value.decode("latin-1")
        headers[key] = f"{headers[key]}, {text}" if key in headers else text
    return headers


def _wants_page(headers: Mapping[str, str], scope: Scope) -> bool:
    """A browser opening /graphql: HTML accepted, no query asked."""
    accept = headers.get("accept", "")
    return "text/html" in accept and b"query=" not in scope.get("query_string", b"")


async def _send(
    send: Send,
    status: int,
    media_type: str | None,
    content: bytes | None,
    extra: list[tuple[bytes, bytes]] | None = None,
    *,
    head: bool = False,
) -> None:
    headers = list(extra or ())
    if media_type is not None and content is not None:
        headers.append((b"content-type", media_type.encode()))
    headers.append((b"content-length", str(len(content or b"")).encode()))
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": b"" if head else content or b""})


async def _send_fault(send: Send, fault: str, status: int, media_type: str, content: bytes) -> None:
    """Misbehave as a mock asked: no body, a cut body, or a connection reset."""
    if fault == "empty":
        await _send(send, status, None, None)
        return
    body = content or b'{"mockc": "malformed body"}'
    if fault == "malformed":
        await _send(send, status, media_type, body[: max(1, len(body) // 2)] + b"\x00\xff")
        return
    headers = [
        (b"content-type", media_type.encode()),
        (b"content-length", str(len(body) + 1).encode()),
    ]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body[: len(body) // 2], "more_body": True})
    raise ConnectionResetError("fault: reset")
