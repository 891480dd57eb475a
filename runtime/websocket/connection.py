"""One open WebSocket: messages the client sends checked, matched and answered;
messages the server sends (the emit path) pushed; every message journaled with
its direction (``received`` or ``sent``) and verdict.

Frames that break the channel's rules close the socket and only it: a frame
that is not JSON where JSON is declared (1007), a frame over the size limit
(1009). A message that is JSON but breaks its payload schema is answered with
an error frame and journaled as ``invalid``; a valid one is answered by the
engine (hooks, mocks matched on ``request.body``, examples, fake data) when its
message declares a reply (or a hook answers it).
"""

from __future__ import annotations

import asyncio
import time
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl

from ..engine import Reply, Request
from ..events import Message
from ..exceptions import RuntimeFailure
from ..json_codec import json_bytes, parse_json
from ..service import matched_of
from ..web.asgi import Receive, Scope, Send
from ..web.headers import request_headers
from ..web.router import placeholders
from .channels import Channel, Inbound
from .outputs import ERROR_STATUS

if TYPE_CHECKING:
    from .sockets import WebSocketChannels

__all__ = [
    "CLOSE_INVALID_PAYLOAD",
    "CLOSE_TOO_BIG",
    "RECEIVED",
    "SENT",
    "Connection",
    "encode_message",
    "frame_of",
]

CLOSE_INVALID_PAYLOAD = 1007
CLOSE_TOO_BIG = 1009
CLOSE_INTERNAL_ERROR = 1011
RECEIVED = "received"
SENT = "sent"
"""The journal's ``method`` of a message: its direction."""
_JOURNALED_TOO_BIG = 1024
"""Bytes of an oversized frame the journal keeps."""
_MESSAGE_METHOD = "message"
"""The engine request method of a message a client sent."""


def encode_message(body: Any, media_type: str | None = None, schema: Any = None) -> bytes:
    """A message body as frame bytes: text as it is, anything else as JSON."""
    if isinstance(body, bytes):
        return body
    if isinstance(body, str) and not (media_type or "").endswith("json"):
        return body.encode("utf-8")
    return json_bytes(body)


class _Close(RuntimeFailure):
    def __init__(self, code: int, reason: str) -> None:
        super().__init__(reason)
        self.code = code
        self.reason = reason


class Connection:
    def __init__(
        self,
        app: WebSocketChannels,
        channel: Channel,
        params: dict[str, str],
        scope: Scope,
        send: Send,
        opened: float,
    ) -> None:
        self.app = app
        self.channel = channel
        self.params = params
        self.path = scope.get("path", channel.path)
        self.query = dict(parse_qsl(scope.get("query_string", b"").decode("latin-1")))
        self.headers = request_headers(scope)
        self._send = send
        self._outbox: asyncio.Queue[tuple[bytes, str] | None] = asyncio.Queue()
        self.opened = opened

    async def run(self, receive: Receive) -> None:
        service = self.app.service
        subscriptions = [
            service.events.subscribe(operation, self._pushed, audience=self._reached)
            for operation in self.channel.outbound
        ]
        writer: asyncio.Task[None] | None = asyncio.create_task(self._write())
        try:
            await self._read(receive)
        except _Close as close:
            await self._outbox.put(None)  # what is queued goes out before the close
            if writer is not None:
                await writer
            writer = None
            await self._send(
                {"type": "websocket.close", "code": close.code, "reason": close.reason}
            )
        finally:
            for subscription in subscriptions:
                subscription.close()
            if writer is not None:
                writer.cancel()

    # -- the client's messages ----------------------------------------------------

    async def _read(self, receive: Receive) -> None:
        limit = self.app.options.max_message_bytes
        while True:
            message = await receive()
            if message["type"] == "websocket.disconnect":
                return
            if message["type"] != "websocket.receive":
                continue
            text: str | None = message.get("text")
            raw: bytes = text.encode("utf-8") if text is not None else (message.get("bytes") or b"")
            if limit and len(raw) > limit:
                self._journal_received(None, raw[:_JOURNALED_TOO_BIG], "too_big", "adapter")
                raise _Close(CLOSE_TOO_BIG, f"message of {len(raw)} bytes over the {limit} limit")
            await self._on_message(raw, text)

    async def _on_message(self, raw: bytes, text: str | None) -> None:
        payload: Any
        if self.channel.json:
            try:
                payload = parse_json(raw)
            except (ValueError, RecursionError) as error:
                self._journal_received(None, raw, "not_json", "adapter")
                raise _Close(CLOSE_INVALID_PAYLOAD, f"not JSON: {_short(error)}") from None
        else:
            try:
                payload = text if text is not None else raw.decode("utf-8")
            except UnicodeDecodeError:
                self._journal_received(None, raw, "not_text", "adapter")
                raise _Close(CLOSE_INVALID_PAYLOAD, "not UTF-8 text") from None
        inbound, problems = self._match(payload)
        if inbound is None:
            self._journal_received(None, raw, "unknown", "adapter")
            await self._error_frame(None, ["no message of this channel is expected here"])
            return
        request = Request(
            inbound.operation,
            path=dict(self.params),
            query=dict(self.query),
            headers=dict(self.headers),
            body=payload,
            raw_body=raw,
            media_type=inbound.media_type,
            method=_MESSAGE_METHOD,
            target=self.path,
        )
        verdict = "invalid" if problems else "valid"
        if problems:  # not the engine's to answer: the payload breaks its schema
            self._journal_received(inbound.operation, raw, verdict, "adapter")
            await self._error_frame(inbound.operation, problems)
            return
        reply = self.app.service.handle(request)
        self._journal_received(inbound.operation, raw, verdict, reply.source, request, reply)
        if inbound.replies or reply.source == "hook":  # a hook may answer any message
            await self._reply(inbound, reply)

    def _match(self, payload: Any) -> tuple[Inbound | None, list[str]]:
        """The message this payload is (the first whose schema it meets), else the
        first message of the channel with the payload's problems."""
        inbound = self.channel.inbound
        if not inbound:
            return None, []
        first_problems: list[str] = []
        for index, candidate in enumerate(inbound):
            problems = candidate.problems(payload)
            if not problems:
                return candidate, []
            if index == 0:
                first_problems = problems
        return inbound[0], first_problems

    async def _reply(self, inbound: Inbound, reply: Reply) -> None:
        if inbound.reply_path:  # to the sockets of another channel (3.x reply.channel)
            names = placeholders(inbound.reply_path)
            params = {name: value for name, value in self.params.items() if name in names}
            self.app.service.emitter.deliver(inbound.operation, reply, params)
            return
        if reply.delay_ms > 0:
            await asyncio.sleep(reply.delay_ms / 1000.0)
        if reply.fault is not None:
            await self._fault(reply.fault)
            return
        frame = _frame_of(reply)
        await self._outbox.put((frame, str(reply.status)))
        self._journal_sent(inbound.operation, frame, str(reply.status), reply.source or "fake")

    async def _fault(self, fault: str) -> None:
        if fault == "empty":
            return
        if fault == "malformed":
            await self._outbox.put((b"{", "fault:malformed"))
            return
        raise _Close(CLOSE_INTERNAL_ERROR, f"injected fault: {fault}")

    async def _error_frame(self, operation: str | None, problems: list[str]) -> None:
        body: dict[str, Any] = {"error": "invalid message", "problems": problems}
        if operation is not None:
            body["operation"] = operation
        frame = json_bytes(body)
        await self._outbox.put((frame, ERROR_STATUS))
        self._journal_sent(operation, frame, ERROR_STATUS, "adapter")

    # -- the server's messages ------------------------------------------------------

    def _reached(self, message: Any) -> int:
        """1 when an emitted message is for this socket's path parameters, else 0."""
        return int(isinstance(message, Message) and message.reaches(self.params))

    def _pushed(self, message: Any) -> None:
        """A message of the emit path (on this loop): queued for the writer."""
        if not isinstance(message, Message) or not message.reaches(self.params):
            return
        frame = self.app.frame_of(message)
        if message.reply is not None:
            status, source = str(message.reply.status), message.reply.source or "emit"
        else:
            status, source = "data", "emit"
        self._outbox.put_nowait((frame, status))
        self._journal_sent(message.operation, frame, status, source)

    async def _write(self) -> None:
        while True:
            item = await self._outbox.get()
            if item is None:
                return
            frame, _ = item
            try:
                await self._send({"type": "websocket.send", "text": frame.decode("utf-8")})
            except UnicodeDecodeError:
                await self._send({"type": "websocket.send", "bytes": frame})
            except Exception:  # the client went away: the reader sees the disconnect
                return

    # -- the journal ------------------------------------------------------------------

    def _journal_received(
        self,
        operation: str | None,
        raw: bytes,
        verdict: str,
        source: str,
        request: Request | None = None,
        reply: Reply | None = None,
    ) -> None:
        app = self.app
        app.service.record(
            app.journal.entry(
                time=time.time(),
                duration_ms=0.0,
                method=RECEIVED,
                target=self.path,
                operation=operation,
                status=verdict,
                source=source,
                matched=matched_of(reply, request),
                near_miss=request.near_miss if request is not None else None,
                request_headers=self.headers,
                request_body=raw,
            )
        )

    def _journal_sent(self, operation: str | None, frame: bytes, status: str, source: str) -> None:
        app = self.app
        app.service.record(
            app.journal.entry(
                time=time.time(),
                duration_ms=0.0,
                method=SENT,
                target=self.path,
                operation=operation,
                status=status,
                source=source,
                response_body=frame,
            )
        )


def frame_of(message: Message) -> bytes:
    """The frame of an emitted message."""
    if message.reply is not None:
        return _frame_of(message.reply)
    return encode_message(message.data)


def _frame_of(reply: Reply) -> bytes:
    if reply.content is not None:
        return reply.content
    return encode_message(reply.body, reply.media_type)


def _short(error: BaseException) -> str:
    text = str(error).splitlines()[0] if str(error) else type(error).__name__
    return text[:100]
