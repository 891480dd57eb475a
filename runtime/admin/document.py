"""The admin API's own OpenAPI 3.1 document, served at ``/__mockc/openapi.json``."""

from __future__ import annotations

from typing import Any

from .. import __version__
from .agent_document import AGENT_PATHS
from .emit import EMIT_PATHS

__all__ = ["admin_document"]

_JSON = "application/json"
_PROBLEM = "application/problem+json"


def _ok(description: str, schema: dict[str, Any] | None = None) -> dict[str, Any]:
    if schema is None:
        return {"description": description}
    return {"description": description, "content": {_JSON: {"schema": schema}}}


def _ref(name: str) -> dict[str, Any]:
    return {"$ref": f"#/components/schemas/{name}"}


def _problem(description: str) -> dict[str, Any]:
    return {"description": description, "content": {_PROBLEM: {"schema": _ref("Problem")}}}


def _body(schema: dict[str, Any]) -> dict[str, Any]:
    return {"required": True, "content": {_JSON: {"schema": schema}}}


def _query(name: str, schema: dict[str, Any], description: str) -> dict[str, Any]:
    return {"name": name, "in": "query", "schema": schema, "description": description}


def _path(name: str) -> dict[str, Any]:
    return {"name": name, "in": "path", "required": True, "schema": {"type": "string"}}


def _operation(
    operation_id: str,
    summary: str,
    responses: dict[str, Any],
    **extra: Any,
) -> dict[str, Any]:
    return {
        "operationId": operation_id,
        "summary": summary,
        "tags": [operation_id.split("_")[0]],
        "responses": {**responses, "401": _problem("A bearer token is required")},
        **extra,
    }


_TIME = {"type": "string", "description": "epoch seconds or an ISO 8601 date-time"}
_JOURNAL_FILTERS = [
    _query("method", {"type": "string"}, "HTTP method"),
    _query("path", {"type": "string"}, "regular expression searched in the request target"),
    _query("status", {"type": "string"}, "answered status"),
    _query("since", _TIME, "only requests at or after"),
    _query("until", _TIME, "only requests before"),
    _query("operation", {"type": "string"}, "operation id"),
    _query("unmatched", {"type": "boolean"}, "only requests no mock matched"),
    _query("include_admin", {"type": "boolean"}, "include calls to the admin API"),
    _query("client", {"type": "string"}, "only entries about this stream client (SSE)"),
    _query("limit", {"type": "integer", "minimum": 1, "maximum": 10000}, "page size"),
    _query("offset", {"type": "integer", "minimum": 0}, "entries to skip"),
]

_SCHEMAS: dict[str, Any] = {
    "Problem": {
        "type": "object",
        "properties": {
            "type": {"type": "string"},
            "title": {"type": "string"},
            "status": {"type": "integer"},
            "detail": {"type": "string"},
        },
    },
    "Mock": {
        "type": "object",
        "description": "A mock definition, as in a file under mocks/ (see docs/mocks.md).",
        "required": ["operation"],
        "properties": {"id": {"type": "string"}, "operation": {"type": "string"}},
        "additionalProperties": True,
    },
    "MockList": {
        "type": "object",
        "properties": {
            "mocks": {"type": "array", "items": _ref("Mock")},
            "active_scenario": {"type": ["string", "null"]},
        },
    },
    "Scenario": {
        "type": "object",
        "required": ["name"],
        "properties": {
            "name": {"type": "string"},
            "mocks": {"type": "array", "items": _ref("Mock")},
        },
    },
    "ActiveScenario": {
        "type": "object",
        "properties": {"name": {"type": ["string", "null"]}},
    },
    "JournalPage": {
        "type": "object",
        "properties": {
            "total": {"type": "integer"},
            "entries": {"type": "array", "items": {"type": "object"}},
        },
    },
    "Analysis": {
        "type": "object",
        "properties": {
            "count": {"type": "integer"},
            "latency_ms": {"type": "object"},
            "error_rate": {"type": "number"},
            "top_paths": {"type": "array", "items": {"type": "object"}},
            "unmatched": {"type": "object"},
        },
    },
    "Health": {
        "type": "object",
        "required": ["status"],
        "properties": {
            "status": {"const": "ok"},
            "version": {"type": "string"},
            "uptime": {"type": "number"},
        },
    },
}


def _paths() -> dict[str, Any]:
    mock_problem = _problem("The mock is not valid; every problem is listed")
    return {
        "/__mockc/health": {
            "get": _operation("server_health", "Readiness", {"200": _ok("Ready", _ref("Health"))})
        },
        "/__mockc/info": {
            "get": _operation(
                "server_info",
                "Operations, mocks, scenario",
                {"200": _ok("The server", {"type": "object"})},
            )
        },
        "/__mockc/metrics": {
            "get": _operation(
                "server_metrics",
                "Prometheus metrics",
                {
                    "200": {
                        "description": "Exposition text",
                        "content": {"text/plain": {"schema": {"type": "string"}}},
                    }
                },
            )
        },
        "/__mockc/mocks": {
            "get": _operation(
                "mocks_list",
                "Every mock, with its file and problems",
                {"200": _ok("The mocks", _ref("MockList"))},
                parameters=[_query("operation", {"type": "string"}, "only this operation's mocks")],
            ),
            "post": _operation(
                "mocks_create",
                "Add a mock (written to mocks/ and served at once)",
                {
                    "201": _ok("Created", _ref("Mock")),
                    "400": _problem("Not JSON"),
                    "422": mock_problem,
                },
                requestBody=_body(_ref("Mock")),
                parameters=[_query("scenario", {"type": "string"}, "add it to this scenario")],
            ),
        },
        "/__mockc/mocks/reload": {
            "post": _operation(
                "mocks_reload",
                "Reload mocks and scenarios from disk",
                {"200": _ok("Reloaded", {"type": "object"})},
            )
        },
        "/__mockc/mocks/check": {
            "post": _operation(
                "mocks_check",
                "Check the text of a mock file without writing it (problems at its lines)",
                {
                    "200": _ok("Valid; warnings listed", {"type": "object"}),
                    "400": _problem("Not JSON, or no 'text'"),
                    "422": mock_problem,
                },
                requestBody=_body(
                    {
                        "type": "object",
                        "required": ["text"],
                        "properties": {
                            "text": {"type": "string"},
                            "format": {"enum": ["json", "yaml"]},
                            "scenario": {"type": ["string", "null"]},
                        },
                    }
                ),
            )
        },
        "/__mockc/mocks/{id}": {
            "parameters": [_path("id")],
            "get": _operation(
                "mocks_get",
                "One mock",
                {"200": _ok("The mock", _ref("Mock")), "404": _problem("Unknown id")},
            ),
            "put": _operation(
                "mocks_replace",
                "Replace a mock",
                {
                    "200": _ok("Replaced", _ref("Mock")),
                    "404": _problem("Unknown id"),
                    "422": mock_problem,
                },
                requestBody=_body(_ref("Mock")),
            ),
            "delete": _operation(
                "mocks_delete",
                "Delete a mock and its file",
                {"204": _ok("Deleted"), "404": _problem("Unknown id")},
            ),
        },
        "/__mockc/scenarios": {
            "get": _operation(
                "scenarios_list",
                "Every scenario",
                {"200": _ok("The scenarios", {"type": "object"})},
            ),
            "post": _operation(
                "scenarios_create",
                "Create a scenario (a named set of mock overrides)",
                {
                    "201": _ok("Created", _ref("Scenario")),
                    "400": _problem("Bad request"),
                    "422": mock_problem,
                },
                requestBody=_body(_ref("Scenario")),
            ),
        },
        "/__mockc/scenarios/active": {
            "get": _operation(
                "scenarios_active",
                "The active scenario",
                {"200": _ok("Active", _ref("ActiveScenario"))},
            ),
            "put": _operation(
                "scenarios_switch",
                "Switch scenario (null: base mocks only); survives restarts",
                {
                    "200": _ok("Switched", _ref("ActiveScenario")),
                    "404": _problem("Unknown scenario"),
                },
                requestBody=_body(_ref("ActiveScenario")),
            ),
        },
        "/__mockc/scenarios/{name}": {
            "parameters": [_path("name")],
            "get": _operation(
                "scenarios_get",
                "One scenario",
                {"200": _ok("The scenario", _ref("Scenario")), "404": _problem("Unknown")},
            ),
            "delete": _operation(
                "scenarios_delete",
                "Delete a scenario",
                {"204": _ok("Deleted"), "404": _problem("Unknown")},
            ),
        },
        "/__mockc/state": {
            "get": _operation(
                "state_get",
                "Every state value and collection",
                {"200": _ok("The state", {"type": "object"})},
            ),
            "delete": _operation(
                "state_reset", "Reset state and response sequences", {"204": _ok("Reset")}
            ),
        },
        "/__mockc/journal": {
            "get": _operation(
                "journal_search",
                "Search recorded requests, newest first",
                {
                    "200": _ok("A page of entries", _ref("JournalPage")),
                    "400": _problem("Bad filter"),
                },
                parameters=_JOURNAL_FILTERS,
            ),
            "delete": _operation(
                "journal_clear", "Forget every entry", {"200": _ok("Deleted", {"type": "object"})}
            ),
        },
        "/__mockc/journal/analysis": {
            "get": _operation(
                "journal_analysis",
                "Count, latency percentiles, error rate, top paths, unmatched requests",
                {"200": _ok("The analysis", _ref("Analysis")), "400": _problem("Bad filter")},
                parameters=[
                    p for p in _JOURNAL_FILTERS if p["name"] in ("since", "until", "include_admin")
                ],
            )
        },
        "/__mockc/journal/{entry}": {
            "parameters": [_path("entry")],
            "get": _operation(
                "journal_get",
                "One entry",
                {"200": _ok("The entry", {"type": "object"}), "404": _problem("Unknown")},
            ),
        },
        "/__mockc/events": {
            "get": _operation(
                "events_streams",
                "Open streams (GraphQL subscriptions…) per operation",
                {
                    "200": _ok(
                        "Operation id → open streams",
                        {
                            "type": "object",
                            "properties": {
                                "streams": {
                                    "type": "object",
                                    "additionalProperties": {"type": "integer"},
                                }
                            },
                        },
                    )
                },
            )
        },
        "/__mockc/events/{operation}": {
            "parameters": [_path("operation")],
            "post": _operation(
                "events_push",
                "Push an event to every open stream of a streaming operation",
                {
                    "202": _ok(
                        "Handed to the open streams",
                        {
                            "type": "object",
                            "properties": {
                                "operation": {"type": "string"},
                                "delivered": {"type": "integer"},
                            },
                        },
                    ),
                    "400": _problem("Not an event"),
                    "404": _problem("Unknown operation"),
                },
                requestBody=_body(
                    {
                        "type": "object",
                        "required": ["data"],
                        "properties": {
                            "data": {
                                "description": "The event's payload: for a GraphQL "
                                "subscription, the value of its root field"
                            }
                        },
                    }
                ),
            ),
        },
    }


def admin_document(title: str) -> dict[str, Any]:
    """The OpenAPI document of the admin API of the server called ``title``."""
    return {
        "openapi": "3.1.0",
        "info": {
            "title": f"{title} — mockc admin API",
            "version": __version__,
            "description": (
                "Manage the mock server at runtime: mocks, scenarios, state, the request "
                "journal and its analysis. With MOCKC_ADMIN_TOKEN set, every operation but "
                "the health check needs 'Authorization: Bearer <token>'."
            ),
        },
        "components": {
            "schemas": _SCHEMAS,
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
        },
        "security": [{"bearer": []}, {}],
        "paths": {**_paths(), **EMIT_PATHS, **AGENT_PATHS},
    }
