"""Tool arguments checked against the tool's ``inputSchema`` (``MOCKC_VALIDATE``).

MCP reports invalid arguments as a tool execution error (a result with
``isError: true``) so that a model can read and correct them; each tool's
validator is compiled when it is first called.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..engine import Request
from ..schema_validators import compile_validator

__all__ = ["ArgumentCheck", "tool_request"]

_MOST_REPORTED = 5


class ArgumentCheck:
    def __init__(self, schemas: dict[str, Any]) -> None:
        """``schemas``: each tool's name to its input schema."""
        self._schemas = schemas
        self._validators: dict[str, Any] = {}

    def problems(self, tool: str, arguments: dict[str, Any]) -> list[str]:
        """What is wrong with ``arguments`` of ``tool``, each with its place."""
        validator = self._validators.get(tool)
        if validator is None:
            validator = self._validators[tool] = compile_validator(self._schemas.get(tool) or {})
        found = []
        for error in validator.iter_errors(arguments):
            where = "/".join(str(step) for step in error.instance_path)
            found.append(f"{'/' + where if where else 'arguments'}: {error.message}")
            if len(found) == _MOST_REPORTED:
                break
        return found


def tool_request(
    operation_id: str, http: Mapping[str, Any] | None, arguments: dict[str, Any]
) -> Request:
    """The engine request of a tool call: the arguments as ``request.body``, or,
    for a tool made from an HTTP operation, split as the HTTP request would
    carry them (``request.path``, ``request.query``, ``request.headers``,
    ``request.cookies`` and the body argument as ``request.body``), so that the
    operation's mocks match either way."""
    if http is None:
        return Request(operation_id, body=arguments)
    request = Request(operation_id, body=arguments.get(http["body"]) if http["body"] else None)
    places = {
        "path": request.path,
        "query": request.query,
        "header": request.headers,
        "cookie": request.cookies,
    }
    for each in http["arguments"]:
        if each["argument"] in arguments and each["in"] in places:
            name = each["name"].lower() if each["in"] == "header" else each["name"]
            places[each["in"]][name] = arguments[each["argument"]]
    return request
