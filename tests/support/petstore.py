"""A hand-written petstore ``contract.json`` exercising most runtime features."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

__all__ = [
    "SERVER_MAIN",
    "http_operation",
    "petstore_contract",
    "server_command",
    "write_server",
]

SERVER_MAIN = "import sys; from pathlib import Path; from mockc.runtime.http.server import main; "


def server_command(directory: Path, *flags: str) -> list[str]:
    """Start the linked runtime's server on ``directory`` (flags go to argparse)."""
    return [
        sys.executable,
        "-c",
        SERVER_MAIN + f"main(Path({str(directory)!r}), sys.argv[1:])",
        *flags,
    ]


def _param(name: str, location: str, schema: Any, **extra: Any) -> dict[str, Any]:
    defaults = {"path": ("simple", False), "query": ("form", True), "header": ("simple", False)}
    style, explode = defaults.get(location, ("form", True))
    return {
        "name": name,
        "location": location,
        "required": location == "path",
        "schema": schema,
        "style": style,
        "explode": explode,
        **extra,
    }


def _json(schema: Any, examples: dict[str, Any] | None = None) -> dict[str, Any]:
    return {"application/json": {"schema": schema, "examples": examples or {}}}


def _response(status: str, contents: dict[str, Any], headers: list[Any] | None = None) -> Any:
    return {"key": status, "description": "", "headers": headers or [], "contents": contents}


def http_operation(
    id: str,
    method: str,
    path: str,
    parameters: list[Any] | None = None,
    body: Any = None,
    responses: list[Any] | None = None,
) -> dict[str, Any]:
    """A contract operation with an HTTP binding (``body`` is its input message)."""
    return {
        "id": id,
        "shape": "unary",
        "input": body,
        "outputs": list(responses or []),
        "binding": {"kind": "http", "method": method, "path": path, "parameters": parameters or []},
    }


PET = {"$ref": "#/$defs/Pet"}
ERROR = {"$ref": "#/$defs/Error"}


def petstore_contract() -> dict[str, Any]:
    defs = {
        "Pet": {
            "type": "object",
            "required": ["id", "name"],
            "properties": {
                "id": {"type": "integer", "readOnly": True, "minimum": 1},
                "name": {"type": "string", "minLength": 1},
                "tag": {"type": "string"},
                "tags": {"type": "array", "items": {"type": "string", "maxLength": 5}},
                "status": {"$ref": "#/$defs/Status"},
            },
        },
        "Status": {"type": "string", "enum": ["available", "sold"]},
        "Error": {
            "type": "object",
            "required": ["code", "message"],
            "properties": {"code": {"type": "integer"}, "message": {"type": "string"}},
        },
    }
    specs: list[dict[str, Any]] = [
        {
            "id": "listPets",
            "method": "GET",
            "path": "/pets",
            "parameters": [
                _param("limit", "query", {"type": "integer", "minimum": 1, "maximum": 100}),
                _param("tags", "query", {"type": "array", "items": {"type": "string"}}),
                _param("status", "query", {"$ref": "#/$defs/Status"}),
                _param(
                    "filter",
                    "query",
                    {
                        "type": "object",
                        "properties": {"age": {"type": "integer"}, "kind": {"type": "string"}},
                    },
                    style="deepObject",
                    explode=True,
                ),
                _param("X-Request-Id", "header", {"type": "string", "pattern": "^[a-z0-9-]+$"}),
            ],
            "body": None,
            "responses": [
                _response(
                    "200",
                    {
                        **_json({"type": "array", "items": PET}),
                        "application/xml": {
                            "schema": {"type": "array", "items": PET},
                            "examples": {},
                        },
                    },
                    headers=[
                        {"name": "X-Total", "required": True, "schema": {"type": "integer"}},
                        {"name": "Content-Type", "required": False, "schema": {"type": "string"}},
                    ],
                ),
                _response("default", _json(ERROR)),
            ],
        },
        {
            "id": "createPet",
            "method": "POST",
            "path": "/pets",
            "parameters": [],
            "body": {"required": True, "contents": {"application/json": {"schema": PET}}},
            "responses": [
                _response("201", _json(PET, {"created": {"id": 7, "name": "Rex"}})),
                _response("4XX", _json(ERROR)),
            ],
        },
        {
            "id": "getPet",
            "method": "GET",
            "path": "/pets/{petId}",
            "parameters": [_param("petId", "path", {"type": "integer", "minimum": 1})],
            "body": None,
            "responses": [
                _response("200", _json(PET)),
                _response(
                    "404",
                    _json(
                        ERROR,
                        {
                            "missing": {"code": 404, "message": "no such pet"},
                            "gone": {"code": 410, "message": "gone"},
                        },
                    ),
                ),
                _response("default", _json(ERROR)),
            ],
        },
        {
            "id": "deletePet",
            "method": "DELETE",
            "path": "/pets/{petId}",
            "parameters": [_param("petId", "path", {"type": "integer"})],
            "body": None,
            "responses": [_response("204", {})],
        },
        {
            "id": "myPets",
            "method": "GET",
            "path": "/pets/mine",
            "parameters": [],
            "body": None,
            "responses": [
                _response(
                    "200",
                    _json(
                        {"type": "array", "items": PET},
                        {
                            "cat": [{"id": 1, "name": "Tom"}],
                            "dog": [{"id": 2, "name": "Rex"}],
                        },
                    ),
                ),
            ],
        },
        {
            "id": "login",
            "method": "POST",
            "path": "/login",
            "parameters": [],
            "body": {
                "required": True,
                "contents": {
                    "application/x-www-form-urlencoded": {
                        "schema": {
                            "type": "object",
                            "required": ["user", "age"],
                            "properties": {
                                "user": {"type": "string"},
                                "age": {"type": "integer", "maximum": 150},
                                "roles": {"type": "array", "items": {"type": "string"}},
                            },
                        }
                    }
                },
            },
            "responses": [
                _response(
                    "2XX",
                    _json(
                        {
                            "type": "object",
                            "required": ["token"],
                            "properties": {"token": {"type": "string"}},
                        }
                    ),
                )
            ],
        },
        {
            "id": "uploadPhoto",
            "method": "POST",
            "path": "/pets/{petId}/photo",
            "parameters": [_param("petId", "path", {"type": "integer"})],
            "body": {
                "required": True,
                "contents": {
                    "multipart/form-data": {
                        "schema": {
                            "type": "object",
                            "required": ["caption", "file"],
                            "properties": {
                                "caption": {"type": "string", "maxLength": 20},
                                "width": {"type": "integer"},
                                "file": {"type": "string", "format": "binary"},
                            },
                        }
                    }
                },
            },
            "responses": [
                _response(
                    "200", _json({"type": "object", "properties": {"ok": {"type": "boolean"}}})
                )
            ],
        },
        {
            "id": "petNote",
            "method": "GET",
            "path": "/pets/{petId}/note",
            "parameters": [_param("petId", "path", {"type": "integer"})],
            "body": None,
            "responses": [
                _response(
                    "200",
                    {
                        "text/plain": {
                            "schema": {"type": "string"},
                            "examples": {"hello": "Good boy"},
                        }
                    },
                )
            ],
        },
        {
            "id": "putNote",
            "method": "PUT",
            "path": "/pets/{petId}/note",
            "parameters": [_param("petId", "path", {"type": "integer"})],
            "body": {
                "required": False,
                "contents": {
                    "text/plain": {"schema": {"type": "string"}},
                    "application/octet-stream": {"schema": {}},
                },
            },
            "responses": [_response("default", {})],
        },
    ]
    return {
        "format": 2,
        "generated_by": "tests",
        "protocol": "http",
        "api": {"name": "petstore", "title": "Petstore", "version": "1.0.0"},
        "defs": defs,
        "operations": [http_operation(**spec) for spec in specs],
    }


def write_server(
    directory: Path, contract: dict[str, Any] | None = None, handlers: str | None = None
) -> Path:
    """Write ``contract.json`` (and ``handlers.py``) into ``directory``."""
    directory.mkdir(parents=True, exist_ok=True)
    data = contract if contract is not None else petstore_contract()
    (directory / "contract.json").write_text(json.dumps(data, indent=1))
    if handlers is not None:
        (directory / "handlers.py").write_text(handlers)
    return directory
