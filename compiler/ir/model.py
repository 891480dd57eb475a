"""The intermediate representation: one protocol-neutral model of an API.

Every front end produces an :class:`Api`; every target consumes one. Nodes are
frozen, keyword-only dataclasses. Collections are tuples; JSON values (schemas,
examples) are deep-frozen with :func:`mockc.compiler.ir.json.freeze` so that an
IR value cannot be changed after it is built. ``ir.json.to_json`` and
``ir.json.from_json`` convert an ``Api`` to plain JSON and back, losslessly.

Schemas are JSON Schema (2020-12 subset) whatever the source format. A schema
refers to a named schema of the Api with ``{"$ref": "#/$defs/<Name>"}``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TypeAlias

# A deep-frozen JSON value: None, bool, int, float, str, tuple of JsonValue, or a
# read-only mapping of str to JsonValue.
JsonValue: TypeAlias = (
    None | bool | int | float | str | tuple["JsonValue", ...] | Mapping[str, "JsonValue"]
)

SCHEMA_REF_PREFIX = "#/$defs/"


@dataclass(frozen=True, kw_only=True)
class Source:
    """Where an IR node came from, so errors and output trace back to the spec."""

    file: str
    """Path of the spec file, as given by the user (relative paths kept relative)."""
    pointer: str = ""
    """JSON pointer inside the file (``/paths/~1pets/get``), or "" for the whole file."""
    line: int | None = None
    """1-based line, where the front end knows it."""
    column: int | None = None
    """1-based column, where the front end knows it."""

    def __str__(self) -> str:
        where = self.file
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        if self.pointer:
            where += f": #{self.pointer}"
        return where


class Shape(StrEnum):
    """How messages flow in an operation."""

    UNARY = "unary"
    """One request, one reply (HTTP, unary gRPC, GraphQL query/mutation, SOAP, MCP)."""
    SERVER_STREAM = "server_stream"
    """One request, many replies (gRPC server streaming, SSE, GraphQL subscription)."""
    CLIENT_STREAM = "client_stream"
    """Many requests, one reply (gRPC client streaming)."""
    BIDI = "bidi"
    """Many requests, many replies (gRPC bidi, WebSocket)."""
    PUBLISH = "publish"
    """The mock sends messages to a channel on its own (Kafka/RabbitMQ producer)."""
    SUBSCRIBE = "subscribe"
    """The mock receives messages from a channel (and may reply)."""


class ParameterLocation(StrEnum):
    PATH = "path"
    QUERY = "query"
    HEADER = "header"
    COOKIE = "cookie"
    METADATA = "metadata"
    """gRPC metadata, message headers of a broker, SOAP headers."""


@dataclass(frozen=True, kw_only=True)
class Example:
    """A sample value found in the spec."""

    name: str
    """Name of the example (the key under ``examples``), or "default" for a lone one."""
    value: JsonValue
    summary: str = ""
    source: Source | None = None


@dataclass(frozen=True, kw_only=True)
class Content:
    """One representation of a message: a media type, its schema and examples."""

    media_type: str
    """``application/json``, ``application/x-www-form-urlencoded``, ``text/plain``,
    ``application/grpc+proto``, ``text/xml``… ``*/*`` when the spec leaves it open."""
    schema: JsonValue = None
    """JSON Schema of the payload, or None when the payload is unconstrained."""
    examples: tuple[Example, ...] = ()
    encoding: Mapping[str, JsonValue] | None = None
    """Per-property encoding of form and multipart bodies, as in OpenAPI."""


@dataclass(frozen=True, kw_only=True)
class Parameter:
    """A named input outside the body: path/query/header/cookie, gRPC metadata…"""

    name: str
    location: ParameterLocation
    schema: JsonValue = None
    required: bool = False
    description: str = ""
    deprecated: bool = False
    style: str = ""
    """Serialisation style (OpenAPI ``form``, ``simple``, ``label``, ``matrix``,
    ``spaceDelimited``, ``pipeDelimited``, ``deepObject``); "" for the default."""
    explode: bool | None = None
    """Whether arrays/objects explode; None means the style's default."""
    allow_reserved: bool = False
    media_type: str = ""
    """Set when the value is itself an encoded document (OpenAPI ``content``)."""
    examples: tuple[Example, ...] = ()
    source: Source | None = None


@dataclass(frozen=True, kw_only=True)
class Message:
    """The payload of a request (or of one output), in one or more representations."""

    contents: tuple[Content, ...] = ()
    required: bool = False
    description: str = ""
    source: Source | None = None


@dataclass(frozen=True, kw_only=True)
class Output:
    """One possible answer of an operation."""

    key: str
    """Protocol-specific selector: HTTP status (``"200"``, ``"4XX"``, ``"default"``),
    gRPC status name (``"OK"``, ``"NOT_FOUND"``), SOAP fault name, event type."""
    message: Message = field(default_factory=Message)
    headers: tuple[Parameter, ...] = ()
    """Response headers / trailing metadata the output declares."""
    is_error: bool = False
    description: str = ""
    source: Source | None = None


# --- bindings: what only one protocol has -----------------------------------


@dataclass(frozen=True, kw_only=True)
class HttpBinding:
    """An HTTP operation (OpenAPI, also the HTTP face of GraphQL/SOAP/SSE)."""

    method: str
    """Upper-case HTTP method."""
    path: str
    """Path template with ``{name}`` placeholders, as in OpenAPI."""
    parameters: tuple[Parameter, ...] = ()
    security: tuple[Mapping[str, JsonValue], ...] = ()
    """Alternative security requirements, as in OpenAPI (informational)."""


@dataclass(frozen=True, kw_only=True)
class GrpcBinding:
    package: str
    service: str
    method: str
    input_type: str
    """Fully qualified proto message name of the request (``helloworld.HelloRequest``)."""
    output_type: str

    @property
    def full_method(self) -> str:
        prefix = f"{self.package}." if self.package else ""
        return f"/{prefix}{self.service}/{self.method}"


@dataclass(frozen=True, kw_only=True)
class GraphqlBinding:
    root: str
    """``query``, ``mutation`` or ``subscription``."""
    field: str
    """Name of the root field."""
    return_type: str
    """The field's GraphQL type as written in SDL (``[User!]!``)."""


@dataclass(frozen=True, kw_only=True)
class SoapBinding:
    service: str
    port: str
    operation: str
    soap_action: str = ""
    style: str = "document"
    """``document`` or ``rpc``."""
    use: str = "literal"
    """``literal`` or ``encoded``."""
    soap_version: str = "1.1"
    namespace: str = ""
    input_element: str = ""
    """Qualified name ``{ns}local`` of the input body element (or RPC wrapper)."""
    output_element: str = ""
    address: str = ""
    """The endpoint path the port is served on."""


@dataclass(frozen=True, kw_only=True)
class ChannelBinding:
    """A message channel: SSE, WebSocket, Kafka, RabbitMQ, MQTT…"""

    protocol: str
    """``sse``, ``websocket``, ``kafka``, ``rabbitmq``, ``mqtt``…"""
    channel: str
    """Channel address: topic, queue, WebSocket/SSE path (may hold ``{params}``)."""
    action: str
    """``send`` (the mock emits) or ``receive`` (the mock consumes), AsyncAPI 3 terms."""
    parameters: tuple[Parameter, ...] = ()
    exchange: str = ""
    routing_key: str = ""
    event: str = ""
    """Event name/type that labels the message on the wire (SSE ``event:``)."""
    reply_channel: str = ""
    """Where replies go for request/reply operations."""


@dataclass(frozen=True, kw_only=True)
class McpBinding:
    primitive: str
    """``tool``, ``resource`` or ``prompt`` (MCP's word for the three)."""
    name: str
    uri_template: str = ""


Binding: TypeAlias = (
    HttpBinding | GrpcBinding | GraphqlBinding | SoapBinding | ChannelBinding | McpBinding
)


@dataclass(frozen=True, kw_only=True)
class Operation:
    id: str
    """Stable identifier, unique within the Api, a valid Python identifier. It names
    handlers and generated mocks, so it depends only on the operation itself (its
    declared id, or its method and path), never on its position in the spec."""
    shape: Shape = Shape.UNARY
    input: Message | None = None
    outputs: tuple[Output, ...] = ()
    binding: Binding
    summary: str = ""
    description: str = ""
    tags: tuple[str, ...] = ()
    deprecated: bool = False
    source: Source | None = None


@dataclass(frozen=True, kw_only=True)
class NamedSchema:
    name: str
    """Name used in ``#/$defs/<name>`` references; unique within the Api."""
    schema: JsonValue
    source: Source | None = None


@dataclass(frozen=True, kw_only=True)
class Server:
    url: str
    description: str = ""
    protocol: str = ""


@dataclass(frozen=True, kw_only=True)
class Api:
    name: str
    """Short identifier of the API (used for the output folder and service names)."""
    title: str = ""
    version: str = ""
    description: str = ""
    spec_format: str = ""
    """``openapi-3.1``, ``openapi-3.0``, ``swagger-2.0``, ``proto3``, ``graphql``…"""
    sources: tuple[str, ...] = ()
    """Every file the Api was read from, entry file first."""
    operations: tuple[Operation, ...] = ()
    schemas: tuple[NamedSchema, ...] = ()
    servers: tuple[Server, ...] = ()
    extensions: Mapping[str, JsonValue] | None = None
    """Facts about the whole API that only its format has, deep-frozen JSON under
    ``x-<format>`` keys: GraphQL's ``x-graphql`` holds the root operation types
    (``{"operations": {"query": "Root"}}``) and custom directive definitions;
    gRPC's ``x-grpc`` holds ``descriptor_set``, the base64 of a
    ``google.protobuf.FileDescriptorSet`` of every proto file and its imports
    (without source info): the wire details the JSON mapping of the schemas
    loses (field numbers, scalar kinds, oneofs, enum numbers)."""

    def operation(self, operation_id: str) -> Operation:
        for operation in self.operations:
            if operation.id == operation_id:
                return operation
        raise KeyError(operation_id)

    def schema_map(self) -> dict[str, JsonValue]:
        return {named.name: named.schema for named in self.schemas}
