"""The contract file (``contract.json``) every generated server is built from.

One format for every protocol. A target writes it at generation time from the
IR; the runtime reads it at start-up. It is plain JSON written in a fixed
order (spec order where order means something: examples, media types,
outputs), so regeneration is byte-stable. The shapes below are the whole
format; ``format`` is bumped on any change that an older runtime could not
read (format 1 had HTTP-shaped operations: ``method``, ``path``,
``parameters``, ``body``, ``responses``).

An operation is protocol-neutral — an ``id``, a ``shape``, an ``input``
message and its ``outputs`` keyed as its protocol keys outcomes — plus one
typed ``binding`` saying what only its protocol has (``kind`` names which):
HTTP method, path and parameters; gRPC full method and message types;
GraphQL root, field and return type (or the object type a type mock answers);
MCP primitive, name and the primitive's own fields.

Schemas are JSON Schema 2020-12. Named schemas live in ``defs`` and are
referenced as ``{"$ref": "#/$defs/<Name>"}`` from any schema in the file.
"""

from __future__ import annotations

import importlib
import json
from pathlib import Path
from typing import Any, Literal, NotRequired, TypedDict, cast

from .engine import KEYED_OUTPUTS, Content, Operation, Output, OutputPolicy
from .exceptions import RuntimeFailure

__all__ = [
    "CONTRACT_FILE",
    "CONTRACT_FORMAT",
    "ApiInfo",
    "Binding",
    "BodyContent",
    "ChannelBinding",
    "Contract",
    "ContractError",
    "GraphqlBinding",
    "GraphqlServer",
    "GrpcBinding",
    "HeaderSpec",
    "HttpBinding",
    "McpBinding",
    "McpServerInfo",
    "MessageSpec",
    "OperationSpec",
    "OutputSpec",
    "ParameterSpec",
    "ResponseContent",
    "engine_operations",
    "graphql_binding",
    "grpc_binding",
    "http_binding",
    "load_contract",
    "mcp_binding",
    "offer_contract",
    "output_policy",
]

CONTRACT_FILE = "contract.json"
CONTRACT_FORMAT = 2


class ApiInfo(TypedDict):
    name: str
    title: str
    version: str


class ParameterSpec(TypedDict):
    name: str
    location: str
    """``path``, ``query``, ``header`` or ``cookie``."""
    required: bool
    schema: Any
    """JSON Schema of the value after deserialisation; ``{}`` when unconstrained."""
    style: str
    """``simple``, ``label``, ``matrix``, ``form``, ``spaceDelimited``,
    ``pipeDelimited`` or ``deepObject`` (always set: the location's default
    is filled in by the target)."""
    explode: bool
    """Always set (the style's default is filled in by the target)."""
    media_type: NotRequired[str]
    """Present when the value is an encoded document (OpenAPI ``content``)."""


class BodyContent(TypedDict):
    schema: Any
    encoding: NotRequired[dict[str, Any]]


class MessageSpec(TypedDict):
    """What the caller sends (an HTTP body, a gRPC request message)."""

    required: bool
    contents: dict[str, BodyContent]
    """Media type (may hold wildcards like ``*/*`` or ``image/*``) to its schema."""


class HeaderSpec(TypedDict):
    name: str
    required: bool
    schema: Any


class ResponseContent(TypedDict):
    schema: Any
    """JSON Schema of the body, or None when the spec gives none."""
    examples: dict[str, Any]
    """Example name to value, in spec order; ``{}`` when there are none."""


class OutputSpec(TypedDict):
    key: str
    """What selects it, as the protocol keys outcomes: ``"200"``, ``"2XX"``,
    ``"default"`` (HTTP); ``"OK"``, ``"NOT_FOUND"`` (gRPC)."""
    description: str
    headers: list[HeaderSpec]
    """Declared metadata (HTTP headers, gRPC trailing metadata)."""
    contents: dict[str, ResponseContent]
    """Media type to content, in spec order; ``{}`` for an output with no body."""


class HttpBinding(TypedDict):
    kind: Literal["http"]
    method: str
    """Upper-case HTTP method."""
    path: str
    """Path template with ``{name}`` placeholders."""
    parameters: list[ParameterSpec]


class GrpcBinding(TypedDict):
    kind: Literal["grpc"]
    full_method: str
    """``/package.Service/Method``: gRPC's HTTP/2 path."""
    service: str
    """Fully qualified service name."""
    method: str
    input_type: str
    """Fully qualified proto message names (``protos/descriptors.binpb`` has them)."""
    output_type: str


class GraphqlBinding(TypedDict):
    kind: Literal["graphql"]
    root: NotRequired[str]
    """``query``, ``mutation`` or ``subscription`` (a root field)."""
    field: NotRequired[str]
    return_type: NotRequired[str]
    """The root field's type as written in SDL (``[User!]!``)."""
    object_type: NotRequired[str]
    """The object type a type mock answers (instead of root and field)."""


class ChannelBinding(TypedDict):
    """A message channel (SSE, WebSocket, Kafka…): the IR's ``ChannelBinding``."""

    kind: Literal["channel"]
    protocol: str
    """``sse``, ``websocket``, ``kafka``…"""
    channel: str
    """The channel's address (may hold ``{params}``)."""
    path: str
    """Where an HTTP-family server serves it ("" when ``channel`` is the path)."""
    action: str
    """``send`` (the mock emits) or ``receive`` (the mock consumes)."""
    parameters: list[ParameterSpec]
    options: dict[str, Any] | None
    """The protocol's own facts (``SseOptions`` as a mapping for SSE)."""


class McpBinding(TypedDict):
    kind: Literal["mcp"]
    primitive: str
    """``tool``, ``resource`` (a fixed URI or a URI template) or ``prompt``."""
    name: str
    title: str
    description: str
    annotations: NotRequired[dict[str, Any]]
    """Tools: MCP's hints (``readOnlyHint``…), as MCP spells them."""
    uri_template: NotRequired[str]
    """Resources: the URI, or a template of it with ``{variable}`` parts."""
    variables: NotRequired[list[str]]
    """Resources: the template's variables (empty for a fixed URI)."""
    mime_type: NotRequired[str]
    arguments: NotRequired[list[dict[str, Any]]]
    """Prompts: each argument's ``name``, ``title``, ``description``, ``required``."""
    completions: NotRequired[dict[str, list[str]]]
    """Prompts and resource templates: the values completion/complete offers,
    per argument or variable."""
    listed: NotRequired[dict[str, Any]]
    """MCP fields listed as the config gives them (a tool's ``execution``,
    ``icons``, ``_meta``; a resource's ``annotations``, ``size``…)."""
    http: NotRequired[dict[str, Any]]
    """Tools made from an HTTP operation: ``method``, ``path``, ``arguments``
    (each ``{"argument", "in", "name"}``: the HTTP parameter an argument is)
    and ``body`` (the argument holding the request body, "" for none)."""


Binding = HttpBinding | GrpcBinding | GraphqlBinding | ChannelBinding | McpBinding


class OperationSpec(TypedDict):
    id: str
    """Stable operation id, a valid Python identifier (names the handler hook)."""
    shape: str
    """``unary``, ``server_stream``, ``client_stream``, ``bidi``, ``publish``, ``subscribe``."""
    input: MessageSpec | None
    outputs: list[OutputSpec]
    """In spec order."""
    binding: Binding


class GraphqlServer(TypedDict):
    """What a GraphQL server reads besides its operations."""

    schema: str
    """The SDL file beside the contract (``schema.graphql``)."""
    scalars: dict[str, Any]
    """The JSON Schema each custom scalar's fake values follow."""


class McpServerInfo(TypedDict):
    """What an MCP server says of itself at initialisation."""

    server: dict[str, str]
    """``name``, ``title``, ``version``, ``instructions``."""


class ChannelServer(TypedDict):
    """What a channel server's own block holds: the schedules a channel config
    declares (operation id → the mocks' ``emit`` schedule shape)."""

    schedules: dict[str, dict[str, Any]]


class Contract(TypedDict):
    format: int
    generated_by: str
    protocol: str
    """The adapter serving it: ``http``, ``grpc``, ``graphql``."""
    api: ApiInfo
    defs: dict[str, Any]
    operations: list[OperationSpec]
    graphql: NotRequired[GraphqlServer]
    mcp: NotRequired[McpServerInfo]
    sse: NotRequired[ChannelServer]
    websocket: NotRequired[ChannelServer]
    broker: NotRequired[dict[str, Any]]
    """Broker mock services: the broker's ``url`` from the contract's servers and
    the ``schedules`` a channel config declares."""


class ContractError(RuntimeFailure):
    """The contract file is missing, unreadable or of an unknown format."""


_offered: dict[Path, Contract] = {}


def offer_contract(directory: Path, contract: Contract) -> None:
    """Have :func:`load_contract` take ``contract`` for ``directory`` once, as it
    is, instead of reading its file: the data the file was written from, which
    a server started in the process that generated it (``mockc serve SPEC``)
    need not parse again (12 MB of JSON for GitHub's spec)."""
    _offered[directory.resolve()] = contract


def load_contract(directory: Path) -> Contract:
    offered = _offered.pop(directory.resolve(), None) if _offered else None
    if offered is not None:
        return offered
    path = directory / CONTRACT_FILE
    try:
        data: Any = json.loads(path.read_bytes())
    except FileNotFoundError as exc:
        raise ContractError(f"{path}: no contract file; regenerate the server") from exc
    except (OSError, ValueError) as exc:
        raise ContractError(f"{path}: cannot read the contract: {exc}") from exc
    if not isinstance(data, dict) or data.get("format") != CONTRACT_FORMAT:
        found = data.get("format") if isinstance(data, dict) else None
        raise ContractError(
            f"{path}: contract format {found!r} is not {CONTRACT_FORMAT}; "
            "regenerate the server with this version of mockc"
        )
    return cast(Contract, data)


def http_binding(spec: OperationSpec) -> HttpBinding:
    """The operation's HTTP binding; ContractError when it has another."""
    binding = spec["binding"]
    if binding["kind"] != "http":
        raise _wrong_binding(spec, "http")
    return binding


def grpc_binding(spec: OperationSpec) -> GrpcBinding:
    """The operation's gRPC binding; ContractError when it has another."""
    binding = spec["binding"]
    if binding["kind"] != "grpc":
        raise _wrong_binding(spec, "grpc")
    return binding


def graphql_binding(spec: OperationSpec) -> GraphqlBinding:
    """The operation's GraphQL binding; ContractError when it has another."""
    binding = spec["binding"]
    if binding["kind"] != "graphql":
        raise _wrong_binding(spec, "graphql")
    return binding


def mcp_binding(spec: OperationSpec) -> McpBinding:
    """The operation's MCP binding; ContractError when it has another."""
    binding = spec["binding"]
    if binding["kind"] != "mcp":
        raise _wrong_binding(spec, "mcp")
    return binding


def _wrong_binding(spec: OperationSpec, expected: str) -> ContractError:
    return ContractError(
        f"operation {spec['id']!r} has a {spec['binding']['kind']!r} binding, not "
        f"{expected!r}; this server serves {expected} operations only"
    )


def output_policy(contract: Contract) -> OutputPolicy:
    """The output policy of the adapter serving the contract's protocol (its
    ``runtime/<protocol>/outputs.py`` declares ``OUTPUTS``); the neutral one when
    this runtime has no such adapter. Adapters pass theirs directly; this is for
    tools that read a contract without serving it (``mockc validate``)."""
    protocol = contract.get("protocol", "")
    if not protocol.isidentifier():
        return KEYED_OUTPUTS
    package = __package__ or "mockc.runtime"
    try:
        module = importlib.import_module(f"{package}.{protocol}.outputs")
    except ImportError:
        return KEYED_OUTPUTS
    policy: OutputPolicy = getattr(module, "OUTPUTS", KEYED_OUTPUTS)
    return policy


def engine_operations(contract: Contract, outputs: OutputPolicy = KEYED_OUTPUTS) -> list[Operation]:
    """The contract's operations in the engine's protocol-neutral shape, their
    output keys read by ``outputs`` (the serving adapter's policy)."""
    return [_operation(spec, outputs) for spec in contract["operations"]]


def _operation(spec: OperationSpec, policy: OutputPolicy) -> Operation:
    binding = spec["binding"]
    parameters = binding["parameters"] if binding["kind"] in ("http", "channel") else None
    return Operation(
        id=spec["id"],
        outputs=tuple(
            Output(
                status=output["key"],
                contents=tuple(
                    Content(media, content.get("schema"), content.get("examples") or {})
                    for media, content in output.get("contents", {}).items()
                ),
                headers=tuple(
                    (header["name"], header.get("schema")) for header in output.get("headers", [])
                ),
            )
            for output in spec.get("outputs", [])
        ),
        query=tuple(
            (parameter["name"], parameter.get("schema") or {})
            for parameter in parameters or ()
            if parameter.get("location") == "query"
        ),
        path=_path_names(binding, parameters),
        policy=policy,
    )


def _path_names(binding: Binding, parameters: list[ParameterSpec] | None) -> tuple[str, ...] | None:
    """The path parameters' names (an MCP resource template's variables); ``()``
    where the protocol has none; None when a mock's request may carry path data
    of another kind (GraphQL type mocks)."""
    if parameters is not None:
        return tuple(p["name"] for p in parameters if p.get("location") == "path")
    if binding["kind"] == "mcp":
        return tuple(binding.get("variables", ()))
    return None if binding["kind"] == "graphql" else ()
