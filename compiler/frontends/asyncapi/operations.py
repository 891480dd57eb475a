"""Channels and operations, AsyncAPI 2.x and 3.0, to IR operations.

3.0 operations say what the application does: ``send`` (the mock emits) or
``receive`` (the mock consumes). 2.x says it the other way round, from the
client's side: a channel's ``subscribe`` operation is one clients subscribe
to, so the application *sends* (``send``); its ``publish`` operation is one
clients publish to, so the application *receives* (``receive``).

Each message an operation sends is an output of its own, keyed by the
message's name in its channel (``Output.event`` holds the ``name`` on the
wire when it differs). A received message is the operation's input (several:
a ``oneOf`` of their payloads); a 3.0 ``reply`` makes the operation a
request/reply one whose outputs are the reply's messages.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from ... import ir
from ..documents import Location
from .bindings import channel_options, protocol_of, ws_query
from .context import Context, text
from .document import server_path
from .messages import MessageRead, read_message
from .rpc import paired_replies
from .traits import with_traits

__all__ = ["ChannelOperation", "read_operations"]

_STREAMED = frozenset({"sse", "websocket"})
"""Protocols where the mock's sends go down a connection a client opened."""


@dataclass
class ChannelOperation:
    """An operation of either major version, before it becomes IR."""

    id: str
    action: str
    channel_name: str
    address: str
    channel: Mapping[str, Any]
    channel_at: Location
    operation: Mapping[str, Any]
    at: Location
    messages: list[tuple[Any, Location, str]]
    reply_channel: str = ""
    reply_address: str = ""
    reply_messages: list[tuple[Any, Location, str]] = field(default_factory=list)


def read_operations(ctx: Context, servers: Mapping[str, ir.Server]) -> tuple[ir.Operation, ...]:
    raws = _raw_3(ctx) if ctx.major >= 3 else _raw_2(ctx)
    clients_send = any(raw.action == "receive" for raw in raws)
    found: list[ir.Operation] = []
    for raw in raws:
        operation = _operation(ctx, raw, servers, clients_send=clients_send)
        if operation is not None:
            found.append(operation)
    return paired_replies(tuple(found))


# -- 3.0 -------------------------------------------------------------------


def _raw_3(ctx: Context) -> list[ChannelOperation]:
    declared, at = ctx.mapping(
        ctx.document.get("operations"), ctx.root.child("operations"), "operations"
    )
    raws: list[ChannelOperation] = []
    for key, value in declared.items():
        operation, where = ctx.mapping(value, at.child(str(key)), "an operation")
        operation = with_traits(ctx, operation, where, "an operation trait")
        action = text(operation.get("action"))
        if action not in ("send", "receive"):
            ctx.problems.error(where.child("action"), "action must be 'send' or 'receive'")
            continue
        channel_ref = operation.get("channel")
        followed = ctx.follow(channel_ref, where.child("channel"))
        if followed is None or not isinstance(followed[0], Mapping):
            ctx.problems.error(where.child("channel"), "an operation needs a channel ($ref)")
            continue
        channel, channel_at = followed
        listed = operation.get("messages")
        if isinstance(listed, list):
            messages = [
                (item, where.child("messages", index), _ref_key(item))
                for index, item in enumerate(listed)
            ]
        else:
            messages = _channel_messages(ctx, channel, channel_at)
        raw = ChannelOperation(
            id=str(key),
            action=action,
            channel_name=channel_at.last_segment,
            address=_address(channel, channel_at),
            channel=channel,
            channel_at=channel_at,
            operation=operation,
            at=where,
            messages=messages,
        )
        _reply_3(ctx, raw, operation.get("reply"), where.child("reply"))
        raws.append(raw)
    return raws


def _reply_3(ctx: Context, raw: ChannelOperation, value: Any, at: Location) -> None:
    if value is None:
        return
    reply, where = ctx.mapping(value, at, "a reply")
    address, _ = ctx.mapping(reply.get("address"), where.child("address"), "a reply address")
    raw.reply_address = text(address.get("location"))
    channel: Mapping[str, Any] = {}
    if reply.get("channel") is not None:
        followed = ctx.follow(reply["channel"], where.child("channel"))
        if followed is not None and isinstance(followed[0], Mapping):
            channel, channel_at = followed
            raw.reply_channel = _address(channel, channel_at)
            raw.reply_messages = _channel_messages(ctx, channel, channel_at)
    listed = reply.get("messages")
    if isinstance(listed, list):
        raw.reply_messages = [
            (item, where.child("messages", index), _ref_key(item))
            for index, item in enumerate(listed)
        ]
    if not raw.reply_address and not raw.reply_channel and not raw.reply_messages:
        raw.reply_channel = raw.address


def _channel_messages(
    ctx: Context, channel: Mapping[str, Any], at: Location
) -> list[tuple[Any, Location, str]]:
    messages, where = ctx.mapping(channel.get("messages"), at.child("messages"), "messages")
    return [(value, where.child(str(name)), str(name)) for name, value in messages.items()]


def _address(channel: Mapping[str, Any], at: Location) -> str:
    address = channel.get("address")
    return address if isinstance(address, str) else at.last_segment


def _ref_key(item: Any) -> str:
    ref = item.get("$ref") if isinstance(item, Mapping) else None
    return ref.rsplit("/", 1)[-1] if isinstance(ref, str) else ""


# -- 2.x -------------------------------------------------------------------


def _raw_2(ctx: Context) -> list[ChannelOperation]:
    declared, at = ctx.mapping(ctx.document.get("channels"), ctx.root.child("channels"), "channels")
    raws: list[ChannelOperation] = []
    for name, value in declared.items():
        channel, channel_at = ctx.mapping(value, at.child(str(name)), "a channel")
        for verb, action in (("subscribe", "send"), ("publish", "receive")):
            if verb not in channel:
                continue
            operation, where = ctx.mapping(channel[verb], channel_at.child(verb), "an operation")
            operation = with_traits(ctx, operation, where, "an operation trait")
            message = operation.get("message")
            message_at = where.child("message")
            followed = ctx.follow(message, message_at) if message is not None else None
            messages: list[tuple[Any, Location, str]] = []
            if (
                followed is not None
                and isinstance(followed[0], Mapping)
                and isinstance(followed[0].get("oneOf"), list)
            ):
                one_of, one_of_at = followed
                messages = [
                    (item, one_of_at.child("oneOf", index), _ref_key(item))
                    for index, item in enumerate(one_of["oneOf"])
                ]
            elif message is not None:
                messages = [(message, message_at, _ref_key(message))]
            raws.append(
                ChannelOperation(
                    id=text(operation.get("operationId")) or f"{action}_{name}",
                    action=action,
                    channel_name=str(name),
                    address=str(name),
                    channel=channel,
                    channel_at=channel_at,
                    operation=operation,
                    at=where,
                    messages=messages,
                )
            )
    return raws


# -- to IR -----------------------------------------------------------------

NDJSON = "application/x-ndjson"
"""The content type of messages an SSE channel streams as JSON lines."""


def _all_ndjson(messages: list[MessageRead]) -> bool:
    """Whether every message of a stream is ``application/x-ndjson``: the stream
    is then newline-delimited JSON, not ``text/event-stream``."""
    types = {content.media_type for m in messages for content in m.message.contents}
    return types == {NDJSON}


def _operation(
    ctx: Context, raw: ChannelOperation, servers: Mapping[str, ir.Server], *, clients_send: bool
) -> ir.Operation | None:
    messages = [m for m in (read_message(ctx, v, at, key) for v, at, key in raw.messages) if m]
    replies = [m for m in (read_message(ctx, v, at, key) for v, at, key in raw.reply_messages) if m]
    on = _servers_of(ctx, raw, servers)
    keys = set(_binding_keys(raw.channel)) | set(_binding_keys(raw.operation))
    for message in messages:
        keys |= set(message.bindings)
    protocol = protocol_of(keys, [server.protocol for server in on], clients_send=clients_send)
    options = channel_options(
        ctx, protocol, raw, [m.bindings for m in messages], _server_documents(ctx, raw)
    )
    if isinstance(options, ir.SseOptions) and raw.action == "send" and _all_ndjson(messages):
        options = dataclasses.replace(options, framing="ndjson")
    parameters = _parameters(ctx, raw)
    reply = None
    if raw.action == "receive" and (raw.reply_channel or raw.reply_address or replies):
        reply = ir.ChannelReply(channel=raw.reply_channel, address_location=raw.reply_address)
    binding = ir.ChannelBinding(
        protocol=protocol,
        channel=raw.address,
        action=raw.action,
        parameters=parameters,
        path=_served_path(protocol, raw.address, on),
        options=options,
        reply=reply,
    )
    if raw.action == "send":
        shape = ir.Shape.SERVER_STREAM if protocol in _STREAMED else ir.Shape.PUBLISH
        input_message, outputs = None, tuple(_output(ctx, m) for m in messages)
    else:
        shape = ir.Shape.UNARY if reply is not None else ir.Shape.SUBSCRIBE
        input_message, outputs = _input(messages), tuple(_output(ctx, m) for m in replies)
    return ir.Operation(
        id=raw.id,
        shape=shape,
        input=input_message,
        outputs=outputs,
        binding=binding,
        summary=text(raw.operation.get("summary")),
        description=text(raw.operation.get("description")),
        tags=tuple(
            text(tag.get("name"))
            for tag in raw.operation.get("tags") or ()
            if isinstance(tag, Mapping)
        ),
        source=ctx.source(raw.at),
    )


def _output(ctx: Context, message: MessageRead) -> ir.Output:
    return ir.Output(
        key=message.key,
        message=message.message,
        headers=message.message.headers,
        event=message.event,
        description=message.summary or message.description,
        source=message.message.source,
    )


def _input(messages: list[MessageRead]) -> ir.Message | None:
    if not messages:
        return None
    if len(messages) == 1:
        return messages[0].message
    first = messages[0].message
    schemas = [m.message.contents[0].schema for m in messages]
    one_of = ir.freeze({"oneOf": [ir.thaw(s) if s is not None else {} for s in schemas]})
    content = ir.Content(media_type=first.contents[0].media_type, schema=one_of)
    return ir.Message(contents=(content,), required=True, source=first.source)


def _servers_of(
    ctx: Context, raw: ChannelOperation, servers: Mapping[str, ir.Server]
) -> list[ir.Server]:
    named = raw.channel.get("servers")
    if not isinstance(named, list) or not named:
        return list(servers.values())
    chosen: list[ir.Server] = []
    for item in named:
        name = _ref_key(item) if isinstance(item, Mapping) else str(item)
        if name in servers:
            chosen.append(servers[name])
    return chosen or list(servers.values())


def _server_documents(ctx: Context, raw: ChannelOperation) -> list[Mapping[str, Any]]:
    """The servers the channel is on (all when it names none), as the document
    declares them (their bindings)."""
    declared = ctx.document.get("servers")
    if not isinstance(declared, Mapping):
        return []
    named = raw.channel.get("servers")
    names = [
        _ref_key(item) if isinstance(item, Mapping) else str(item)
        for item in (named if isinstance(named, list) and named else declared)
    ]
    found: list[Mapping[str, Any]] = []
    for name in names:
        followed = ctx.follow(declared.get(name), ctx.root.child("servers").child(name))
        if followed is not None and isinstance(followed[0], Mapping):
            found.append(followed[0])
    return found


def _served_path(protocol: str, address: str, on: list[ir.Server]) -> str:
    """Where an HTTP-family channel whose address is not a path is served: the
    server's path (a Mercure hub), else ``/`` + the address."""
    if protocol not in _STREAMED or address.startswith("/"):
        return ""
    base = next((server_path(server) for server in on if server_path(server)), "")
    return base or "/" + address


def _binding_keys(node: Mapping[str, Any]) -> list[str]:
    bindings = node.get("bindings")
    return [str(key) for key in bindings] if isinstance(bindings, Mapping) else []


def _parameters(ctx: Context, raw: ChannelOperation) -> tuple[ir.Parameter, ...]:
    declared, at = ctx.mapping(
        raw.channel.get("parameters"), raw.channel_at.child("parameters"), "parameters"
    )
    found: list[ir.Parameter] = []
    for name, value in declared.items():
        parameter, where = ctx.mapping(value, at.child(str(name)), "a parameter")
        if "schema" in parameter:  # 2.x
            schema = ctx.schema(parameter["schema"], where.child("schema"))
        else:  # 3.0: enum, default, examples on the parameter itself
            plain: dict[str, Any] = {"type": "string"}
            for keyword in ("enum", "default"):
                if keyword in parameter:
                    plain[keyword] = parameter[keyword]
            schema = ir.freeze(plain)
        examples = parameter.get("examples")
        found.append(
            ir.Parameter(
                name=str(name),
                location=ir.ParameterLocation.PATH,
                schema=schema,
                required=True,
                description=text(parameter.get("description")),
                examples=tuple(
                    ir.Example(name="default" if i == 0 else f"example{i + 1}", value=ir.freeze(v))
                    for i, v in enumerate(examples if isinstance(examples, list) else [])
                    if isinstance(v, str | int | float | bool)
                ),
                source=ctx.source(where),
            )
        )
    query, query_at = ctx.mapping(
        ws_query(raw.channel), raw.channel_at.child("bindings", "ws", "query"), "query"
    )
    properties, properties_at = ctx.mapping(
        query.get("properties"), query_at.child("properties"), "properties"
    )
    required: list[Any] = _list(query.get("required"))
    for name, value in properties.items():
        found.append(
            ir.Parameter(
                name=str(name),
                location=ir.ParameterLocation.QUERY,
                schema=ctx.schema(value, properties_at.child(str(name))),
                required=name in required,
                source=ctx.source(properties_at.child(str(name))),
            )
        )
    return tuple(found)


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []
