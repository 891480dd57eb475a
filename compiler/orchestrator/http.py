"""ASGI plumbing of the orchestrator: a request object, reading bodies, answers."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl

from mockc.runtime.json_codec import json_bytes
from mockc.runtime.web.asgi import Receive, Scope, Send

from .errors import Problem

__all__ = ["MAX_BODY_BYTES", "Reply", "Request", "Stream", "send_reply"]

MAX_BODY_BYTES = 50 * 1024 * 1024
JSON = "application/json"


@dataclass(slots=True)
class Request:
    scope: Scope
    receive: Receive
    params: dict[str, str] = field(default_factory=dict)
    _body: bytes | None = None

    @property
    def method(self) -> str:
        return str(self.scope["method"])

    @property
    def path(self) -> str:
        return str(self.scope["path"])

    @property
    def query_string(self) -> str:
        return bytes(self.scope.get("query_string", b"")).decode("latin-1")

    @property
    def query(self) -> dict[str, str]:
        return dict(parse_qsl(self.query_string, keep_blank_values=True))

    def header(self, name: str) -> str:
        wanted = name.lower().encode()
        for key, value in self.scope["headers"]:
            if key == wanted:
                return bytes(value).decode("latin-1")
        return ""

    async def body(self) -> bytes:
        if self._body is None:
            chunks: list[bytes] = []
            size = 0
            while True:
                message = await self.receive()
                if message["type"] == "http.disconnect":
                    raise Problem(400, "the client went away")
                chunk = message.get("body", b"")
                size += len(chunk)
                if size <= MAX_BODY_BYTES:
                    chunks.append(chunk)
                elif size > 4 * MAX_BODY_BYTES:
                    break  # stop reading: the answer may not reach a client still sending
                if not message.get("more_body", False):
                    break
            if size > MAX_BODY_BYTES:
                # read to its end (bounded), so that a client sending all of it gets the answer
                raise Problem(413, f"request bodies are limited to {MAX_BODY_BYTES} bytes")
            self._body = b"".join(chunks)
        return self._body

    async def json(self, *, required: bool = True) -> Any:
        raw = await self.body()
        if not raw.strip():
            if required:
                raise Problem(400, "the request needs a JSON body")
            return None
        media = self.header("content-type").split(";")[0].strip().lower()
        if media and media != JSON and not media.endswith("+json"):
            raise Problem(415, f"send application/json, not {media}")
        try:
            return json.loads(raw)
        except (ValueError, UnicodeDecodeError) as error:
            raise Problem(400, f"the request body is not JSON: {error}") from None

    def flag(self, name: str) -> bool:
        value = self.query.get(name, "").lower()
        if value in ("", "false", "0", "no"):
            return False
        if value in ("true", "1", "yes"):
            return True
        raise Problem(400, f"{name}={value!r} must be true or false")

    def integer(self, name: str, default: int, *, low: int, high: int) -> int:
        text = self.query.get(name)
        if text is None or text == "":
            return default
        if not text.isdigit() or not low <= int(text) <= high:
            raise Problem(400, f"{name}={text!r} must be a whole number from {low} to {high}")
        return int(text)


@dataclass(slots=True)
class Reply:
    status: int = 200
    document: Any = None
    media_type: str = JSON
    raw: bytes | None = None
    headers: list[tuple[str, str]] = field(default_factory=list)


@dataclass(slots=True)
class Stream:
    """A streamed answer (``follow`` of logs): chunks until the iterator ends."""

    chunks: AsyncIterator[bytes]
    media_type: str = "text/plain; charset=utf-8"


async def send_reply(send: Send, reply: Reply, *, head: bool = False) -> None:
    if reply.raw is not None:
        content = reply.raw
    elif reply.status in (204, 304):
        content = b""
    else:
        content = json_bytes(reply.document)
    headers = [(name.encode("latin-1"), value.encode("latin-1")) for name, value in reply.headers]
    if reply.status not in (204, 304):
        headers.append((b"content-type", reply.media_type.encode()))
        headers.append((b"content-length", str(len(content)).encode()))
    headers.append((b"cache-control", b"no-store"))
    await send({"type": "http.response.start", "status": reply.status, "headers": headers})
    await send({"type": "http.response.body", "body": b"" if head else content})


async def send_stream(send: Send, receive: Receive, stream: Stream) -> None:
    await send(
        {
            "type": "http.response.start",
            "status": 200,
            "headers": [
                (b"content-type", stream.media_type.encode()),
                (b"cache-control", b"no-store"),
            ],
        }
    )

    async def disconnected() -> None:
        while (await receive())["type"] != "http.disconnect":
            pass

    watcher = asyncio.ensure_future(disconnected())
    try:
        async for chunk in stream.chunks:
            if watcher.done():
                break
            await send({"type": "http.response.body", "body": chunk, "more_body": True})
        if not watcher.done():
            await send({"type": "http.response.body", "body": b""})
    except OSError:
        pass
    finally:
        watcher.cancel()
