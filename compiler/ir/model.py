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

XML_KEYWORD = "xml"
"""Schema annotation for the XML form of a value, OpenAPI's ``xml`` object:
``{"name": "Add", "namespace": "http://tempuri.org/", "prefix": "tns",
"attribute": false, "wrapped": false}`` (every member optional)."""
XML_MEMBERS: Mapping[str, type] = {
    "name": str,
    "namespace": str,
    "prefix": str,
    "attribute": bool,
    "wrapped": bool,
}
"""The members an ``xml`` annotation may have, with their JSON types."""
ORDER_KEYWORD = "x-order"
"""Schema annotation of an object schema: its property names in wire order
(an XSD sequence, proto field order), where the order means something."""

SecurityRequirement: TypeAlias = Mapping[str, "JsonValue"]
"""One alternative of a security requirement, as in OpenAPI: scheme name →
scopes (``{"bearer": []}``). A binding lists the alternatives; () = none declared."""


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
    element: str = ""
    """Qualified name ``{ns}local`` of the XML element that carries the value
    (a SOAP header part); "" elsewhere."""
    source: Source | None = None


@dataclass(frozen=True, kw_only=True)
class Message:
    """The payload of a request (or of one output), in one or more representations."""

    contents: tuple[Content, ...] = ()
    required: bool = False
    description: str = ""
    headers: tuple[Parameter, ...] = ()
    """Headers the message itself carries (location ``metadata``): SOAP header
    parts, the headers of a consumed Kafka/AMQP message, gRPC request
    metadata. An :class:`Output` keeps its reply headers in ``Output.headers``."""
    correlation_id: str = ""
    """Where the message carries its correlation id, as an AsyncAPI runtime
    expression (``$message.header#/correlation_id``); "" when it has none."""
    source: Source | None = None


@dataclass(frozen=True, kw_only=True)
class Fault:
    """What makes an output a SOAP fault (its detail's schema is the output's message)."""

    code: str = ""
    """Fault code: ``soap:Client``/``soap:Server`` (1.1), ``env:Sender``/``env:Receiver`` (1.2)."""
    detail_element: str = ""
    """Qualified name ``{ns}local`` of the element inside ``<detail>``."""


@dataclass(frozen=True, kw_only=True)
class Output:
    """One possible answer of an operation."""

    key: str
    """What selects this answer on the wire, read by the rules of the operation's
    binding kind (:func:`mockc.compiler.ir.selectors.output_selector` gives it
    typed): HTTP status (``"200"``, ``"4XX"``, ``"default"``), gRPC status name
    (``"OK"``, ``"NOT_FOUND"``), ``"data"`` (GraphQL), the WSDL output or fault
    name (SOAP), the message name (channels), ``"result"``/``"isError"`` (MCP)."""
    message: Message = field(default_factory=Message)
    headers: tuple[Parameter, ...] = ()
    """Response headers / trailing metadata the output declares."""
    event: str = ""
    """Channels: the event type that labels the message on the wire (SSE
    ``event:``, a WebSocket ``type`` field) when it differs from ``key``."""
    fault: Fault | None = None
    """SOAP: set when this output is a fault (then ``is_error`` too)."""
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
    security: tuple[SecurityRequirement, ...] = ()
    """Alternative security requirements, as in OpenAPI (informational)."""


@dataclass(frozen=True, kw_only=True)
class GrpcBinding:
    package: str
    service: str
    method: str
    input_type: str
    """Fully qualified proto message name of the request (``helloworld.HelloRequest``)."""
    output_type: str
    security: tuple[SecurityRequirement, ...] = ()

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
    security: tuple[SecurityRequirement, ...] = ()


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
    security: tuple[SecurityRequirement, ...] = ()
    """WS-Security or HTTP security of the port, in the OpenAPI form."""


@dataclass(frozen=True, kw_only=True)
class KafkaOptions:
    """Kafka facts of a channel and its operation (AsyncAPI ``kafka`` bindings)."""

    key: JsonValue = None
    """Schema of the message key; None when messages have no key."""
    partitions: int | None = None
    replicas: int | None = None
    group_id: str = ""
    """Consumer group of a ``receive`` operation."""
    client_id: str = ""


@dataclass(frozen=True, kw_only=True)
class AmqpOptions:
    """RabbitMQ (AMQP 0-9-1) facts of a channel (AsyncAPI ``amqp`` bindings)."""

    exchange: str = ""
    """Exchange name; "" is the default exchange."""
    exchange_type: str = ""
    """``direct``, ``topic``, ``fanout``, ``headers``; "" for the default exchange."""
    routing_key: str = ""
    queue: str = ""
    durable: bool | None = None
    auto_delete: bool | None = None
    exclusive: bool | None = None
    ack: bool | None = None
    """Whether a consumer acknowledges messages (None: the broker's default)."""
    vhost: str = ""


@dataclass(frozen=True, kw_only=True)
class MqttOptions:
    qos: int | None = None
    """Quality of service, 0, 1 or 2."""
    retain: bool | None = None


@dataclass(frozen=True, kw_only=True)
class WebSocketOptions:
    subprotocol: str = ""
    """Value of ``Sec-WebSocket-Protocol`` the server agrees to; "" for none."""


@dataclass(frozen=True, kw_only=True)
class SseOptions:
    """An HTTP event stream."""

    method: str = "GET"
    """HTTP method that opens the stream."""
    framing: str = "sse"
    """``sse`` (``text/event-stream``), ``ndjson`` or ``chunked``."""
    event: str = ""
    """Event name when every message of the stream has the same one."""
    retry_ms: int | None = None
    """``retry:`` field the server sends, in milliseconds."""


ChannelOptions: TypeAlias = KafkaOptions | AmqpOptions | MqttOptions | WebSocketOptions | SseOptions


@dataclass(frozen=True, kw_only=True)
class ChannelReply:
    """Request/reply: where the reply to a received message goes."""

    channel: str = ""
    """Fixed reply address; "" when ``address_location`` names it."""
    address_location: str = ""
    """Where the request carries the reply address, as an AsyncAPI runtime
    expression (``$message.header#/reply_to``)."""
    operation: str = ""
    """Id of the operation that describes the reply, when the spec has one."""


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
    path: str = ""
    """The HTTP path the server serves the channel on, when it differs from
    ``channel`` (Mercure: the hub path, with the channel as its ``topic``
    query parameter); "" when ``channel`` is the path (or not HTTP)."""
    options: ChannelOptions | None = None
    """The protocol's own facts; its class matches ``protocol``."""
    reply: ChannelReply | None = None
    """Set for request/reply: the mock answers each received message."""
    security: tuple[SecurityRequirement, ...] = ()

    @property
    def served_path(self) -> str:
        return self.path or self.channel


@dataclass(frozen=True, kw_only=True)
class McpToolAnnotations:
    """MCP tool hints (informational for clients)."""

    title: str = ""
    read_only: bool | None = None
    destructive: bool | None = None
    idempotent: bool | None = None
    open_world: bool | None = None


@dataclass(frozen=True, kw_only=True)
class McpPromptArgument:
    name: str
    description: str = ""
    required: bool = False
    title: str = ""


@dataclass(frozen=True, kw_only=True)
class McpBinding:
    primitive: str
    """``tool``, ``resource`` or ``prompt`` (MCP's word for the three)."""
    name: str
    title: str = ""
    uri_template: str = ""
    """Resources: the URI, or an RFC 6570 template of it."""
    parameters: tuple[Parameter, ...] = ()
    """Resources: the variables of ``uri_template`` (location ``path``)."""
    mime_type: str = ""
    """Resources: the MIME type of the contents."""
    annotations: McpToolAnnotations | None = None
    """Tools: the hints."""
    arguments: tuple[McpPromptArgument, ...] = ()
    """Prompts: the arguments (always strings)."""
    security: tuple[SecurityRequirement, ...] = ()


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
    """The primary binding: what a target serves the operation as."""
    alternate_bindings: tuple[Binding, ...] = ()
    """More ways the same operation is served: the SOAP 1.2 port beside the
    1.1 one, the ``google.api.http`` face of a gRPC method. One operation,
    one mock, whichever binding a request comes through."""
    summary: str = ""
    description: str = ""
    tags: tuple[str, ...] = ()
    deprecated: bool = False
    source: Source | None = None

    @property
    def bindings(self) -> tuple[Binding, ...]:
        """Every binding, the primary one first."""
        return (self.binding, *self.alternate_bindings)


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
