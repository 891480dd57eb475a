"""An engine :class:`Reply` as the bytes of one gRPC message, or the status ending the call."""

from __future__ import annotations

import json

import grpc

from ..engine import Reply
from .calls import End, Method
from .codec import Codec, CodecError
from .metadata import reply_metadata
from .status import GrpcError, error_of, status_code

__all__ = ["message_of"]

_OK = grpc.StatusCode.OK


def message_of(method: Method, reply: Reply, codec: Codec) -> bytes | None:
    """The message bytes of an OK reply; raises End for an error status or fault."""
    status = reply.status
    code = _OK if status == "OK" else status_code(status)
    if code is None:
        message = f"the answer's status {reply.status!r} is not a gRPC status"
        raise End(GrpcError(grpc.StatusCode.INTERNAL, message))
    if code is not _OK:
        error = error_of(reply, code, codec)
        raise End(error, reply_metadata(reply.headers) if reply.headers else ())
    fault = reply.fault
    if fault is not None:
        return _fault(reply, fault)
    content = reply.content
    if content is None:
        if reply.body is None:
            return b""
        try:
            return codec.to_bytes(reply.body, method.output)
        except CodecError as error:
            raise End(GrpcError(grpc.StatusCode.INTERNAL, str(error))) from None
    if reply.media_type is not None and reply.media_type != "application/grpc+proto":
        content = _from_other_media(method, content, codec)
    return content


def _from_other_media(method: Method, content: bytes, codec: Codec) -> bytes:
    try:
        return codec.to_bytes(json.loads(content), method.output)
    except (ValueError, CodecError) as error:
        name = method.output.DESCRIPTOR.full_name
        message = f"the answer is not a {name} message: {error}"
        raise End(GrpcError(grpc.StatusCode.INTERNAL, message)) from None


def _fault(reply: Reply, fault: str) -> bytes:
    """``empty``: a message with no fields; ``malformed``: bytes no client can
    parse; ``reset``: the call fails as a dropped connection does."""
    if fault == "reset":
        message = "the mock dropped the call (fault: reset)"
        raise End(GrpcError(grpc.StatusCode.UNAVAILABLE, message))
    if fault == "malformed":
        content = reply.content or b""
        return content[: len(content) // 2] + b"\x0f\xff"
    return b""
