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
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from pathlib import Path
from typing import Any

import grpc

from ..admin import AdminApp
from ..contract import Contract, OperationSpec, engine_operations, grpc_binding
from ..engine import Hook, Reply, Request
from ..exceptions import HookError, NotAcceptable, PreferenceError
from ..http.preferences import parse_prefer
from ..http.validation import OperationValidator
from ..journal import EntryBuilder
from ..service import MockService, matched_of
from ..settings import CoreSettings
from .codec import MEDIA_TYPE, Codec, CodecError, json_bytes
from .descriptors import Protos
from .metadata import reply_metadata, request_headers
from .outputs import OUTPUTS
from .status import GrpcError, error_of, invalid_argument, status_code

__all__ = ["DEFAULT_STREAM_COUNT", "GrpcApp"]

DEFAULT_STREAM_COUNT = 3
"""Messages of a server stream whose answer does not say how many."""
_OK = grpc.StatusCode.OK
logger = logging.getLogger("mockc")

Handler = Callable[..., Any]


class _Method:
    """One method of the contract, prepared at start-up."""

    __slots__ = ("full_method", "id", "input", "output", "shape", "validator")

    def __init__(self, spec: OperationSpec, codec: Codec, defs: Mapping[str, Any]) -> None:
        binding = grpc_binding(spec)
        self.id: str = spec["id"]
        self.full_method: str = binding["full_method"]
        self.shape: str = spec["shape"]
        self.input = codec.protos.message_class(binding["input_type"])
        self.output = codec.protos.message_class(binding["output_type"])
        self.validator = OperationValidator(spec, defs)
        """Checks request messages against the contract's schema (compiled on first use)."""


class _Call:
    """What became of one call, for the journal and the metrics."""

    __slots__ = ("arrived", "content", "request", "reply", "started", "status")

    def __init__(self) -> None:
        self.started = time.perf_counter()
        self.arrived = time.time()
        self.request: Request | None = None
        self.reply: Reply | None = None
        self.status = "OK"
        self.content: bytes | None = None


class _End(Exception):
    """Ends a call with an error status (raised inside the adapter, turned into
    ``context.abort`` by the handler)."""

    def __init__(self, error: GrpcError, metadata: tuple[tuple[str, Any], ...] = ()) -> None:
        super().__init__(error.message)
        self.error = error
        self.metadata = metadata


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
        self.methods = [_Method(spec, self.codec, defs) for spec in contract["operations"]]

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

    def _handler(self, method: _Method) -> grpc.RpcMethodHandler:
        if method.shape == "server_stream":
            return grpc.unary_stream_rpc_method_handler(self._server_stream(method))
        if method.shape == "client_stream":
            return grpc.stream_unary_rpc_method_handler(self._client_stream(method))
        if method.shape == "bidi":
            return grpc.stream_stream_rpc_method_handler(self._bidi(method))
        return grpc.unary_unary_rpc_method_handler(self._unary(method))

    def _unary(self, method: _Method) -> Callable[[bytes, Any], Awaitable[bytes | None]]:
        async def unary(raw: bytes, context: Any) -> bytes | None:
            call = _Call()
            try:
                body = self._decode(method, raw)
                request = self._request(method, context, call, body)
                request.raw_body = json_bytes(body)
                reply = self._handle(request, call)
                await self._wait(reply.delay_ms, context)
                return await self._single(method, reply, context, call)
            except _End as end:
                await self._abort(context, call, end)
                return None
            except asyncio.CancelledError:
                call.status = "CANCELLED"
                raise
            finally:
                self._record(method, call)

        return unary

    def _server_stream(self, method: _Method) -> Callable[[bytes, Any], AsyncIterator[bytes]]:
        async def server_stream(raw: bytes, context: Any) -> AsyncIterator[bytes]:
            call = _Call()
            try:
                body = self._decode(method, raw)
                request = self._request(method, context, call, body)
                request.raw_body = json_bytes(body)
                async for message in self._stream(
                    method, request, context, call, self.stream_count
                ):
                    yield message
            except _End as end:
                await self._abort(context, call, end)
            except asyncio.CancelledError:
                call.status = "CANCELLED"
                raise
            finally:
                self._record(method, call)

        return server_stream

    def _client_stream(
        self, method: _Method
    ) -> Callable[[AsyncIterator[bytes], Any], Awaitable[bytes | None]]:
        async def client_stream(requests: AsyncIterator[bytes], context: Any) -> bytes | None:
            call = _Call()
            try:
                messages = [self._decode(method, raw) async for raw in requests]
                request = self._request(method, context, call, messages)
                request.raw_body = json_bytes(messages)
                reply = self._handle(request, call)
                await self._wait(reply.delay_ms, context)
                return await self._single(method, reply, context, call)
            except _End as end:
                await self._abort(context, call, end)
                return None
            except asyncio.CancelledError:
                call.status = "CANCELLED"
                raise
            finally:
                self._record(method, call)

        return client_stream

    def _bidi(self, method: _Method) -> Callable[[AsyncIterator[bytes], Any], AsyncIterator[bytes]]:
        async def bidi(requests: AsyncIterator[bytes], context: Any) -> AsyncIterator[bytes]:
            call = _Call()
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
            except _End as end:
                await self._abort(context, call, end)
            except asyncio.CancelledError:
                call.status = "CANCELLED"
                raise
            finally:
                if call.request is not None:  # the journal keeps every message received
                    call.request.raw_body = json_bytes(received)
                self._record(method, call)

        return bidi

    # -- one call ----------------------------------------------------------

    def _decode(self, method: _Method, raw: bytes) -> Any:
        try:
            data = self.codec.to_data(raw, method.input)
        except CodecError as error:
            raise _End(GrpcError(grpc.StatusCode.INVALID_ARGUMENT, str(error))) from None
        if self.validate:
            violations = method.validator.check_body(MEDIA_TYPE, data)
            if violations:
                raise _End(
                    invalid_argument(method.input.DESCRIPTOR.full_name, violations, self.codec)
                )
        return data

    def _request(self, method: _Method, context: Any, call: _Call, body: Any) -> Request:
        headers = request_headers(context.invocation_metadata())
        request = Request(method.id, headers=headers, body=body, target=method.full_method)
        prefer = headers.get("prefer")
        if prefer:
            request.prefer = parse_prefer(prefer)
        call.request = request
        return request

    def _handle(self, request: Request, call: _Call) -> Reply:
        try:
            reply = self.service.handle(request)
        except PreferenceError as error:
            raise _End(GrpcError(grpc.StatusCode.INVALID_ARGUMENT, str(error))) from None
        except NotAcceptable as error:
            raise _End(GrpcError(grpc.StatusCode.INVALID_ARGUMENT, str(error))) from None
        except HookError as error:
            message = f"handler hook failed: {error}"
            raise _End(GrpcError(grpc.StatusCode.INTERNAL, message)) from None
        except CodecError as error:  # an answer rendered into no message of its type
            raise _End(GrpcError(grpc.StatusCode.INTERNAL, str(error))) from None
        call.reply = reply
        return reply

    async def _single(
        self, method: _Method, reply: Reply, context: Any, call: _Call
    ) -> bytes | None:
        """The one message of a unary or client-streaming answer."""
        content = self._content(method, reply)
        if reply.headers:
            await context.send_initial_metadata(reply_metadata(reply.headers))
        call.content = content
        return content

    async def _stream(
        self,
        method: _Method,
        request: Request,
        context: Any,
        call: _Call,
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
            await self._wait(reply.delay_ms + (interval if index else 0.0), context)
            content = self._content(method, reply)
            if reply.fault == "empty":
                return
            if reply.headers and index == 0:
                await context.send_initial_metadata(reply_metadata(reply.headers))
            call.content = content
            yield content if content is not None else b""

    def _content(self, method: _Method, reply: Reply) -> bytes | None:
        """The message bytes of an OK reply; raises _End for an error status or fault."""
        status = reply.status
        code = _OK if status == "OK" else status_code(status)
        if code is None:
            message = f"the answer's status {reply.status!r} is not a gRPC status"
            raise _End(GrpcError(grpc.StatusCode.INTERNAL, message))
        if code is not _OK:
            error = error_of(reply, code, self.codec)
            raise _End(error, reply_metadata(reply.headers) if reply.headers else ())
        fault = reply.fault
        if fault is not None:
            return self._fault(method, reply, fault)
        content = reply.content
        if content is None:
            if reply.body is None:
                return b""
            try:
                return self.codec.to_bytes(reply.body, method.output)
            except CodecError as error:
                raise _End(GrpcError(grpc.StatusCode.INTERNAL, str(error))) from None
        if reply.media_type is not None and reply.media_type != "application/grpc+proto":
            content = self._from_other_media(method, content)
        return content

    def _from_other_media(self, method: _Method, content: bytes) -> bytes:
        import json

        try:
            return self.codec.to_bytes(json.loads(content), method.output)
        except (ValueError, CodecError) as error:
            name = method.output.DESCRIPTOR.full_name
            message = f"the answer is not a {name} message: {error}"
            raise _End(GrpcError(grpc.StatusCode.INTERNAL, message)) from None

    def _fault(self, method: _Method, reply: Reply, fault: str) -> bytes:
        """``empty``: a message with no fields; ``malformed``: bytes no client can
        parse; ``reset``: the call fails as a dropped connection does."""
        if fault == "reset":
            message = "the mock dropped the call (fault: reset)"
            raise _End(GrpcError(grpc.StatusCode.UNAVAILABLE, message))
        if fault == "malformed":
            content = reply.content or b""
            return content[: len(content) // 2] + b"\x0f\xff"
        return b""

    async def _wait(self, delay_ms: float, context: Any) -> None:
        """Sleep for a delay, within the caller's deadline: a delay longer than the
        time left ends the call with DEADLINE_EXCEEDED when the deadline passes."""
        if delay_ms <= 0:
            return
        seconds = delay_ms / 1000.0
        remaining = context.time_remaining()
        if remaining is not None and remaining < seconds:
            await asyncio.sleep(max(remaining, 0.0))
            raise _End(GrpcError(grpc.StatusCode.DEADLINE_EXCEEDED, "deadline exceeded"))
        await asyncio.sleep(seconds)

    async def _abort(self, context: Any, call: _Call, end: _End) -> None:
        error = end.error
        call.status = error.code.name
        metadata = [*end.metadata, *error.trailers]
        if call.reply is not None and call.reply.fault is not None:
            call.status = f"fault:{call.reply.fault}"
        await context.abort(error.code, error.message, tuple(metadata))

    def _record(self, method: _Method, call: _Call) -> None:
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
