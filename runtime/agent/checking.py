"""Checking what an agent provides: the shape of the call (400 when wrong),
then each answer against its operation's response schema (422, with the JSON
pointer of every violation into the provide body)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ..engine import Operation
from ..validation import compile_schema, violations_of
from .batches import Answer, PendingRequest
from .errors import BadAgentCall, InvalidMockData

__all__ = [
    "Provided",
    "ProvidedMocks",
    "SchemaChecker",
    "claim_token_of",
    "mock_list",
    "provided_mocks",
]

_MOCK_KEYS = frozenset({"request_id", "status", "body", "headers", "save"})


@dataclass(frozen=True, slots=True)
class Provided:
    """One checked answer, and whether to save it as a mock file."""

    request_id: str
    answer: Answer
    save: bool


ProvidedMocks = list[Provided]


def claim_token_of(body: Any) -> str:
    """The ``claim_token`` of a provide or release body (400 when missing)."""
    if not isinstance(body, dict):
        raise BadAgentCall("the request body must be a JSON object with 'claim_token'")
    token = body.get("claim_token")
    if not isinstance(token, str) or not token:
        raise BadAgentCall("'claim_token' must be the token the claim returned (a string)")
    return token


class SchemaChecker:
    """Compiled response validators, by operation, status and media type."""

    def __init__(self, defs: Mapping[str, Any]) -> None:
        self._defs = defs
        self._validators: dict[tuple[str, str, str], Any] = {}

    def violations(
        self, operation: Operation, status: str, media_type: str, schema: Any, data: Any
    ) -> list[dict[str, str]]:
        key = (operation.id, status, media_type)
        validator = self._validators.get(key)
        if validator is None:
            where = f"{operation.id} response {status} {media_type}"
            validator = self._validators[key] = compile_schema(schema, self._defs, where)
        return violations_of(validator, data)


def provided_mocks(
    body: Any, live: Mapping[str, PendingRequest], checker: SchemaChecker
) -> ProvidedMocks:
    """The checked answers of ``body["mocks"]`` for the requests in ``live``
    (request id → request, each with its operation as ``context.operation``).
    BadAgentCall when the call is malformed; InvalidMockData listing every
    violation when answers break their schemas or name no waiting request."""
    mocks = mock_list(body)
    errors: list[dict[str, str]] = []
    provided: ProvidedMocks = []
    seen: set[str] = set()
    for index, mock in enumerate(mocks):
        at = f"/mocks/{index}"
        request_id = _request_id(mock, at)
        if request_id in seen:
            errors.append(_error(request_id, f"{at}/request_id", "answered twice in this call"))
            continue
        seen.add(request_id)
        pending = live.get(request_id)
        if pending is None:
            message = "no such request is waiting in this batch (it may have timed out)"
            errors.append(_error(request_id, f"{at}/request_id", message))
            continue
        operation: Operation = pending.context.operation
        status = _status(mock, operation, at)
        if status.isdigit() and not 200 <= int(status) <= 599:
            message = f"status {status} is no final response status (200-599)"
            errors.append(_error(request_id, f"{at}/status", message))
            continue
        output = operation.output_for(status)
        if output is None:
            declared = ", ".join(output.status for output in operation.outputs) or "none"
            message = (
                f"operation {operation.id} declares no response {status} (declared: {declared})"
            )
            errors.append(_error(request_id, f"{at}/status", message))
            continue
        headers = _headers(mock, at)
        if not output.contents and mock.get("body") is not None:
            message = f"the {status} response of {operation.id} has no body: leave 'body' out"
            errors.append(_error(request_id, f"{at}/body", message))
            continue
        if output.contents:
            content = output.contents[0]
            if "body" not in mock:
                message = f"the {status} response of {operation.id} has a body: give 'body'"
                errors.append(_error(request_id, f"{at}/body", message))
                continue
            if content.schema is not None:
                found = checker.violations(
                    operation, output.status, content.media_type, content.schema, mock["body"]
                )
                errors += [
                    _error(request_id, f"{at}/body{violation['pointer']}", violation["message"])
                    for violation in found
                ]
        save = mock.get("save", False)
        if not isinstance(save, bool):
            raise BadAgentCall(f"{at}/save must be true or false")
        answered = operation.answered_status(output.status, status)  # 2XX → 200
        provided.append(Provided(request_id, Answer(answered, mock.get("body"), headers), save))
    if errors:
        raise InvalidMockData(errors)
    return provided


def mock_list(body: Any) -> list[Any]:
    """The ``mocks`` of a provide body (400 when it is no non-empty list)."""
    mocks = body.get("mocks") if isinstance(body, dict) else None
    if not isinstance(mocks, list) or not mocks:
        raise BadAgentCall("'mocks' must be a non-empty list of {request_id, status?, body, ...}")
    return mocks


def _request_id(mock: Any, at: str) -> str:
    if not isinstance(mock, dict):
        raise BadAgentCall(
            f"{at} must be an object: {{request_id, status?, body, headers?, save?}}"
        )
    unknown = sorted(set(mock) - _MOCK_KEYS)
    if unknown:
        expected = ", ".join(sorted(_MOCK_KEYS))
        raise BadAgentCall(f"{at} has unknown key(s) {', '.join(unknown)}; expected {expected}")
    request_id = mock.get("request_id")
    if not isinstance(request_id, str):
        raise BadAgentCall(f"{at}/request_id must be the request_id of a claimed request")
    return request_id


def _status(mock: dict[str, Any], operation: Operation, at: str) -> str:
    status = mock.get("status")
    if status is None:
        output = operation.default_output
        return operation.answered_status(output.status) if output is not None else "200"
    if isinstance(status, bool) or not isinstance(status, str | int):
        raise BadAgentCall(f'{at}/status must be a status such as "200" or 404')
    return str(status)


def _headers(mock: dict[str, Any], at: str) -> dict[str, str]:
    headers = mock.get("headers")
    if headers is None:
        return {}
    if not isinstance(headers, dict) or not all(
        isinstance(value, str | int | float) and not isinstance(value, bool)
        for value in headers.values()
    ):
        raise BadAgentCall(f"{at}/headers must be an object of header name → text")
    return {str(name): str(value) for name, value in headers.items()}


def _error(request_id: str, pointer: str, message: str) -> dict[str, str]:
    return {"request_id": request_id, "pointer": pointer, "message": message}
