"""The intermediate representation: one protocol-neutral model of an API.

Every front end produces an :class:`Api`; every target consumes one. Nodes are
frozen, keyword-only dataclasses. Collections are tuples; JSON values (schemas,
examples) are deep-frozen with :func:`mockc.compiler.ir.json.freeze` so that an
IR value cannot be changed after it is built. ``ir.json.to_json`` and
``ir.json.from_json`` convert an ``Api`` to plain JSON and back, losslessly.

Schemas are JSON Schema (2020-12 subset) whatever the source format. A schema
refers to a named schema of the Api with ``{"$ref": "#/$defs/<Name>"}``.

This module holds the operation and the Api, and names every node: the
protocol-neutral ones are defined in :mod:`.nodes`, the bindings in
:mod:`.bindings`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from .bindings import (
    AmqpOptions,
    Binding,
    ChannelBinding,
    ChannelOptions,
    ChannelReply,
    GraphqlBinding,
    GrpcBinding,
    HttpBinding,
    KafkaOptions,
    McpBinding,
    McpPromptArgument,
    McpToolAnnotations,
    MqttOptions,
    SoapBinding,
    SseOptions,
    WebSocketOptions,
)
from .nodes import (
    ORDER_KEYWORD,
    SCHEMA_REF_PREFIX,
    XML_KEYWORD,
    XML_MEMBERS,
    Content,
    Example,
    Fault,
    JsonValue,
    Message,
    Output,
    Parameter,
    ParameterLocation,
    SecurityRequirement,
    Shape,
    Source,
)

__all__ = [
    "AmqpOptions",
    "Api",
    "Binding",
    "ChannelBinding",
    "ChannelOptions",
    "ChannelReply",
    "Content",
    "Example",
    "Fault",
    "GraphqlBinding",
    "GrpcBinding",
    "HttpBinding",
    "JsonValue",
    "KafkaOptions",
    "McpBinding",
    "McpPromptArgument",
    "McpToolAnnotations",
    "Message",
    "MqttOptions",
    "NamedSchema",
    "ORDER_KEYWORD",
    "Operation",
    "Output",
    "Parameter",
    "ParameterLocation",
    "SCHEMA_REF_PREFIX",
    "SecurityRequirement",
    "Server",
    "Shape",
    "SoapBinding",
    "Source",
    "SseOptions",
    "WebSocketOptions",
    "XML_KEYWORD",
    "XML_MEMBERS",
]


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
    protocol_version: str = ""
    """The protocol's version the server speaks, as the document says (AsyncAPI
    ``protocolVersion``: ``3.1.1``, ``5``); "" when it does not."""


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
