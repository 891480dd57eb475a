"""The SSE channels of a server: streams clients read, channels they post to.

:class:`SseChannels` serves the requests on the channels' paths for a
:class:`~mockc.runtime.service.MockService` it is given: an SSE server's own
(``runtime/sse/app.py``), or an HTTP server's that serves channels beside its
routes (``runtime/http/app.py``), whose mocks' ``then`` reactions then reach
these streams. Each channel operation that sends is a stream at ``GET`` on
its path (path parameters as in the channel's address; a value outside a
parameter's enum is a 404): the response is ``text/event-stream`` and stays
open. Events go to every client of the channel, or, when emitted with path
parameters, to the clients that opened the stream with those; a client may
ask for some event types only (``?event=a,b``). Each event is the engine's
answer for the operation, rendered per event type — the output key the
answer names — with ``id:``, ``event:``, ``retry:`` and ``data:`` (JSON, or
the text as it is). A client reconnecting with ``Last-Event-ID`` gets what it
missed from the channel's replay buffer first (:mod:`.feeds`); a comment line
goes out when a stream has been quiet for the heartbeat interval. A mock's
transport faults apply per event: ``reset`` ends the streams the event was
for, ``empty`` sends nothing, ``malformed`` sends the event's data cut short.

A channel clients send on (``receive``) takes each message as a ``POST`` on
its path, checked against the payload schema (``202``, or a ``400`` problem).
The journal has one entry per connection (method ``GET``, when it closes,
with the connection's client id), one per event (method ``sent``: server to
clients, listing the ids of every client it was handed to: a fan-out is one
entry, not one per client) and one per message received (method
``received``: client to server, with its verdict).
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import itertools
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl

from ..contract import Contract
from ..engine import Reply, Request
from ..events import Message
from ..journal import EntryBuilder
from ..json_codec import json_bytes, json_text, parse_json
from ..schema_validators import NamedSchemas
from ..service import MockService
from ..web.asgi import Receive, Scope, Send
from ..web.bodies import DEFAULT_MAX_BODY_BYTES, read_body
from ..web.headers import request_headers
from ..web.problems import Problem, send_problem
from ..web.responses import send_response
from ..web.router import Match, Router, placeholders
from .contract import Stream, streams_of
from .feeds import CUT, Event, Feed, Listener
from .frames import FRAMINGS, SSE
from .replies import address_in_message

__all__ = ["PROTOCOL", "SseChannels", "SseOptions"]

PROTOCOL = "sse"
_STREAM_HEADERS = [
    (b"cache-control", b"no-cache"),
    (b"x-accel-buffering", b"no"),
]


@dataclass(frozen=True, slots=True)
class SseOptions:
    """What only an SSE server is told (environment variables in server.py)."""

    heartbeat_ms: float = 15000.0
    """A comment line after this long without an event (``MOCKC_SSE_HEARTBEAT_MS``)."""
    replay: int = 1000
    """Events each channel keeps for ``Last-Event-ID`` resumes (``MOCKC_SSE_REPLAY``)."""


class SseChannels:
    """The channels of ``contract`` (its ``channel`` operations), served for ``service``."""

    def __init__(
        self, contract: Contract, service: MockService, options: SseOptions | None = None
    ) -> None:
        self.service = service
        self.options = options or SseOptions()
        self.streams = {stream.operation: stream for stream in streams_of(contract)}
        self.reply_streams = _reply_streams(self.streams)
        """Streams of replies alone, by the operation whose replies they carry."""
        self._reply_to = {
            stream.operation: _stream_at(self.streams, stream.reply_path) or stream.operation
            for stream in self.streams.values()
            if stream.reply_path
        }
        """Operation clients send on → the operation whose stream carries its replies."""
        served = [
            *(stream for stream in self.streams.values() if stream.action == "send"),
            *self.reply_streams.values(),
        ]
        self.feeds = {
            stream.operation: Feed(
                stream.operation,
                self._renderer(stream),
                self._namer(stream),
                replay=self.options.replay,
                on_sent=self._reporter(stream),
            )
            for stream in served
        }
        self.router: Router[Stream] = Router(
            (method, stream.path, stream)
            for stream in (*self.streams.values(), *self.reply_streams.values())
            for method in _methods(stream)
        )
        self._named = NamedSchemas(contract["defs"])
        self._validators: dict[str, Any] = {}
        self._journal = EntryBuilder(PROTOCOL, service.settings)
        self._clients = itertools.count(1)

    def attach(self) -> None:
        """Start the feeds (from the server's event loop); a no-op once started."""
        for feed in self.feeds.values():
            feed.attach(self.service)

    def detach(self) -> None:
        for feed in self.feeds.values():
            feed.detach()

    async def serve(self, scope: Scope, receive: Receive, send: Send, found: Match[Stream]) -> None:
        """One request the router matched to a channel: a stream opened, or a
        message posted to a channel clients send on."""
        self.attach()
        if found.target.action != "send":
            await self._receive(scope, receive, send, found.target, found.params)
            return
        wrong = _wrong_parameter(found.target, found.params)
        if wrong:
            await send_problem(send, Problem(404, f"no stream at {scope['path']}: {wrong}"))
        else:
            await self._stream(scope, receive, send, found.target, found.params)

    # -- events --------------------------------------------------------------

    def _renderer(self, stream: Stream) -> Callable[[int, Message], Event]:
        return lambda number, message: self._render(stream, number, message)

    def _namer(self, stream: Stream) -> Callable[[Message], str]:
        return lambda message: _event_name(stream, message)

    def _render(self, stream: Stream, number: int, message: Message) -> Event:
        reply = message.reply
        if reply is None:
            data = message.data
            media_type = stream.media_types.get(next(iter(stream.events), ""), "application/json")
        else:
            data = reply.content if reply.content is not None else reply.body
            key = str(reply.status)
            media_type = reply.media_type or stream.media_types.get(key, "application/json")
        name = _event_name(stream, message)
        framing = FRAMINGS.get(stream.framing, SSE)
        if isinstance(data, bytes):
            text = data.decode("utf-8", "replace")
        elif isinstance(data, str) and "json" not in media_type:
            text = json_text(data) if framing.json_only else data
        else:
            text = json_text(data)
        if reply is not None and reply.fault == "malformed":
            text = text[: max(1, len(text) // 2)]  # cut short: no longer the declared payload
        return Event(number, name, framing.event(number, name, text, stream.retry_ms), message)

    async def _stream(
        self, scope: Scope, receive: Receive, send: Send, stream: Stream, params: dict[str, str]
    ) -> None:
        arrived, started = time.time(), time.perf_counter()
        headers = request_headers(scope)
        last_id = _last_event_id(headers.get("last-event-id"))
        feed = self.feeds[stream.operation]
        target = _target(scope)
        client = f"sse-{next(self._clients)}"
        listener, missed, complete = feed.listen(
            last_id, params, _event_names(scope), client=client, target=target
        )
        sent = 0
        try:
            framing = FRAMINGS.get(stream.framing, SSE)
            start_headers = [(b"content-type", framing.content_type), *_STREAM_HEADERS]
            await send({"type": "http.response.start", "status": 200, "headers": start_headers})
            opening = framing.comment(
                "stream open" if complete else "replay buffer exceeded; events lost"
            )
            await send({"type": "http.response.body", "body": opening, "more_body": True})
            if missed:
                await self._send(send, missed)
                for event in missed:  # a replay is this client's alone
                    self._journal_sent(stream, event, [listener])
                sent += len(missed)
            sent += await self._pump(send, receive, listener.queue, framing.comment("heartbeat"))
        except OSError:
            pass  # the client went away mid-write
        finally:
            feed.leave(listener)
            self.service.record(
                self._journal.entry(
                    time=arrived,
                    duration_ms=(time.perf_counter() - started) * 1000.0,
                    method=scope["method"],
                    target=target,
                    operation=stream.operation,
                    status="200",
                    source="stream",
                    request_headers=headers,
                    response_body=f"{sent} events".encode(),
                    clients=[client],
                )
            )
        with contextlib.suppress(OSError):
            await send({"type": "http.response.body", "body": b"", "more_body": False})

    async def _receive(
        self, scope: Scope, receive: Receive, send: Send, stream: Stream, params: dict[str, str]
    ) -> None:
        """A message a client sends to the channel (a ``POST``): checked against
        the payload schema, answered ``202`` or a ``400`` problem naming what is
        wrong, and journaled (method ``received``) with the verdict. A channel
        with a ``reply`` answers the message (hooks, mocks, examples, fake data)
        and sends the answer on the reply's stream; the ``202`` says how many
        clients it reached (``replied``)."""
        arrived, started = time.time(), time.perf_counter()
        headers = request_headers(scope)
        status, source = 202, "accepted"
        problems: list[str] = []
        try:
            raw = await read_body(receive, DEFAULT_MAX_BODY_BYTES, headers.get("content-length"))
            value, problems = self._read(stream, raw)
            status = 400 if problems else 202
            if problems:
                source = "invalid"
                await send_problem(send, Problem(400, "; ".join(problems)))
            elif stream.reply_path or stream.reply_location:
                request = Request(
                    stream.operation,
                    path=dict(params),
                    query=dict(parse_qsl(scope.get("query_string", b"").decode("latin-1"))),
                    headers=dict(headers),
                    body=value,
                    raw_body=raw,
                    method="POST",
                    target=_target(scope),
                )
                reply = self.service.handle(request)
                source = reply.source or "accepted"
                replied = self._send_reply(stream, params, headers, value, reply)
                answer = json_bytes({"accepted": True, "replied": replied})
                await send_response(send, 202, b"application/json", answer)
            else:
                await send_response(send, 202, b"application/json", b'{"accepted":true}')
        except Problem as problem:
            raw, status = b"", problem.status
            await send_problem(send, problem)
        self.service.record(
            self._journal.entry(
                time=arrived,
                duration_ms=(time.perf_counter() - started) * 1000.0,
                method="received",
                target=_target(scope),
                operation=stream.operation,
                status=str(status),
                source=source,
                request_headers=headers,
                request_body=raw,
            )
        )

    def _send_reply(
        self,
        stream: Stream,
        params: dict[str, str],
        headers: dict[str, Any],
        value: Any,
        reply: Reply,
    ) -> int:
        """Send ``reply`` on the stream its channel's ``reply`` names; how many
        clients it reached (0 when the message names no stream of the server)."""
        if stream.reply_location:
            address = address_in_message(stream.reply_location, headers, value)
            found = self.router.match("GET", address) if address is not None else None
            if not isinstance(found, Match) or found.target.action != "send":
                return 0
            operation, wanted = found.target.operation, found.params
        else:
            operation = self._reply_to[stream.operation]
            names = placeholders(stream.reply_path)
            wanted = {name: text for name, text in params.items() if name in names}
        return self.service.emitter.deliver(operation, reply, wanted)

    def _read(self, stream: Stream, raw: bytes) -> tuple[Any, list[str]]:
        """A received message's value, and what is wrong with it ([] when nothing)."""
        schema = next(iter(stream.accepts.values()), None)
        media_type = next(iter(stream.accepts), "application/json")
        if "json" not in media_type:
            value: Any = raw.decode("utf-8", "replace")
        else:
            try:
                value = parse_json(raw)
            except ValueError as error:
                return None, [f"the message is not JSON: {error}"]
        if not schema:
            return value, []
        validator = self._validators.get(stream.operation)
        if validator is None:
            validator = self._validators[stream.operation] = self._named.compile(schema)
        return value, [
            f"{'/' + '/'.join(map(str, error.instance_path)) if error.instance_path else '/'}: "
            f"{error.message}"
            for error in itertools.islice(validator.iter_errors(value), 3)
        ]

    async def _pump(
        self, send: Send, receive: Receive, queue: asyncio.Queue[Event], heartbeat: bytes
    ) -> int:
        """Send the feed's events until the client goes; how many were sent.

        The queue is all it waits on: two helper tasks put :data:`_GONE` in it
        when the client disconnects and :data:`_HEARTBEAT` when the stream has
        been quiet for the heartbeat interval, so an event costs one wake-up
        and no task of its own (what keeps a fan-out to many clients cheap)."""
        sent = 0
        loop = asyncio.get_running_loop()
        last_write = [loop.time()]
        helpers = (
            asyncio.ensure_future(_watch_disconnect(receive, queue)),
            asyncio.ensure_future(_beat(queue, self.options.heartbeat_ms / 1000.0, last_write)),
        )
        try:
            while True:
                events = [await queue.get()]
                while not queue.empty():  # what arrived meanwhile goes in the same write
                    events.append(queue.get_nowait())
                stop = next((i for i, e in enumerate(events) if e is CUT or e is _GONE), None)
                if stop is not None:
                    events = events[:stop]
                real = [event for event in events if event is not _HEARTBEAT]
                if real:
                    await self._send(send, real)
                    sent += len(real)
                elif events and heartbeat:  # quiet for the heartbeat interval
                    await send({"type": "http.response.body", "body": heartbeat, "more_body": True})
                if stop is not None:
                    return sent
                last_write[0] = loop.time()
        finally:
            for helper in helpers:
                helper.cancel()

    @staticmethod
    async def _send(send: Send, events: list[Event]) -> None:
        body = b"".join(event.frame for event in events)
        await send({"type": "http.response.body", "body": body, "more_body": True})

    def _reporter(self, stream: Stream) -> Callable[[Event, list[Listener]], None]:
        return lambda event, listeners: self._journal_sent(stream, event, listeners)

    def _journal_sent(self, stream: Stream, event: Event, listeners: list[Listener]) -> None:
        """One entry for an event handed to its clients, however many: their ids,
        and the target they opened (the channel's address, with the event's
        parameters, when they opened different ones)."""
        targets = {listener.target for listener in listeners}
        self.service.record(
            self._journal.entry(
                time=time.time(),
                duration_ms=0.0,
                method="sent",
                target=targets.pop() if len(targets) == 1 else _address(stream, event),
                operation=stream.operation,
                status=event.name,
                source="emit",
                response_body=event.frame,
                clients=[listener.client for listener in listeners],
            )
        )


def _stream_at(streams: dict[str, Stream], path: str) -> str | None:
    """The operation of the stream the API sends on at ``path``, if there is one."""
    return next(
        (s.operation for s in streams.values() if s.action == "send" and s.path == path), None
    )


def _reply_streams(streams: dict[str, Stream]) -> dict[str, Stream]:
    """A stream of replies for each channel clients send on whose ``reply`` goes
    to an address no stream of the API serves: the replies alone, at that address."""
    return {
        stream.operation: dataclasses.replace(
            stream, path=stream.reply_path, action="send", method="GET", choices={}, accepts={}
        )
        for stream in streams.values()
        if stream.reply_path and _stream_at(streams, stream.reply_path) is None
    }


def _address(stream: Stream, event: Event) -> str:
    """The stream's path with the parameters the event was emitted for filled in."""
    params = event.message.params if event.message is not None else None
    path = stream.path
    for name, value in (params or {}).items():
        path = path.replace("{" + name + "}", value)
    return path


def _wrong_parameter(stream: Stream, params: dict[str, str]) -> str:
    """What is wrong with the path parameters ("" when nothing): a value its enum lacks."""
    for name, allowed in stream.choices.items():
        if name in params and params[name] not in allowed:
            return f"{name} must be one of {', '.join(allowed)}"
    return ""


def _methods(stream: Stream) -> tuple[str, ...]:
    """A stream is opened with ``GET`` (what ``EventSource`` sends), and with the
    method its binding declares when that is another; a channel clients send
    on takes ``POST``."""
    if stream.action != "send":
        return ("POST",)
    return ("GET",) if stream.method == "GET" else ("GET", stream.method)


_GONE = Event(-1, "", b"")
"""Queued when the client has disconnected."""
_HEARTBEAT = Event(-2, "", b"")
"""Queued when the stream has been quiet for the heartbeat interval."""


async def _watch_disconnect(receive: Receive, queue: asyncio.Queue[Event]) -> None:
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            queue.put_nowait(_GONE)
            return


async def _beat(queue: asyncio.Queue[Event], interval: float, last_write: list[float]) -> None:
    """Queue a heartbeat whenever nothing was written for ``interval`` seconds."""
    loop = asyncio.get_running_loop()
    while True:
        quiet_until = last_write[0] + interval
        now = loop.time()
        if now >= quiet_until:
            queue.put_nowait(_HEARTBEAT)
            last_write[0] = now
            quiet_until = now + interval
        await asyncio.sleep(quiet_until - now)


def _event_name(stream: Stream, message: Message) -> str:
    """The event type a message goes out as: its answer's output key, mapped to
    the channel's event names; given data is the stream's default event."""
    key = str(message.reply.status) if message.reply is not None else ""
    return stream.events.get(key, key) if key else stream.default_event


def _event_names(scope: Scope) -> frozenset[str]:
    """The event types a client asked for with ``?event=a,b`` (empty: every one)."""
    query: bytes = scope.get("query_string", b"")
    if b"event=" not in query:
        return frozenset()
    return frozenset(
        name.strip()
        for key, value in parse_qsl(query.decode("latin-1"))
        if key == "event"
        for name in value.split(",")
        if name.strip()
    )


def _last_event_id(value: Any) -> int | None:
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    return None


def _target(scope: Scope) -> str:
    query: bytes = scope.get("query_string", b"")
    path: str = scope["path"]
    return path + ("?" + query.decode("latin-1") if query else "")
