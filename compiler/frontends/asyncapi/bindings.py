"""Protocol bindings: which protocol serves a channel, and its typed options.

The protocol of a channel is read, in this order, from

1. a binding on the channel, its operations or its messages naming one of
   ``ws``, ``kafka``, ``amqp``, ``mqtt`` (``http`` alone is not decisive);
2. the protocol of the servers the channel is on (all of them when it names
   none): ``ws``/``wss`` → ``websocket``; ``kafka``/``kafka-secure`` →
   ``kafka``; ``amqp``/``amqps`` → ``amqp``; ``mqtt``/``mqtts``/``secure-mqtt``
   → ``mqtt``; ``sse`` and ``mercure`` → ``sse``; ``http``/``https`` →
   ``sse`` when the document only sends, ``websocket`` when clients also
   send (an HTTP event stream carries one direction);
3. without servers, the same direction rule.

Any other protocol (``nats``, ``redis``…) is kept as written: the channel
reaches the IR with no options and the driver reports that no target
serves it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from ... import ir
from .avro import json_or_avro_schema
from .context import Context, text

if TYPE_CHECKING:
    from .operations import ChannelOperation

__all__ = ["channel_options", "protocol_of"]

_BINDING_PROTOCOLS = {"ws": "websocket", "kafka": "kafka", "amqp": "amqp", "mqtt": "mqtt"}
_SERVER_PROTOCOLS = {
    "ws": "websocket",
    "wss": "websocket",
    "kafka": "kafka",
    "kafka-secure": "kafka",
    "amqp": "amqp",
    "amqps": "amqp",
    "mqtt": "mqtt",
    "mqtts": "mqtt",
    "secure-mqtt": "mqtt",
    "sse": "sse",
    "mercure": "sse",
}
_HTTP = frozenset({"http", "https"})


def protocol_of(binding_keys: set[str], server_protocols: list[str], *, clients_send: bool) -> str:
    """The protocol serving a channel (see the module's docstring)."""
    for key, protocol in _BINDING_PROTOCOLS.items():
        if key in binding_keys:
            return protocol
    for server in server_protocols:
        mapped = _SERVER_PROTOCOLS.get(server.lower())
        if mapped is not None:
            return mapped
        if server.lower() not in _HTTP:
            return server.lower()
    return "websocket" if clients_send else "sse"


def channel_options(
    ctx: Context,
    protocol: str,
    raw: ChannelOperation,
    messages: list[Mapping[str, Any]],
    servers: list[Mapping[str, Any]],
) -> ir.ChannelOptions | None:
    """The protocol's own facts, from the channel's, operation's and messages'
    bindings (and, for Kafka's schema registry, those of the channel's ``servers``)."""
    on_channel = _binding(raw.channel, _key(protocol))
    on_operation = _binding(raw.operation, _key(protocol))
    if protocol == "kafka":
        key = next((m["kafka"].get("key") for m in messages if _has(m, "kafka", "key")), None)
        return ir.KafkaOptions(
            key=json_or_avro_schema(ctx, key, raw.at) if isinstance(key, Mapping) else None,
            partitions=_int(on_channel.get("partitions")),
            replicas=_int(on_channel.get("replicas")),
            group_id=_schema_constant(on_operation.get("groupId")),
            client_id=_schema_constant(on_operation.get("clientId")),
            registry_framing=_registry_framing(messages, servers) or None,
        )
    if protocol == "amqp":
        exchange = _mapping(on_channel.get("exchange"))
        queue = _mapping(on_channel.get("queue"))
        return ir.AmqpOptions(
            exchange=text(exchange.get("name")),
            exchange_type=text(exchange.get("type")),
            routing_key=text(on_channel.get("routingKey"))
            if on_channel.get("is") != "queue"
            else "",
            queue=text(queue.get("name"))
            or (raw.address if on_channel.get("is") == "queue" else ""),
            durable=_bool(queue.get("durable", exchange.get("durable"))),
            auto_delete=_bool(queue.get("autoDelete", exchange.get("autoDelete"))),
            exclusive=_bool(queue.get("exclusive")),
            ack=_bool(on_operation.get("ack")),
            vhost=text(queue.get("vhost") or exchange.get("vhost")),
            exchange_durable=_bool(exchange.get("durable")),
            exchange_auto_delete=_bool(exchange.get("autoDelete")),
            cc=_texts(on_operation.get("cc")),
            bcc=_texts(on_operation.get("bcc")),
            priority=_int(on_operation.get("priority")),
            expiration=_int(on_operation.get("expiration")),
            delivery_mode=_int(on_operation.get("deliveryMode")),
        )
    if protocol == "mqtt":
        return ir.MqttOptions(
            qos=_int(on_operation.get("qos")), retain=_bool(on_operation.get("retain"))
        )
    if protocol == "websocket":
        return ir.WebSocketOptions()
    if protocol == "sse":
        http = _binding(raw.operation, "http")
        method = text(http.get("method")).upper() or "GET"
        return ir.SseOptions(method=method)
    return None


def _registry_framing(messages: list[Mapping[str, Any]], servers: list[Mapping[str, Any]]) -> bool:
    """Whether the schema id travels in the payload (a schema registry's wire
    format): the messages' ``schemaIdLocation`` says so, else a server names a
    ``schemaRegistryUrl`` (the id in a header is not framing)."""
    for message in messages:
        location = _binding({"bindings": message}, "kafka").get("schemaIdLocation")
        if location in ("payload", "header"):
            return location == "payload"
    return any(_binding(server, "kafka").get("schemaRegistryUrl") for server in servers)


def ws_query(channel: Mapping[str, Any]) -> Any:
    """The ``ws`` channel binding's ``query`` schema (its properties become query parameters)."""
    return _binding(channel, "ws").get("query")


def _key(protocol: str) -> str:
    return {"websocket": "ws"}.get(protocol, protocol)


def _binding(node: Mapping[str, Any], key: str) -> Mapping[str, Any]:
    bindings = node.get("bindings")
    found = bindings.get(key) if isinstance(bindings, Mapping) else None
    return found if isinstance(found, Mapping) else {}


def _has(message: Mapping[str, Any], key: str, field: str) -> bool:
    return field in _binding({"bindings": message}, key)


def _mapping(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def _int(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _bool(value: Any) -> bool | None:
    return value if isinstance(value, bool) else None


def _texts(value: Any) -> tuple[str, ...]:
    """A binding field that is a list of strings (a lone string is a list of one)."""
    if isinstance(value, str):
        return (value,)
    if isinstance(value, list):
        return tuple(item for item in value if isinstance(item, str))
    return ()


def _schema_constant(value: Any) -> str:
    """A binding field given as a value or as a schema with one ``enum``/``const``."""
    if isinstance(value, str):
        return value
    if isinstance(value, Mapping):
        if isinstance(value.get("const"), str):
            return str(value["const"])
        enum = value.get("enum")
        if isinstance(enum, list) and len(enum) == 1 and isinstance(enum[0], str):
            return enum[0]
    return ""
