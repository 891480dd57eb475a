"""Writing an engine :class:`Reply` as an HTTP answer: status, headers, body, faults."""

from __future__ import annotations

from ..engine import Reply
from ..web.asgi import Send
from ..web.faults import send_fault
from ..web.headers import encoded_headers, sendable_header
from ..web.problems import Problem
from ..web.responses import send_response
from .encoding import content_type_header, encode_body, response_media_type

__all__ = ["ReplyWriter", "is_final_status"]


class ReplyWriter:
    """Sends replies; remembers the ``content-type`` value of each media type."""

    __slots__ = ("_content_types",)

    def __init__(self) -> None:
        self._content_types: dict[str | None, bytes] = {}

    def content_type(self, media_type: str | None) -> bytes:
        """The ``content-type`` header value answering ``media_type`` (wildcards:
        JSON; text types get ``charset=utf-8``)."""
        found = self._content_types.get(media_type)
        if found is None:
            text = content_type_header(response_media_type(media_type))
            _, text = sendable_header("content-type", text) or ("", text)
            found = text.encode("utf-8", "replace")
            self._content_types[media_type] = found
        return found

    def answer(self, reply: Reply) -> tuple[int, bytes | None]:
        """The HTTP status and the body of ``reply``; a Problem (500) when its
        status is not an HTTP one."""
        status = reply.status
        if not (isinstance(status, int) and 200 <= status <= 599):
            status = _http_status(reply)
        content = reply.content
        if content is None and reply.body is not None:
            content = encode_body(reply.body, reply.media_type)
        return status, content

    async def send(
        self, send: Send, reply: Reply, status: int, content: bytes | None, head: bool
    ) -> None:
        """Answer ``reply`` with the ``status`` and ``content`` of :meth:`answer`;
        a fault misbehaves as asked (ResetConnection is raised after ``reset``)."""
        if reply.fault is not None:
            content_type = self.content_type(reply.media_type or "application/json")
            await send_fault(send, reply.fault, status, content_type, content)
            return
        headers = encoded_headers(reply.headers) if reply.headers else []
        await send_response(
            send, status, self.content_type(reply.media_type), content, headers, head=head
        )


def is_final_status(text: str) -> bool:
    """Whether ``text`` is a status a final response can have: 200-599."""
    return len(text) == 3 and text.isascii() and text.isdigit() and 200 <= int(text) <= 599


def _http_status(reply: Reply) -> int:
    """The reply's status as an HTTP status number; a Problem (500) naming what
    answered when it is not one (mock files are checked when they load: hooks)."""
    text = str(reply.status)
    if is_final_status(text):
        return int(text)
    culprit = reply.source or "the handler hook"
    raise Problem(
        500,
        f"{culprit} answered status {reply.status!r}, which is not a final HTTP status (200-599)",
        title="Handler hook failed" if culprit == "hook" else "Invalid reply status",
    )
