"""The IR holds one real operation of every protocol, losslessly and immutably.

Each ``*_api()`` below is built by hand from a file of the spec corpus and
mirrors the example of the same protocol in ``docs/ir.md``.
"""

from __future__ import annotations

import dataclasses
import json
import keyword
from collections.abc import Callable, Iterator, Mapping
from typing import Any

import pytest

from mockc.compiler.ir import (
    SCHEMA_REF_PREFIX,
    AmqpOptions,
    Api,
    ChannelBinding,
    ChannelReply,
    Content,
    Example,
    GraphqlBinding,
    GrpcBinding,
    HttpBinding,
    JsonValue,
    McpBinding,
    Message,
    NamedSchema,
    Operation,
    Output,
    Parameter,
    ParameterLocation,
    Server,
    Shape,
    SoapBinding,
    Source,
    api_from_json,
    freeze,
    thaw,
    to_json,
)
from mockc.compiler.passes.check_ir import IrChecker

PATH = ParameterLocation.PATH
QUERY = ParameterLocation.QUERY
METADATA = ParameterLocation.METADATA


def _schema(value: Any) -> JsonValue:
    return freeze(value)


def _ref(name: str) -> JsonValue:
    return freeze({"$ref": SCHEMA_REF_PREFIX + name})


def _message(
    media_type: str,
    schema: JsonValue,
    *,
    required: bool = False,
    examples: tuple[Example, ...] = (),
) -> Message:
    content = Content(media_type=media_type, schema=schema, examples=examples)
    return Message(contents=(content,), required=required)


# --- HTTP: openapi/oai-petstore-v3/petstore.yaml ------------------------------


def http_api() -> Api:
    file = "openapi/oai-petstore-v3/petstore.yaml"
    show_pet = Operation(
        id="showPetById",
        shape=Shape.UNARY,
        input=None,
        outputs=(
            Output(
                key="200",
                message=_message("application/json", _ref("Pet")),
                description="Expected response to a valid request",
                source=Source(file=file, pointer="/paths/~1pets~1{petId}/get/responses/200"),
            ),
            Output(
                key="default",
                message=_message("application/json", _ref("Error")),
                is_error=True,
                description="unexpected error",
            ),
        ),
        binding=HttpBinding(
            method="GET",
            path="/pets/{petId}",
            parameters=(
                Parameter(
                    name="petId",
                    location=PATH,
                    schema=_schema({"type": "string"}),
                    required=True,
                    description="The id of the pet to retrieve",
                    source=Source(
                        file=file,
                        pointer="/paths/~1pets~1{petId}/get/parameters/0",
                        line=70,
                        column=11,
                    ),
                ),
            ),
        ),
        summary="Info for a specific pet",
        tags=("pets",),
        source=Source(file=file, pointer="/paths/~1pets~1{petId}/get", line=64, column=5),
    )
    pet = {
        "type": "object",
        "required": ["id", "name"],
        "properties": {
            "id": {"type": "integer", "format": "int64"},
            "name": {"type": "string"},
            "tag": {"type": "string"},
        },
    }
    error = {
        "type": "object",
        "required": ["code", "message"],
        "properties": {
            "code": {"type": "integer", "format": "int32"},
            "message": {"type": "string"},
        },
    }
    return Api(
        name="petstore",
        title="Swagger Petstore",
        version="1.0.0",
        spec_format="openapi-3.0",
        sources=(file,),
        operations=(show_pet,),
        schemas=(
            NamedSchema(
                name="Pet",
                schema=_schema(pet),
                source=Source(file=file, pointer="/components/schemas/Pet", line=91, column=5),
            ),
            NamedSchema(name="Error", schema=_schema(error)),
        ),
        servers=(Server(url="http://petstore.swagger.io/v1", protocol="http"),),
    )


# --- gRPC: proto/grpc-route-guide/route_guide.proto ---------------------------


def grpc_api() -> Api:
    file = "proto/grpc-route-guide/route_guide.proto"
    proto = "application/grpc+proto"

    def rpc(method: str, shape: Shape, request: str, reply: str, line: int) -> Operation:
        return Operation(
            id=f"RouteGuide_{method}",
            shape=shape,
            input=_message(proto, _ref(f"routeguide.{request}"), required=True),
            outputs=(Output(key="OK", message=_message(proto, _ref(f"routeguide.{reply}"))),),
            binding=GrpcBinding(
                package="routeguide",
                service="RouteGuide",
                method=method,
                input_type=f"routeguide.{request}",
                output_type=f"routeguide.{reply}",
            ),
            source=Source(file=file, pointer=f"/RouteGuide/{method}", line=line, column=3),
        )

    int32 = {"type": "integer", "format": "int32"}

    def message(name: str, properties: dict[str, Any], line: int) -> NamedSchema:
        return NamedSchema(
            name=f"routeguide.{name}",
            schema=_schema({"type": "object", "properties": properties}),
            source=Source(file=file, pointer=f"/{name}", line=line, column=1),
        )

    return Api(
        name="route_guide",
        spec_format="proto3",
        sources=(file,),
        operations=(
            rpc("ListFeatures", Shape.SERVER_STREAM, "Rectangle", "Feature", 55),
            rpc("RouteChat", Shape.BIDI, "RouteNote", "RouteNote", 67),
        ),
        schemas=(
            message("Point", {"latitude": int32, "longitude": int32}, 74),
            message(
                "Rectangle",
                {
                    "lo": {"$ref": "#/$defs/routeguide.Point"},
                    "hi": {"$ref": "#/$defs/routeguide.Point"},
                },
                81,
            ),
            message(
                "Feature",
                {"name": {"type": "string"}, "location": {"$ref": "#/$defs/routeguide.Point"}},
                92,
            ),
            message(
                "RouteNote",
                {"location": {"$ref": "#/$defs/routeguide.Point"}, "message": {"type": "string"}},
                101,
            ),
        ),
    )


# --- GraphQL: graphql/swapi/schema.graphql ------------------------------------


def graphql_api() -> Api:
    file = "graphql/swapi/schema.graphql"
    nullable_string = {"type": ["string", "null"]}
    person = {
        "type": "object",
        "required": ["id"],
        "properties": {
            "name": nullable_string,
            "birthYear": nullable_string,
            "height": {"type": ["integer", "null"]},
            "mass": {"type": ["number", "null"]},
            "id": {"type": "string"},
        },
    }
    return Api(
        name="swapi",
        spec_format="graphql",
        sources=(file,),
        operations=(
            Operation(
                id="query_person",
                input=_message(
                    "application/json",
                    _schema(
                        {
                            "type": "object",
                            "properties": {"id": nullable_string, "personID": nullable_string},
                        }
                    ),
                ),
                outputs=(
                    Output(
                        key="data",
                        message=_message(
                            "application/json",
                            _schema({"anyOf": [{"$ref": "#/$defs/Person"}, {"type": "null"}]}),
                        ),
                    ),
                ),
                binding=GraphqlBinding(root="query", field="person", return_type="Person"),
                source=Source(file=file, pointer="/Root/person", line=647, column=3),
            ),
        ),
        schemas=(
            NamedSchema(
                name="Person",
                schema=_schema(person),
                source=Source(file=file, pointer="/Person", line=314, column=1),
            ),
        ),
    )


# --- SOAP: wsdl/dneonline-calculator (document/literal), wsdl/cxf-rpclit -------


def soap_document_api() -> Api:
    file = "wsdl/dneonline-calculator/calculator.wsdl"
    ns = "http://tempuri.org/"
    int_ = {"type": "integer", "format": "int32"}
    add = {
        "type": "object",
        "required": ["intA", "intB"],
        "properties": {"intA": int_, "intB": int_},
        "xml": {"name": "Add", "namespace": ns},
    }
    add_response = {
        "type": "object",
        "required": ["AddResult"],
        "properties": {"AddResult": int_},
        "xml": {"name": "AddResponse", "namespace": ns},
    }
    return Api(
        name="calculator",
        spec_format="wsdl-1.1",
        sources=(file,),
        operations=(
            Operation(
                id="CalculatorSoap_Add",
                input=_message("text/xml", _ref("Add"), required=True),
                outputs=(
                    Output(key="AddResponse", message=_message("text/xml", _ref("AddResponse"))),
                ),
                binding=SoapBinding(
                    service="Calculator",
                    port="CalculatorSoap",
                    operation="Add",
                    soap_action="http://tempuri.org/Add",
                    style="document",
                    use="literal",
                    soap_version="1.1",
                    namespace=ns,
                    input_element="{http://tempuri.org/}Add",
                    output_element="{http://tempuri.org/}AddResponse",
                    address="/calculator.asmx",
                ),
                description="Adds two integers. This is a test WebService. ©DNE Online",
                source=Source(
                    file=file, pointer="/binding/CalculatorSoap/operation/Add", line=139, column=3
                ),
            ),
        ),
        schemas=(
            NamedSchema(name="Add", schema=_schema(add), source=Source(file=file, line=16)),
            NamedSchema(
                name="AddResponse", schema=_schema(add_response), source=Source(file=file, line=26)
            ),
        ),
        servers=(Server(url="http://www.dneonline.com/calculator.asmx", protocol="soap"),),
    )


def soap_rpc_api() -> Api:
    file = "wsdl/cxf-rpclit/hello_world_RPCLit.wsdl"
    ns = "http://apache.org/hello_world_rpclit"

    def wrapper(name: str, part: str) -> JsonValue:
        return _schema(
            {
                "type": "object",
                "required": [part],
                "properties": {part: {"type": "string"}},
                "xml": {"name": name, "namespace": ns},
            }
        )

    return Api(
        name="hello_world_rpclit",
        spec_format="wsdl-1.1",
        sources=(file,),
        operations=(
            Operation(
                id="GreeterRPCLit_greetMe",
                input=_message("text/xml", wrapper("greetMe", "in"), required=True),
                outputs=(
                    Output(
                        key="greetMeResponse",
                        message=_message("text/xml", wrapper("greetMeResponse", "out")),
                    ),
                ),
                binding=SoapBinding(
                    service="SOAPServiceRPCLit",
                    port="SoapPortRPCLit",
                    operation="greetMe",
                    style="rpc",
                    use="literal",
                    namespace=ns,
                    input_element=f"{{{ns}}}greetMe",
                    output_element=f"{{{ns}}}greetMeResponse",
                    address="/SoapContext/SoapPort",
                ),
                source=Source(
                    file=file,
                    pointer="/binding/Greeter_SOAPBinding_RPCLit/operation/greetMe",
                    line=73,
                    column=9,
                ),
            ),
        ),
        servers=(Server(url="http://localhost:9000/SoapContext/SoapPort", protocol="soap"),),
    )


# --- SSE: asyncapi/gitter-streaming/asyncapi-3.0.0.yml ------------------------


def sse_api() -> Api:
    file = "asyncapi/gitter-streaming/asyncapi-3.0.0.yml"
    chat_message = {
        "type": "object",
        "properties": {
            "id": {"type": "string", "description": "ID of the message."},
            "text": {"type": "string", "description": "Original message in plain-text/markdown."},
            "sent": {"type": "string", "format": "date-time"},
            "unread": {"type": "boolean"},
            "readBy": {"type": "number"},
            "meta": {"type": "array", "items": {}},
        },
    }
    return Api(
        name="gitter-streaming",
        title="Gitter Streaming API",
        version="1.0.0",
        spec_format="asyncapi-3.0",
        sources=(file,),
        operations=(
            Operation(
                id="sendRoomInfo",
                shape=Shape.SERVER_STREAM,
                outputs=(
                    Output(
                        key="chatMessage",
                        message=_message("application/json", _ref("chatMessage")),
                        source=Source(file=file, pointer="/components/messages/chatMessage"),
                    ),
                    Output(
                        key="heartbeat",
                        message=_message(
                            "text/plain", _schema({"type": "string", "enum": ["\r\n"]})
                        ),
                        description="Its purpose is to keep the connection alive.",
                    ),
                ),
                binding=ChannelBinding(
                    protocol="sse",
                    channel="/rooms/{roomId}/{resource}",
                    action="send",
                    parameters=(
                        Parameter(
                            name="roomId",
                            location=PATH,
                            schema=_schema({"type": "string"}),
                            required=True,
                            description="Id of the Gitter room.",
                            examples=(Example(name="default", value="53307860c3599d1de448e19d"),),
                            source=Source(file=file, pointer="/channels/rooms/parameters/roomId"),
                        ),
                        Parameter(
                            name="resource",
                            location=PATH,
                            schema=_schema({"type": "string", "enum": ["chatMessages", "events"]}),
                            required=True,
                            description="The resource to consume.",
                        ),
                    ),
                ),
                source=Source(file=file, pointer="/operations/sendRoomInfo", line=33, column=3),
            ),
        ),
        schemas=(NamedSchema(name="chatMessage", schema=_schema(chat_message)),),
        servers=(Server(url="https://stream.gitter.im/v1", protocol="https"),),
    )


# --- WebSocket: asyncapi/websocket-gemini/asyncapi-3.0.0.yml ------------------


def websocket_api() -> Api:
    file = "asyncapi/websocket-gemini/asyncapi-3.0.0.yml"

    def flag(name: str, default: bool) -> Parameter:
        return Parameter(
            name=name, location=QUERY, schema=_schema({"type": "boolean", "default": default})
        )

    update_example = {
        "type": "update",
        "eventId": 36902233362,
        "timestamp": 1619769673,
        "timestampms": 1619769673527,
        "socket_sequence": 661,
        "events": [
            {
                "type": "change",
                "side": "bid",
                "price": 54350.40,
                "remaining": 0.002,
                "delta": 0.002,
                "reason": "place",
            }
        ],
    }
    examples = (
        Example(
            name="updateMessage",
            value=freeze(update_example),
            summary="Example of an update message that contains a change in price information.",
        ),
        Example(
            name="heartbeatMessage",
            value=freeze({"type": "heartbeat", "socket_sequence": 1656}),
            summary="Example of additional heartbeat message when you enable them.",
        ),
    )

    def tagged(tag: str, **properties: Any) -> JsonValue:
        part = {"properties": {"type": {"type": "string", "const": tag}, **properties}}
        return _schema({"allOf": [{**part, "required": ["type"]}, {"$ref": "#/$defs/default"}]})

    return Api(
        name="gemini-market-data",
        title="Gemini Market Data Websocket API",
        version="1.0.0",
        spec_format="asyncapi-3.0",
        sources=(file,),
        operations=(
            Operation(
                id="sendMarketData",
                shape=Shape.SERVER_STREAM,
                outputs=(
                    Output(
                        key="marketData",
                        message=_message("application/json", _ref("market"), examples=examples),
                        description="Message with marked data information.",
                    ),
                ),
                binding=ChannelBinding(
                    protocol="websocket",
                    channel="/v1/marketdata/{symbol}",
                    action="send",
                    parameters=(
                        Parameter(
                            name="symbol",
                            location=PATH,
                            schema=_schema(
                                {"type": "string", "enum": ["btcusd", "ethbtc", "ethusd"]}
                            ),
                            required=True,
                        ),
                        flag("heartbeat", False),
                        flag("top_of_book", False),
                        flag("bids", True),
                        flag("offers", True),
                        flag("trades", True),
                        flag("auctions", True),
                    ),
                ),
                summary="Receive market updates on a given symbol",
                source=Source(file=file, pointer="/operations/sendMarketData", line=152, column=3),
            ),
        ),
        schemas=(
            NamedSchema(
                name="market",
                schema=_schema(
                    {
                        "type": "object",
                        "oneOf": [{"$ref": "#/$defs/heartbeat"}, {"$ref": "#/$defs/update"}],
                    }
                ),
            ),
            NamedSchema(name="heartbeat", schema=tagged("heartbeat")),
            NamedSchema(name="update", schema=tagged("update", eventId={"type": "integer"})),
            NamedSchema(
                name="default",
                schema=_schema(
                    {
                        "type": "object",
                        "required": ["type", "socket_sequence"],
                        "properties": {"socket_sequence": {"type": "integer"}},
                    }
                ),
            ),
        ),
        servers=(Server(url="wss://api.gemini.com", protocol="wss"),),
    )


# --- Kafka: asyncapi/streetlights-kafka/asyncapi-3.0.0.yml --------------------


def kafka_api() -> Api:
    file = "asyncapi/streetlights-kafka/asyncapi-3.0.0.yml"
    streetlight_id = Parameter(
        name="streetlightId",
        location=PATH,
        schema=_schema({"type": "string"}),
        required=True,
        description="The ID of the streetlight.",
        source=Source(file=file, pointer="/components/parameters/streetlightId", line=181),
    )
    my_app_header = Parameter(
        name="my-app-header",
        location=METADATA,
        schema=_schema({"type": "integer", "minimum": 0, "maximum": 100}),
    )
    sent_at = {"$ref": "#/$defs/sentAt"}
    return Api(
        name="streetlights-kafka",
        title="Streetlights Kafka API",
        version="1.0.0",
        spec_format="asyncapi-3.0",
        sources=(file,),
        operations=(
            Operation(
                id="turnOn",
                shape=Shape.PUBLISH,
                outputs=(
                    Output(
                        key="turnOn",
                        message=_message("application/json", _ref("turnOnOffPayload")),
                        headers=(my_app_header,),
                        description=(
                            "Command a particular streetlight to turn the lights on or off."
                        ),
                    ),
                ),
                binding=ChannelBinding(
                    protocol="kafka",
                    channel="smartylighting.streetlights.1.0.action.{streetlightId}.turn.on",
                    action="send",
                    parameters=(streetlight_id,),
                ),
                source=Source(file=file, pointer="/operations/turnOn", line=85, column=3),
            ),
            Operation(
                id="receiveLightMeasurement",
                shape=Shape.SUBSCRIBE,
                input=_message("application/json", _ref("lightMeasuredPayload")),
                binding=ChannelBinding(
                    protocol="kafka",
                    channel="smartylighting.streetlights.1.0.event.{streetlightId}.lighting.measured",
                    action="receive",
                    parameters=(streetlight_id,),
                ),
                summary=(
                    "Inform about environmental lighting conditions of a particular streetlight."
                ),
                source=Source(
                    file=file, pointer="/operations/receiveLightMeasurement", line=74, column=3
                ),
            ),
        ),
        schemas=(
            NamedSchema(
                name="lightMeasuredPayload",
                schema=_schema(
                    {
                        "type": "object",
                        "properties": {
                            "lumens": {"type": "integer", "minimum": 0},
                            "sentAt": sent_at,
                        },
                    }
                ),
            ),
            NamedSchema(
                name="turnOnOffPayload",
                schema=_schema(
                    {
                        "type": "object",
                        "properties": {
                            "command": {"type": "string", "enum": ["on", "off"]},
                            "sentAt": sent_at,
                        },
                    }
                ),
            ),
            NamedSchema(name="sentAt", schema=_schema({"type": "string", "format": "date-time"})),
        ),
        servers=(
            Server(url="test.mykafkacluster.org:18092", protocol="kafka-secure"),
            Server(url="test.mykafkacluster.org:28092", protocol="kafka-secure"),
        ),
    )


# --- RabbitMQ: asyncapi/rpc-server/asyncapi-3.0.0.yml -------------------------


def rabbitmq_api() -> Api:
    file = "asyncapi/rpc-server/asyncapi-3.0.0.yml"
    correlation_id = Parameter(name="correlation_id", location=METADATA)
    result = _schema(
        {"type": "object", "properties": {"result": {"type": "number", "examples": [7]}}}
    )
    reply = Output(
        key="sendSumResult",
        message=_message("application/json", result),
        headers=(correlation_id,),
    )
    return Api(
        name="rpc-server",
        title="RPC Server Example",
        version="1.0.0",
        spec_format="asyncapi-3.0",
        sources=(file,),
        operations=(
            Operation(
                id="sendSumResult",
                shape=Shape.PUBLISH,
                outputs=(reply,),
                binding=ChannelBinding(
                    protocol="rabbitmq",
                    channel="{queue}",
                    action="send",
                    parameters=(Parameter(name="queue", location=PATH, required=True),),
                ),
                source=Source(file=file, pointer="/operations/sendSumResult", line=55, column=3),
            ),
            Operation(
                id="sum",
                shape=Shape.SUBSCRIBE,
                input=dataclasses.replace(
                    _message(
                        "application/json",
                        _schema(
                            {
                                "type": "object",
                                "properties": {
                                    "numbers": {
                                        "type": "array",
                                        "items": {"type": "number"},
                                        "examples": [[4, 3]],
                                    }
                                },
                            }
                        ),
                    ),
                    headers=(correlation_id,),
                    correlation_id="$message.header#/correlation_id",
                ),
                outputs=(reply,),
                binding=ChannelBinding(
                    protocol="rabbitmq",
                    channel="rpc_queue",
                    action="receive",
                    options=AmqpOptions(routing_key="rpc_queue", queue="rpc_queue"),
                    reply=ChannelReply(
                        address_location="$message.header#/reply_to", operation="sendSumResult"
                    ),
                ),
                source=Source(file=file, pointer="/operations/sum", line=64, column=3),
            ),
        ),
        servers=(Server(url="rabbitmq.example.org", protocol="amqp"),),
    )


# --- MCP: the reference filesystem server's read_file tool --------------------


def mcp_api() -> Api:
    file = "filesystem.mcp.json"
    tool_result = _schema(
        {
            "type": "object",
            "required": ["content"],
            "properties": {"content": {"type": "array", "items": {"$ref": "#/$defs/TextContent"}}},
        }
    )
    arguments = {
        "type": "object",
        "properties": {
            "path": {"type": "string"},
            "tail": {
                "type": "number",
                "description": "If provided, returns only the last N lines of the file",
            },
            "head": {
                "type": "number",
                "description": "If provided, returns only the first N lines of the file",
            },
        },
        "required": ["path"],
        "additionalProperties": False,
    }
    return Api(
        name="filesystem",
        spec_format="mcp",
        sources=(file,),
        operations=(
            Operation(
                id="tool_read_file",
                input=_message("application/json", _schema(arguments), required=True),
                outputs=(
                    Output(key="result", message=_message("application/json", tool_result)),
                    Output(
                        key="isError",
                        message=_message("application/json", tool_result),
                        is_error=True,
                    ),
                ),
                binding=McpBinding(primitive="tool", name="read_file"),
                description="Read the complete contents of a file from the file system.",
                source=Source(file=file, pointer="/tools/0"),
            ),
        ),
        schemas=(
            NamedSchema(
                name="TextContent",
                schema=_schema(
                    {
                        "type": "object",
                        "required": ["type", "text"],
                        "properties": {"type": {"const": "text"}, "text": {"type": "string"}},
                    }
                ),
            ),
        ),
    )


BUILDERS: dict[str, Callable[[], Api]] = {
    "http": http_api,
    "grpc": grpc_api,
    "graphql": graphql_api,
    "soap-document": soap_document_api,
    "soap-rpc": soap_rpc_api,
    "sse": sse_api,
    "websocket": websocket_api,
    "kafka": kafka_api,
    "rabbitmq": rabbitmq_api,
    "mcp": mcp_api,
}
ALL = [pytest.param(builder, id=name) for name, builder in BUILDERS.items()]
ROUND_TRIPPABLE = [pytest.param(builder, id=name) for name, builder in BUILDERS.items()]
TAGGED = [pytest.param(builder, id=name) for name, builder in BUILDERS.items()]
EXPECTED_BINDING = {
    "http": (HttpBinding, "http"),
    "grpc": (GrpcBinding, "grpc"),
    "graphql": (GraphqlBinding, "graphql"),
    "soap-document": (SoapBinding, "soap"),
    "soap-rpc": (SoapBinding, "soap"),
    "sse": (ChannelBinding, "channel"),
    "websocket": (ChannelBinding, "channel"),
    "kafka": (ChannelBinding, "channel"),
    "rabbitmq": (ChannelBinding, "channel"),
    "mcp": (McpBinding, "mcp"),
}


def _through_json(api: Api) -> Api:
    text = json.dumps(to_json(api), sort_keys=True)
    return api_from_json(json.loads(text))


def _nodes(value: Any) -> Iterator[Any]:
    """Every IR node (dataclass instance) reachable from ``value``."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        yield value
        for f in dataclasses.fields(value):
            yield from _nodes(getattr(value, f.name))
    elif isinstance(value, tuple):
        for item in value:
            yield from _nodes(item)


def _json_values(api: Api) -> Iterator[JsonValue]:
    for node in _nodes(api):
        for name in ("schema", "value", "encoding"):
            if hasattr(node, name) and getattr(node, name) is not None:
                yield getattr(node, name)


def _refs(value: JsonValue) -> Iterator[str]:
    if isinstance(value, Mapping):
        for key, item in value.items():
            if key == "$ref" and isinstance(item, str):
                yield item
            else:
                yield from _refs(item)
    elif isinstance(value, tuple):
        for item in value:
            yield from _refs(item)


# --- lossless JSON ------------------------------------------------------------


@pytest.mark.parametrize("build", ROUND_TRIPPABLE)
def test_json_round_trip_gives_an_equal_api(build: Callable[[], Api]) -> None:
    api = build()
    assert _through_json(api) == api


@pytest.mark.parametrize("build", ROUND_TRIPPABLE)
def test_json_round_trip_rebuilds_the_same_types(build: Callable[[], Api]) -> None:
    api = build()
    again = _through_json(api)
    assert [type(node) for node in _nodes(again)] == [type(node) for node in _nodes(api)]
    for operation in again.operations:
        assert isinstance(operation.shape, Shape)
        for parameter in getattr(operation.binding, "parameters", ()):
            assert isinstance(parameter.location, ParameterLocation)
    for value in _json_values(again):
        if isinstance(value, dict | list):
            pytest.fail(f"a JSON value came back mutable: {value!r}")


@pytest.mark.parametrize("build", ROUND_TRIPPABLE)
def test_json_round_trip_is_a_fixed_point(build: Callable[[], Api]) -> None:
    data = to_json(build())
    assert to_json(api_from_json(data)) == data


@pytest.mark.parametrize("build", TAGGED)
def test_to_json_gives_plain_json_with_a_binding_tag(
    request: pytest.FixtureRequest, build: Callable[[], Api]
) -> None:
    data = to_json(build())
    # Only dicts, lists and scalars: the standard encoder takes it as is.
    assert json.loads(json.dumps(data)) == data
    _, tag = EXPECTED_BINDING[request.node.callspec.id]
    assert {operation["binding"]["kind"] for operation in data["operations"]} == {tag}


@pytest.mark.parametrize("build", ALL)
def test_every_operation_has_the_binding_of_its_protocol(
    request: pytest.FixtureRequest, build: Callable[[], Api]
) -> None:
    cls, _ = EXPECTED_BINDING[request.node.callspec.id]
    assert all(type(operation.binding) is cls for operation in build().operations)


def test_to_json_keeps_the_order_of_schema_keys() -> None:
    # XSD sequences (and proto field order) are meaningful; to_json must not reorder.
    add = soap_document_api().schema_map()["Add"]
    data = to_json(add)
    assert list(data["properties"]) == ["intA", "intB"]
    assert list(data) == ["type", "required", "properties", "xml"]
    again = api_from_json(json.loads(json.dumps(to_json(soap_document_api()))))
    assert list(again.schema_map()["Add"]["properties"]) == ["intA", "intB"]


def test_floats_and_large_integers_survive_the_round_trip() -> None:
    api = websocket_api()
    example = _through_json(api).operations[0].outputs[0].message.contents[0].examples[0]
    event = example.value["events"][0]
    assert event["price"] == 54350.4 and isinstance(event["price"], float)
    assert example.value["eventId"] == 36902233362


# --- invariants of the examples -------------------------------------------------


@pytest.mark.parametrize("build", ALL)
def test_operation_ids_are_unique_python_identifiers(build: Callable[[], Api]) -> None:
    ids = [operation.id for operation in build().operations]
    assert len(ids) == len(set(ids))
    for operation_id in ids:
        assert operation_id.isidentifier() and not keyword.iskeyword(operation_id)


@pytest.mark.parametrize("build", ALL)
def test_every_operation_has_a_source(build: Callable[[], Api]) -> None:
    for operation in build().operations:
        assert operation.source is not None
        assert operation.source.file in build().sources


@pytest.mark.parametrize("build", ALL)
def test_every_schema_ref_names_a_schema_of_the_api(build: Callable[[], Api]) -> None:
    api = build()
    names = set(api.schema_map())
    for value in _json_values(api):
        for ref in _refs(value):
            assert ref.startswith(SCHEMA_REF_PREFIX), ref
            assert ref.removeprefix(SCHEMA_REF_PREFIX) in names, ref


def test_grpc_full_method_names() -> None:
    methods = [op.binding.full_method for op in grpc_api().operations]
    assert methods == ["/routeguide.RouteGuide/ListFeatures", "/routeguide.RouteGuide/RouteChat"]
    unpackaged = GrpcBinding(
        package="", service="Greeter", method="SayHello", input_type="A", output_type="B"
    )
    assert unpackaged.full_method == "/Greeter/SayHello"


# --- immutability ----------------------------------------------------------------


def _every_node() -> list[Any]:
    nodes: dict[type, Any] = {}
    for build in BUILDERS.values():
        for node in _nodes(build()):
            nodes.setdefault(type(node), node)
    return list(nodes.values())


@pytest.mark.parametrize("node", _every_node(), ids=lambda node: type(node).__name__)
def test_nodes_are_frozen(node: Any) -> None:
    first = dataclasses.fields(node)[0].name
    with pytest.raises(dataclasses.FrozenInstanceError):
        setattr(node, first, getattr(node, first))


def test_every_node_class_is_covered_by_the_examples() -> None:
    covered = {type(node).__name__ for node in _every_node()}
    assert covered >= {
        "Api",
        "Operation",
        "Message",
        "Content",
        "Example",
        "Output",
        "Parameter",
        "NamedSchema",
        "Server",
        "Source",
        "HttpBinding",
        "GrpcBinding",
        "GraphqlBinding",
        "SoapBinding",
        "ChannelBinding",
        "McpBinding",
    }


def test_nodes_are_keyword_only() -> None:
    with pytest.raises(TypeError):
        Source("petstore.yaml")  # type: ignore[misc]


def test_frozen_schemas_cannot_be_mutated() -> None:
    schema = http_api().schema_map()["Pet"]
    assert isinstance(schema, Mapping)
    with pytest.raises(TypeError):
        schema["type"] = "array"  # type: ignore[index]
    with pytest.raises(TypeError):
        schema["properties"]["id"]["format"] = "int32"  # type: ignore[index]
    with pytest.raises(TypeError):
        schema["required"][0] = "tag"  # type: ignore[index]
    with pytest.raises(TypeError):
        del schema["required"]  # type: ignore[attr-defined]


def test_frozen_schemas_survive_the_round_trip_frozen() -> None:
    again = _through_json(http_api())
    with pytest.raises(TypeError):
        again.schema_map()["Pet"]["type"] = "array"  # type: ignore[index]


# --- freeze / thaw ---------------------------------------------------------------

PLAIN = {
    "type": "object",
    "properties": {"numbers": {"type": "array", "items": {"type": "number"}}},
    "examples": [[4, 3], {"nested": [None, True, 1.5, "x"]}],
}


def test_thaw_undoes_freeze() -> None:
    assert thaw(freeze(PLAIN)) == PLAIN


def test_thaw_gives_mutable_data_freeze_gives_frozen_data() -> None:
    frozen = freeze(PLAIN)
    assert isinstance(frozen["examples"], tuple)
    plain = thaw(frozen)
    plain["examples"].append(1)
    plain["properties"]["numbers"]["type"] = "string"
    assert frozen["properties"]["numbers"]["type"] == "array"
    assert len(frozen["examples"]) == 2


def test_freeze_is_idempotent_and_copies() -> None:
    source = {"a": [1, {"b": 2}]}
    frozen = freeze(source)
    assert freeze(frozen) == frozen
    source["a"].append(3)
    assert frozen["a"] == (1, freeze({"b": 2}))


@pytest.mark.parametrize("scalar", [None, True, 0, 1.25, "text"])
def test_freeze_keeps_scalars(scalar: Any) -> None:
    assert freeze(scalar) is scalar


@pytest.mark.parametrize("bad", [{1, 2}, object(), b"bytes", {"a": {"b": {3}}}])
def test_freeze_rejects_what_is_not_json(bad: Any) -> None:
    with pytest.raises(TypeError):
        freeze(bad)


# --- Source ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("source", "text"),
    [
        (Source(file="petstore.yaml"), "petstore.yaml"),
        (Source(file="petstore.yaml", line=64), "petstore.yaml:64"),
        (Source(file="petstore.yaml", line=64, column=5), "petstore.yaml:64:5"),
        (
            Source(file="petstore.yaml", pointer="/paths/~1pets/get", line=11, column=5),
            "petstore.yaml:11:5: #/paths/~1pets/get",
        ),
        (
            Source(file="petstore.yaml", pointer="/paths/~1pets/get"),
            "petstore.yaml: #/paths/~1pets/get",
        ),
        (Source(file="route_guide.proto", column=3), "route_guide.proto"),
    ],
)
def test_source_str(source: Source, text: str) -> None:
    assert str(source) == text


# --- Api.operation -----------------------------------------------------------------


def test_operation_finds_by_id() -> None:
    api = grpc_api()
    assert api.operation("RouteGuide_RouteChat") is api.operations[1]
    assert api.operation("RouteGuide_RouteChat").shape is Shape.BIDI


def test_operation_raises_key_error_for_an_unknown_id() -> None:
    with pytest.raises(KeyError, match="RouteGuide_GetFeature"):
        grpc_api().operation("RouteGuide_GetFeature")
    with pytest.raises(KeyError):
        Api(name="empty").operation("anything")


@pytest.mark.parametrize("build", ALL)
def test_every_example_passes_the_ir_checker(build: Callable[[], Api]) -> None:
    IrChecker().check(build())
