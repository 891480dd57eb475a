"""Progress and log notifications of a tool call, from a mock's ``stream``.

A tool mock with ``stream: {count: N, interval_ms: T}`` and a list of
``responses`` answers in N messages: the first N-1 are steps, the last is the
result. Each step is sent as ``notifications/progress`` (``progress`` 1…N-1 of
``total`` N-1, its body's text the ``message``) when the call carried a
progress token, and as a ``notifications/message`` log entry (level ``info``,
the tool's name as ``logger``, the body as ``data``) when the client asked for
logs (at or above the level it set); steps are T milliseconds apart.

A step answered with the status ``sampling`` or ``elicitation`` asks the
client instead (:mod:`.client_requests`) and waits for its answer. What each
step gave — the client's answer, else the step's body — is ``request.steps``
for the steps after it.
"""

from __future__ import annotations

import asyncio
import json
import warnings
from collections.abc import Awaitable, Callable
from typing import Any

import mcp_types as types
from mcp.server.context import ServerRequestContext

from ..engine import Reply, Request
from ..service import MockService
from .answers import reply_body
from .client_requests import CLIENT_STEPS, ask_client
from .log_levels import wants_log

__all__ = ["stepped"]

Context = ServerRequestContext[Any]
Ask = Callable[[Request], Awaitable[Reply]]
LOG_LEVEL: types.LoggingLevel = "info"


async def stepped(
    ctx: Context,
    tool: str,
    request: Request,
    first: Reply,
    ask: Ask,
    service: MockService,
    resumed: list[Any],
) -> Reply:
    """The reply of the call: ``first``, or, when its mock declares a ``stream``,
    the last of its messages after the others were sent as steps (a list of
    ``responses`` without ``stream`` stays a sequence, one per call). ``resumed``:
    what the steps gave before a retry with the client's answer (2026-07-28);
    the call goes on from the step after them."""
    stream = first.stream
    count = stream.count if stream is not None and stream.count else 1
    if count <= 1 or not _declares_stream(service, first.source):
        return first
    interval = (stream.interval_ms or 0.0) / 1000.0 if stream is not None else 0.0
    token = _progress_token(ctx)
    steps = count - 1
    request.steps = list(resumed)
    for index in range(len(resumed), steps):
        if index and interval:
            await asyncio.sleep(interval)
        request.stream_index = index
        step = await ask(request)
        body = reply_body(step)
        if str(step.status) in CLIENT_STEPS:
            where = f"step {index} of mock {step.source.removeprefix('mock:')}"
            answer = await ask_client(ctx, str(step.status), body, where, index, request.steps)
            request.steps.append(answer)
            continue
        request.steps.append(body)
        if token is not None:
            await ctx.session.send_progress_notification(
                token, index + 1, steps, _text(body), related_request_id=_request_id(ctx)
            )
        await _log(ctx, tool, body)
    if interval:
        await asyncio.sleep(interval)
    request.stream_index = steps
    return await ask(request)


def _declares_stream(service: MockService, source: str) -> bool:
    mock = source.removeprefix("mock:")
    return any(
        definition.id == mock and "stream" in definition.document
        for definition in service.mocks.served_definitions()
    )


def _progress_token(ctx: Context) -> str | int | None:
    meta: Any = ctx.meta or {}
    token = meta.get("progress_token", meta.get("progressToken"))
    return token if isinstance(token, str | int) else None


def _request_id(ctx: Context) -> str | None:
    return str(ctx.request_id) if ctx.request_id is not None else None


async def _log(ctx: Context, tool: str, data: Any) -> None:
    """A log entry, sent when the client asked for them (the SDK checks the level
    of 2026-07-28 sessions; ``logging/setLevel`` that of earlier ones)."""
    if not wants_log(ctx.session, "info"):
        return
    with warnings.catch_warnings():  # deprecated by the 2026-07-28 protocol, still served
        warnings.simplefilter("ignore")
        await ctx.session.send_log_message(
            LOG_LEVEL, data, logger=tool, related_request_id=ctx.request_id
        )


def _text(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
