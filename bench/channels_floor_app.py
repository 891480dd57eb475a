"""The floor of the SSE and WebSocket benchmark: a hand-written raw ASGI app
pushing the same messages to its clients, in the same stack as a generated
server (granian's embedded server, one worker, the same limits).

- ``GET /stream``: an ``text/event-stream`` response; every message goes out as
  ``id:`` and ``data:`` lines.
- WebSocket on ``/ws``: every message goes out as a text frame.
- ``POST /emit`` with ``{"data": …, "count": n}``: the message, ``n`` times, to
  every open stream and socket; answers ``{"delivered": clients}``.
- ``GET /health``: ``200``.

No validation, no journal, no mocks: the most this stack does for the job.

    python bench/channels_floor_app.py PORT
"""

from __future__ import annotations

import asyncio
import itertools
import json
import signal
import sys
from typing import Any

Queue = asyncio.Queue[bytes | None]


class FloorApp:
    def __init__(self) -> None:
        self.streams: set[Queue] = set()
        self.sockets: set[Queue] = set()
        self.ids = itertools.count(1)

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] == "websocket":
            await self._socket(receive, send)
        elif scope["type"] == "http":
            if scope["path"] == "/stream":
                await self._stream(receive, send)
            elif scope["path"] == "/emit":
                await self._emit(receive, send)
            else:
                await _answer(send, 200, b'{"status":"ok"}')

    async def _emit(self, receive: Any, send: Any) -> None:
        body = b""
        while True:
            message = await receive()
            body += message.get("body", b"")
            if not message.get("more_body"):
                break
        asked = json.loads(body)
        text = json.dumps(asked["data"], separators=(",", ":"))
        for _ in range(int(asked.get("count", 1))):
            event = f"id: {next(self.ids)}\ndata: {text}\n\n".encode()
            for queue in self.streams:
                queue.put_nowait(event)
            for queue in self.sockets:
                queue.put_nowait(text.encode())
        clients = len(self.streams) + len(self.sockets)
        await _answer(send, 202, json.dumps({"delivered": clients}).encode())

    async def _stream(self, receive: Any, send: Any) -> None:
        queue: Queue = asyncio.Queue()
        self.streams.add(queue)
        headers = [(b"content-type", b"text/event-stream"), (b"cache-control", b"no-cache")]
        gone = asyncio.ensure_future(_disconnected(receive))
        try:
            await send({"type": "http.response.start", "status": 200, "headers": headers})
            await send({"type": "http.response.body", "body": b": open\n\n", "more_body": True})
            while not gone.done():
                getting = asyncio.ensure_future(queue.get())
                await asyncio.wait({getting, gone}, return_when=asyncio.FIRST_COMPLETED)
                if not getting.done():
                    getting.cancel()
                    break
                chunks = [getting.result()]
                while not queue.empty():
                    chunks.append(queue.get_nowait())
                await send(
                    {"type": "http.response.body", "body": b"".join(chunks), "more_body": True}
                )
        except OSError:
            pass
        finally:
            gone.cancel()
            self.streams.discard(queue)

    async def _socket(self, receive: Any, send: Any) -> None:
        await receive()  # websocket.connect
        await send({"type": "websocket.accept"})
        queue: Queue = asyncio.Queue()
        self.sockets.add(queue)

        async def write() -> None:
            while (frame := await queue.get()) is not None:
                await send({"type": "websocket.send", "text": frame.decode()})

        writer = asyncio.create_task(write())
        try:
            while (await receive())["type"] != "websocket.disconnect":
                pass
        finally:
            self.sockets.discard(queue)
            writer.cancel()


async def _disconnected(receive: Any) -> None:
    while (await receive())["type"] != "http.disconnect":
        pass


async def _answer(send: Any, status: int, body: bytes) -> None:
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


async def serve(port: int) -> None:
    from granian.constants import Interfaces
    from granian.log import LogLevels
    from granian.server.embed import Server

    server = Server(
        FloorApp(),
        address="127.0.0.1",
        port=port,
        interface=Interfaces.ASGINL,
        log_level=LogLevels("error"),
        websockets=True,
        backlog=1024,
        backpressure=10_000,
    )
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, server.stop)
    await server.serve()


if __name__ == "__main__":
    asyncio.run(serve(int(sys.argv[1])))
