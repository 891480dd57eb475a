"""An agent's answer as a mock file: matched to the request it answered.

The mock matches the request's path and query parameters (exactly), answers
with the agent's status, headers and body, and goes before the ``source:
agent`` mock that sent the request to the agent (else before the generated
mock: priority 1). It is an ordinary mock of
the user's (its id is no operation's), so regeneration keeps it.
"""

from __future__ import annotations

from typing import Any

from ..engine import Request
from .batches import Answer

__all__ = ["saved_mock"]


def saved_mock(request: Request, answer: Answer) -> dict[str, Any]:
    """The mock document serving ``answer`` for requests like ``request``."""
    document: dict[str, Any] = {
        "id": f"{request.operation_id}-agent",
        "operation": request.operation_id,
        "description": "Provided by an agent for a request it was asked about.",
    }
    route = request.agent
    document["priority"] = route.priority + 1 if route is not None and route.mock else 1
    match = {
        place: {name: {"equals": value} for name, value in sorted(values.items())}
        for place, values in (("path", request.path), ("query", request.query))
        if values
    }
    if match:
        document["match"] = match
    status: Any = int(answer.status) if answer.status.isdigit() else answer.status
    response: dict[str, Any] = {"status": status}
    if answer.headers:
        response["headers"] = dict(answer.headers)
    if answer.body is not None:
        response["body"] = answer.body
    document["response"] = response
    return document
