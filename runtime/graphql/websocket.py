"""GraphQL over WebSocket: the ``graphql-transport-ws`` protocol.

``connection_init`` → ``connection_ack``; ``subscribe`` starts an operation
whose results come as ``next`` messages, then ``complete``; the client's
``complete`` stops one; ``ping``/``pong`` keep the socket alive. Protocol
violations close the socket with the protocol's codes (4400 bad message,
4401 subscribe before the acknowledgement, 4408 no ``connection_init`` in
time, 4409 a duplicate id, 4429 a second ``connection_init``).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
from typing import TYPE_CHECKING, Any

from graphql import ExecutionResult, GraphQLError

from ..json_codec import parse_json
from ..web.asgi import Receive, Send
from ..web.headers import request_headers
from .execution import encode_result, format_errors, operation_type, result_document
from .values import Execution

if TYPE_CHECKING:
    from .app import GraphqlApp

__all__ = ["INIT_TIMEOUT_S", "PROTOCOL", "serve_websocket"]

PROTOCOL = "graphql-transport-ws"
INIT_TIMEOUT_S = 10.0


async def serve_websocket(
    app: GraphqlApp, scope: dict[str, Any], receive: Receive, send: Send
) -> None:
    message = await receive()
    if message["type"] != "websocket.connect":
        return
    if PROTOCOL not in (scope.get("subprotocols") or ()):
        await send(
            {"type": "websocket.close", "code": 4406, "reason": "Subprotocol not acceptable"}
        )
        return
    await send({"type": "websocket.accept", "subprotocol": PROTOCOL})
    await _Connection(app, scope, send).run(receive)


class _Connection:
    def __init__(self, app: GraphqlApp, scope: dict[str, Any], send: Send) -> None:
        self.app = app
        self.path = scope.get("path", "")
        self.headers = request_headers(scope)
        self._send = send
        self._lock = asyncio.Lock()
        self.initialised = False
        self.closed = False
        self.operations: dict[str, asyncio.Task[None]] = {}

    async def run(self, receive: Receive) -> None:
        loop = asyncio.get_running_loop()
        timer = loop.call_later(
            INIT_TIMEOUT_S,
            lambda: loop.create_task(self.close(4408, "Connection initialisation timeout")),
        )
        try:
            while not self.closed:
                message = await receive()
                if message["type"] == "websocket.disconnect":
                    self.closed = True
                    break
                if message["type"] != "websocket.receive":
                    continue
                text = message.get("text")
                if text is None:
                    text = (message.get("bytes") or b"").decode("utf-8", "replace")
                try:
                    data = parse_json(text)
                except ValueError:
                    await self.close(4400, "Invalid message received")
                    break
                if not isinstance(data, dict) or not isinstance(data.get("type"), str):
                    await self.close(4400, "Invalid message received")
                    break
                if data["type"] == "connection_init":
                    timer.cancel()
                await self.on_message(data)
        finally:
            timer.cancel()
            for task in list(self.operations.values()):
                task.cancel()

    async def on_message(self, data: dict[str, Any]) -> None:
        kind = data["type"]
        if kind == "connection_init":
            if self.initialised:
                await self.close(4429, "Too many initialisation requests")
                return
            self.initialised = True
            await self.send({"type": "connection_ack"})
        elif kind == "ping":
            pong: dict[str, Any] = {"type": "pong"}
            if isinstance(data.get("payload"), dict):
                pong["payload"] = data["payload"]
            await self.send(pong)
        elif kind == "pong":
            return
        elif kind == "subscribe":
            await self.on_subscribe(data)
        elif kind == "complete":
            task = self.operations.pop(str(data.get("id")), None)
            if task is not None:
                task.cancel()
        else:
            await self.close(4400, f"Unexpected message type {kind!r}")

    async def on_subscribe(self, data: dict[str, Any]) -> None:
        if not self.initialised:
            await self.close(4401, "Unauthorized")
            return
        operation_id = data.get("id")
        payload = data.get("payload")
        if (
            not isinstance(operation_id, str)
            or not operation_id
            or not isinstance(payload, dict)
            or not isinstance(payload.get("query"), str)
            or not isinstance(payload.get("variables") or {}, dict)
        ):
            await self.close(4400, "Invalid message received")
            return
        if operation_id in self.operations:
            await self.close(4409, f"Subscriber for {operation_id} already exists")
            return
        limit = self.app.documents.limits.max_subscriptions
        if limit > 0 and len(self.operations) >= limit:
            error = GraphQLError(
                f"{limit} operations are running on this connection already; "
                "complete one before starting another",
                extensions={"code": "TOO_MANY_OPERATIONS", "limit": limit},
            )
            await self.send({"id": operation_id, "type": "error", "payload": [error.formatted]})
            return
        task = asyncio.get_running_loop().create_task(self.run_operation(operation_id, payload))
        self.operations[operation_id] = task

    async def run_operation(self, operation_id: str, payload: dict[str, Any]) -> None:
        started = time.perf_counter()
        arrived = time.time()
        execution = Execution(self.headers)
        status = "complete"
        try:
            prepared = self.app.documents.prepare(payload["query"])
            if prepared.document is None:
                status = "error"
                await self.send(
                    {"id": operation_id, "type": "error", "payload": format_errors(prepared.errors)}
                )
                return
            name = payload.get("operationName") or None
            variables = payload.get("variables") or None
            operation = prepared.operation(name)
            execution.method = operation_type(operation)
            refused = self.app.documents.too_costly(prepared.document, operation, variables)
            if refused is not None:
                status = "error"
                error_message = {
                    "id": operation_id,
                    "type": "error",
                    "payload": [refused.formatted],
                }
                await self.send(error_message)
                return
            if execution.method == "subscription":
                found = await self.app.documents.subscribe(
                    prepared.document, execution, variables, name
                )
                if isinstance(found, ExecutionResult):
                    status = "error"
                    await self.send(
                        {
                            "id": operation_id,
                            "type": "error",
                            "payload": format_errors(found.errors or ()),
                        }
                    )
                    return
                try:
                    async for result in found:
                        await self.send(
                            {"id": operation_id, "type": "next", "payload": result_document(result)}
                        )
                finally:
                    closing = getattr(found, "aclose", None)
                    if closing is not None:
                        with contextlib.suppress(Exception):
                            await closing()
            else:
                document = prepared.plain_document
                assert document is not None
                result = self.app.documents.execute(document, execution, variables, name)
                if execution.delay_ms > 0:
                    await asyncio.sleep(execution.delay_ms / 1000.0)
                answer = result_document(result)
                too_large = self.app.documents.too_large(encode_result(answer))
                if too_large is not None:
                    status = "error"
                    errors = json.loads(too_large)["errors"]
                    await self.send({"id": operation_id, "type": "error", "payload": errors})
                    return
                await self.send({"id": operation_id, "type": "next", "payload": answer})
            await self.send({"id": operation_id, "type": "complete"})
        except asyncio.CancelledError:
            status = "cancelled"
            raise
        except GraphQLError as error:
            status = "error"
            await self.send({"id": operation_id, "type": "error", "payload": [error.formatted]})
        finally:
            if self.operations.get(operation_id) is asyncio.current_task():
                del self.operations[operation_id]
            self.app.record_socket(self.path, execution, status, started, arrived, payload)

    async def send(self, message: dict[str, Any]) -> None:
        if self.closed:
            return
        text = json.dumps(message, separators=(",", ":"), ensure_ascii=False, default=str)
        async with self._lock:
            with contextlib.suppress(Exception):
                await self._send({"type": "websocket.send", "text": text})

    async def close(self, code: int, reason: str) -> None:
        if self.closed:
            return
        self.closed = True
        async with self._lock:
            with contextlib.suppress(Exception):
                await self._send({"type": "websocket.close", "code": code, "reason": reason})
