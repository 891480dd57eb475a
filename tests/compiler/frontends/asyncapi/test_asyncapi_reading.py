"""What the AsyncAPI front end reads into the IR, construct by construct, and
the located errors of malformed documents."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from mockc.compiler import ir
from mockc.compiler.errors import Diagnostic, SpecError, UnsupportedSpecError
from mockc.compiler.frontends.asyncapi import load
from mockc.compiler.frontends.registry import front_end_for
from tests.support.corpus import CORPUS

ASYNCAPI = CORPUS / "asyncapi"


def _write(tmp_path: Path, text: str, name: str = "api.yaml") -> Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def _binding(operation: ir.Operation) -> ir.ChannelBinding:
    assert isinstance(operation.binding, ir.ChannelBinding)
    return operation.binding


def test_asyncapi_files_are_read_by_the_asyncapi_front_end() -> None:
    assert front_end_for(ASYNCAPI / "gitter-streaming" / "asyncapi-3.0.0.yml").name == "asyncapi"
    assert front_end_for(ASYNCAPI / "websocket-gemini" / "asyncapi-2.6.0.yml").name == "asyncapi"


def test_3_0_operation_messages_become_one_output_per_event_type() -> None:
    api = load(ASYNCAPI / "gitter-streaming" / "asyncapi-3.0.0.yml")
    (operation,) = api.operations
    binding = _binding(operation)
    assert operation.id == "sendRoomInfo"
    assert operation.shape is ir.Shape.SERVER_STREAM
    assert (binding.protocol, binding.action) == ("sse", "send")
    assert binding.channel == "/rooms/{roomId}/{resource}"
    assert [p.name for p in binding.parameters] == ["roomId", "resource"]
    assert ir.thaw(binding.parameters[1].schema) == {
        "type": "string",
        "enum": ["chatMessages", "events"],
    }
    assert binding.parameters[0].examples[0].value == "53307860c3599d1de448e19d"
    assert [output.key for output in operation.outputs] == ["chatMessage", "heartbeat"]
    assert isinstance(binding.options, ir.SseOptions) and binding.options.method == "POST"
    assert operation.source is not None and operation.source.line == 33


def test_2_x_subscribe_is_a_send_and_publish_a_receive() -> None:
    api = load(ASYNCAPI / "streetlights-kafka" / "asyncapi-2.6.0.yml")
    actions = {op.id: (_binding(op).action, op.shape) for op in api.operations}
    # the document's "publish" (clients publish) is what the application receives
    assert actions["receiveLightMeasurement"] == ("receive", ir.Shape.SUBSCRIBE)
    # its "subscribe" (clients subscribe) is what the application sends
    assert actions["turnOn"] == ("send", ir.Shape.PUBLISH)


def test_kafka_bindings_and_message_traits() -> None:
    api = load(ASYNCAPI / "streetlights-kafka" / "asyncapi-3.0.0.yml")
    turn_on = api.operation("turnOn")
    options = _binding(turn_on).options
    assert isinstance(options, ir.KafkaOptions)
    assert options.client_id == "my-app-id"
    (output,) = turn_on.outputs
    assert [h.name for h in output.headers] == ["my-app-header"]
    assert output.headers[0].location is ir.ParameterLocation.METADATA
    assert ir.thaw(output.headers[0].schema) == {"type": "integer", "minimum": 0, "maximum": 100}
    assert output.message.contents[0].schema == ir.freeze({"$ref": "#/$defs/turnOnOffPayload"})


def test_correlation_id_and_mqtt_options() -> None:
    api = load(ASYNCAPI / "correlation-id" / "asyncapi-3.0.0.yml")
    measured = api.operation("receiveLightMeasurement")
    assert measured.input is not None
    assert measured.input.correlation_id == "$message.header#/MQMD/CorrelId"
    dim = api.operation("dimLight")
    assert dim.outputs[0].message.correlation_id == "$message.payload#/sentAt"
    assert isinstance(_binding(dim).options, ir.MqttOptions)


def test_amqp_options() -> None:
    api = load(ASYNCAPI / "rpc-server" / "asyncapi-3.0.0.yml")
    options = _binding(api.operation("sendSumResult")).options
    assert isinstance(options, ir.AmqpOptions)
    assert (options.queue, options.exclusive, options.ack) == ("{queue}", True, True)


def test_3_0_reply_makes_a_request_reply_operation() -> None:
    api = load(ASYNCAPI / "kraken-websocket-request-reply-multiple-channels" / "asyncapi-3.0.0.yml")
    ping = api.operation("receivePing")
    binding = _binding(ping)
    assert (binding.protocol, binding.action, ping.shape) == (
        "websocket",
        "receive",
        ir.Shape.UNARY,
    )
    assert binding.reply == ir.ChannelReply(channel="/")
    assert ping.input is not None
    assert [o.key for o in ping.outputs] == ["pong"]
    assert [o.key for o in api.operation("unsubscribe").outputs] == ["subscriptionStatus"]


def test_2_x_one_of_messages_are_one_output_each() -> None:
    api = load(ASYNCAPI / "slack-rtm" / "asyncapi-2.6.0.yml")
    send = next(op for op in api.operations if _binding(op).action == "send")
    assert len(send.outputs) > 40
    assert send.outputs[0].key == "hello"
    assert _binding(send).protocol == "websocket"


def test_ws_binding_query_becomes_query_parameters() -> None:
    api = load(ASYNCAPI / "websocket-gemini" / "asyncapi-3.0.0.yml")
    binding = _binding(api.operation("sendMarketData"))
    locations = {p.name: p.location for p in binding.parameters}
    assert locations["symbol"] is ir.ParameterLocation.PATH
    assert locations["heartbeat"] is ir.ParameterLocation.QUERY


def test_a_channel_address_that_is_no_path_is_served_on_the_server_path() -> None:
    api = load(ASYNCAPI / "mercure" / "asyncapi-3.0.0.yml")
    binding = _binding(api.operation("SendBooksInfo"))
    assert binding.channel == "https://example.com/books/{id}"
    assert binding.served_path == "/.well-known/mercure"


def test_refs_across_files_are_followed() -> None:
    api = load(ASYNCAPI / "social-media-multifile-3.0" / "frontend" / "asyncapi.yaml")
    assert len(api.sources) > 1
    assert {op.id for op in api.operations} == {"sendLikeComment", "receiveUpdateCommentLiked"}


def test_servers_keep_their_protocol() -> None:
    api = load(ASYNCAPI / "streetlights-mqtt" / "asyncapi-3.0.0.yml")
    assert [server.protocol for server in api.servers] == ["mqtt"]
    assert api.servers[0].url.startswith("mqtt://")


def test_message_names_examples_and_content_type(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        """\
        asyncapi: 3.0.0
        info: {title: Ticks, version: '1'}
        channels:
          ticks:
            address: /ticks
            messages:
              tick:
                name: clock-tick
                contentType: text/plain
                payload: {type: string}
                examples:
                  - {name: first, summary: the first tick, payload: tick-1}
        operations:
          sendTicks:
            action: send
            channel: {$ref: '#/channels/ticks'}
        """,
    )
    (operation,) = load(path).operations
    (output,) = operation.outputs
    assert (output.key, output.event) == ("tick", "clock-tick")
    content = output.message.contents[0]
    assert content.media_type == "text/plain"
    assert [(e.name, e.value, e.summary) for e in content.examples] == [
        ("first", "tick-1", "the first tick")
    ]


def test_a_protobuf_payload_is_opaque_with_a_located_warning(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        """\
        asyncapi: 3.0.0
        info: {title: Avro, version: '1'}
        channels:
          users: {address: /users, messages: {user: {$ref: '#/components/messages/user'}}}
        operations:
          sendUsers: {action: send, channel: {$ref: '#/channels/users'}}
        components:
          messages:
            user:
              payload:
                schemaFormat: application/vnd.google.protobuf;version=3
                schema: {message: 'message User { string name = 1; }'}
        """,
    )
    warnings: list[Diagnostic] = []
    (operation,) = load(path, warnings=warnings).operations
    assert operation.outputs[0].message.contents[0].schema is None
    (warning,) = warnings
    assert "not supported yet" in warning.message
    assert warning.pointer == "/components/messages/user/payload/schema"
    assert warning.line == 12


def test_an_unsupported_version_is_a_located_error(tmp_path: Path) -> None:
    path = _write(tmp_path, "info: {title: Old}\nasyncapi: 1.2.0\n")
    with pytest.raises(UnsupportedSpecError) as raised:
        load(path)
    diagnostic = raised.value.diagnostics[0]
    assert (diagnostic.pointer, diagnostic.line) == ("/asyncapi", 2)


def test_an_operation_without_a_channel_is_a_located_error(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        """\
        asyncapi: 3.0.0
        info: {title: Broken, version: '1'}
        operations:
          lost:
            action: send
        """,
    )
    with pytest.raises(SpecError) as raised:
        load(path)
    diagnostic = raised.value.diagnostics[0]
    assert diagnostic.file == str(path)
    assert (diagnostic.pointer, diagnostic.line) == ("/operations/lost/channel", 4)


def test_a_bad_action_is_a_located_error(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        """\
        asyncapi: 3.0.0
        info: {title: Broken, version: '1'}
        channels: {c: {address: /c}}
        operations:
          odd:
            action: publish
            channel: {$ref: '#/channels/c'}
        """,
    )
    with pytest.raises(SpecError) as raised:
        load(path)
    assert raised.value.diagnostics[0].pointer == "/operations/odd/action"
    assert raised.value.diagnostics[0].line == 6


def test_amqp_rpc_pattern_without_reply_becomes_request_reply() -> None:
    for version in ("2.6.0", "3.0.0"):
        api = load(ASYNCAPI / "rpc-server" / f"asyncapi-{version}.yml")
        request = api.operation("sum")
        binding = _binding(request)
        assert request.shape is ir.Shape.UNARY
        assert binding.reply == ir.ChannelReply(operation="sendSumResult")
        assert request.outputs == api.operation("sendSumResult").outputs
        # the client side sends requests and receives results: nothing to pair
        client = load(ASYNCAPI / "rpc-client" / f"asyncapi-{version}.yml")
        assert all(_binding(op).reply is None for op in client.operations)


def test_amqp_exchange_and_publishing_options(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        """
        asyncapi: 3.0.0
        info: {title: Shop, version: 1.0.0}
        servers:
          broker: {host: 'localhost:5672', protocol: amqp}
        channels:
          orders:
            address: 'orders.{region}'
            parameters: {region: {}}
            messages:
              created: {payload: {type: object}}
            bindings:
              amqp:
                is: routingKey
                exchange: {name: shop, type: topic, durable: false, autoDelete: true}
        operations:
          orderCreated:
            action: send
            channel: {$ref: '#/channels/orders'}
            bindings:
              amqp: {cc: [audit.orders], priority: 5, expiration: 60000, deliveryMode: 2}
        """,
    )
    options = _binding(load(path).operation("orderCreated")).options
    assert isinstance(options, ir.AmqpOptions)
    assert (options.exchange, options.exchange_type) == ("shop", "topic")
    assert (options.exchange_durable, options.exchange_auto_delete) == (False, True)
    assert (options.cc, options.priority, options.expiration, options.delivery_mode) == (
        ("audit.orders",),
        5,
        60000,
        2,
    )
