"""GraphQL over HTTP: one request in, its result (or results, when it defers) out.

``POST`` and ``GET`` at ``/graphql`` (see :mod:`.transport` for how the
parameters are read and the answer's type chosen); a browser asking for the
page gets GraphiQL. A deferring query, when the client reads multipart
answers, gets its initial result then each later one as it completes.
"""

from __future__ import annotations

import logging
import time
from collections.abc import AsyncIterator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from graphql import (
    ExperimentalIncrementalExecutionResults,
    GraphQLError,
    SubsequentIncrementalExecutionResult,
)

from ..web.asgi import Receive, Scope, Send
from ..web.bodies import read_body
from ..web.faults import delay, send_fault
from ..web.headers import request_headers
from ..web.problems import Problem
from ..web.responses import send_response
from .execution import encode_result, is_request_error, operation_type, result_document
from .incremental import MULTIPART_MEDIA_TYPE, PayloadFormat, closing, incremental_format, part
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

if TYPE_CHECKING:
    from .app import GraphqlApp

__all__ = ["GRAPHQL_PATH", "serve_http"]

GRAPHQL_PATH = "/graphql"
logger = logging.getLogger("mockc")


@dataclass(frozen=True, slots=True)
class _Later:
    """The results of a deferring query that follow its initial one."""

    payloads: PayloadFormat
    results: AsyncIterator[SubsequentIncrementalExecutionResult]


async def serve_http(app: GraphqlApp, scope: Scope, receive: Receive, send: Send) -> None:
    """Answer one GraphQL request over HTTP at :data:`GRAPHQL_PATH`, and journal it."""
    started = time.perf_counter()
    arrived = time.time()
    headers = request_headers(scope)
    method: str = scope["method"]
    raw = b""
    execution = Execution(headers)
    media_type = response_media_type(headers.get("accept")) or JSON
    status = 200
    content = b""
    extra: list[tuple[bytes, bytes]] = []
    later: _Later | None = None
    try:
        if method == "GET" and _wants_page(headers, scope) and app.options.graphiql:
            await send_response(send, 200, b"text/html; charset=utf-8", app.page)
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
            raw = await _read_body(app, receive, headers)
            params = params_from_body(
                headers.get("content-type"),
                raw,
                max_depth=app.service.settings.json_max_depth,
            )
        else:
            raise RequestError(
                405, f"{method} is not allowed; use GET or POST", (("allow", "GET, POST"),)
            )
        status, content, later = _run(
            app, params, execution, media_type, get=method == "GET", deferring=deferring
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
        content = encode_result({"errors": [{"message": "unexpected error; see the server log"}]})
    if later is not None:
        try:
            content = await _send_incremental(send, execution, content, later)
        finally:
            app.record_http(scope, execution, status, started, arrived, raw, content, None)
        return
    await delay(execution.delay_ms)
    fault = execution.fault
    try:
        if fault is not None:
            await send_fault(send, fault, status, media_type.encode(), content)
        else:
            await send_response(send, status, media_type.encode(), content, extra)
    finally:
        app.record_http(scope, execution, status, started, arrived, raw, content, fault)


def _run(
    app: GraphqlApp,
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
    prepared = app.documents.prepare(params.query)
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
    refused = app.documents.too_costly(prepared.document, operation, params.variables)
    if refused is not None:
        return request_error, encode_result({"errors": [refused.formatted]}), None
    if deferring is not None and prepared.plain is not None:
        found = app.documents.execute_incrementally(
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
        result = app.documents.execute(document, execution, params.variables, params.operation_name)
    status = request_error if is_request_error(result) else 200
    content = encode_result(result_document(result))
    too_large = app.documents.too_large(content)
    if too_large is not None:
        return request_error, too_large, None
    return status, content, None


async def _send_incremental(send: Send, execution: Execution, first: bytes, later: _Later) -> bytes:
    """Answer ``multipart/mixed``: the initial result, then each next one as it
    completes. Returns the whole body (for the journal)."""
    await delay(execution.delay_ms)
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


async def _read_body(app: GraphqlApp, receive: Receive, headers: Mapping[str, str]) -> bytes:
    try:
        return await read_body(receive, app.options.max_body_bytes, headers.get("content-length"))
    except Problem as problem:
        raise RequestError(problem.status, problem.detail) from None


def _wants_page(headers: Mapping[str, str], scope: Scope) -> bool:
    """A browser opening /graphql: HTML accepted, no query asked."""
    accept = headers.get("accept", "")
    return "text/html" in accept and b"query=" not in scope.get("query_string", b"")
