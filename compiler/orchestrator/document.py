"""The orchestrator's OpenAPI 3.1 document, served at ``/openapi.json``.

Built from the route table, so that every route is described; the schemas of
what the routes answer are written here. Routes that pass through to a
server's admin API answer what that API answers (its own document is at
``/servers/{name}/admin/openapi.json``).
"""

from __future__ import annotations

import re
from typing import Any

from mockc import __version__

from .routes import ROUTES
from .webhooks import EVENTS

__all__ = ["orchestrator_document"]

_JSON = "application/json"
_PROBLEM = "application/problem+json"
_NULLABLE_NUMBER = {"type": ["number", "null"]}
_NULLABLE_INTEGER = {"type": ["integer", "null"]}
_NULLABLE_STRING = {"type": ["string", "null"]}


def _ref(name: str) -> dict[str, Any]:
    return {"$ref": f"#/components/schemas/{name}"}


def _object(properties: dict[str, Any], required: list[str] | None = None) -> dict[str, Any]:
    schema: dict[str, Any] = {"type": "object", "properties": properties}
    if required:
        schema["required"] = required
    return schema


_SCHEMAS: dict[str, Any] = {
    "Problem": _object(
        {
            "type": {"type": "string"},
            "title": {"type": "string"},
            "status": {"type": "integer"},
            "detail": {"type": "string"},
            "log_tail": {"type": "array", "items": {"type": "string"}},
            "errors": {"type": "array", "items": {"type": "string"}},
        },
        ["title", "status", "detail"],
    ),
    "ServerOptions": _object(
        {
            "target": {"enum": ["http", "grpc", "graphql", None]},
            "seed": {"type": "integer", "minimum": 0, "maximum": 4294967295},
            "entry": {"type": "array", "items": {"type": "string"}},
            "settings": {
                "type": "object",
                "additionalProperties": {"type": ["string", "number"]},
                "description": "environment of the server: MOCKC_DELAY_MS, MOCKC_SEED, …",
            },
            "link_runtime": {"type": "boolean"},
        }
    ),
    "Server": _object(
        {
            "name": {"type": "string"},
            "namespace": {"type": "string"},
            "protocol": {"type": "string"},
            "status": {
                "enum": ["generating", "starting", "running", "stopped", "failed", "exited"]
            },
            "desired": {"enum": ["running", "stopped"]},
            "pid": _NULLABLE_INTEGER,
            "host": {"type": "string"},
            "port": _NULLABLE_INTEGER,
            "admin_port": _NULLABLE_INTEGER,
            "url": _NULLABLE_STRING,
            "admin_url": _NULLABLE_STRING,
            "started_at": _NULLABLE_NUMBER,
            "uptime": _NULLABLE_NUMBER,
            "health": {"enum": ["ok", "failing", "unreachable", None]},
            "spec_files": {"type": "array", "items": {"type": "string"}},
            "options": _ref("ServerOptions"),
            "created_at": {"type": "number"},
            "last_error": _NULLABLE_STRING,
            "operations": {"type": "array", "items": {"type": "string"}},
            "counts": _object(
                {
                    "operations": {"type": "integer"},
                    "active_mocks": {"type": "integer"},
                    "mock_problems": {"type": "integer"},
                    "requests": {"type": "integer"},
                }
            ),
            "active_scenario": _NULLABLE_STRING,
            "warnings": {"type": "array", "items": {"type": "string"}},
            "replicas": {
                "type": "array",
                "description": "servers synced from this one that polled in the last 30 s",
                "items": _object(
                    {
                        "id": {"type": "string"},
                        "last_seen": {"type": "number"},
                        "active_mocks": _NULLABLE_INTEGER,
                        "problems": _NULLABLE_INTEGER,
                        "snapshot": _NULLABLE_STRING,
                    },
                    ["id", "last_seen"],
                ),
            },
        },
        ["name", "namespace", "protocol", "status", "desired", "pid", "port"],
    ),
    "SpecUpload": _object(
        {
            "name": {"type": "string", "pattern": "^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$"},
            "files": {
                "type": "object",
                "description": "file name (relative, may hold folders) → its text, or "
                "{'base64': …}",
                "additionalProperties": {
                    "oneOf": [
                        {"type": "string"},
                        _object({"base64": {"type": "string"}}, ["base64"]),
                    ]
                },
            },
            "paths": {
                "type": "array",
                "items": {"type": "string"},
                "description": "files inside the orchestrator's --spec-root, read in place",
            },
            "target": {"enum": ["http", "grpc", "graphql", None]},
            "seed": {"type": "integer", "minimum": 0, "maximum": 4294967295},
            "entry": {"type": "array", "items": {"type": "string"}},
            "settings": {"type": "object", "additionalProperties": {"type": "string"}},
            "start": {"type": "boolean", "default": True},
            "link_runtime": {"type": "boolean", "default": True},
        },
        ["name"],
    ),
    "Regenerate": _object(
        {
            "files": {"type": "object", "additionalProperties": {"type": "string"}},
            "paths": {"type": "array", "items": {"type": "string"}},
            "target": {"enum": ["http", "grpc", "graphql", None]},
            "seed": {"type": "integer", "minimum": 0, "maximum": 4294967295},
            "entry": {"type": "array", "items": {"type": "string"}},
            "prune": {"type": "boolean"},
            "theirs": {"type": "boolean"},
        }
    ),
    "MergeReport": _object(
        {
            "changed": {"type": "boolean"},
            "changed_files": {"type": "array", "items": {"type": "string"}},
            "counts": {"type": "object", "additionalProperties": {"type": "integer"}},
            "entries": {
                "type": "array",
                "items": _object(
                    {
                        "file": {"type": "string"},
                        "kind": {"type": "string"},
                        "id": {"type": "string"},
                        "field": {"type": "string"},
                        "detail": {"type": "string"},
                    },
                    ["file", "kind", "detail"],
                ),
            },
            "warnings": {"type": "array", "items": {"type": "string"}},
        },
        ["changed", "counts", "entries"],
    ),
    "Token": _object(
        {
            "id": {"type": "string"},
            "name": {"type": "string"},
            "kind": {"enum": ["user", "integration"]},
            "namespace": {"type": "string"},
            "scope": {"enum": ["read", "write", "admin"]},
            "hint": {"type": "string"},
            "created_at": {"type": "number"},
            "expires_at": _NULLABLE_NUMBER,
            "last_used_at": _NULLABLE_NUMBER,
            "revoked_at": _NULLABLE_NUMBER,
            "active": {"type": "boolean"},
            "token": {"type": "string", "description": "only in the answer that creates it"},
        },
        ["id", "name", "kind", "namespace", "scope", "active"],
    ),
    "NewToken": _object(
        {
            "name": {"type": "string", "minLength": 1, "maxLength": 200},
            "scope": {"enum": ["read", "write", "admin"], "default": "read"},
            "kind": {"enum": ["user", "integration"], "default": "user"},
            "expires_in": {"type": "number", "exclusiveMinimum": 0, "maximum": 315360000},
        },
        ["name"],
    ),
    "Webhook": _object(
        {
            "id": {"type": "string"},
            "namespace": {"type": "string"},
            "url": {"type": "string"},
            "events": {"type": "array", "items": {"enum": list(EVENTS)}},
            "created_at": {"type": "number"},
            "secret": {"type": "string", "description": "only in the answer that creates it"},
        },
        ["id", "url", "events"],
    ),
    "NewWebhook": _object(
        {
            "url": {"type": "string", "format": "uri"},
            "events": {"type": "array", "items": {"enum": list(EVENTS)}, "minItems": 1},
        },
        ["url"],
    ),
    "Delivery": _object(
        {
            "id": {"type": "integer"},
            "event": {"type": "string"},
            "status": {"enum": ["pending", "delivered", "failed", "cancelled"]},
            "attempts": {"type": "integer"},
            "next_attempt_at": _NULLABLE_NUMBER,
            "last_code": _NULLABLE_INTEGER,
            "last_error": _NULLABLE_STRING,
            "created_at": {"type": "number"},
            "finished_at": _NULLABLE_NUMBER,
            "payload": {"type": "object"},
        },
        ["id", "event", "status", "attempts"],
    ),
    "Health": _object(
        {"status": {"type": "string"}, "version": {"type": "string"}, "uptime": {"type": "number"}},
        ["status", "version"],
    ),
}

_LIST = {
    "list_servers": ("servers", "Server"),
    "list_tokens": ("tokens", "Token"),
    "list_webhooks": ("webhooks", "Webhook"),
    "list_deliveries": ("deliveries", "Delivery"),
}
_ONE = {
    "whoami": "Token",
    "get_server": "Server",
    "start_server": "Server",
    "stop_server": "Server",
    "restart_server": "Server",
    "get_token": "Token",
    "revoke_token": "Token",
    "get_webhook": "Webhook",
}
_CREATED = {"create_server": "Server", "create_token": "Token", "create_webhook": "Webhook"}
_BODIES = {"create_token": "NewToken", "create_webhook": "NewWebhook"}
_QUERIES: dict[str, list[dict[str, Any]]] = {
    "delete_server": [
        {
            "name": "keep_files",
            "in": "query",
            "schema": {"type": "boolean"},
            "description": "leave the server's folder on disk",
        }
    ],
    "server_logs": [
        {
            "name": "tail",
            "in": "query",
            "schema": {"type": "integer", "minimum": 0, "maximum": 100000},
            "description": "lines from the end (100)",
        },
        {
            "name": "follow",
            "in": "query",
            "schema": {"type": "boolean"},
            "description": "keep the answer open and stream new lines",
        },
    ],
    "list_deliveries": [
        {
            "name": "limit",
            "in": "query",
            "schema": {"type": "integer", "minimum": 1, "maximum": 1000},
        }
    ],
}


def _json(schema: dict[str, Any]) -> dict[str, Any]:
    return {_JSON: {"schema": schema}}


def _problem(description: str) -> dict[str, Any]:
    return {"description": description, "content": {_PROBLEM: {"schema": _ref("Problem")}}}


def _errors() -> dict[str, Any]:
    return {
        "400": _problem("Malformed request"),
        "401": _problem("No valid bearer token"),
        "403": _problem("The token's scope is not enough"),
        "404": _problem("Not found (or in another namespace)"),
        "default": _problem("Any other error, as a problem document"),
    }


def _spec_body(schema: str) -> dict[str, Any]:
    return {
        "required": schema == "SpecUpload",
        "content": {
            _JSON: {"schema": _ref(schema)},
            "multipart/form-data": {
                "schema": _object(
                    {
                        "name": {"type": "string"},
                        "options": {
                            "type": "string",
                            "description": "a JSON object of the other fields",
                        },
                        "file": {
                            "type": "array",
                            "items": {
                                "type": "string",
                                "contentMediaType": "application/octet-stream",
                            },
                            "description": "spec files (each part's filename is its name)",
                        },
                    }
                )
            },
        },
    }


def _operation(method: str, path: str, name: str, scope: str) -> dict[str, Any]:
    responses: dict[str, Any] = {}
    operation: dict[str, Any] = {
        "operationId": f"{name}" if not name.startswith("admin_") else f"{method.lower()}_{name}",
        "summary": name.replace("_", " "),
        "tags": [path.split("/")[1]],
        "description": f"Needs the {scope!r} scope.",
    }
    if name in _LIST:
        key, schema = _LIST[name]
        body = _object({key: {"type": "array", "items": _ref(schema)}}, [key])
        responses["200"] = {"description": "OK", "content": _json(body)}
    elif name in _ONE:
        responses["200"] = {"description": "OK", "content": _json(_ref(_ONE[name]))}
    elif name in _CREATED:
        responses["201"] = {"description": "Created", "content": _json(_ref(_CREATED[name]))}
    elif name.startswith("delete_"):
        responses["204"] = {"description": "Deleted"}
    elif name == "regenerate_server":
        body = _object(
            {"server": _ref("Server"), "report": _ref("MergeReport")}, ["server", "report"]
        )
        responses["200"] = {"description": "Regenerated", "content": _json(body)}
    elif name == "sync_snapshot":
        snapshot = _object(
            {
                "mocks": {"type": "array", "items": {"type": "object"}},
                "scenarios": {
                    "type": "object",
                    "additionalProperties": {"type": "array", "items": {"type": "object"}},
                },
                "active_scenario": _NULLABLE_STRING,
            },
            ["mocks", "scenarios", "active_scenario"],
        )
        responses["200"] = {
            "description": "The snapshot (with an ETag)",
            "content": _json(snapshot),
        }
        responses["304"] = {"description": "Unchanged since If-None-Match"}
        responses["409"] = _problem("The server is not running")
        operation["parameters"] = [
            {
                "name": "If-None-Match",
                "in": "header",
                "required": False,
                "schema": {"type": "string"},
            }
        ]
    elif name == "server_logs":
        responses["200"] = {
            "description": "The server's log lines",
            "content": {"text/plain": {"schema": {"type": "string"}}},
        }
    else:  # passed to the server's admin API
        operation["description"] += (
            " Passed to the server's admin API (see its /__mockc/openapi.json); "
            "409 when the server is not running."
        )
        responses["2XX"] = {"description": "The server's answer", "content": _json({})}
        responses["409"] = _problem("The server is not running")
        responses["422"] = _problem("The server refused the document")
    if name in ("create_server", "regenerate_server"):
        operation["requestBody"] = _spec_body(
            "SpecUpload" if name == "create_server" else "Regenerate"
        )
        responses["409"] = _problem("A server of that name exists")
        responses["422"] = _problem("The specs could not be generated")
        responses["502"] = _problem("The server did not start; the problem holds its log tail")
    if name in ("start_server", "restart_server"):
        responses["502"] = _problem("The server did not start; the problem holds its log tail")
    if name in _BODIES:
        operation["requestBody"] = {"required": True, "content": _json(_ref(_BODIES[name]))}
    elif method in ("POST", "PUT") and "requestBody" not in operation and name.startswith("admin_"):
        operation["requestBody"] = {"required": method == "PUT", "content": _json({})}
    parameters = [
        {"name": found, "in": "path", "required": True, "schema": {"type": "string"}}
        for found in re.findall(r"\{([^}]+)\}", path)
    ]
    parameters += _QUERIES.get(name, []) + operation.pop("parameters", [])
    if parameters:
        operation["parameters"] = parameters
    operation["responses"] = {**responses, **_errors()}
    return operation


def orchestrator_document() -> dict[str, Any]:
    paths: dict[str, Any] = {
        "/health": {
            "get": {
                "operationId": "health",
                "summary": "Liveness (no token needed)",
                "security": [],
                "responses": {"200": {"description": "OK", "content": _json(_ref("Health"))}},
            }
        },
        "/openapi.json": {
            "get": {
                "operationId": "openapi",
                "summary": "This document",
                "responses": {"200": {"description": "OK", "content": _json({})}, **_errors()},
            }
        },
        "/metrics": {
            "get": {
                "operationId": "metrics",
                "summary": "Prometheus metrics of the orchestrator",
                "responses": {
                    "200": {"description": "OK", "content": {"text/plain": {"schema": {}}}},
                    **_errors(),
                },
            }
        },
        "/servers/{name}/admin/{path}": {
            method: {
                "operationId": f"admin_proxy_{method}",
                "summary": "Any route of the server's admin API, under /__mockc/",
                "description": "GET needs 'read', other methods 'write'. `path` may hold "
                "several segments (journal/analysis); '..' is refused.",
                "parameters": [
                    {"name": "name", "in": "path", "required": True, "schema": {"type": "string"}},
                    {"name": "path", "in": "path", "required": True, "schema": {"type": "string"}},
                ],
                **(
                    {"requestBody": {"required": False, "content": _json({})}}
                    if method in ("post", "put")
                    else {}
                ),
                "responses": {
                    "2XX": {"description": "The server's answer", "content": _json({})},
                    "409": _problem("The server is not running"),
                    **_errors(),
                },
            }
            for method in ("get", "post", "put", "delete")
        },
    }
    for method, path, handler, scope in ROUTES:
        name = handler.__name__
        paths.setdefault(path, {})[method.lower()] = _operation(method, path, name, scope)
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "mockc orchestrator",
            "version": __version__,
            "description": "Generates, runs and manages mock servers. Every route but "
            "/health needs 'Authorization: Bearer mk_…' (or mki_…).",
        },
        "security": [{"bearer": []}],
        "paths": paths,
        "components": {
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
            "schemas": _SCHEMAS,
        },
    }
