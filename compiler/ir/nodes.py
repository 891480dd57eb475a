"""The protocol-neutral nodes of the IR: where a node came from, messages,
their contents and parameters, and the outputs of an operation (see
:mod:`.model` for the whole model)."""

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
    "nillable": bool,
    "text": bool,
    "type": str,
}
"""The members an ``xml`` annotation may have, with their JSON types
(``nillable``: XSD's, a null is written as an empty element with ``xsi:nil``;
``text``: the property is the element's own text, beside its attributes;
``type``: the XSD type's ``{namespace}local`` name, written as ``xsi:type``
in SOAP-encoded messages)."""
ORDER_KEYWORD = "x-order"
"""Schema annotation of an object schema: its property names in wire order
(an XSD sequence, proto field order), where the order means something. Names
may come from the properties of its ``anyOf`` branches (an XSD choice)."""

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
