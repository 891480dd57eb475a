"""The mock file format as a JSON Schema (2020-12): the one source of truth.

Mock files are validated against :data:`MOCK_SCHEMA` when they load, and the
same dict is published as ``docs/mock.schema.json`` for editors::

    python -m mockc.runtime.mocks schema > docs/mock.schema.json

Subschemas may carry ``x-hint``, a sentence that explains a ``pattern`` to a
person; validators ignore it.
"""

from __future__ import annotations

import json
from typing import Any

__all__ = [
    "CRUD_ACTIONS",
    "FAULT_KINDS",
    "ID_TYPES",
    "MAX_DELAY_MS",
    "MOCK_SCHEMA",
    "OPERATORS",
    "SAFE_NAME_PATTERN",
    "SEQUENCES",
    "STREAM_PER",
    "MAX_STREAM_COUNT",
    "schema_text",
]

SAFE_NAME_PATTERN = r"^[A-Za-z0-9_](?:[A-Za-z0-9_.-]{0,126}[A-Za-z0-9_-])?$"
"""Ids and scenario names: safe as file and folder names on every system."""
_SAFE_NAME_HINT = (
    "letters, digits, '_', '-' and '.', at most 128 characters, "
    "not starting with '.' or '-' and not ending with '.'"
)
MAX_DELAY_MS = 600_000
"""The longest delay a mock may ask for: ten minutes."""
OPERATORS = ("equals", "not", "in", "matches", "contains", "exists", "gt", "gte", "lt", "lte")
SEQUENCES = ("cycle", "once-each", "random")
FAULT_KINDS = ("error", "empty", "reset", "malformed", "duplicate", "gone")
CRUD_ACTIONS = ("create", "get", "list", "replace", "patch", "delete")
STREAM_PER = ("message", "call")
MAX_STREAM_COUNT = 100_000
"""The most messages one streaming answer may send."""
MAX_TRIGGERS = 32
"""The most reactions one mock may list."""
MAX_EMIT_DELAYS = 1000
MAX_EMIT_BURST = 1000
ID_TYPES = ("int", "uuid", "given")

_STATUS: dict[str, Any] = {
    "description": "An HTTP status number, or a status name of another protocol "
    "(a gRPC code such as NOT_FOUND; an MCP tool's result, isError, error, content, "
    "or a step that asks the client, sampling or elicitation, its body the "
    "request's params: docs/mcp.md).",
    "anyOf": [
        {"title": "an HTTP status (100-599)", "type": "integer", "minimum": 100, "maximum": 599},
        {
            "title": "a status name",
            "type": "string",
            "pattern": r"^[A-Za-z0-9_.-]{1,64}$",
            "x-hint": "letters, digits, '_', '-' and '.'",
        },
    ],
    "examples": [200, 404, "NOT_FOUND", "sampling"],
}

_MILLISECONDS: dict[str, Any] = {"type": "number", "minimum": 0, "maximum": MAX_DELAY_MS}

_RESPONSE_FIELDS: dict[str, Any] = {
    "status": _STATUS,
    "headers": {
        "description": "Header name → text template.",
        "type": "object",
        "additionalProperties": {"type": ["string", "number", "boolean"]},
        "examples": [{"X-Request-Id": "{{ uuid() }}"}],
    },
    "body": {
        "description": "Any JSON value; strings in it are templates. A string that is "
        "only one {{ … }} part keeps the type of its value.",
        "examples": [{"id": "{{ request.path.petId }}", "name": "Tom"}],
    },
    "text": {
        "description": "A text template for a body that is not JSON.",
        "type": "string",
        "examples": ["Hello {{ request.query.name }}"],
    },
    "media_type": {
        "description": "The body's media type; default: what the operation declares "
        "for the status, else application/json (text/plain for text).",
        "type": "string",
        "pattern": r"^[^\s/;]+/[^\s/;]+(\s*;.*)?$",
        "x-hint": "a media type such as application/json",
        "examples": ["application/json", "text/csv"],
    },
    "delay": {
        "description": "Wait before answering, in milliseconds: fixed, or a random "
        "time in a range.",
        "anyOf": [
            {"title": "milliseconds", **_MILLISECONDS},
            {
                "title": "a {min, max} range",
                "type": "object",
                "required": ["min", "max"],
                "additionalProperties": False,
                "properties": {"min": _MILLISECONDS, "max": _MILLISECONDS},
            },
        ],
        "examples": [120, {"min": 50, "max": 300}],
    },
    "fault": {
        "description": "Instead of the normal answer, some of the time: an error "
        "status, no answer, a reset connection, an unparsable body, or (broker "
        "channels) the message sent twice.",
        "type": "object",
        "required": ["kind"],
        "additionalProperties": False,
        "properties": {
            "kind": {"enum": list(FAULT_KINDS)},
            "status": {
                **_STATUS,
                "description": "The error status (kind error only); default 500.",
            },
            "rate": {
                "description": "The share of requests that get the fault, 0-1; default 1.",
                "type": "number",
                "minimum": 0,
                "maximum": 1,
            },
        },
        "examples": [{"kind": "error", "status": 503, "rate": 0.2}, {"kind": "reset"}],
    },
}

_RESPONSE: dict[str, Any] = {
    "description": "One answer.",
    "type": "object",
    "additionalProperties": False,
    "properties": _RESPONSE_FIELDS,
    "not": {"required": ["body", "text"]},
}

_SEQUENCED: dict[str, Any] = {
    "description": "One answer of a sequence.",
    "type": "object",
    "additionalProperties": False,
    "properties": {
        **_RESPONSE_FIELDS,
        "weight": {
            "description": "Relative chance under sequence: random; default 1.",
            "type": "number",
            "minimum": 0,
        },
    },
    "not": {"required": ["body", "text"]},
}

_OPERATORS: dict[str, Any] = {
    "title": "an operator object",
    "type": "object",
    "minProperties": 1,
    "additionalProperties": False,
    "properties": {
        "equals": {"description": "Equals the value (numbers and their text are equal)."},
        "not": {"description": "Does not equal the value (an absent value counts)."},
        "in": {"description": "Equals one of the values.", "type": "array"},
        "matches": {
            "description": "Is text in which the regular expression is found (searched).",
            "type": "string",
        },
        "contains": {
            "description": "Is text containing the text, a list containing the value, "
            "or an object with the key."
        },
        "exists": {"description": "Is present (true) or absent (false).", "type": "boolean"},
        "gt": {"description": "Is a number greater than this.", "type": "number"},
        "gte": {"description": "Is a number greater than or equal to this.", "type": "number"},
        "lt": {"description": "Is a number less than this.", "type": "number"},
        "lte": {"description": "Is a number less than or equal to this.", "type": "number"},
    },
}

_CONDITIONS: dict[str, Any] = {
    "description": "Name → a value to equal, or an operator object; every one must hold.",
    "type": "object",
    "additionalProperties": {
        "anyOf": [
            {"title": "a value", "type": ["string", "number", "boolean", "null", "array"]},
            {"$ref": "#/$defs/operators"},
        ]
    },
}

_TEXT_OR_LIST: dict[str, Any] = {
    "anyOf": [
        {"title": "an expression", "type": "string"},
        {"title": "a list of expressions", "type": "array", "items": {"type": "string"}},
    ]
}

MOCK_SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "title": "mockc mock",
    "description": "One mock of a mockc server: the operation it answers, when, and "
    "how. See docs/mocks.md.",
    "type": "object",
    "required": ["operation"],
    "additionalProperties": False,
    "properties": {
        "$schema": {"description": "The schema of this file, for editors.", "type": "string"},
        "id": {
            "description": "Unique within the server (or the scenario); default: the "
            "file name without its suffix.",
            "type": "string",
            "pattern": SAFE_NAME_PATTERN,
            "x-hint": _SAFE_NAME_HINT,
            "examples": ["showPetById", "pets-create"],
        },
        "operation": {
            "description": "The id of the operation answered (mockc inspect SPEC lists them).",
            "type": "string",
            "minLength": 1,
            "examples": ["showPetById"],
        },
        "description": {"description": "What this mock is for.", "type": "string"},
        "priority": {
            "description": "Mocks with a higher priority are tried first; default 0.",
            "type": "integer",
            "minimum": -1_000_000,
            "maximum": 1_000_000,
        },
        "enabled": {
            "description": "false keeps the mock on file without serving it; default true.",
            "type": "boolean",
        },
        "orphaned": {
            "description": "Set by mockc when the operation has left the spec; orphaned "
            "mocks are not served unless MOCKC_SERVE_ORPHANED=1.",
            "type": "boolean",
        },
        "match": {
            "description": "Conditions on the request; all must hold.",
            "type": "object",
            "additionalProperties": False,
            "properties": {
                "path": {**_CONDITIONS, "examples": [{"petId": 1}]},
                "query": {**_CONDITIONS, "examples": [{"status": {"in": ["available"]}}]},
                "headers": {
                    **_CONDITIONS,
                    "description": "Header name (any case) → condition.",
                    "examples": [{"x-tenant": "acme"}],
                },
                "cookies": {**_CONDITIONS, "examples": [{"session": {"exists": True}}]},
                "body": {
                    **_CONDITIONS,
                    "description": "A path into the body (items[0].sku) → condition.",
                    "examples": [{"items[0].sku": {"matches": "^A-"}}],
                },
                "when": {
                    **_TEXT_OR_LIST,
                    "description": "Expressions that must all be true.",
                    "examples": ["request.body.total > 100"],
                },
            },
        },
        "actions": {
            **_TEXT_OR_LIST,
            "description": "Expressions run in order when the mock matches, before the "
            "response renders.",
            "examples": [['state.put("last-order", request.body)']],
        },
        "response": {"$ref": "#/$defs/response"},
        "responses": {
            "description": "Answers given in turn (see sequence).",
            "type": "array",
            "minItems": 1,
            "items": {"$ref": "#/$defs/sequenced"},
        },
        "sequence": {
            "description": "How responses take turns: cycle (default), once-each (the "
            "last one then repeats) or random (by weight).",
            "enum": list(SEQUENCES),
        },
        "crud": {"$ref": "#/$defs/crud"},
        "source": {
            "description": "agent: the matching requests are answered by an agent through "
            "the admin API (docs/agent.md), with the spec's answer as the fallback; "
            "instead of response, responses or crud.",
            "enum": ["agent"],
        },
        "stream": {"$ref": "#/$defs/stream"},
        "emit": {"$ref": "#/$defs/emit"},
        "then": {
            "description": "Reactions: when this mock answers, each listed operation "
            "emits a message (to its subscribers: GraphQL subscriptions, streams).",
            "type": "array",
            "maxItems": MAX_TRIGGERS,
            "items": {"$ref": "#/$defs/trigger"},
        },
    },
    "oneOf": [
        {"required": ["response"]},
        {"required": ["responses"]},
        {"required": ["crud"]},
        {"required": ["source"]},
    ],
    "dependentRequired": {"sequence": ["responses"]},
    "$defs": {
        "response": _RESPONSE,
        "sequenced": _SEQUENCED,
        "operators": _OPERATORS,
        "emit": {
            "description": "The operation sends messages on its own, from the server's "
            "start: once (the default), after a delay, at an interval, after a sequence "
            "of delays, each time a burst of messages. Each message is the server's answer "
            "for the operation (this mock, or a better match), sent to its subscribers.",
            "type": "object",
            "additionalProperties": False,
            "properties": {
                "after_ms": {
                    "description": "Wait before the first send; default 0.",
                    **_MILLISECONDS,
                },
                "every_ms": {
                    "description": "Then send every this many milliseconds (until count).",
                    "type": "number",
                    "minimum": 1,
                    "maximum": MAX_DELAY_MS,
                },
                "delays_ms": {
                    "description": "Then send after each of these waits in turn.",
                    "type": "array",
                    "minItems": 1,
                    "maxItems": MAX_EMIT_DELAYS,
                    "items": _MILLISECONDS,
                },
                "count": {
                    "description": "How many sends; default 1, or one more than the delays "
                    "listed, or without end at an interval.",
                    "type": "integer",
                    "minimum": 1,
                    "maximum": MAX_STREAM_COUNT,
                },
                "burst": {
                    "description": "Messages per send; default 1.",
                    "type": "integer",
                    "minimum": 1,
                    "maximum": MAX_EMIT_BURST,
                },
            },
            "not": {"required": ["every_ms", "delays_ms"]},
            "examples": [
                {"after_ms": 500, "every_ms": 1000, "count": 5},
                {"delays_ms": [100, 900]},
            ],
        },
        "trigger": {
            "description": "One reaction: the operation that emits, when, and what.",
            "type": "object",
            "required": ["emit"],
            "additionalProperties": False,
            "properties": {
                "emit": {"description": "The operation that emits.", "type": "string"},
                "after_ms": {"description": "Wait this long first; default 0.", **_MILLISECONDS},
                "body": {
                    "description": "The message (every string in it a template over this "
                    "request, as in a response body); without it, the server answers the "
                    "operation, its mocks seeing this request's parameters and body."
                },
                "params": {
                    "description": "Path parameters of the emitting channel, each a "
                    "template over this request: the message goes only to the streams "
                    "opened with them (one room's); without them, to every stream.",
                    "type": "object",
                    "maxProperties": 32,
                    "additionalProperties": {"type": ["string", "number", "boolean"]},
                },
            },
            "examples": [
                {"emit": "subscription_orderUpdated", "after_ms": 100},
                {
                    "emit": "sendOrderEvent",
                    "params": {"orderId": "{{ request.path.orderId }}"},
                    "body": {"orderId": "{{ request.path.orderId }}", "status": "paid"},
                },
            ],
        },
        "stream": {
            "description": "Streaming operations (gRPC server streams and bidi, GraphQL "
            "subscriptions, MCP tool calls in steps): how many messages an answer sends, "
            "how far apart, and, for bidi, whether each message received is answered or "
            "the whole call once the client is done. An MCP tool's steps are progress "
            "and log notifications, or requests to the client (status sampling or "
            "elicitation) whose answers later steps read as request.steps[i].",
            "type": "object",
            "additionalProperties": False,
            "properties": {
                "count": {
                    "description": "Messages per answer; default: as many as responses "
                    "(each once, in order), else the protocol's default (gRPC: 3 for a "
                    "server stream, 1 per message received for bidi; GraphQL "
                    "subscriptions: no limit).",
                    "type": "integer",
                    "minimum": 0,
                    "maximum": MAX_STREAM_COUNT,
                },
                "interval_ms": {
                    "description": "Milliseconds between two messages; default 0 for "
                    "gRPC, 1000 for GraphQL subscriptions.",
                    **_MILLISECONDS,
                },
                "per": {
                    "description": "Bidi: answer each message received (message, the "
                    "default), or once when the client has sent them all (call).",
                    "enum": list(STREAM_PER),
                },
            },
            "examples": [{"count": 5, "interval_ms": 100}, {"per": "call"}],
        },
        "crud": {
            "description": "Answer as a REST collection kept in the state store.",
            "type": "object",
            "required": ["collection", "action"],
            "additionalProperties": False,
            "properties": {
                "collection": {
                    "description": "The collection's name, shared by its mocks.",
                    "type": "string",
                    "minLength": 1,
                    "maxLength": 128,
                },
                "action": {"enum": list(CRUD_ACTIONS)},
                "id_field": {
                    "description": "The record field holding the id; default id.",
                    "type": "string",
                    "minLength": 1,
                },
                "id_param": {
                    "description": "The path parameter naming the record; default: the "
                    "operation's last path parameter.",
                    "type": "string",
                    "minLength": 1,
                },
                "id_type": {
                    "description": "int (1, 2, 3…; default), uuid, or given (from the body).",
                    "enum": list(ID_TYPES),
                },
                "wrap": {
                    "description": "list only: answer {WRAP: [records]} instead of a list.",
                    "type": "string",
                    "minLength": 1,
                },
            },
            "examples": [{"collection": "pets", "action": "create"}],
        },
    },
    "examples": [
        {
            "id": "showPetById",
            "operation": "showPetById",
            "match": {"path": {"petId": 1}},
            "response": {"status": 200, "body": {"id": 1, "name": "Tom"}},
        },
        {
            "id": "pets-create",
            "operation": "createPets",
            "crud": {"collection": "pets", "action": "create"},
        },
        {
            "id": "ask-the-model",
            "operation": "tool_summarise",
            "stream": {"count": 2},
            "responses": [
                {
                    "status": "sampling",
                    "body": {
                        "messages": [
                            {
                                "role": "user",
                                "content": {"type": "text", "text": "{{ request.body.text }}"},
                            }
                        ],
                        "maxTokens": 100,
                    },
                },
                {"status": "result", "body": "Summary: {{ request.steps[0].content.text }}"},
            ],
        },
    ],
}


def schema_text() -> str:
    """MOCK_SCHEMA as the JSON text published in docs/mock.schema.json."""
    return json.dumps(MOCK_SCHEMA, indent=2, ensure_ascii=False) + "\n"
