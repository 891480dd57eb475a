"""The engine's values: operations and their outputs, requests and replies.

Everything here is protocol-neutral. An output is keyed by whatever its
protocol keys outcomes by (an HTTP status, a gRPC status name, an event
type); what a key means — which outputs count as success, in what order, how
an injected fault looks — is the :class:`~.outputs.OutputPolicy` the adapter
gives its operations.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from .outputs import OutputPolicy

__all__ = [
    "AgentRoute",
    "Content",
    "Encoder",
    "Hook",
    "MediaChooser",
    "Operation",
    "Output",
    "Reply",
    "Request",
    "Responder",
    "Schedule",
    "Stream",
    "Trigger",
]

Hook = Callable[["Request"], "Reply | None"]
Encoder = Callable[[Any, "str | None", Any], bytes]
"""``encoder(data, media_type, schema) -> bytes``: how an adapter writes bodies."""
MediaChooser = Callable[["str | None", "tuple[str, ...]"], "str | None"]
"""``choose(accept, available) -> media type``, or None when nothing fits."""


@dataclass(frozen=True, slots=True)
class Content:
    """One representation of an output: media type, schema, named examples."""

    media_type: str
    schema: Any = None
    examples: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Output:
    """One declared outcome of an operation, keyed by its status (the output key)."""

    status: str
    contents: tuple[Content, ...] = ()
    headers: tuple[tuple[str, Any], ...] = ()
    """Declared metadata: (name, schema) pairs."""

    @property
    def media_types(self) -> tuple[str, ...]:
        return tuple(content.media_type for content in self.contents)


def _keyed() -> OutputPolicy:
    from .outputs import KEYED_OUTPUTS

    return KEYED_OUTPUTS


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
    policy: OutputPolicy = field(default_factory=_keyed, compare=False, repr=False)
    """What the output keys mean on the operation's protocol (the adapter's)."""

    def output_for(self, status: str) -> Output | None:
        """The output answering ``status``, as the protocol matches keys."""
        return self.policy.output_for(self, status)

    @property
    def default_output(self) -> Output | None:
        """The output answering when nothing asks for another (the protocol's first success)."""
        return self.policy.default_output(self)

    def answered_status(self, output_status: str, requested: str | None = None) -> str:
        """The concrete status an output of this operation answers with."""
        return self.policy.answered(output_status, requested)


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


@dataclass(frozen=True, slots=True)
class Schedule:
    """When a mock's operation sends messages on its own (the emit path).

    The first message goes ``after_ms`` after the server starts; the next ones
    after each of ``delays_ms`` in turn, else every ``every_ms``; ``burst``
    messages at a time. ``count`` caps the sends; by default a schedule sends
    once, once per delay listed (plus the first), or without end at an interval."""

    after_ms: float = 0.0
    every_ms: float | None = None
    delays_ms: tuple[float, ...] = ()
    count: int | None = None
    burst: int = 1

    @property
    def sends(self) -> int | None:
        """How many times it sends (each a burst); None: until the server stops."""
        if self.count is not None:
            return self.count
        if self.delays_ms:
            return len(self.delays_ms) + 1
        return None if self.every_ms is not None else 1

    def wait_before(self, send: int) -> float | None:
        """Milliseconds to wait before send number ``send`` (0 is the first);
        None when the schedule has ended."""
        sends = self.sends
        if sends is not None and send >= sends:
            return None
        if send == 0:
            return self.after_ms
        if self.delays_ms:
            return self.delays_ms[min(send - 1, len(self.delays_ms) - 1)]
        return self.every_ms if self.every_ms is not None else 0.0


@dataclass(frozen=True, slots=True)
class Trigger:
    """A message another operation sends when a mock answers (a reaction)."""

    operation: str
    after_ms: float = 0.0
    body: Any = None
    """The message's payload as given; None: the engine answers the operation
    (its mocks see the triggering request's path, query, headers and body)."""
    has_body: bool = False
    params: tuple[tuple[str, str], ...] = ()
    """Path parameters: the message goes only to the streams opened with them
    (empty: to every stream of the operation)."""


@dataclass(frozen=True, slots=True)
class AgentRoute:
    """Why a request is handed to an agent (``runtime/agent``): the
    ``source: agent`` mock that matched it, or none when no mock matched."""

    mock: str | None = None
    """The key of the ``source: agent`` mock; None: no mock matched."""
    priority: int = 0
    """That mock's priority (a mock saved from the agent's answer goes before it)."""
    scenario: str | None = None
    """That mock's scenario (a saved answer goes there too), if it is in one."""


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
    """What answered: ``mock:<id>``, ``hook``, ``example``, ``fake``, ``emit``
    (journal, metrics)."""
    stream: Stream | None = None
    """How a streaming answer goes on (count, interval), when the answer says."""
    triggers: tuple[Trigger, ...] = ()
    """Messages to emit on other operations once this reply is sent (``then``)."""


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
    steps: list[Any] = field(default_factory=list)
    """For an answer given in steps, what each earlier step gave (``request.steps[0]``):
    the client's answer to a step that asked it something (MCP sampling or
    elicitation), else the step's body."""
    agent: AgentRoute | None = None
    """Set when an agent is to answer (MOCKC_AGENT, ``source: agent`` mocks); the
    engine's reply is then the fallback, should the agent not answer in time."""

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
