"""The gRPC adapter: calls in, engine replies out, for all four method shapes.

Every method of the contract gets a grpc.aio method handler without
serialisers: requests arrive as bytes and answers leave as the bytes the
engine (or a mock, encoded once when it loaded) already holds, so a static
answer costs no protobuf work per call. Per call the adapter decodes the
request message into the proto3 JSON mapping (``Request.body``), the
metadata into ``Request.headers``, asks the engine, and writes the reply:

- unary: one answer;
- server streaming: ``count`` messages ``interval_ms`` apart, the engine asked
  once per message (``Request.stream_index``);
- client streaming: one answer once the client is done, ``Request.body``
  being the list of the messages received;
- bidi: each message received is answered like a server stream (one message
  by default), or, when the mock says ``stream: {per: call}``, the call is
  answered once, when the client is done, with the list of every message.

A non-OK status ends the call with that status, its message, its details
(``grpc-status-details-bin``) and the reply's headers as trailing metadata;
OK replies send their headers as initial metadata.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import grpc

from ..admin import AdminApp
from ..contract import Contract, engine_operations
from ..engine import Hook, Reply, Request
from ..exceptions import HookError, NotAcceptable, PreferenceError
from ..journal import EntryBuilder
from ..service import MockService, matched_of
from ..settings import CoreSettings
from ..web.preferences import parse_prefer
from .calls import Call, End, Method, abort, wait
from .codec import MEDIA_TYPE, Codec, CodecError, json_bytes
from .descriptors import Protos
from .metadata import reply_metadata, request_headers
from .outputs import OUTPUTS
from .replies import message_of
from .status import GrpcError, invalid_argument

__all__ = ["DEFAULT_STREAM_COUNT", "GrpcApp"]

DEFAULT_STREAM_COUNT = 3
"""Messages of a server stream whose answer does not say how many."""
logger = logging.getLogger("mockc")

Handler = Callable[..., Any]


class GrpcApp:
    """Serves a contract's methods through a :class:`MockService`."""

    def __init__(
        self,
        contract: Contract,
        directory: Path,
        protos: Protos,
        *,
        settings: CoreSettings | None = None,
        hooks: Mapping[str, Hook] | None = None,
        stream_count: int = DEFAULT_STREAM_COUNT,
        stream_interval_ms: float = 0.0,
        validate: bool = True,
    ) -> None:
        self.codec = Codec(protos)
        self.validate = validate
        """Check each request message against its schema (``MOCKC_VALIDATE``)."""
        self.protos = protos
        self.title = contract["api"].get("title") or contract["api"].get("name", "API")
        self.stream_count = stream_count
        self.stream_interval_ms = stream_interval_ms
        self.service = MockService(
            directory,
            engine_operations(contract, OUTPUTS),
            contract.get("defs", {}),
            encoder=self.codec.encode,
            settings=settings or CoreSettings(),
            protocol="grpc",
            name=contract["api"].get("name") or "api",
            hooks=hooks,
            outputs=OUTPUTS,
        )
        self._journal = EntryBuilder("grpc", self.service.settings)
        self.admin = AdminApp(self.service, title=self.title, standalone=True)
        defs = contract.get("defs", {})
        self.methods = [Method(spec, self.codec, defs) for spec in contract["operations"]]

    @property
    def operation_count(self) -> int:
        return len(self.methods)

    def close(self) -> None:
        """Flush the journal and release the state store."""
        self.service.close()

    # -- handlers ----------------------------------------------------------

    def method_handlers(self) -> dict[str, dict[str, grpc.RpcMethodHandler]]:
        """Service name → method name → handler, for every method of the contract."""
        services: dict[str, dict[str, grpc.RpcMethodHandler]] = {}
        for method in self.methods:
            service, _, name = method.full_method.lstrip("/").rpartition("/")
            services.setdefault(service, {})[name] = self._handler(method)
        return services

    def _handler(self, method: Method) -> grpc.RpcMethodHandler:
        if method.shape == "server_stream":
            return grpc.unary_stream_rpc_method_handler(self._server_stream(method))
        if method.shape == "client_stream":
            return grpc.stream_unary_rpc_method_handler(self._client_stream(method))
        if method.shape == "bidi":
            return grpc.stream_stream_rpc_method_handler(self._bidi(method))
        return grpc.unary_unary_rpc_method_handler(self._unary(method))

    def _unary(self, method: Method) -> Callable[[bytes, Any], Awaitable[bytes | None]]:
        async def unary(raw: bytes, context: Any) -> bytes | None:
            call = Call()
            try:
                body = self._decode(method, raw)
                request = self._request(method, context, call, body)
                request.raw_body = json_bytes(body)
                reply = await self._answer(request, call)
                await wait(reply.delay_ms, context)
                return await self._single(method, reply, context, call)
            except End as end:
                await abort(context, call, end)
                return None
            except asyncio.CancelledError:
                call.status = "CANCELLED"
                raise
            finally:
                self._record(method, call)

        return unary

    def _server_stream(self, method: Method) -> Callable[[bytes, Any], AsyncIterator[bytes]]:
        async def server_stream(raw: bytes, context: Any) -> AsyncIterator[bytes]:
            call = Call()
            try:
                body = self._decode(method, raw)
                request = self._request(method, context, call, body)
                request.raw_body = json_bytes(body)
                async for message in self._stream(
                    method, request, context, call, self.stream_count
                ):
                    yield message
            except End as end:
                await abort(context, call, end)
            except asyncio.CancelledError:
                call.status = "CANCELLED"
                raise
            finally:
                self._record(method, call)

        return server_stream

    def _client_stream(
        self, method: Method
    ) -> Callable[[AsyncIterator[bytes], Any], Awaitable[bytes | None]]:
        async def client_stream(requests: AsyncIterator[bytes], context: Any) -> bytes | None:
            call = Call()
            try:
                messages = [self._decode(method, raw) async for raw in requests]
                request = self._request(method, context, call, messages)
                request.raw_body = json_bytes(messages)
                reply = await self._answer(request, call)
                await wait(reply.delay_ms, context)
                return await self._single(method, reply, context, call)
            except End as end:
                await abort(context, call, end)
                return None
            except asyncio.CancelledError:
                call.status = "CANCELLED"
                raise
            finally:
                self._record(method, call)

        return client_stream

    def _bidi(self, method: Method) -> Callable[[AsyncIterator[bytes], Any], AsyncIterator[bytes]]:
        async def bidi(requests: AsyncIterator[bytes], context: Any) -> AsyncIterator[bytes]:
            call = Call()
            received: list[Any] = []
            at_end = False
            try:
                async for raw in requests:
                    message = self._decode(method, raw)
                    received.append(message)
                    if at_end:
                        continue
                    request = self._request(method, context, call, message)
                    request.stream_index = 0
                    reply = self._handle(request, call)
                    if reply.stream is not None and reply.stream.per == "call":
                        at_end = True  # answered once the client is done
                        continue
                    async for out in self._stream(method, request, context, call, 1, reply):
                        yield out
                if at_end:
                    request = self._request(method, context, call, received)
                    request.stream_index = 0
                    async for out in self._stream(method, request, context, call, 1):
                        yield out
            except End as end:
                await abort(context, call, end)
            except asyncio.CancelledError:
                call.status = "CANCELLED"
                raise
            finally:
                if call.request is not None:  # the journal keeps every message received
                    call.request.raw_body = json_bytes(received)
                self._record(method, call)

        return bidi

    # -- one call ----------------------------------------------------------

    def _decode(self, method: Method, raw: bytes) -> Any:
        try:
            data = self.codec.to_data(raw, method.input)
        except CodecError as error:
            raise End(GrpcError(grpc.StatusCode.INVALID_ARGUMENT, str(error))) from None
        if self.validate:
            violations = method.validator.check_body(MEDIA_TYPE, data)
            if violations:
                raise End(
                    invalid_argument(method.input.DESCRIPTOR.full_name, violations, self.codec)
                )
        return data

    def _request(self, method: Method, context: Any, call: Call, body: Any) -> Request:
        headers = request_headers(context.invocation_metadata())
        request = Request(method.id, headers=headers, body=body, target=method.full_method)
        prefer = headers.get("prefer")
        if prefer:
            request.prefer = parse_prefer(prefer)
        call.request = request
        return request

    def _handle(self, request: Request, call: Call) -> Reply:
        with _refusals():
            reply = self.service.handle(request)
        call.reply = reply
        return reply

    async def _answer(self, request: Request, call: Call) -> Reply:
        """:meth:`_handle`, waiting for an agent's answer when the request goes
        to one (docs/agent.md): the calls answered by one message."""
        with _refusals():
            reply = await self.service.answer(request)
        call.reply = reply
        return reply

    async def _single(self, method: Method, reply: Reply, context: Any, call: Call) -> bytes | None:
        """The one message of a unary or client-streaming answer."""
        content = message_of(method, reply, self.codec)
        if reply.headers:
            await context.send_initial_metadata(reply_metadata(reply.headers))
        call.content = content
        return content

    async def _stream(
        self,
        method: Method,
        request: Request,
        context: Any,
        call: Call,
        default_count: int,
        first: Reply | None = None,
    ) -> AsyncIterator[bytes]:
        """The messages of one streaming answer: the engine asked once per message."""
        request.stream_index = 0
        reply = first if first is not None else self._handle(request, call)
        plan = reply.stream
        count = plan.count if plan is not None and plan.count is not None else default_count
        interval = self.stream_interval_ms
        if plan is not None and plan.interval_ms is not None:
            interval = plan.interval_ms
        for index in range(count):
            if index:
                request.stream_index = index
                reply = self._handle(request, call)
            await wait(reply.delay_ms + (interval if index else 0.0), context)
            content = message_of(method, reply, self.codec)
            if reply.fault == "empty":
                return
            if reply.headers and index == 0:
                await context.send_initial_metadata(reply_metadata(reply.headers))
            call.content = content
            yield content if content is not None else b""

    def _record(self, method: Method, call: Call) -> None:
        request = call.request
        reply = call.reply
        if reply is not None and reply.fault is not None and call.status == "OK":
            call.status = f"fault:{reply.fault}"
        content = call.content
        self.service.record(
            self._journal.entry(
                time=call.arrived,
                duration_ms=(time.perf_counter() - call.started) * 1000.0,
                method="",
                target=method.full_method,
                operation=method.id,
                status=call.status,
                source=reply.source if reply is not None else "error",
                matched=matched_of(reply, request),
                near_miss=request.near_miss if request is not None else None,
                request_headers=request.headers if request is not None else None,
                request_body=request.raw_body if request is not None else None,
                response_headers=reply.headers or None if reply is not None else None,
                response_body=self._journal_body(content)
                if call.status == "OK" and self._journal.detailed
                else None,
            ),
        )

    def _journal_body(self, content: bytes | None) -> bytes | None:
        """An answer as the journal keeps it: its JSON, when the codec remembers
        it (static answers, recent ones), else the message's bytes."""
        if not content:
            return content
        return self.codec.json_of(content) or content


@contextmanager
def _refusals() -> Iterator[None]:
    """The engine's refusals as the gRPC status a call ends with."""
    try:
        yield
    except PreferenceError as error:
        raise End(GrpcError(grpc.StatusCode.INVALID_ARGUMENT, str(error))) from None
    except NotAcceptable as error:
        raise End(GrpcError(grpc.StatusCode.INVALID_ARGUMENT, str(error))) from None
    except HookError as error:
        message = f"handler hook failed: {error}"
        raise End(GrpcError(grpc.StatusCode.INTERNAL, message)) from None
    except CodecError as error:  # an answer rendered into no message of its type
        raise End(GrpcError(grpc.StatusCode.INTERNAL, str(error))) from None
