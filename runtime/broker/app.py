"""The admin app of a broker mock service, served alone on ``MOCKC_ADMIN_PORT``.

Everything of the admin API (``runtime/admin``), plus:

- ``GET /health`` (and ``/__mockc/health``): ``"broker": "up"`` or ``"down"``,
  503 while the broker connection is down;
- ``/metrics``: the service's series and the broker's
  (:mod:`.metrics`: messages per channel and direction);
- ``POST /__mockc/publish/{operation}``: the operation produces one message
  now. The body (optional) is ``{"payload"?, "key"?, "headers"?, "params"?}``:
  without ``payload`` the engine answers as for an emit (mocks, examples, fake
  data); ``params`` fill the channel's ``{parameters}``. 202 with
  ``"published": true``, or ``false`` and the ``outcome``: ``pending`` (the
  broker is down: the message waits for it), ``dropped``/``disconnected`` (a
  mock's fault) or ``refused``.
"""

from __future__ import annotations

import time
from typing import Any

from ..admin import AdminApp
from ..admin.call import AdminCall, Handler, Result
from ..exceptions import RuntimeFailure
from ..json_codec import json_bytes
from ..service import MockService
from ..web.asgi import Receive, Scope, Send
from ..web.problems import Problem
from ..web.responses import send_response
from .avro import AvroError, encode_key
from .schema_registry_api import registry_paths, registry_routes
from .service import BrokerService, emit_request

__all__ = ["PUBLISH_PATH", "PUBLISH_PATHS", "BrokerAdminApp"]

PUBLISH_PATH = "/__mockc/publish/{operation}"
_STRINGS = {"type": "object", "additionalProperties": {"type": "string"}}
PUBLISH_PATHS: dict[str, Any] = {
    PUBLISH_PATH: {
        "parameters": [
            {"name": "operation", "in": "path", "required": True, "schema": {"type": "string"}}
        ],
        "post": {
            "operationId": "publish_now",
            "summary": "The operation publishes one message to the broker now",
            "tags": ["emit"],
            "requestBody": {
                "required": False,
                "content": {
                    "application/json": {
                        "schema": {
                            "type": "object",
                            "properties": {
                                "payload": {
                                    "description": "The message as it is; without it, the "
                                    "service answers the operation (mocks, examples, fake data)"
                                },
                                "key": {
                                    "description": "The record key (Kafka): text, or its JSON "
                                    "form when the key's schema is Avro"
                                },
                                "headers": {**_STRINGS, "description": "Message headers"},
                                "params": {
                                    **_STRINGS,
                                    "description": "Values of the channel's {parameters}",
                                },
                            },
                        }
                    }
                },
            },
            "responses": {
                "202": {
                    "description": "Published (or waiting for the broker: published false)",
                    "content": {
                        "application/json": {
                            "schema": {
                                "type": "object",
                                "properties": {
                                    "operation": {"type": "string"},
                                    "address": {"type": "string"},
                                    "published": {"type": "boolean"},
                                    "outcome": {
                                        "description": "Why it is not published",
                                        "enum": [
                                            "pending",
                                            "dropped",
                                            "disconnected",
                                            "refused",
                                        ],
                                    },
                                },
                            }
                        }
                    },
                },
                "400": {"description": "Not a valid request"},
                "401": {"description": "A bearer token is required"},
                "404": {"description": "Unknown operation"},
            },
        },
    }
}
"""The publish route's entry in the admin API's OpenAPI document."""
_HEALTH_PATHS = frozenset({"/health", "/__mockc/health"})


class BrokerAdminApp:
    """The admin API of ``broker``, with the broker's health and the publish route."""

    def __init__(self, broker: BrokerService) -> None:
        self.broker = broker
        self.service = broker.service
        self.admin = AdminApp(
            broker.service,
            title=broker.title,
            standalone=True,
            extra_routes=[("POST", PUBLISH_PATH, self._publish), *registry_routes_of(broker)],
            extra_paths={**PUBLISH_PATHS, **(registry_paths() if broker.schema_registry else {})},
        )
        self._started = time.monotonic()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            scope["type"] == "http"
            and scope["path"] in _HEALTH_PATHS
            and scope["method"] in ("GET", "HEAD")
        ):
            await self._health(send, head=scope["method"] == "HEAD")
            return
        await self.admin(scope, receive, send)

    def _publish(self, service: MockService, call: AdminCall) -> Result:
        return publish(self.broker, call)

    async def _health(self, send: Send, *, head: bool) -> None:
        up = self.broker.connected
        document: dict[str, Any] = {
            "status": "ok" if up else "unavailable",
            "broker": "up" if up else "down",
            "protocol": self.broker.protocol,
            "connection": self.broker.client.describe(),
            "uptime": round(time.monotonic() - self._started, 3),
        }
        await send_response(
            send, 200 if up else 503, b"application/json", json_bytes(document), head=head
        )


def registry_routes_of(broker: BrokerService) -> list[tuple[str, str, Handler]]:
    """The schema registry's API when the service has one."""
    registry = broker.schema_registry
    return registry_routes(registry) if registry is not None else []


def publish(broker: BrokerService, call: AdminCall) -> Result:
    """``POST /__mockc/publish/{operation}`` (off the event loop)."""
    operation = call.params["operation"]
    channel = broker.by_operation.get(operation)
    if channel is None:
        raise Problem(404, f"no operation {operation!r}")
    body = call.body if call.body is not None else {}
    if not isinstance(body, dict):
        raise Problem(400, "the request body must be a JSON object (or empty)")
    try:  # Avro when the channel's key schema is, else text
        encoded_key = encode_key(broker.avro_keys.get(operation), body.get("key"))
    except AvroError as error:
        raise Problem(400, f"{operation}: {error}") from None
    except ValueError as error:
        raise Problem(400, str(error)) from None
    headers = body.get("headers") or {}
    params = body.get("params") or {}
    for name, value in (("headers", headers), ("params", params)):
        if not isinstance(value, dict) or not all(isinstance(v, str) for v in value.values()):
            raise Problem(400, f"'{name}' must be an object of strings")
    if "payload" in body:
        try:
            outgoing = broker.outgoing(
                channel, data=body["payload"], key=encoded_key, headers=headers, params=params
            )
        except AvroError as error:  # the given payload does not fit the Avro schema
            raise Problem(400, f"{operation}: {error}") from None
    else:
        filled = {**broker.parameter_defaults.get(operation, {}), **params}
        try:
            reply = broker.service.handle(emit_request(operation, filled))
            outgoing = broker.outgoing(
                channel, reply=reply, key=encoded_key, headers=headers, params=params
            )
        except RuntimeFailure as error:  # a failing hook: said, not a crash
            raise Problem(500, f"{operation} could not answer: {error}") from None
        except AvroError as error:
            raise Problem(500, f"{operation}: {error}") from None
    outcome = broker.publish_now(outgoing)
    answer = {
        "operation": operation,
        "address": outgoing.message.address,
        "published": outcome == "published",
    }
    if outcome != "published":
        answer["outcome"] = outcome
    return 202, answer
