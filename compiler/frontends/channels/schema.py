"""The JSON Schema of the channel config format (``docs/channels.schema.json``
is this document, written out; a test keeps the two equal)."""

from __future__ import annotations

from typing import Any

__all__ = ["CONFIG_SCHEMA", "FORMAT_MARKER", "PROTOCOLS"]

FORMAT_MARKER = "channels/1"
"""The value of the top-level ``mockc`` key that names the format and its version."""

PROTOCOLS = ("websocket", "sse", "kafka", "rabbitmq", "mqtt")
"""The channel protocols the format describes (each maps to its IR options)."""

_SCHEMA_OBJECT: dict[str, Any] = {
    "description": "A JSON Schema (2020-12); `#/schemas/<Name>` refers to a named schema.",
    "type": ["object", "boolean"],
}

_EXAMPLE: dict[str, Any] = {
    "description": 'An example message: `{"name": …, "value": …}`.',
    "type": "object",
    "required": ["value"],
    "additionalProperties": False,
    "properties": {
        "name": {"type": "string", "pattern": "^[A-Za-z0-9_.-]+$"},
        "summary": {"type": "string"},
        "value": {},
    },
}

_HEADERS: dict[str, Any] = {
    "description": "Message headers by name.",
    "type": "object",
    "additionalProperties": {
        "type": "object",
        "additionalProperties": False,
        "properties": {
            "schema": _SCHEMA_OBJECT,
            "required": {"type": "boolean"},
            "description": {"type": "string"},
        },
    },
}

_MESSAGE_PROPERTIES: dict[str, Any] = {
    "summary": {"type": "string"},
    "description": {"type": "string"},
    "content_type": {
        "description": "`application/json` (the default) or a text type.",
        "type": "string",
    },
    "payload": _SCHEMA_OBJECT,
    "headers": _HEADERS,
    "examples": {"type": "array", "items": {"$ref": "#/$defs/example"}},
}

_OPERATION_ID: dict[str, Any] = {
    "description": "The operation id (mocks and hooks name it); default `<channel>_<message>`.",
    "type": "string",
    "pattern": "^[A-Za-z_][A-Za-z0-9_]*$",
}

CONFIG_SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": "https://mockc.dev/schemas/channels.schema.json",
    "title": "mockc channel config",
    "description": "Channels of an event-driven API (WebSocket today; SSE, Kafka and RabbitMQ "
    "share the format) for teams without an AsyncAPI document.",
    "type": "object",
    "required": ["mockc", "channels"],
    "additionalProperties": False,
    "properties": {
        "mockc": {"description": "The format and its version.", "const": FORMAT_MARKER},
        "info": {
            "type": "object",
            "additionalProperties": False,
            "properties": {
                "name": {"type": "string", "pattern": "^[A-Za-z0-9_.-]+$"},
                "title": {"type": "string"},
                "version": {"type": "string"},
                "description": {"type": "string"},
            },
        },
        "schemas": {
            "description": "Named schemas, referred to as `#/schemas/<Name>`.",
            "type": "object",
            "propertyNames": {"pattern": "^[A-Za-z0-9_.-]+$"},
            "additionalProperties": _SCHEMA_OBJECT,
        },
        "channels": {
            "type": "object",
            "minProperties": 1,
            "propertyNames": {"pattern": "^[A-Za-z_][A-Za-z0-9_]*$"},
            "additionalProperties": {"$ref": "#/$defs/channel"},
        },
    },
    "$defs": {
        "example": _EXAMPLE,
        "channel": {
            "type": "object",
            "required": ["protocol", "address"],
            "additionalProperties": False,
            "properties": {
                "protocol": {"enum": list(PROTOCOLS)},
                "address": {
                    "description": "WebSocket/SSE path (`/rooms/{roomId}`), Kafka topic or "
                    "RabbitMQ queue; `{name}` placeholders are parameters.",
                    "type": "string",
                    "minLength": 1,
                },
                "description": {"type": "string"},
                "parameters": {
                    "description": "The address's `{name}` placeholders.",
                    "type": "object",
                    "additionalProperties": {
                        "type": "object",
                        "additionalProperties": False,
                        "properties": {
                            "schema": _SCHEMA_OBJECT,
                            "description": {"type": "string"},
                        },
                    },
                },
                "websocket": {
                    "type": "object",
                    "additionalProperties": False,
                    "properties": {"subprotocol": {"type": "string"}},
                },
                "sse": {
                    "type": "object",
                    "additionalProperties": False,
                    "properties": {
                        "method": {"enum": ["GET", "POST"]},
                        "framing": {"enum": ["sse", "ndjson", "chunked"]},
                        "event": {"type": "string"},
                        "retry_ms": {"type": "integer", "minimum": 0},
                    },
                },
                "kafka": {
                    "type": "object",
                    "additionalProperties": False,
                    "properties": {
                        "key": _SCHEMA_OBJECT,
                        "partitions": {"type": "integer", "minimum": 1},
                        "replicas": {"type": "integer", "minimum": 1},
                        "group_id": {"type": "string"},
                        "client_id": {"type": "string"},
                    },
                },
                "rabbitmq": {
                    "type": "object",
                    "additionalProperties": False,
                    "properties": {
                        "exchange": {"type": "string"},
                        "exchange_type": {"enum": ["direct", "topic", "fanout", "headers"]},
                        "routing_key": {"type": "string"},
                        "queue": {"type": "string"},
                        "durable": {"type": "boolean"},
                        "auto_delete": {"type": "boolean"},
                        "exclusive": {"type": "boolean"},
                        "ack": {"type": "boolean"},
                        "vhost": {"type": "string"},
                    },
                },
                "mqtt": {
                    "type": "object",
                    "additionalProperties": False,
                    "properties": {
                        "qos": {"enum": [0, 1, 2]},
                        "retain": {"type": "boolean"},
                    },
                },
                "client_sends": {
                    "description": "Messages clients send to the server, by name.",
                    "type": "object",
                    "propertyNames": {"pattern": "^[A-Za-z_][A-Za-z0-9_]*$"},
                    "additionalProperties": {"$ref": "#/$defs/clientMessage"},
                },
                "server_sends": {
                    "description": "Messages the server sends on its own, by name.",
                    "type": "object",
                    "propertyNames": {"pattern": "^[A-Za-z_][A-Za-z0-9_]*$"},
                    "additionalProperties": {"$ref": "#/$defs/serverMessage"},
                },
            },
        },
        "clientMessage": {
            "type": "object",
            "additionalProperties": False,
            "properties": {
                "operation": _OPERATION_ID,
                **_MESSAGE_PROPERTIES,
                "reply": {
                    "description": "The server answers each such message with this one "
                    "(request/reply), on the same connection.",
                    "type": "object",
                    "additionalProperties": False,
                    "properties": {
                        "message": {
                            "description": "The reply's name (its output key); default "
                            "`<message>_reply`.",
                            "type": "string",
                            "pattern": "^[A-Za-z_][A-Za-z0-9_]*$",
                        },
                        **_MESSAGE_PROPERTIES,
                    },
                },
            },
        },
        "serverMessage": {
            "type": "object",
            "additionalProperties": False,
            "properties": {
                "operation": _OPERATION_ID,
                "event": {
                    "description": "The event type labelling the message on the wire, when "
                    "it differs from the message's name.",
                    "type": "string",
                },
                **_MESSAGE_PROPERTIES,
                "schedule": {
                    "description": "When the server sends it on its own (the mocks' `emit` "
                    "schedule: after_ms, every_ms, delays_ms, count, burst).",
                    "type": "object",
                    "additionalProperties": False,
                    "properties": {
                        "after_ms": {"type": "number", "minimum": 0},
                        "every_ms": {"type": "number", "minimum": 1},
                        "delays_ms": {
                            "type": "array",
                            "minItems": 1,
                            "items": {"type": "number", "minimum": 0},
                        },
                        "count": {"type": "integer", "minimum": 1},
                        "burst": {"type": "integer", "minimum": 1},
                    },
                },
            },
        },
    },
}
