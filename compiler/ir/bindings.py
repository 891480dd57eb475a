"""Bindings: what only one protocol says about an operation (HTTP method and
path, gRPC method, GraphQL root field, SOAP port, message channel, MCP
primitive), and the per-protocol options of channels."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TypeAlias

from .nodes import JsonValue, Parameter, SecurityRequirement


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
    registry_framing: bool | None = None
    """True when Avro payloads and keys carry a schema registry's wire format
    (Confluent's: a zero byte and the schema's 4-byte id before the Avro
    binary): a server of the channel names a ``schemaRegistryUrl``, or the
    message binding says ``schemaIdLocation: payload``; None otherwise."""


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
    exchange_durable: bool | None = None
    """Of the exchange alone (``durable`` is the queue's, else the exchange's)."""
    exchange_auto_delete: bool | None = None
    cc: tuple[str, ...] = ()
    """More routing keys of each published message (the operation binding's ``cc``)."""
    bcc: tuple[str, ...] = ()
    priority: int | None = None
    """Priority of each published message."""
    expiration: int | None = None
    """Time to live of each published message, in milliseconds."""
    delivery_mode: int | None = None
    """1 transient, 2 persistent."""


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
    body_argument: str = ""
    """Tools made from an HTTP operation: the argument holding the request body
    ("" when it has none); ``parameters`` then name the other arguments, one
    per parameter of the HTTP binding, in its order."""
    security: tuple[SecurityRequirement, ...] = ()
    listed: JsonValue = None
    """MCP fields listed as the config gives them, which mockc does not read
    (a tool's ``execution``, ``icons``, ``_meta``; a resource's ``annotations``,
    ``size``…): an object, or None."""


Binding: TypeAlias = (
    HttpBinding | GrpcBinding | GraphqlBinding | SoapBinding | ChannelBinding | McpBinding
)
