"""What an agent is shown of a pending request: the operation, the request,
and the response schemas of the contract (so it need not be told them)."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Any

from ..engine import Operation, Request
from ..openapi_view import with_openapi_view
from ..schema_refs import referenced_defs

__all__ = ["RUN_HEADER", "describe_request", "response_schemas", "run_of"]

RUN_HEADER = "x-mockc-run"
"""The header naming a request's test run (default run: ``default``)."""
DEFAULT_RUN = "default"
MAX_RUN_ID = 200
REDACTED = "[redacted]"


def run_of(request: Request) -> str:
    """The test run ``request`` belongs to (its ``X-Mockc-Run`` header)."""
    given = request.headers.get(RUN_HEADER)
    if isinstance(given, str) and given.strip():
        return given.strip()[:MAX_RUN_ID]
    return DEFAULT_RUN


def describe_request(
    request: Request,
    operation: Operation,
    *,
    protocol: str,
    responses: Mapping[str, Any],
    redacted: Collection[str],
) -> dict[str, Any]:
    """The pending request as the claim shows it (its ``request_id`` is added
    when it is queued); the values of ``redacted`` headers are not shown."""
    headers = {
        name: REDACTED if name in redacted else _plain(value)
        for name, value in request.headers.items()
    }
    shown: dict[str, Any] = {
        "operation": operation.id,
        "protocol": protocol,
        "request": {
            "method": request.method,
            "path": request.target,
            "path_params": _plain(request.path),
            "query": _plain(request.query),
            "headers": headers,
            "body": _body(request),
        },
        "responses": responses,
    }
    if request.agent is not None and request.agent.mock is not None:
        shown["mock"] = request.agent.mock
    return shown


def response_schemas(operation: Operation, defs: Mapping[str, Any]) -> dict[str, Any]:
    """Status → ``{"schema", "media_type"}`` of each declared output: its first
    content's schema as plain JSON Schema, with the ``$defs`` it refers to
    (``schema`` and ``media_type`` are null for an output without a body)."""
    shown: dict[str, Any] = {}
    for output in operation.outputs:
        if not output.contents:
            shown[output.status] = {"schema": None, "media_type": None}
            continue
        content = output.contents[0]
        shown[output.status] = {
            "schema": standalone_schema(content.schema, defs),
            "media_type": content.media_type,
        }
    return shown


def standalone_schema(schema: Any, defs: Mapping[str, Any]) -> Any:
    """``schema`` as plain JSON Schema with the defs it needs under ``$defs``."""
    if schema is None:
        return {}
    viewed, viewed_defs = with_openapi_view(schema, defs)
    needed = referenced_defs(viewed, viewed_defs)
    if needed and isinstance(viewed, Mapping):
        return _plain({**viewed, "$defs": needed})
    return _plain(viewed)


def _body(request: Request) -> Any:
    if request.body is not None:
        return _plain(request.body)
    if request.raw_body:
        return request.raw_body.decode("utf-8", "replace")
    return None


def _plain(value: Any) -> Any:
    """``value`` as JSON data: mappings and sequences copied, bytes as text."""
    if isinstance(value, Mapping):
        return {str(key): _plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return str(value)
