"""The protocol-neutral engine: from a :class:`Request` to a :class:`Reply`.

An adapter (HTTP, gRPC, ...) translates its wire format into a ``Request``
naming an operation, and the engine answers, in this order:

1. the user hook for the operation (a function in ``handlers.py``), if any;
2. further responders (user-written mocks slot in here), in order;
3. a spec example, honouring the caller's ``prefer`` hints;
4. fake data generated from the output's schema, stable per request identity.

Which output answers, and whether fake data echoes path parameters, is the
operation's :class:`~.outputs.OutputPolicy` (the adapter's), never a rule of
this module.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from ..exceptions import NotAcceptable
from .hooks import call_hook
from .model import (
    Content,
    Encoder,
    Hook,
    MediaChooser,
    Operation,
    Output,
    Reply,
    Request,
    Responder,
)
from .rendering import DYNAMIC, BodyCache, echo_path_params, header_text
from .selection import candidates, first_media_type, hook_content, negotiate, pick

__all__ = ["Engine"]

_SKIPPED_HEADERS = frozenset({"content-type", "content-length"})
_Plan = tuple[Output | None, str, dict[str, str], bool]
"""What a request without preferences gets: output, status, headers, path echo."""


class Engine:
    """Answers requests for a fixed set of operations."""

    def __init__(
        self,
        operations: Iterable[Operation],
        defs: Mapping[str, Any],
        *,
        encoder: Encoder,
        seed: int = 0,
        hooks: Mapping[str, Hook] | None = None,
        responders: Sequence[Responder] = (),
        choose_media_type: MediaChooser = first_media_type,
        cache_size: int = 4096,
    ) -> None:
        self.operations = {operation.id: operation for operation in operations}
        self._defs = defs
        self._seed = seed
        self._encoder = encoder
        self._hooks = dict(hooks or {})
        self._responders = tuple(responders)
        self._choose = choose_media_type
        self._bodies = BodyCache(cache_size)
        self._headers: dict[tuple[str, str], dict[str, str]] = {}
        self._defaults = {op.id: op.default_output for op in self.operations.values()}
        self._plans: dict[str, _Plan] = {}
        self._fake: Any = None

    def handle(self, request: Request) -> Reply:
        """Answer ``request``; raises PreferenceError, NotAcceptable or HookError."""
        operation = self.operations[request.operation_id]
        hook = self._hooks.get(operation.id)
        if hook is not None:
            reply = call_hook(hook, operation, request)
            if reply is not None:
                self._encode_hook_body(operation, reply, request)
                return reply
        for responder in self._responders:
            reply = responder.respond(operation, request)
            if reply is not None:
                if request.accept is not None and reply.media_type is not None:
                    self._check_acceptable(request.accept, reply.media_type)
                return reply
        return self._from_spec(operation, request)

    def fixed_reply(self, operation_id: str) -> Reply | None:
        """A copy of the reply every request of ``operation_id`` gets when nothing
        about the request or the number of calls changes it (no hook; the first
        responder's fixed answer, such as a mock without templates, sequence or
        state); None when it may vary. The emit path asks once for many messages."""
        if operation_id in self._hooks or not self._responders:
            return None
        fixed = getattr(self._responders[0], "fixed_reply", None)
        if fixed is None:
            return None
        reply: Reply | None = fixed(operation_id)
        return reply

    def _check_acceptable(self, accept: str, media_type: str) -> None:
        """A mock's answer honours ``Accept`` like the spec's: 406 when refused."""
        if self._choose(accept, (media_type,)) is None:
            raise NotAcceptable((media_type,))

    # -- the spec fallback -------------------------------------------------

    def _from_spec(self, operation: Operation, request: Request) -> Reply:
        prefer = request.prefer
        if not prefer:
            plan = self._plans.get(operation.id)
            if plan is None:
                plan = self._plans[operation.id] = self._plan(operation)
            output, status, headers, echo = plan
            if output is None:
                return Reply(status=status)
            content = negotiate(output, request.accept, self._choose)
            return self._render(operation, output, content, status, headers, None, echo, request)
        code = prefer.get("code")
        example = prefer.get("example")
        chosen = candidates(operation, self._defaults[operation.id], code, example)
        if not chosen:
            return Reply(status=operation.policy.empty_status)
        output, content = pick(chosen, request.accept, example, self._choose)
        if prefer.get("dynamic", "").lower() == "true":
            example = DYNAMIC
        status = operation.answered_status(output.status, code)
        headers = self._output_headers(operation, output)
        echo = operation.policy.echoes_path(status)
        return self._render(operation, output, content, status, headers, example, echo, request)

    def _plan(self, operation: Operation) -> _Plan:
        output = self._defaults[operation.id]
        policy = operation.policy
        if output is None:
            return None, policy.empty_status, {}, False
        status = operation.answered_status(output.status)
        headers = self._output_headers(operation, output)
        return output, status, headers, policy.echoes_path(status)

    def _render(
        self,
        operation: Operation,
        output: Output,
        content: Content | None,
        status: str,
        headers: dict[str, str],
        example: str | None,
        echo: bool,
        request: Request,
    ) -> Reply:
        """The reply for ``content``: the named example, else the first one, else fake data."""
        if content is None:
            return Reply(status=status, headers=headers)
        if example is None and content.examples:
            example = next(iter(content.examples))
        if example is not None and example is not DYNAMIC:
            key: tuple[str, ...] = (operation.id, output.status, content.media_type, example)
            cached = self._bodies.get(key)
            if cached is None:
                value = content.examples[example]
                cached = self._encoder(value, content.media_type, content.schema)
                self._bodies.put(key, cached)
        else:
            identity = repr(sorted(request.path.items())) if request.path else "[]"
            if request.stream_index:  # each message of a stream is another fake
                identity += f"#{request.stream_index}"
            key = (operation.id, output.status, content.media_type, "", identity)
            cached = self._bodies.get(key)
            if cached is None:
                fake_key = f"{operation.id}/{status}/{content.media_type}/{identity}"
                value = self._fake_data().generate(content.schema or {}, key=fake_key)
                if echo:
                    value = echo_path_params(value, request.path)
                cached = self._encoder(value, content.media_type, content.schema)
                self._bodies.put(key, cached)
        source = "fake" if example is None or example is DYNAMIC else "example"
        return Reply(
            status=status,
            headers=headers,
            media_type=content.media_type,
            content=cached,
            source=source,
        )

    def _output_headers(self, operation: Operation, output: Output) -> dict[str, str]:
        key = (operation.id, output.status)
        headers = self._headers.get(key)
        if headers is None:
            fake = self._fake_data() if output.headers else None
            headers = {
                name: header_text(
                    fake.generate(schema or {}, key=f"{operation.id}/{output.status}/header/{name}")
                )
                for name, schema in output.headers
                if fake is not None and name.lower() not in _SKIPPED_HEADERS
            }
            self._headers[key] = headers
        return headers

    def _fake_data(self) -> Any:
        if self._fake is None:
            from ..fake import FakeData

            self._fake = FakeData(self._defs, seed=self._seed)
        return self._fake

    # -- user hooks --------------------------------------------------------

    def encode_reply(self, request: Request, reply: Reply) -> Reply:
        """``reply`` with its body encoded in the media type its status declares,
        as a hook's is (an agent's answer goes this way)."""
        self._encode_hook_body(self.operations[request.operation_id], reply, request)
        return reply

    def _encode_hook_body(self, operation: Operation, reply: Reply, request: Request) -> None:
        """A hook's body as bytes, in the media type its status declares."""
        if reply.content is None and reply.body is not None:
            media_type, schema = hook_content(operation, reply, request, self._choose)
            reply.media_type = media_type
            if isinstance(reply.body, bytes):
                reply.content = reply.body
            else:
                reply.content = self._encoder(reply.body, media_type, schema)
