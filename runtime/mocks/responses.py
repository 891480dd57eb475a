"""A mock's response: compiled from the file, bound to its operation, rendered to a Reply.

Binding settles what does not change between requests: the status (default:
the operation's default output), the media type (the response's, else a static
``Content-Type`` header, else what the operation declares for the status, else
``application/json``, or ``text/plain`` for ``text``), and, when nothing in the
response is dynamic, the encoded body and the whole Reply, which each request
then copies.
"""

from __future__ import annotations

import copy
import random
from dataclasses import dataclass, field
from typing import Any

import orjson

from ..engine import Encoder, Operation, Reply
from ..expressions import (
    ExpressionError,
    Origin,
    Scope,
    Template,
    TextTemplate,
    compile_template,
    compile_text_template,
)
from ..web.headers import header_name_problem, header_value_problem
from .problems import MockProblem, expression_problem
from .source import DocPath, SourceDocument

__all__ = [
    "BoundResponse",
    "FaultSpec",
    "ResponseSpec",
    "compile_response",
    "copy_reply",
    "data_reply",
    "default_status",
    "media_for",
    "status_text",
]

_JSON = "application/json"


@dataclass(frozen=True, slots=True)
class FaultSpec:
    kind: str
    status: str | None
    rate: float


@dataclass(frozen=True, slots=True)
class ResponseSpec:
    """One response as the file gives it, templates compiled."""

    status: str | None
    headers: tuple[tuple[str, TextTemplate], ...]
    body: Template | None
    text: TextTemplate | None
    media_type: str | None
    delay: tuple[float, float] | None
    fault: FaultSpec | None
    weight: float
    source: SourceDocument = field(repr=False, compare=False)
    body_path: DocPath
    """Where in ``source`` the body (or text) is written."""

    @property
    def body_at(self) -> tuple[int, int]:
        """Where the body (or text) is written, else the response."""
        return self.source.value_at(self.body_path)

    @property
    def is_static(self) -> bool:
        return (
            all(template.is_static for _, template in self.headers)
            and (self.body is None or self.body.is_static)
            and (self.text is None or self.text.is_static)
        )


def status_text(value: Any) -> str:
    """A status as the engine keeps it: ``"200"``, ``"NOT_FOUND"``."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value)


def compile_response(
    document: SourceDocument, path: DocPath, file: str, problems: list[MockProblem]
) -> ResponseSpec | None:
    """The response at ``path`` of ``document`` (valid against the schema), or None
    when a problem was found (and added to ``problems``)."""
    data: Any = document.data
    for part in path:
        data = data[part]
    before = len(problems)

    def origin(sub: DocPath) -> Origin:
        return Origin(file, *document.text_at((*path, *sub)))

    def text_origin(sub: DocPath, text: str) -> Origin:
        # Text without an expression never reports an error, so its position
        # is not looked up (that reads the positions of the whole file).
        return origin(sub) if _may_hold_expressions(text) else Origin(file, 1, 1)

    headers: list[tuple[str, TextTemplate]] = []
    for name, value in (data.get("headers") or {}).items():
        text = _header_text(value)
        at = (*path, "headers", name)
        unfit_name = header_name_problem(name)
        if unfit_name is not None:
            problems.append(MockProblem(file, *document.key_at(at), unfit_name))
        unfit_value = header_value_problem(name, text)
        if unfit_value is not None:
            problems.append(MockProblem(file, *document.text_at(at), unfit_value))
        if unfit_name or unfit_value:
            continue
        try:
            template = compile_text_template(text, text_origin(("headers", name), text))
            headers.append((name, template))
        except ExpressionError as error:
            problems.append(expression_problem(error, document))
    body = text_template = None
    try:
        if data.get("body") is not None and _written_without_templates(document):
            body = Template(True, _copied(data["body"]))
        elif data.get("body") is not None:
            body = compile_template(data["body"], lambda sub: origin(("body", *sub)))
        if "text" in data:
            text = data["text"]
            text_template = compile_text_template(text, text_origin(("text",), text))
    except ExpressionError as error:
        problems.append(expression_problem(error, document))
    if isinstance(data.get("media_type"), str):
        unfit_media = header_value_problem("Content-Type", data["media_type"])
        if unfit_media is not None:
            at = document.text_at((*path, "media_type"))
            problems.append(MockProblem(file, *at, unfit_media))
    delay = _delay(data.get("delay"), document, path, file, problems)
    fault = _fault(data.get("fault"), document, path, file, problems)
    if len(problems) > before:
        return None
    status = data.get("status")
    return ResponseSpec(
        status=None if status is None else status_text(status),
        headers=tuple(headers),
        body=body,
        text=text_template,
        media_type=data.get("media_type"),
        delay=delay,
        fault=fault,
        weight=float(data.get("weight", 1)),
        source=document,
        body_path=(*path, "text" if "text" in data else "body"),
    )


def _written_without_templates(document: SourceDocument) -> bool:
    """Whether no string of ``document`` can hold a template, so that a body is
    static without compiling it string by string: a JSON file with no ``{{``,
    no ``$.`` and no ``\\u`` escape (which could spell either) in its text."""
    text = document.json_text
    return text is not None and "{{" not in text and "$." not in text and "\\u" not in text


def _copied(value: Any) -> Any:
    """A deep copy of the JSON ``value`` (as compiling a static template makes one)."""
    try:
        return orjson.loads(orjson.dumps(value))
    except (TypeError, orjson.JSONEncodeError):  # integers past 64 bits
        return copy.deepcopy(value)


def _may_hold_expressions(text: str) -> bool:
    """Whether ``text`` may hold an expression: ``{{ … }}`` or a whole ``$.`` alias."""
    return not isinstance(text, str) or "{{" in text or "$." in text


def _header_text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _delay(
    value: Any, document: SourceDocument, path: DocPath, file: str, problems: list[MockProblem]
) -> tuple[float, float] | None:
    if value is None:
        return None
    if isinstance(value, dict):
        low, high = float(value["min"]), float(value["max"])
        if low > high:
            line, column = document.value_at((*path, "delay"))
            problems.append(
                MockProblem(file, line, column, f"delay: min ({value['min']}) exceeds max")
            )
        return low, high
    return float(value), float(value)


def _fault(
    value: Any, document: SourceDocument, path: DocPath, file: str, problems: list[MockProblem]
) -> FaultSpec | None:
    if value is None:
        return None
    kind = value["kind"]
    status = value.get("status")
    if status is not None and kind != "error":
        line, column = document.key_at((*path, "fault", "status"))
        problems.append(
            MockProblem(file, line, column, f"fault: status applies to kind error, not {kind}")
        )
    return FaultSpec(
        kind, None if status is None else status_text(status), float(value.get("rate", 1))
    )


def default_status(operation: Operation) -> str:
    """The status a response without one answers: the operation's default output's."""
    output = operation.default_output
    if output is None:
        return operation.policy.empty_status
    return operation.answered_status(output.status)


def media_for(operation: Operation, status: str, *, text: bool = False) -> tuple[str, Any]:
    """(media type, schema) the operation declares for ``status``, or the default."""
    output = operation.output_for(status)
    if output is not None and output.contents:
        content = output.contents[0]
        if "*" not in content.media_type:
            return content.media_type, content.schema
    return ("text/plain" if text else _JSON), None


def copy_reply(reply: Reply) -> Reply:
    """A copy of a prebuilt reply that its receiver may change freely."""
    headers = reply.headers
    return Reply(
        reply.status,
        headers.copy() if headers else {},
        None,
        reply.media_type,
        reply.content,
        reply.delay_ms,
        None,
        reply.source,
        reply.stream,
        reply.triggers,
    )


def data_reply(
    status: str, data: Any, source: str, encoder: Encoder, media_type: str = _JSON
) -> Reply:
    """A reply with a small JSON document (errors, crud answers)."""
    return Reply(status, {}, None, media_type, encoder(data, media_type, None), 0.0, None, source)


class BoundResponse:
    """A response bound to its operation and encoder; ``render`` answers one request."""

    __slots__ = (
        "body",
        "delay",
        "error_reply",
        "fault",
        "headers",
        "media_type",
        "prebuilt",
        "schema",
        "source",
        "spec",
        "static_content",
        "status",
        "text",
        "encode",
    )

    def __init__(self, spec: ResponseSpec, operation: Operation, encoder: Encoder, source: str):
        self.spec = spec
        self.source = source
        self.encode = encoder
        self.status = spec.status or default_status(operation)
        headers = {name: template for name, template in spec.headers}
        media_type = spec.media_type
        for name in list(headers):
            if name.lower() == "content-type" and headers[name].static_value is not None:
                media_type = media_type or headers[name].static_value
                del headers[name]
        self.headers = headers
        self.body = spec.body
        self.text = spec.text
        declared, schema = media_for(operation, self.status, text=spec.text is not None)
        self.media_type = media_type or declared
        self.schema = schema
        self.delay = spec.delay
        self.fault = spec.fault
        self.static_content: bytes | None = None
        if spec.body is not None and spec.body.is_static:
            self.static_content = encoder(spec.body.static_value, self.media_type, schema)
        elif spec.text is not None and spec.text.static_value is not None:
            self.static_content = spec.text.static_value.encode("utf-8")
        self.prebuilt: Reply | None = None
        fixed = spec.delay is None or spec.delay[0] == spec.delay[1]
        if spec.is_static and spec.fault is None and fixed:
            self.prebuilt = self._reply(
                self._static_headers(), self.static_content, self._fixed_delay()
            )
        self.error_reply: Reply | None = None
        if spec.fault is not None and spec.fault.kind == "error":
            status = spec.fault.status or "500"
            detail = f"{source} answered with an injected {status} error"
            number: Any = int(status) if status.isdigit() else status
            body = {"title": "Injected fault", "status": number, "detail": detail}
            self.error_reply = data_reply(status, body, source, encoder)

    @property
    def needs_scope(self) -> bool:
        return not self.spec.is_static

    def _static_headers(self) -> dict[str, str]:
        return {name: template.static_value or "" for name, template in self.headers.items()}

    def _fixed_delay(self) -> float:
        return self.delay[0] if self.delay is not None else 0.0

    def _reply(self, headers: dict[str, str], content: bytes | None, delay: float) -> Reply:
        media_type = self.media_type if content is not None else None
        return Reply(self.status, headers, None, media_type, content, delay, None, self.source)

    def render(self, scope: Scope | None, rng: random.Random) -> Reply:
        """The reply for one request; RenderLimitError when a template grows too large."""
        prebuilt = self.prebuilt
        if prebuilt is not None:
            return copy_reply(prebuilt)
        delay = self.delay
        delay_ms = 0.0 if delay is None else delay[0]
        if delay is not None and delay[0] != delay[1]:
            delay_ms = round(rng.uniform(delay[0], delay[1]), 3)
        fault = self.fault
        if fault is not None and (fault.rate >= 1.0 or rng.random() < fault.rate):
            if self.error_reply is not None:
                error = self.error_reply
                return Reply(
                    error.status,
                    {},
                    None,
                    error.media_type,
                    error.content,
                    delay_ms,
                    None,
                    self.source,
                )
            reply = self._render(scope)
            reply.delay_ms = delay_ms
            reply.fault = fault.kind
            return reply
        reply = self._render(scope)
        reply.delay_ms = delay_ms
        return reply

    def _render(self, scope: Scope | None) -> Reply:
        if scope is None or self.spec.is_static:
            return self._reply(self._static_headers(), self.static_content, 0.0)
        headers = {name: template.render(scope) for name, template in self.headers.items()}
        content = self.static_content
        if content is None:
            if self.body is not None:
                content = self._encode(self.body.render(scope))
            elif self.text is not None:
                content = self.text.render(scope).encode("utf-8")
        return self._reply(headers, content, 0.0)

    def _encode(self, data: Any) -> bytes:
        return self.encode(data, self.media_type, self.schema)
