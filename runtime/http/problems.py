"""Error responses as RFC 7807 ``application/problem+json`` documents."""

from __future__ import annotations

import json
from collections.abc import Sequence
from http import HTTPStatus
from typing import Any

from ..exceptions import RuntimeFailure

__all__ = ["PROBLEM_MEDIA_TYPE", "Problem"]

PROBLEM_MEDIA_TYPE = "application/problem+json"


class Problem(RuntimeFailure):
    """An HTTP error answer; raise it anywhere in the adapter to reply with it."""

    def __init__(
        self,
        status: int,
        detail: str,
        *,
        title: str | None = None,
        headers: Sequence[tuple[str, str]] = (),
        **extra: Any,
    ) -> None:
        super().__init__(detail)
        self.status = status
        self.title = title or HTTPStatus(status).phrase
        self.detail = detail
        self.headers = tuple(headers)
        self.extra = extra

    def document(self) -> dict[str, Any]:
        return {
            "type": "about:blank",
            "title": self.title,
            "status": self.status,
            "detail": self.detail,
            **self.extra,
        }

    def body(self) -> bytes:
        return json.dumps(self.document(), separators=(",", ":"), ensure_ascii=False).encode()

    @classmethod
    def invalid(cls, status: int, errors: list[dict[str, str]]) -> Problem:
        """The request broke its contract; ``errors`` lists every violation."""
        where = "parameters" if status == 400 else "body"
        count = len(errors)
        detail = f"{count} violation{'s' if count != 1 else ''} in the request {where}"
        return cls(status, detail, title="Request validation failed", errors=errors)
