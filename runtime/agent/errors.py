"""The agent workflow's errors: each is an admin API answer with its own ``code``."""

from __future__ import annotations

from typing import Any

from ..exceptions import RuntimeFailure

__all__ = [
    "AgentError",
    "BadAgentCall",
    "ClaimExpired",
    "InvalidMockData",
    "NoSuchBatch",
    "WrongClaimToken",
]


class AgentError(RuntimeFailure):
    """A refused agent call: its HTTP status, title and machine-readable code."""

    status = 400
    title = "Bad request"
    code = "bad_request"

    def __init__(self, detail: str, **extra: Any) -> None:
        super().__init__(detail)
        self.detail = detail
        self.extra = extra


class BadAgentCall(AgentError):
    """The body of an agent call is not what the endpoint takes."""


class NoSuchBatch(AgentError):
    status = 404
    title = "No such batch"
    code = "no_such_batch"


class WrongClaimToken(AgentError):
    """The token is not one this batch ever handed out."""

    status = 403
    title = "Wrong claim token"
    code = "wrong_claim_token"


class ClaimExpired(AgentError):
    """The token was this batch's, but its claim is over: the lease ran out, it
    was released, or the batch was answered or its requests timed out."""

    status = 409
    title = "Claim expired"
    code = "claim_expired"


class InvalidMockData(AgentError):
    """Provided data breaks the response schema; ``errors`` lists every violation."""

    status = 422
    title = "Provided mock data is invalid"
    code = "invalid_mock_data"

    def __init__(self, errors: list[dict[str, str]]) -> None:
        count = len(errors)
        super().__init__(
            f"{count} violation{'s' if count != 1 else ''} in the provided mock data; "
            "the claim is kept: correct the data and provide it again",
            errors=errors,
        )
        self.errors = errors
