"""The IR fields the next protocols need (docs/ir.md, "Gaps found"): they are
typed, they survive the JSON round trip, and output keys read by the rules
of their binding."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mockc.compiler import ir
from mockc.compiler.ir.selectors import (
    ChannelMessage,
    GrpcStatus,
    HttpStatus,
    McpResult,
    SelectorError,
    SoapAnswer,
    output_selector,
)
from mockc.compiler.passes.check_ir import IrChecker

NS = "http://tempuri.org/"
METADATA = ir.ParameterLocation.METADATA


def _through_json(api: ir.Api) -> ir.Api:
    return ir.api_from_json(json.loads(json.dumps(ir.to_json(api), sort_keys=True)))


def _body(schema: dict[str, Any], media_type: str = "text/xml") -> ir.Message:
    return ir.Message(contents=(ir.Content(media_type=media_type, schema=ir.freeze(schema)),))


def soap_api() -> ir.Api:
    """The calculator's ``Add`` on its SOAP 1.1 and 1.2 ports, with a header
    part on the request and a fault with its detail element."""
    port = ir.SoapBinding(
        service="Calculator",
        port="CalculatorSoap",
        operation="Add",
        soap_action="http://tempuri.org/Add",
        namespace=NS,
        input_element="{http://tempuri.org/}Add",
        output_element="{http://tempuri.org/}AddResponse",
        address="/calculator.asmx",
        security=(ir.freeze({"basic": []}),),
    )
    port12 = ir.SoapBinding(
        service="Calculator",
        port="CalculatorSoap12",
        operation="Add",
        soap_action="http://tempuri.org/Add",
        soap_version="1.2",
        namespace=NS,
        input_element=port.input_element,
        output_element=port.output_element,
        address="/calculator.asmx",
    )
    request = _body(
        {
            "type": "object",
            "properties": {"intA": {"type": "integer"}, "intB": {"type": "integer"}},
            "x-order": ["intA", "intB"],
            "xml": {"name": "Add", "namespace": NS},
        }
    )
    header = ir.Parameter(
        name="AuthHeader",
        location=METADATA,
        required=True,
        element="{http://tempuri.org/}AuthHeader",
        schema=ir.freeze({"type": "object", "properties": {"token": {"type": "string"}}}),
    )
    fault = ir.Output(
        key="DivideByZero",
        is_error=True,
        fault=ir.Fault(code="soap:Client", detail_element="{http://tempuri.org/}DivideByZero"),
        message=_body({"type": "object", "xml": {"name": "DivideByZero", "namespace": NS}}),
    )
    return ir.Api(
        name="calculator",
        operations=(
            ir.Operation(
                id="CalculatorSoap_Add",
                input=ir.Message(contents=request.contents, required=True, headers=(header,)),
                outputs=(ir.Output(key="AddResponse", message=_body({"type": "object"})), fault),
                binding=port,
                alternate_bindings=(port12,),
            ),
        ),
    )


def channels_api() -> ir.Api:
    """An SSE stream with two event types, a Kafka consumer with a key and
    headers, and an AMQP request/reply."""
    sse = ir.Operation(
        id="sendRoomInfo",
        shape=ir.Shape.SERVER_STREAM,
        outputs=(
            ir.Output(key="chatMessage", message=_body({"type": "object"}, "application/json")),
            ir.Output(
                key="heartbeat", event="ping", message=_body({"type": "string"}, "text/plain")
            ),
        ),
        binding=ir.ChannelBinding(
            protocol="sse",
            channel="/rooms/{roomId}",
            action="send",
            parameters=(ir.Parameter(name="roomId", location=ir.ParameterLocation.PATH),),
            options=ir.SseOptions(method="POST", framing="chunked", retry_ms=3000),
            security=(ir.freeze({"bearer": []}),),
        ),
    )
    mercure = ir.Operation(
        id="bookUpdated",
        shape=ir.Shape.SERVER_STREAM,
        outputs=(ir.Output(key="book"),),
        binding=ir.ChannelBinding(
            protocol="sse",
            channel="https://example.com/books/{id}",
            path="/.well-known/mercure",
            action="send",
            parameters=(ir.Parameter(name="id", location=ir.ParameterLocation.PATH),),
        ),
    )
    kafka = ir.Operation(
        id="receiveLightMeasurement",
        shape=ir.Shape.SUBSCRIBE,
        input=ir.Message(
            contents=_body({"type": "object"}, "application/json").contents,
            headers=(ir.Parameter(name="my-app-header", location=METADATA),),
        ),
        binding=ir.ChannelBinding(
            protocol="kafka",
            channel="lights.measured",
            action="receive",
            options=ir.KafkaOptions(
                key=ir.freeze({"type": "string"}), partitions=3, replicas=2, group_id="lights"
            ),
        ),
    )
    rpc = ir.Operation(
        id="sum",
        shape=ir.Shape.SUBSCRIBE,
        input=ir.Message(correlation_id="$message.header#/correlation_id"),
        outputs=(ir.Output(key="sendSumResult"),),
        binding=ir.ChannelBinding(
            protocol="rabbitmq",
            channel="rpc_queue",
            action="receive",
            options=ir.AmqpOptions(
                exchange="calc",
                exchange_type="direct",
                durable=True,
                auto_delete=False,
                routing_key="rpc_queue",
                queue="rpc_queue",
                ack=True,
            ),  # fmt: skip
            reply=ir.ChannelReply(address_location="$message.header#/reply_to"),
        ),
    )
    mqtt = ir.Operation(
        id="turnOn",
        shape=ir.Shape.PUBLISH,
        outputs=(ir.Output(key="turnOnOff"),),
        binding=ir.ChannelBinding(
            protocol="mqtt",
            channel="lights/on",
            action="send",
            options=ir.MqttOptions(qos=1, retain=False),
        ),
    )
    socket = ir.Operation(
        id="chat",
        shape=ir.Shape.BIDI,
        outputs=(ir.Output(key="message"),),
        binding=ir.ChannelBinding(
            protocol="websocket",
            channel="/chat",
            action="send",
            options=ir.WebSocketOptions(subprotocol="chat.v1"),
        ),
    )
    return ir.Api(name="channels", operations=(sse, mercure, kafka, rpc, mqtt, socket))


def mcp_api() -> ir.Api:
    result = ir.Output(key="result")
    return ir.Api(
        name="filesystem",
        operations=(
            ir.Operation(
                id="tool_read_file",
                outputs=(result, ir.Output(key="isError", is_error=True)),
                binding=ir.McpBinding(
                    primitive="tool",
                    name="read_file",
                    title="Read file",
                    annotations=ir.McpToolAnnotations(read_only=True, open_world=False),
                ),
            ),
            ir.Operation(
                id="resource_file",
                outputs=(result,),
                binding=ir.McpBinding(
                    primitive="resource",
                    name="file",
                    uri_template="file:///{path}",
                    mime_type="text/plain",
                    parameters=(ir.Parameter(name="path", location=ir.ParameterLocation.PATH),),
                ),
            ),
            ir.Operation(
                id="prompt_review",
                outputs=(result,),
                binding=ir.McpBinding(
                    primitive="prompt",
                    name="review",
                    arguments=(ir.McpPromptArgument(name="code", required=True),),
                ),
            ),
        ),
    )


def grpc_with_http_api() -> ir.Api:
    """A gRPC method that ``google.api.http`` also maps to HTTP."""
    return ir.Api(
        name="pubsub",
        operations=(
            ir.Operation(
                id="Publisher_GetTopic",
                input=ir.Message(headers=(ir.Parameter(name="x-goog-user", location=METADATA),)),
                outputs=(ir.Output(key="OK"), ir.Output(key="NOT_FOUND", is_error=True)),
                binding=ir.GrpcBinding(
                    package="google.pubsub.v1",
                    service="Publisher",
                    method="GetTopic",
                    input_type="google.pubsub.v1.GetTopicRequest",
                    output_type="google.pubsub.v1.Topic",
                ),
                alternate_bindings=(ir.HttpBinding(method="GET", path="/v1/{topic}"),),
            ),
        ),
    )


BUILDERS = [soap_api, channels_api, mcp_api, grpc_with_http_api]


@pytest.mark.parametrize("build", BUILDERS)
def test_the_new_fields_survive_the_json_round_trip(build: Any) -> None:
    api = build()
    again = _through_json(api)
    assert again == api
    assert ir.to_json(again) == ir.to_json(api)


@pytest.mark.parametrize("build", BUILDERS)
def test_the_examples_pass_the_ir_checker(build: Any) -> None:
    IrChecker().check(build())


def test_one_operation_keeps_every_binding_primary_first() -> None:
    (add,) = _through_json(soap_api()).operations
    assert [b.soap_version for b in add.bindings] == ["1.1", "1.2"]  # type: ignore[union-attr]
    assert add.binding is add.bindings[0]


def test_options_are_rebuilt_as_their_own_class() -> None:
    options = [op.binding.options for op in _through_json(channels_api()).operations]  # type: ignore[union-attr]
    assert [type(o).__name__ if o else None for o in options] == [
        "SseOptions", None, "KafkaOptions", "AmqpOptions", "MqttOptions", "WebSocketOptions"
    ]  # fmt: skip


def test_a_served_path_differs_from_the_channel_only_when_set() -> None:
    sse, mercure = channels_api().operations[:2]
    assert sse.binding.served_path == "/rooms/{roomId}"  # type: ignore[union-attr]
    assert mercure.binding.served_path == "/.well-known/mercure"  # type: ignore[union-attr]


def test_an_sse_stream_with_two_event_types_has_two_answers() -> None:
    sse = channels_api().operations[0]
    selectors = [output_selector(output, sse.binding) for output in sse.outputs]
    assert selectors == [
        ChannelMessage(name="chatMessage", event="chatMessage"),
        ChannelMessage(name="heartbeat", event="ping"),
    ]


@pytest.mark.parametrize(
    ("key", "selector"),
    [
        ("200", HttpStatus(code=200)),
        ("4XX", HttpStatus(range=4)),
        ("default", HttpStatus()),
    ],
)
def test_http_keys_read_as_statuses(key: str, selector: HttpStatus) -> None:
    binding = ir.HttpBinding(method="GET", path="/")
    assert output_selector(ir.Output(key=key), binding) == selector


def test_statuses_say_which_are_success() -> None:
    assert HttpStatus(code=201).is_success and HttpStatus(range=2).is_success
    assert not HttpStatus(code=404).is_success and HttpStatus().is_default


@pytest.mark.parametrize("key", ["20", "200 ", "6XX", "OK", ""])
def test_malformed_http_keys_are_refused(key: str) -> None:
    with pytest.raises(SelectorError):
        output_selector(ir.Output(key=key), ir.HttpBinding(method="GET", path="/"))


def test_grpc_soap_and_mcp_keys_are_typed() -> None:
    (get,) = grpc_with_http_api().operations
    assert output_selector(get.outputs[1], get.binding) == GrpcStatus(name="NOT_FOUND", code=5)
    (add,) = soap_api().operations
    fault = output_selector(add.outputs[1], add.binding)
    assert isinstance(fault, SoapAnswer) and fault.fault is not None
    assert fault.fault.code == "soap:Client"
    tool = mcp_api().operations[0]
    assert output_selector(tool.outputs[1], tool.binding) == McpResult(is_error=True)


# --- generated values ---------------------------------------------------------

_text = st.text(max_size=8)
_flag = st.none() | st.booleans()
_count = st.none() | st.integers(min_value=0, max_value=10_000)
_json = st.recursive(
    st.none() | st.booleans() | st.integers() | _text,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(_text, inner, max_size=3),
    max_leaves=8,
)
_options = st.one_of(
    st.builds(ir.KafkaOptions, key=_json.map(ir.freeze), partitions=_count, replicas=_count,
              group_id=_text, client_id=_text),
    st.builds(ir.AmqpOptions, exchange=_text, exchange_type=_text, routing_key=_text,
              queue=_text, durable=_flag, auto_delete=_flag, exclusive=_flag, ack=_flag,
              vhost=_text),
    st.builds(ir.MqttOptions, qos=st.none() | st.integers(0, 2), retain=_flag),
    st.builds(ir.WebSocketOptions, subprotocol=_text),
    st.builds(ir.SseOptions, method=_text, framing=_text, event=_text, retry_ms=_count),
)  # fmt: skip
_header = st.builds(ir.Parameter, name=_text, location=st.just(METADATA), element=_text)
_channel = st.builds(
    ir.ChannelBinding,
    protocol=_text,
    channel=_text,
    action=_text,
    path=_text,
    options=st.none() | _options,
    reply=st.none()
    | st.builds(ir.ChannelReply, channel=_text, address_location=_text, operation=_text),
    security=st.lists(st.dictionaries(_text, st.lists(_text, max_size=2)).map(ir.freeze),
                      max_size=2).map(tuple),
)  # fmt: skip
_mcp = st.builds(
    ir.McpBinding,
    primitive=_text,
    name=_text,
    title=_text,
    mime_type=_text,
    annotations=st.none()
    | st.builds(ir.McpToolAnnotations, title=_text, read_only=_flag, destructive=_flag,
                idempotent=_flag, open_world=_flag),
    arguments=st.lists(st.builds(ir.McpPromptArgument, name=_text, description=_text,
                                 required=st.booleans()), max_size=2).map(tuple),
)  # fmt: skip
_output = st.builds(
    ir.Output,
    key=_text,
    event=_text,
    fault=st.none() | st.builds(ir.Fault, code=_text, detail_element=_text),
    message=st.builds(ir.Message, headers=st.lists(_header, max_size=2).map(tuple),
                      correlation_id=_text),
)  # fmt: skip
_operation = st.builds(
    ir.Operation,
    id=_text,
    binding=_channel | _mcp,
    alternate_bindings=st.lists(_channel | _mcp, max_size=2).map(tuple),
    outputs=st.lists(_output, max_size=2).map(tuple),
)


@settings(max_examples=150, deadline=None)
@given(st.lists(_operation, max_size=3))
def test_any_combination_of_the_new_fields_survives_the_round_trip(
    operations: list[ir.Operation],
) -> None:
    api = ir.Api(name="generated", operations=tuple(operations))
    assert _through_json(api) == api
