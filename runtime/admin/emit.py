"""The admin API's side of the emit path: send messages now, see the schedules.

- ``POST /__mockc/emit/{operation}``: the operation emits now. Without a body
  (or ``{}``), each message is the server's answer for the operation (hooks,
  mocks, examples, fake data), ``count`` times; with ``{"data": …}`` the
  message is that data as it is; with ``{"params": {"roomId": "a"}}`` it goes
  only to the streams opened with those path parameters (and the answer sees
  them as the request's path parameters).
- ``GET /__mockc/emit``: the running ``emit`` schedules of the mocks.
"""

from __future__ import annotations

from typing import Any

from ..exceptions import RuntimeFailure
from ..service import MockService
from ..web.problems import Problem
from .call import AdminCall, Result

__all__ = ["EMIT_PATHS", "emit_message", "list_schedules"]

MAX_COUNT = 1000
"""The most messages one call may ask for."""


def emit_message(service: MockService, call: AdminCall) -> Result:
    operation = call.params["operation"]
    if operation not in service.operations:
        raise Problem(404, f"no operation {operation!r}")
    body = call.body if call.body is not None else {}
    if not isinstance(body, dict):
        raise Problem(400, "the request body must be a JSON object (or empty)")
    count = body.get("count", 1)
    if not isinstance(count, int) or isinstance(count, bool) or not 1 <= count <= MAX_COUNT:
        raise Problem(400, f"'count' must be an integer from 1 to {MAX_COUNT}")
    params = body.get("params")
    if params is not None and not (
        isinstance(params, dict) and all(isinstance(value, str) for value in params.values())
    ):
        raise Problem(400, "'params' must be an object of path parameters and string values")
    emitter = service.emitter
    if "data" in body:
        delivered = sum(emitter.send(operation, body["data"], params) for _ in range(count))
    else:
        try:
            delivered = emitter.emit_many(operation, count, params)
        except RuntimeFailure as error:  # a failing hook: said, not a crash
            raise Problem(500, f"{operation} could not answer: {error}") from None
    return 202, {"operation": operation, "messages": count, "delivered": delivered}


def list_schedules(service: MockService, call: AdminCall) -> Result:
    return 200, {
        "schedules": [
            {
                "operation": scheduled.operation,
                "origin": scheduled.origin,
                "after_ms": scheduled.schedule.after_ms,
                "every_ms": scheduled.schedule.every_ms,
                "delays_ms": list(scheduled.schedule.delays_ms),
                "count": scheduled.schedule.sends,
                "burst": scheduled.schedule.burst,
            }
            for scheduled in service.emitter.schedules
        ]
    }


def _ok(description: str, schema: dict[str, Any]) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _problem(description: str) -> dict[str, Any]:
    schema = {"$ref": "#/components/schemas/Problem"}
    return {"description": description, "content": {"application/problem+json": {"schema": schema}}}


_UNAUTHORISED = {"401": _problem("A bearer token is required")}

EMIT_PATHS: dict[str, Any] = {
    "/__mockc/emit": {
        "get": {
            "operationId": "emit_schedules",
            "summary": "The running emit schedules of the mocks",
            "tags": ["emit"],
            "responses": {
                "200": _ok(
                    "One entry per schedule",
                    {
                        "type": "object",
                        "properties": {"schedules": {"type": "array", "items": {"type": "object"}}},
                    },
                ),
                **_UNAUTHORISED,
            },
        }
    },
    "/__mockc/emit/{operation}": {
        "parameters": [
            {"name": "operation", "in": "path", "required": True, "schema": {"type": "string"}}
        ],
        "post": {
            "operationId": "emit_now",
            "summary": "The operation emits now, to every open stream of it",
            "tags": ["emit"],
            "requestBody": {
                "required": False,
                "content": {
                    "application/json": {
                        "schema": {
                            "type": "object",
                            "properties": {
                                "data": {
                                    "description": "The message as it is; without it, the "
                                    "server answers the operation (mocks, examples, fake data)"
                                },
                                "count": {
                                    "type": "integer",
                                    "minimum": 1,
                                    "maximum": MAX_COUNT,
                                    "description": "How many messages; default 1",
                                },
                                "params": {
                                    "type": "object",
                                    "additionalProperties": {"type": "string"},
                                    "description": "Only to the streams opened with these "
                                    "path parameters (a room of a channel)",
                                },
                            },
                        }
                    }
                },
            },
            "responses": {
                "202": _ok(
                    "Sent to the open streams",
                    {
                        "type": "object",
                        "properties": {
                            "operation": {"type": "string"},
                            "messages": {"type": "integer"},
                            "delivered": {
                                "type": "integer",
                                "description": "Messages times the clients each reached",
                            },
                        },
                    },
                ),
                "400": _problem("Not a valid request"),
                "404": _problem("Unknown operation"),
                **_UNAUTHORISED,
            },
        },
    },
}
"""The admin API document's entries for these routes."""
