"""The protocol-neutral engine: from a :class:`Request` to a :class:`Reply`.

An adapter (HTTP, gRPC, ...) translates its wire format into a ``Request``
naming an operation, and the engine answers, in this order:

1. the user hook for the operation (a function in ``handlers.py``), if any;
2. further responders (user-written mocks slot in here), in order;
3. a spec example, honouring the caller's ``prefer`` hints;
4. fake data generated from the output's schema, stable per request identity.

Outputs are keyed by status: ``"200"``, ``"2XX"``, ``"default"`` for HTTP,
gRPC status names for gRPC. Rendered bodies are cached as encoded bytes in a
bounded LRU, so repeated requests do no generation or encoding.
"""

from __future__ import annotations

import importlib.util
import sys
import traceback
from collections import OrderedDict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from .exceptions import HandlersError, HookError, NotAcceptable, PreferenceError

__all__ = [
    "Content",
    "Encoder",
    "Engine",
    "MediaChooser",
    "Operation",
    "Output",
    "Reply",
    "Request",
    "Responder",
    "Stream",
    "load_hooks",
]

Hook = Callable[["Request"], "Reply | None"]
Encoder = Callable[[Any, "str | None", Any], bytes]
"""``encoder(data, media_type, schema) -> bytes``: how an adapter writes bodies."""
MediaChooser = Callable[["str | None", "tuple[str, ...]"], "str | None"]
"""``choose(accept, available) -> media type``, or None when nothing fits."""

HOOKS_MODULE = "mockc_handlers"
_SKIPPED_HEADERS = frozenset({"content-type", "content-length"})


@dataclass(frozen=True, slots=True)
class Content:
    """One representation of an output: media type, schema, named examples."""

    media_type: str
    schema: Any = None
    examples: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Output:
    """One declared outcome of an operation, keyed by its status."""

    status: str
    contents: tuple[Content, ...] = ()
    headers: tuple[tuple[str, Any], ...] = ()
    """Declared metadata: (name, schema) pairs."""

    @property
    def media_types(self) -> tuple[str, ...]:
        return tuple(content.media_type for content in self.contents)


@dataclass(frozen=True, slots=True)
class Operation:
    id: str
    outputs: tuple[Output, ...]
    query: tuple[tuple[str, Any], ...] = ()
    """The declared query parameters as (name, schema) pairs (HTTP; the crud
    preset pages and filters lists by them)."""
    path: tuple[str, ...] | None = None
    """The names of the declared path parameters (HTTP), in template order;
    None when not known (then neither are the query parameters)."""

    def output_for(self, status: str) -> Output | None:
        """The output answering ``status``: exact key, then ``4XX`` range, then default."""
        keys = [status]
        if len(status) == 3 and status.isdigit():
            keys += [f"{status[0]}XX", "default"]
        for key in keys:
            for output in self.outputs:
                if output.status.upper() == key.upper():
                    return output
        return None

    @property
    def default_output(self) -> Output | None:
        """The lowest 2xx, then 3xx, then ``default``, then the first declared."""
        ranked = sorted(
            (_status_rank(output.status), index, output)
            for index, output in enumerate(self.outputs)
            if _status_rank(output.status) < 400
        )
        if ranked:
            return ranked[0][2]
        for output in self.outputs:
            if output.status == "default":
                return output
        return self.outputs[0] if self.outputs else None


def _status_rank(status: str) -> float:
    if status.isdigit():
        return float(status) if 200 <= int(status) < 400 else 1000.0
    if len(status) == 3 and status[0] in "23" and status[1:].upper() == "XX":
        return int(status[0]) * 100 + 0.5
    return 1000.0


def answered_status(output_status: str, requested: str | None = None) -> str:
    """The concrete status an output answers with: ``2XX`` → 200, ``default`` → 200."""
    if requested is not None and requested.isdigit():
        return requested
    if len(output_status) == 3 and output_status[1:].upper() == "XX":
        return f"{output_status[0]}00"
    if output_status == "default":
        return "200"
    return output_status


@dataclass(frozen=True, slots=True)
class Stream:
    """How a streaming answer goes on, when a mock says (each adapter has defaults).

    Adapters of streaming operations ask the engine once per message sent,
    with :attr:`Request.stream_index` counting them; the reply of the first
    message carries this."""

    count: int | None = None
    """Messages in the answer (server streams), or per message received (bidi)."""
    interval_ms: float | None = None
    """Wait between two messages."""
    per: str = "message"
    """Bidi: answer each message received (``message``), or once, when the
    client has sent them all (``call``)."""


@dataclass(slots=True)
class Reply:
    """What the engine answers. ``content``, when set, is the body already encoded."""

    status: str | int = 200
    headers: dict[str, str] = field(default_factory=dict)
    body: Any = None
    media_type: str | None = None
    content: bytes | None = None
    delay_ms: float = 0.0
    """Wait this long before answering (latency injection)."""
    fault: str | None = None
    """A transport fault instead of a normal answer: ``empty``, ``reset`` or ``malformed``."""
    source: str = ""
    """What answered: ``mock:<id>``, ``hook``, ``example``, ``fake`` (journal, metrics)."""
    stream: Stream | None = None
    """How a streaming answer goes on (count, interval), when the answer says."""


@dataclass(slots=True)
class Request:
    """A decoded request. Parameters are plain data, already coerced to their types."""

    operation_id: str
    path: dict[str, Any] = field(default_factory=dict)
    query: dict[str, Any] = field(default_factory=dict)
    headers: dict[str, Any] = field(default_factory=dict)
    """All headers, lower-cased names; declared header parameters hold their typed value."""
    cookies: dict[str, Any] = field(default_factory=dict)
    body: Any = None
    raw_body: bytes = b""
    media_type: str | None = None
    prefer: dict[str, str] = field(default_factory=dict)
    """Hints like ``{"code": "404", "example": "cat", "dynamic": "true"}``."""
    accept: str | None = None
    """The media types the caller accepts (an HTTP ``Accept`` value), if it said."""
    method: str = ""
    """The protocol's verb (HTTP method; empty for protocols without one)."""
    target: str = ""
    """What the caller addressed: the URL path for HTTP, the full method for gRPC."""
    near_miss: list[dict[str, Any]] | None = None
    """Set when mocks exist for the operation but none matched: the closest ones."""
    stream_index: int | None = None
    """For a streaming answer, which message of it is asked for (0, 1, 2…);
    None when the answer is one message."""

    def reply(
        self,
        status: str | int = 200,
        body: Any = None,
        headers: Mapping[str, str] | None = None,
        media_type: str | None = None,
    ) -> Reply:
        """Build a reply; hooks return this to answer instead of the mock."""
        return Reply(status=status, headers=dict(headers or {}), body=body, media_type=media_type)


class Responder(Protocol):
    """Something that may answer a request before the spec fallback (e.g. mocks)."""

    def respond(self, operation: Operation, request: Request) -> Reply | None: ...


class _LruCache:
    """A bounded mapping that forgets the least recently used entry."""

    def __init__(self, size: int) -> None:
        self._size = size
        self._items: OrderedDict[tuple[str, ...], bytes] = OrderedDict()

    def get(self, key: tuple[str, ...]) -> bytes | None:
        value = self._items.get(key)
        if value is not None:
            self._items.move_to_end(key)
        return value

    def put(self, key: tuple[str, ...], value: bytes) -> None:
        self._items[key] = value
        if len(self._items) > self._size:
            self._items.popitem(last=False)

    def __len__(self) -> int:
        return len(self._items)


def _first_media_type(accept: str | None, available: tuple[str, ...]) -> str | None:
    return available[0] if available else None


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
        choose_media_type: MediaChooser = _first_media_type,
        cache_size: int = 4096,
    ) -> None:
        self.operations = {operation.id: operation for operation in operations}
        self._defs = defs
        self._seed = seed
        self._encoder = encoder
        self._hooks = dict(hooks or {})
        self._responders = tuple(responders)
        self._choose = choose_media_type
        self._bodies = _LruCache(cache_size)
        self._headers: dict[tuple[str, str], dict[str, str]] = {}
        self._defaults = {op.id: op.default_output for op in self.operations.values()}
        self._plans: dict[str, tuple[Output | None, str, dict[str, str]]] = {}
        self._fake: Any = None

    def handle(self, request: Request) -> Reply:
        """Answer ``request``; raises PreferenceError, NotAcceptable or HookError."""
        operation = self.operations[request.operation_id]
        hook = self._hooks.get(operation.id)
        if hook is not None:
            reply = self._call_hook(hook, operation, request)
            if reply is not None:
                return reply
        for responder in self._responders:
            reply = responder.respond(operation, request)
            if reply is not None:
                if request.accept is not None and reply.media_type is not None:
                    self._check_acceptable(request.accept, reply.media_type)
                return reply
        return self._from_spec(operation, request)

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
            output, status, headers = plan
            if output is None:
                return Reply(status="200")
            content = self._negotiate(output, request.accept)
            return self._render(operation, output, content, status, headers, None, request)
        code = prefer.get("code")
        if code:
            found = operation.output_for(code)
            if found is None:
                declared = [output.status for output in operation.outputs]
                raise PreferenceError(
                    f"operation {operation.id} declares no response {code}; "
                    f"declared: {', '.join(declared) or 'none'}",
                    available=declared,
                )
            candidates: tuple[Output, ...] = (found,)
        else:
            default = self._defaults[operation.id]
            if default is None:
                return Reply(status="200")
            candidates = (default,)
        example = prefer.get("example")
        if example and not code:
            candidates += tuple(out for out in operation.outputs if out is not candidates[0])
        output, content = self._pick(candidates, request.accept, example)
        if prefer.get("dynamic", "").lower() == "true":
            example = _DYNAMIC
        status = answered_status(output.status, code)
        headers = self._output_headers(operation, output)
        return self._render(operation, output, content, status, headers, example, request)

    def _plan(self, operation: Operation) -> tuple[Output | None, str, dict[str, str]]:
        """What a request without preferences gets: default output, status, headers."""
        output = self._defaults[operation.id]
        if output is None:
            return None, "200", {}
        return output, answered_status(output.status), self._output_headers(operation, output)

    def _render(
        self,
        operation: Operation,
        output: Output,
        content: Content | None,
        status: str,
        headers: dict[str, str],
        example: str | None,
        request: Request,
    ) -> Reply:
        """The reply for ``content``: the named example, else the first one, else fake data."""
        if content is None:
            return Reply(status=status, headers=headers)
        if example is None and content.examples:
            example = next(iter(content.examples))
        if example is not None and example is not _DYNAMIC:
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
                if status.startswith("2"):
                    value = echo_path_params(value, request.path)
                cached = self._encoder(value, content.media_type, content.schema)
                self._bodies.put(key, cached)
        source = "fake" if example is None or example is _DYNAMIC else "example"
        return Reply(
            status=status,
            headers=headers,
            media_type=content.media_type,
            content=cached,
            source=source,
        )

    def _pick(
        self, candidates: tuple[Output, ...], accept: str | None, example: str | None
    ) -> tuple[Output, Content | None]:
        """The output and content to render: the first candidate holding ``example``."""
        for output in candidates:
            content = self._negotiate(output, accept)
            if example is None or (content is not None and example in content.examples):
                return output, content
        names = sorted(
            {
                name
                for output in candidates
                for content in output.contents
                for name in content.examples
            }
        )
        raise PreferenceError(
            f"no example named {example!r}; available: {', '.join(names) or 'none'}",
            available=names,
        )

    def _negotiate(self, output: Output, accept: str | None) -> Content | None:
        if not output.contents:
            return None
        if len(output.contents) == 1 and accept is None:
            return output.contents[0]
        chosen = self._choose(accept, output.media_types)
        if chosen is None:
            raise NotAcceptable(output.media_types)
        for content in output.contents:
            if content.media_type == chosen:
                return content
        return output.contents[0]

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
            from .fake import FakeData

            self._fake = FakeData(self._defs, seed=self._seed)
        return self._fake

    # -- user hooks --------------------------------------------------------

    def _call_hook(self, hook: Hook, operation: Operation, request: Request) -> Reply | None:
        try:
            reply = hook(request)
        except Exception as exc:
            print(f"mockc: hook {operation.id}() raised:", file=sys.stderr)
            traceback.print_exc(file=sys.stderr)
            raise HookError(operation.id, exc) from exc
        if reply is None:
            return None
        if isinstance(reply, Reply) and not reply.source:
            reply.source = "hook"
        if not isinstance(reply, Reply):
            raise HookError(
                operation.id,
                f"returned {type(reply).__name__}, expected request.reply(...) or None",
            )
        if reply.content is None and reply.body is not None:
            media_type, schema = self._hook_content(operation, reply, request)
            reply.media_type = media_type
            if isinstance(reply.body, bytes):
                reply.content = reply.body
            else:
                reply.content = self._encoder(reply.body, media_type, schema)
        return reply

    def _hook_content(
        self, operation: Operation, reply: Reply, request: Request
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
                found = self._negotiate(output, request.accept)
            except NotAcceptable:
                found = output.contents[0]
            if found is not None:
                return found.media_type, found.schema
        if isinstance(reply.body, bytes):
            return "application/octet-stream", None
        return "application/json", None


_DYNAMIC = "\x00dynamic"
"""Sentinel example name: render fake data even when examples exist."""


def echo_path_params(value: Any, path_params: Mapping[str, Any]) -> Any:
    """A generated object names the resource it was asked for: ``GET /pets/7``
    answers ``{"id": 7, …}``. A field takes a path parameter's value when it
    has the parameter's name (``petId``), or is ``id`` and the parameter is the
    last one, names an id and is an integer; only when the generated value has
    the same type, so the answer stays valid."""
    if not isinstance(value, dict) or not path_params:
        return value
    names = list(path_params)
    last = names[-1]
    echoed = dict(value)
    for name in names:
        fields = [name]
        is_integer = isinstance(path_params[name], int) and not isinstance(path_params[name], bool)
        if name == last and name.lower().endswith("id") and is_integer:
            fields.append("id")
        for key in fields:
            if key in echoed and _same_json_type(echoed[key], path_params[name]):
                echoed[key] = path_params[name]
    return echoed


def _same_json_type(generated: Any, given: Any) -> bool:
    if isinstance(generated, bool) or isinstance(given, bool):
        return isinstance(generated, bool) and isinstance(given, bool)
    return type(generated) is type(given) and isinstance(given, int | str)


def header_text(value: Any) -> str:
    """A header value as text: booleans lower-case, lists comma-joined."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return ",".join(header_text(item) for item in value)
    if isinstance(value, dict):
        return ",".join(f"{key},{header_text(item)}" for key, item in value.items())
    if value is None:
        return ""
    return str(value)


def load_hooks(path: Path, operation_ids: Iterable[str]) -> dict[str, Hook]:
    """Load ``handlers.py`` by file path; the functions named like operations are hooks."""
    if not path.is_file():
        return {}
    spec = importlib.util.spec_from_file_location(HOOKS_MODULE, path)
    if spec is None or spec.loader is None:
        raise HandlersError(f"{path}: cannot be loaded as a Python module")
    module = importlib.util.module_from_spec(spec)
    sys.modules[HOOKS_MODULE] = module
    try:
        spec.loader.exec_module(module)
    except SyntaxError as exc:
        raise HandlersError(f"{path}:{exc.lineno}: syntax error: {exc.msg}") from exc
    except Exception as exc:
        raise HandlersError(f"{path}: failed to load: {type(exc).__name__}: {exc}") from exc
    hooks: dict[str, Hook] = {}
    for operation_id in operation_ids:
        function = getattr(module, operation_id, None)
        if callable(function):
            hooks[operation_id] = function
    return hooks
