"""gRPC status codes: from the engine's status text, and errors with rich details.

A reply's status is a gRPC status name (``NOT_FOUND``, any case), a code
number (``"5"``), or an HTTP status, mapped as Google's APIs map them
(``404`` → ``NOT_FOUND``, ``503`` → ``UNAVAILABLE``, 2xx → ``OK``), since the
engine and hooks may answer HTTP-style (an injected ``500``).

An error's body is a ``google.rpc.Status`` (``message`` and ``details``,
each detail an ``Any``: ``{"@type": "type.googleapis.com/google.rpc.BadRequest",
…}``), encoded as the message, or JSON data whose ``message`` (else
``detail``, else ``title``) is the error message. Details travel in the
``grpc-status-details-bin`` trailer, as grpcio-status reads them.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import grpc
from grpc_status import rpc_status

from ..engine import Reply
from .codec import MEDIA_TYPE, Codec, CodecError

__all__ = ["DETAILS_KEY", "GrpcError", "error_of", "status_code", "status_name"]

DETAILS_KEY = rpc_status.GRPC_DETAILS_METADATA_KEY
"""``grpc-status-details-bin``: where grpcio-status puts (and clients find) the details."""
STATUS_TYPE = "google.rpc.Status"
_BY_NAME: dict[str, grpc.StatusCode] = {code.name: code for code in grpc.StatusCode}
_BY_NUMBER: dict[int, grpc.StatusCode] = {code.value[0]: code for code in grpc.StatusCode}
_INVALID_ARGUMENT = grpc.StatusCode.INVALID_ARGUMENT
_BY_HTTP = {
    400: grpc.StatusCode.INVALID_ARGUMENT,
    401: grpc.StatusCode.UNAUTHENTICATED,
    403: grpc.StatusCode.PERMISSION_DENIED,
    404: grpc.StatusCode.NOT_FOUND,
    409: grpc.StatusCode.ALREADY_EXISTS,
    412: grpc.StatusCode.FAILED_PRECONDITION,
    413: grpc.StatusCode.RESOURCE_EXHAUSTED,
    416: grpc.StatusCode.OUT_OF_RANGE,
    429: grpc.StatusCode.RESOURCE_EXHAUSTED,
    499: grpc.StatusCode.CANCELLED,
    500: grpc.StatusCode.INTERNAL,
    501: grpc.StatusCode.UNIMPLEMENTED,
    502: grpc.StatusCode.UNAVAILABLE,
    503: grpc.StatusCode.UNAVAILABLE,
    504: grpc.StatusCode.DEADLINE_EXCEEDED,
}


def status_code(status: str | int) -> grpc.StatusCode | None:
    """The gRPC code a reply status stands for; None when it names none."""
    if isinstance(status, int):
        number = status
    else:
        text = status.strip()
        found = _BY_NAME.get(text.upper())
        if found is not None:
            return found
        if not text.isdigit():
            return None
        number = int(text)
    if number < 100:
        return _BY_NUMBER.get(number)
    if 200 <= number < 400:
        return grpc.StatusCode.OK
    mapped = _BY_HTTP.get(number)
    if mapped is not None:
        return mapped
    return grpc.StatusCode.UNKNOWN if number >= 400 else None


def status_name(code: grpc.StatusCode) -> str:
    return str(code.name)


@dataclass(slots=True)
class GrpcError:
    """An error to end a call with."""

    code: grpc.StatusCode
    message: str
    trailers: tuple[tuple[str, Any], ...] = ()
    """Trailing metadata that carries the details (``grpc-status-details-bin``:
    a serialised ``google.rpc.Status``), when the error has details."""


def error_of(reply: Reply, code: grpc.StatusCode, codec: Codec) -> GrpcError:
    """The error a non-OK reply stands for; its body, when there is one, gives
    the message and the details."""
    status_class = codec.protos.message_class(STATUS_TYPE)
    content = reply.content
    if content is None and reply.body is not None:
        data: Any = reply.body
    elif content and reply.media_type == MEDIA_TYPE:
        try:
            status = status_class.FromString(content)
        except Exception:
            return GrpcError(code, "the mock's error body is not a google.rpc.Status")
        return _from_status(status, code)
    elif content:
        try:
            data = json.loads(content)
        except ValueError:
            data = content.decode("utf-8", "replace")
    else:
        return GrpcError(code, "")
    if isinstance(data, str):
        return GrpcError(code, data)
    if not isinstance(data, dict):
        return GrpcError(code, "")
    message = data.get("message") or data.get("detail") or data.get("title") or ""
    details = data.get("details")
    if not details:
        return GrpcError(code, str(message))
    try:
        status = status_class.FromString(
            codec.to_bytes({"message": str(message), "details": details}, status_class)
        )
    except CodecError as error:
        return GrpcError(grpc.StatusCode.INTERNAL, f"the mock's error details are invalid: {error}")
    return _from_status(status, code)


def invalid_argument(
    message_type: str, violations: list[dict[str, str]], codec: Codec
) -> GrpcError:
    """``INVALID_ARGUMENT`` for a request message that breaks its schema, each
    violation a ``google.rpc.BadRequest`` field violation (grpcio-status reads them)."""
    shown = "; ".join(
        f"{violation['pointer'] or '/'}: {violation['message']}" for violation in violations[:5]
    )
    data = {
        "message": f"the request is not a valid {message_type}: {shown}",
        "details": [
            {
                "@type": "type.googleapis.com/google.rpc.BadRequest",
                "fieldViolations": [
                    {"field": violation["pointer"], "description": violation["message"]}
                    for violation in violations
                ],
            }
        ],
    }
    return error_of(Reply(status="INVALID_ARGUMENT", body=data), _INVALID_ARGUMENT, codec)


def _from_status(status: Any, code: grpc.StatusCode) -> GrpcError:
    if not status.details:
        return GrpcError(code, status.message)
    status.code = code.value[0]
    return GrpcError(code, status.message, tuple(rpc_status.to_status(status).trailing_metadata))
