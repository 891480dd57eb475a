"""The mock's connection to RabbitMQ (AMQP 0-9-1), through aio-pika.

:class:`AmqpClient` implements :class:`~..broker.client.BrokerClient`:

- ``declare``: each channel's exchange, exactly as the contract names and
  types it (no prefix; durable and auto-delete as it says); the queue of an
  ``is: queue`` channel, and on the default exchange the queue named as the
  channel's address; for a consumed channel without a queue, a queue named
  ``mockc.<operation>`` bound to the exchange with the channel's routing key
  (its ``{param}`` placeholders as ``*``); a queue whose name is a parameter
  (``{queue}``, the reply queue of an RPC client) is named by the broker.
- ``consume``: acknowledges each message after the service handled it (a
  crash, or a lost connection, leaves it unacknowledged: the broker
  redelivers it); ``ack: false`` channels consume without acknowledgements.
- ``publish``: with publisher confirms, so a message the call returned for is
  on the broker; the properties (content type, correlation id, reply-to,
  message id, expiration, priority, headers) are carried both ways.

An exchange or queue that already exists with other properties is used as it
is (one line on stderr says so) rather than failing the whole service.
"""

from __future__ import annotations

import asyncio
import contextlib
import re
import sys
import uuid
from collections.abc import Mapping, Sequence
from functools import partial
from typing import Any

import aio_pika
import aiormq
from aio_pika.abc import (
    AbstractChannel,
    AbstractConnection,
    AbstractExchange,
    AbstractIncomingMessage,
    AbstractQueue,
)
from pamqp.common import FieldTable
from yarl import URL

from ..broker.channels import BrokerChannel
from ..broker.client import Handle
from ..broker.exceptions import BrokerLost, BrokerUnavailable, MessageRefused
from ..broker.message import BrokerMessage
from ..exceptions import RuntimeFailure
from .options import AmqpChannelOptions, binding_key

__all__ = ["AmqpClient", "describe_url"]

PREFETCH = 64
"""Messages delivered to the mock before it acknowledges any."""
CONNECT_TIMEOUT_S = 10.0
_PLACEHOLDER = re.compile(r"\{[^{}]+\}")
_CONSUMED_MARK = "redelivered"
"""An extra every consumed message has: its facts are not a publishing request."""
_CONNECTION_ERRORS = (
    aiormq.exceptions.AMQPError,
    aio_pika.exceptions.AMQPError,
    ConnectionError,
    OSError,
    RuntimeError,
    asyncio.TimeoutError,
)


def describe_url(url: str) -> str:
    """``amqp at host:port/vhost``: where ``url`` points, without credentials."""
    parsed = URL(url)
    vhost = parsed.path[1:] if len(parsed.path) > 1 else "/"
    port = parsed.port or (5671 if parsed.scheme == "amqps" else 5672)
    return f"amqp at {parsed.host or 'localhost'}:{port} (vhost {vhost})"


def _reason(error: BaseException) -> str:
    """One line saying why, with no credentials (aiormq messages hold none)."""
    text = str(error).strip() or type(error).__name__
    if isinstance(
        error, aiormq.exceptions.ProbableAuthenticationError | aiormq.exceptions.AuthenticationError
    ):
        return "the broker refused the credentials"
    if isinstance(error, asyncio.TimeoutError):
        return "timed out"
    return text.splitlines()[0][:200]


class _Differs(RuntimeFailure):
    """An exchange or queue exists with other properties than the contract's."""

    def __init__(self, kind: str, name: str) -> None:
        super().__init__(f"{kind} {name}")
        self.kind = kind
        self.name = name


def _say(line: str) -> None:
    print(f"mockc: {line}", file=sys.stderr, flush=True)


class AmqpClient:
    """One connection and one channel to a RabbitMQ virtual host."""

    protocol = "amqp"
    publish_window = 64
    """Messages the service may have in flight at once: each is confirmed by the
    broker, in order, before the window moves past it."""

    def __init__(self, url: str, *, prefetch: int = PREFETCH) -> None:
        self.url = url
        self.prefetch = prefetch
        self._connection: AbstractConnection | None = None
        self._channel: AbstractChannel | None = None
        self._lost: asyncio.Future[str] | None = None
        self._exchanges: dict[str, AbstractExchange] = {}
        self._queues: dict[str, AbstractQueue] = {}
        self._options: dict[str, AmqpChannelOptions] = {}
        self._as_is: set[tuple[str, str]] = set()
        """The exchanges and queues that exist with other properties: used as they are."""
        self.reply_queue = ""
        """The broker-named queue an RPC client's replies come to ("" : none);
        the requests the mock sends name it as their ``reply_to``."""

    # -- the connection ---------------------------------------------------------

    @property
    def connected(self) -> bool:
        return (
            self._connection is not None
            and not self._connection.is_closed
            and self._lost is not None
            and not self._lost.done()
        )

    def describe(self) -> str:
        return describe_url(self.url)

    async def connect(self) -> None:
        await self.close()
        loop = asyncio.get_running_loop()
        self._lost = loop.create_future()
        try:
            self._connection = await aio_pika.connect(self.url, timeout=CONNECT_TIMEOUT_S)
            self._connection.close_callbacks.add(self._closed)
            self._channel = await self._open_channel()
        except _CONNECTION_ERRORS as error:
            await self.close()
            raise BrokerUnavailable(_reason(error)) from None

    async def _open_channel(self) -> AbstractChannel:
        assert self._connection is not None
        channel = await self._connection.channel(publisher_confirms=True)
        await channel.set_qos(prefetch_count=self.prefetch)
        channel.close_callbacks.add(self._closed)
        return channel

    def _closed(self, sender: Any, error: BaseException | None = None) -> None:
        if (
            isinstance(error, aiormq.exceptions.ChannelPreconditionFailed)
            and sender is not self._connection
        ):
            return  # a declaration that differs from the broker's: ``declare`` reopens
        lost = self._lost
        if lost is not None and not lost.done():
            lost.set_result(_reason(error) if error is not None else "the connection closed")

    async def close(self) -> None:
        connection, self._connection = self._connection, None
        self._channel = None
        self._exchanges.clear()
        self._queues.clear()
        if self._lost is not None and not self._lost.done():
            self._lost.set_result("closed")
        if connection is not None and not connection.is_closed:
            with contextlib.suppress(*_CONNECTION_ERRORS):
                await connection.close()

    def _require_channel(self) -> AbstractChannel:
        channel = self._channel
        if channel is None or channel.is_closed or not self.connected:
            reason = self._lost.result() if self._lost is not None and self._lost.done() else ""
            raise BrokerLost(reason or "not connected")
        return channel

    # -- declaring --------------------------------------------------------------

    def options_of(self, channel: BrokerChannel) -> AmqpChannelOptions:
        found = self._options.get(channel.operation)
        if found is None:
            found = self._options[channel.operation] = AmqpChannelOptions.of(channel.options)
        return found

    async def declare(self, channels: Sequence[BrokerChannel]) -> None:
        self.reply_queue = ""
        for _ in range(2 * len(channels) + 1):
            try:
                for channel in channels:
                    await self._declare(channel)
                return
            except _Differs as differs:
                _say(f"{differs.kind} {differs.name!r} exists with other properties: used as it is")
                self._as_is.add((differs.kind, differs.name))
                self._exchanges.clear()
                self._queues.clear()
                self.reply_queue = ""
                try:
                    self._channel = await self._open_channel()
                except _CONNECTION_ERRORS as error:
                    raise BrokerLost(_reason(error)) from None
            except BrokerLost:
                raise
            except _CONNECTION_ERRORS as error:
                raise BrokerLost(_reason(error)) from None

    async def _declare(self, channel: BrokerChannel) -> None:
        options = self.options_of(channel)
        exchange = await self._exchange(options)
        if options.runtime_queue:
            if channel.consumes:  # an RPC client's reply queue: the broker names it
                queue = await self._queue("", options, server_named=True)
                self._queues[channel.operation] = queue
                self.reply_queue = self.reply_queue or queue.name
            return  # a send channel to a run-time queue: replies go to reply_to
        name = options.named_queue
        if not name and not options.exchange and not channel.parameters:
            name = channel.address  # the default exchange routes a key to its namesake queue
        if not name and channel.consumes:
            name = f"mockc.{channel.operation}"
        if not name:
            return  # the mock only publishes to the exchange
        queue = await self._queue(name, options)
        if options.exchange:
            key = binding_key(channel, options)
            arguments: FieldTable | None = (
                {"x-match": "all"} if options.exchange_type == "headers" else None
            )
            await queue.bind(exchange, routing_key=key, arguments=arguments)
        self._queues[channel.operation] = queue

    async def _exchange(self, options: AmqpChannelOptions) -> AbstractExchange:
        channel = self._require_channel()
        if not options.exchange:
            return channel.default_exchange
        found = self._exchanges.get(options.exchange)
        if found is not None:
            return found
        if ("exchange", options.exchange) in self._as_is:
            exchange = await channel.get_exchange(options.exchange, ensure=True)
        else:
            try:
                exchange = await channel.declare_exchange(
                    options.exchange,
                    options.exchange_type,
                    durable=options.exchange_durable,
                    auto_delete=options.exchange_auto_delete,
                )
            except aiormq.exceptions.ChannelPreconditionFailed:
                raise _Differs("exchange", options.exchange) from None
        self._exchanges[options.exchange] = exchange
        return exchange

    async def _queue(
        self, name: str, options: AmqpChannelOptions, *, server_named: bool = False
    ) -> AbstractQueue:
        channel = self._require_channel()
        if server_named:
            return await channel.declare_queue(None, exclusive=True, auto_delete=True)
        if ("queue", name) in self._as_is:
            return await channel.get_queue(name, ensure=True)
        try:
            return await channel.declare_queue(
                name,
                durable=options.durable,
                auto_delete=options.auto_delete,
                exclusive=options.exclusive,
            )
        except aiormq.exceptions.ChannelPreconditionFailed:
            raise _Differs("queue", name) from None

    # -- consuming --------------------------------------------------------------

    async def consume(self, channels: Sequence[BrokerChannel], handle: Handle) -> None:
        lost = self._lost
        if lost is None:
            raise BrokerLost("not connected")
        consumers: list[tuple[AbstractQueue, str]] = []
        try:
            for channel in channels:
                queue = self._queues.get(channel.operation)
                if queue is None:
                    continue
                manual = self.options_of(channel).ack
                tag = await queue.consume(
                    partial(self._deliver, channel, handle, manual), no_ack=not manual
                )
                consumers.append((queue, tag))
        except _CONNECTION_ERRORS as error:
            raise BrokerLost(_reason(error)) from None
        try:
            reason = await asyncio.shield(lost)
        finally:
            if self.connected:
                for queue, tag in consumers:
                    with contextlib.suppress(*_CONNECTION_ERRORS):
                        await queue.cancel(tag)
        raise BrokerLost(reason)

    async def _deliver(
        self,
        channel: BrokerChannel,
        handle: Handle,
        manual: bool,
        incoming: AbstractIncomingMessage,
    ) -> None:
        queue = self._queues[channel.operation].name
        message = message_of(self.options_of(channel), queue, incoming)
        try:
            await handle(channel, message)
        except (BrokerLost, BrokerUnavailable):
            return  # not acknowledged: the broker redelivers it
        except Exception as error:  # a bug in handling: redelivered once, then dropped
            _say(f"{channel.operation}: handling a message failed ({_reason(error)})")
            if manual:
                with contextlib.suppress(*_CONNECTION_ERRORS):
                    await incoming.reject(requeue=not incoming.redelivered)
            return
        if manual:
            with contextlib.suppress(*_CONNECTION_ERRORS):
                await incoming.ack()

    # -- publishing -------------------------------------------------------------

    async def publish(self, channel: BrokerChannel | None, message: BrokerMessage) -> None:
        channel_object = self._require_channel()
        if channel is None:  # a reply to reply_to: the default exchange routes it
            exchange = channel_object.default_exchange
            options = AmqpChannelOptions()
            routing_key = message.address
        else:
            options = self.options_of(channel)
            exchange = self._exchanges.get(options.exchange) or await self._exchange(options)
            routing_key = (options.named_queue if not options.exchange else "") or message.address
        if _PLACEHOLDER.search(routing_key):  # a reply to a run-time queue, without reply_to
            raise MessageRefused(f"no queue to send to ({routing_key!r} is not filled in)")
        reply_to = message.reply_to
        correlation_id = message.correlation_id
        if channel is not None and not channel.consumes and not reply_to and self.reply_queue:
            reply_to = self.reply_queue
            correlation_id = correlation_id or message.message_id or uuid.uuid4().hex
        try:
            await exchange.publish(
                amqp_message(message, options, reply_to=reply_to, correlation_id=correlation_id),
                routing_key=routing_key,
                mandatory=False,
            )
        except aiormq.exceptions.DeliveryError as error:  # nacked: the queue takes no more
            raise MessageRefused(f"the broker refused it ({_reason(error)})") from None
        except _CONNECTION_ERRORS as error:
            raise BrokerLost(_reason(error)) from None


def amqp_message(
    message: BrokerMessage, options: AmqpChannelOptions, *, reply_to: str, correlation_id: str
) -> aio_pika.Message:
    """The AMQP message of ``message``, with the channel's publishing properties
    (a consumed message's facts, copied onto its reply, are not taken as such)."""
    extras = {} if _CONSUMED_MARK in message.extras else message.extras
    headers: dict[str, Any] = dict(message.headers)
    if options.cc:
        headers.setdefault("CC", list(options.cc))
    if options.bcc:
        headers.setdefault("BCC", list(options.bcc))
    priority = _int_or_none(extras.get("priority"))
    expiration = _int_or_none(extras.get("expiration"))
    if expiration is None:
        expiration = options.expiration_ms
    delivery_mode = _int_or_none(extras.get("delivery_mode")) or options.delivery_mode
    return aio_pika.Message(
        message.payload,
        headers=headers or None,
        content_type=message.content_type or None,
        correlation_id=correlation_id or None,
        reply_to=reply_to or None,
        message_id=message.message_id or None,
        expiration=expiration / 1000.0 if expiration is not None else None,
        priority=priority if priority is not None else options.priority,
        delivery_mode=delivery_mode,
        type=str(extras["type"]) if extras.get("type") else None,
    )


def message_of(
    options: AmqpChannelOptions,
    queue: str,
    incoming: AbstractIncomingMessage,
) -> BrokerMessage:
    """The broker message of a delivery on a channel's ``queue``.

    Its address is the routing key, or the queue's name for a channel that
    is a queue (``is: queue``), so the channel's parameters read from it."""
    routing_key = incoming.routing_key or ""
    address = queue if options.queue and not options.exchange else routing_key
    extras: dict[str, Any] = {
        "exchange": incoming.exchange or "",
        "routing_key": routing_key,
        "queue": queue,
        "redelivered": bool(incoming.redelivered),
    }
    if incoming.priority is not None:
        extras["priority"] = incoming.priority
    expiration = incoming.expiration
    if isinstance(expiration, int | float):  # aio-pika gives seconds
        extras["expiration"] = round(float(expiration) * 1000)
    if incoming.type:
        extras["type"] = incoming.type
    return BrokerMessage(
        address=address,
        payload=incoming.body,
        headers=headers_of(incoming.headers),
        content_type=incoming.content_type or "",
        correlation_id=incoming.correlation_id or "",
        reply_to=incoming.reply_to or "",
        message_id=incoming.message_id or "",
        extras=extras,
    )


def headers_of(headers: Mapping[str, Any] | None) -> dict[str, str]:
    """AMQP headers as text: bytes decoded, other values as their text."""
    found: dict[str, str] = {}
    for name, value in (headers or {}).items():
        if isinstance(value, bytes | bytearray):
            found[str(name)] = bytes(value).decode("utf-8", "replace")
        elif isinstance(value, str):
            found[str(name)] = value
        elif value is None:
            continue
        else:
            found[str(name)] = str(value)
    return found


def _int_or_none(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().isdigit():
        return int(value)
    return None
