"""Error answers as RFC 9457 problem documents (``application/problem+json``).

Raise :class:`Problem` anywhere in an HTTP-family app; the app catches it and
answers it with :func:`send_problem`.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from http import HTTPStatus
from typing import Any

from ..exceptions import RuntimeFailure
from .asgi import Send
from .responses import send_response

__all__ = ["PROBLEM_CONTENT_TYPE", "PROBLEM_MEDIA_TYPE", "Problem", "send_problem"]

PROBLEM_MEDIA_TYPE = "application/problem+json"
PROBLEM_CONTENT_TYPE = PROBLEM_MEDIA_TYPE.encode()


class Problem(RuntimeFailure):
    """An HTTP error answer; raise it anywhere in an app to reply with it."""

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

    def raw_headers(self) -> list[tuple[bytes, bytes]]:
        """The problem's own headers (``allow``, ``www-authenticate``…) as ASGI sends them."""
        return [(name.encode("latin-1"), value.encode()) for name, value in self.headers]


async def send_problem(send: Send, problem: Problem, *, head: bool = False) -> None:
    """Answer ``problem``: its status, its headers and its document."""
    await send_response(
        send, problem.status, PROBLEM_CONTENT_TYPE, problem.body(), problem.raw_headers(), head=head
    )
