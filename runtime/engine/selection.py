"""Choosing what answers: the output, its content (media type) and example.

What an output key means is the operation's :class:`~.outputs.OutputPolicy`;
this module only negotiates among what the policy selects.
"""

from __future__ import annotations

from typing import Any

from ..exceptions import NotAcceptable, PreferenceError
from .model import Content, MediaChooser, Operation, Output, Reply, Request

__all__ = ["candidates", "first_media_type", "hook_content", "negotiate", "pick"]


def first_media_type(accept: str | None, available: tuple[str, ...]) -> str | None:
    return available[0] if available else None


def negotiate(output: Output, accept: str | None, choose: MediaChooser) -> Content | None:
    """The content of ``output`` the caller accepts; NotAcceptable when none."""
    if not output.contents:
        return None
    if len(output.contents) == 1 and accept is None:
        return output.contents[0]
    chosen = choose(accept, output.media_types)
    if chosen is None:
        raise NotAcceptable(output.media_types)
    for content in output.contents:
        if content.media_type == chosen:
            return content
    return output.contents[0]


def candidates(
    operation: Operation, default: Output | None, code: str | None, example: str | None
) -> tuple[Output, ...]:
    """The outputs a request with preferences may get, in order: the one its
    ``code`` names, else the default, then (for a named example) every other."""
    if code:
        found = operation.output_for(code)
        if found is None:
            declared = [output.status for output in operation.outputs]
            raise PreferenceError(
                f"operation {operation.id} declares no response {code}; "
                f"declared: {', '.join(declared) or 'none'}",
                available=declared,
            )
        return (found,)
    if default is None:
        return ()
    chosen: tuple[Output, ...] = (default,)
    if example:
        chosen += tuple(output for output in operation.outputs if output is not default)
    return chosen


def pick(
    candidates: tuple[Output, ...], accept: str | None, example: str | None, choose: MediaChooser
) -> tuple[Output, Content | None]:
    """The output and content to render: the first candidate holding ``example``."""
    for output in candidates:
        content = negotiate(output, accept, choose)
        if example is None or (content is not None and example in content.examples):
            return output, content
    names = sorted(
        {name for output in candidates for content in output.contents for name in content.examples}
    )
    raise PreferenceError(
        f"no example named {example!r}; available: {', '.join(names) or 'none'}",
        available=names,
    )


def hook_content(
    operation: Operation, reply: Reply, request: Request, choose: MediaChooser
) -> tuple[str, Any]:
    """The media type and schema a hook's body is encoded with: the reply's
    media type, else the one the operation declares for the status (or
    ``Accept`` chooses), with the declared schema (an encoder may need it:
    gRPC encodes by the schema's message type)."""
    output = operation.output_for(str(reply.status))
    if reply.media_type:
        for content in output.contents if output is not None else ():
            if content.media_type == reply.media_type:
                return reply.media_type, content.schema
        return reply.media_type, None
    if output is not None and output.contents:
        try:
            found = negotiate(output, request.accept, choose)
        except NotAcceptable:
            found = output.contents[0]
        if found is not None:
            return found.media_type, found.schema
    if isinstance(reply.body, bytes):
        return "application/octet-stream", None
    return "application/json", None
