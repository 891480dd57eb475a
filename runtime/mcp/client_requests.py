"""The steps of a tool call that ask the client: ``sampling`` asks for
``sampling/createMessage``, ``elicitation`` for ``elicitation/create``, each
with the step's body as its params, and the call waits for the answer.

Protocol versions before 2026-07-28 send the request to the client on the
call's stream. From 2026-07-28 on the call answers an ``input_required``
result holding the request; the client retries the call with its answer
(``inputResponses``) and the ``requestState`` given, which carries what the
earlier steps gave, so the call goes on from the step that asked.

The answer, as the client wrote it (``{"role", "content", "model",
"stopReason"}``; ``{"action", "content"}``), becomes ``request.steps[i]`` for
the steps after it. A client that answers with a JSON-RPC error gives
``{"error": {"code", "message"}}`` there instead; a client that did not declare
the capability gets the tool call's JSON-RPC error ``-32600``.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import mcp_types as types
from mcp.server.context import ServerRequestContext
from mcp.shared.exceptions import MCPError
from mcp.shared.message import ServerMessageMetadata
from mcp_types.version import MODERN_PROTOCOL_VERSIONS

from ..exceptions import RuntimeFailure
from .outputs import INTERNAL_ERROR
from .refusals import refused

__all__ = ["CLIENT_STEPS", "INVALID_REQUEST", "InputRequired", "ask_client", "resumed_steps"]

Context = ServerRequestContext[Any]
INVALID_REQUEST = -32600
INVALID_PARAMS = -32602
SAMPLING = "sampling"
ELICITATION = "elicitation"
CLIENT_STEPS = (SAMPLING, ELICITATION)
"""The output keys of steps that ask the client."""
AnswerType = type[types.CreateMessageResult] | type[types.ElicitResult]
Build = Callable[[Any], tuple[types.ServerRequest, AnswerType]]


class InputRequired(RuntimeFailure):
    """The call needs the client's answer first (2026-07-28): its result."""

    def __init__(self, result: types.InputRequiredResult) -> None:
        super().__init__("input required")
        self.result = result


def _sampling(params: Any) -> tuple[types.ServerRequest, AnswerType]:
    request = types.CreateMessageRequest(
        params=types.CreateMessageRequestParams.model_validate(params)
    )
    return request, types.CreateMessageResult


def _elicitation(params: Any) -> tuple[types.ServerRequest, AnswerType]:
    form = not (isinstance(params, dict) and "url" in params)
    kind = types.ElicitRequestFormParams if form else types.ElicitRequestURLParams
    return types.ElicitRequest(params=kind.model_validate(params)), types.ElicitResult


_REQUESTS: dict[str, tuple[str, Build]] = {
    SAMPLING: ("sampling/createMessage", _sampling),
    ELICITATION: ("elicitation/create", _elicitation),
}


def _declared(ctx: Context, step: str) -> bool:
    capabilities = ctx.session.client_capabilities
    if capabilities is None:
        return False
    return (capabilities.sampling if step == SAMPLING else capabilities.elicitation) is not None


def _key(index: int) -> str:
    return f"step-{index}"


async def ask_client(
    ctx: Context, step: str, params: Any, where: str, index: int, steps: list[Any]
) -> Any:
    """The client's answer (as JSON) to the request of the ``sampling`` or
    ``elicitation`` step ``index`` (``where`` names it in errors); ``steps``
    are what the steps before it gave. Raises :class:`InputRequired` when the
    request travels in the call's result."""
    method, build = _REQUESTS[step]
    if not _declared(ctx, step):
        raise MCPError(
            INVALID_REQUEST,
            f"{where} sends {method}, but the client did not declare the {step} capability",
        )
    try:
        request, result_type = build(params)
    except ValueError as exc:
        raise MCPError(
            INTERNAL_ERROR, f"{where}: not the params of {method}: {refused(exc)}"
        ) from None
    if ctx.session.protocol_version in MODERN_PROTOCOL_VERSIONS:
        state = json.dumps({"steps": steps, "awaiting": _key(index)}, separators=(",", ":"))
        raise InputRequired(
            types.InputRequiredResult(
                input_requests={_key(index): request},  # type: ignore[dict-item]
                request_state=state,
            )
        )
    try:
        answer = await ctx.session.send_request(
            request,
            result_type,
            metadata=ServerMessageMetadata(related_request_id=ctx.request_id),
        )
    except MCPError as exc:
        return {"error": {"code": exc.error.code, "message": exc.error.message}}
    return answer.model_dump(by_alias=True, mode="json", exclude_none=True)


def resumed_steps(params: types.CallToolRequestParams) -> list[Any]:
    """What the steps gave before the call was retried with the client's
    answer (2026-07-28), that answer last; [] for a call that is not a retry."""
    if params.request_state is None:
        return []
    try:
        state = json.loads(params.request_state)
        steps, awaiting = state["steps"], state["awaiting"]
        if not isinstance(steps, list) or awaiting != _key(len(steps)):
            raise ValueError(awaiting)
    except (ValueError, TypeError, KeyError):
        raise MCPError(INVALID_PARAMS, "requestState is not one this server gave") from None
    answer = (params.input_responses or {}).get(awaiting)
    if answer is None:
        raise MCPError(INVALID_PARAMS, f"inputResponses has no answer to {awaiting}")
    return [*steps, answer.model_dump(by_alias=True, mode="json", exclude_none=True)]
