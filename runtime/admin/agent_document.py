"""The admin API document's entries for the agent workflow (docs/agent.md)."""

from __future__ import annotations

from typing import Any

from ..agent.desk import MAX_LEASE_MS

__all__ = ["AGENT_PATHS"]

_JSON = "application/json"
_PROBLEM = {
    "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}
}
_COUNTS = {
    "pending_batches": {"type": "integer"},
    "claimed_batches": {"type": "integer"},
    "waiting_requests": {"type": "integer"},
}
_PENDING_REQUEST = {
    "type": "object",
    "properties": {
        "request_id": {"type": "string"},
        "operation": {"type": "string"},
        "protocol": {"type": "string"},
        "request": {
            "type": "object",
            "description": "method, path, path_params, query, headers, body",
        },
        "responses": {
            "type": "object",
            "description": "status → {schema (JSON Schema with its $defs), media_type}",
        },
        "mock": {"type": "string", "description": "the source: agent mock that matched"},
    },
}
_BATCH = {
    "type": "object",
    "properties": {
        "batch_id": {"type": "string"},
        "run_id": {"type": "string"},
        "state": {"enum": ["pending", "claimed", "answered", "released", "expired"]},
        "lease_expires_at": {"type": "string", "format": "date-time"},
        "requests": {"type": "array", "items": _PENDING_REQUEST},
    },
}
_TOKEN = {"claim_token": {"type": "string"}}
_BATCH_ID = [{"name": "batch_id", "in": "path", "required": True, "schema": {"type": "string"}}]


def _ok(description: str, schema: dict[str, Any]) -> dict[str, Any]:
    return {"description": description, "content": {_JSON: {"schema": schema}}}


def _refused(description: str) -> dict[str, Any]:
    return {"description": description, **_PROBLEM}


def _operation(
    operation_id: str, summary: str, responses: dict[str, Any], **extra: Any
) -> dict[str, Any]:
    return {
        "operationId": operation_id,
        "summary": summary,
        "tags": ["agent"],
        "responses": {**responses, "401": _refused("A bearer token is required")},
        **extra,
    }


def _body(properties: dict[str, Any], required: list[str]) -> dict[str, Any]:
    schema = {"type": "object", "properties": properties, "required": required}
    return {"required": bool(required), "content": {_JSON: {"schema": schema}}}


_CLAIM_REFUSALS = {
    "400": _refused("The body is not what the endpoint takes (code bad_request)"),
    "403": _refused("Not this batch's claim token (code wrong_claim_token)"),
    "404": _refused("No such batch (code no_such_batch)"),
    "409": _refused("The claim is over: lease, release, answered, timed out (claim_expired)"),
}

AGENT_PATHS: dict[str, Any] = {
    "/__mockc/agent": {
        "get": _operation(
            "agent_status",
            "Mode, batches and requests waiting for the agent",
            {
                "200": _ok(
                    "The status",
                    {
                        "type": "object",
                        "properties": {
                            "mode": {"enum": ["off", "unmatched"]},
                            **_COUNTS,
                            "runs": {"type": "array", "items": {"type": "string"}},
                        },
                    },
                )
            },
        )
    },
    "/__mockc/agent/runs": {
        "get": _operation(
            "agent_runs",
            "The test runs with requests waiting",
            {
                "200": _ok(
                    "One row per run",
                    {
                        "type": "object",
                        "properties": {
                            "runs": {
                                "type": "array",
                                "items": {
                                    "type": "object",
                                    "properties": {"run_id": {"type": "string"}, **_COUNTS},
                                },
                            }
                        },
                    },
                )
            },
        )
    },
    "/__mockc/agent/claim": {
        "post": _operation(
            "agent_claim",
            "Claim the next batch whose window has closed",
            {
                "200": _ok(
                    "The claimed batch",
                    {
                        "type": "object",
                        "properties": {
                            **_TOKEN,
                            "batch_id": {"type": "string"},
                            "run_id": {"type": "string"},
                            "lease_expires_at": {"type": "string", "format": "date-time"},
                            "requests": {"type": "array", "items": _PENDING_REQUEST},
                        },
                    },
                ),
                "204": {"description": "Nothing is pending"},
                "400": _CLAIM_REFUSALS["400"],
            },
            requestBody={
                **_body(
                    {
                        "run_id": {"type": "string", "minLength": 1},
                        "lease_ms": {"type": "integer", "minimum": 1, "maximum": MAX_LEASE_MS},
                    },
                    [],
                )
            },
        )
    },
    "/__mockc/agent/batches/{batch_id}": {
        "parameters": _BATCH_ID,
        "get": _operation(
            "agent_batch",
            "A batch and the requests of it still waiting",
            {"200": _ok("The batch", _BATCH), "404": _CLAIM_REFUSALS["404"]},
        ),
    },
    "/__mockc/agent/batches/{batch_id}/provide": {
        "parameters": _BATCH_ID,
        "post": _operation(
            "agent_provide",
            "Answer the claimed requests (checked against their response schemas)",
            {
                "200": _ok(
                    "Answered",
                    {
                        "type": "object",
                        "properties": {
                            "answered": {"type": "integer"},
                            "saved": {"type": "array", "items": {"type": "string"}},
                            "not_saved": {"type": "array", "items": {"type": "object"}},
                        },
                    },
                ),
                **_CLAIM_REFUSALS,
                "422": _refused(
                    "Invalid data (code invalid_mock_data; errors: request_id, pointer, "
                    "message); the claim is kept"
                ),
            },
            requestBody=_body(
                {
                    **_TOKEN,
                    "mocks": {
                        "type": "array",
                        "minItems": 1,
                        "items": {
                            "type": "object",
                            "required": ["request_id"],
                            "properties": {
                                "request_id": {"type": "string"},
                                "status": {"type": ["string", "integer"]},
                                "body": {},
                                "headers": {"type": "object"},
                                "save": {"type": "boolean"},
                            },
                        },
                    },
                },
                ["claim_token", "mocks"],
            ),
        ),
    },
    "/__mockc/agent/batches/{batch_id}/release": {
        "parameters": _BATCH_ID,
        "post": _operation(
            "agent_release",
            "Give a claimed batch back to the queue",
            {
                "200": _ok(
                    "Re-queued", {"type": "object", "properties": {"state": {"const": "pending"}}}
                ),
                **_CLAIM_REFUSALS,
            },
            requestBody=_body({**_TOKEN, "reason": {"type": "string"}}, ["claim_token"]),
        ),
    },
}
