"""The MQTT client of a mock service (MQTT 5, or 3.1.1 for brokers without it;
on aiomqtt).

- Subscriptions: each consumed channel's address with ``+`` for each of its
  ``{parameters}`` (a channel whose address holds ``#`` keeps it), at the
  channel's QoS (1 when the contract does not say: a message is then not lost
  while the mock reconnects), with *no local* so the mock does not consume
  what it publishes itself.
- A consumed message is acknowledged (PUBACK/PUBREC) only after the service
  handled it; the session outlives the connection for
  :data:`SESSION_EXPIRY_S`, so the broker redelivers what was not acknowledged
  when the connection comes back.
- Published messages carry the channel's QoS and retain flag; MQTT 5
  properties carry the content type, correlation data, response topic and
  headers (user properties).
- MQTT 3.1.1 has no properties and no *no local*: messages carry their payload
  only (the correlation id and reply address travel in it, where the contract
  says), the session is kept by the broker for as long as it keeps sessions,
  and the mock receives what it publishes on a topic it consumes.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import socket
import ssl
import sys
import uuid
from collections.abc import Sequence
from typing import Any
from urllib.parse import unquote, urlsplit

import aiomqtt
from paho.mqtt.packettypes import PacketTypes
from paho.mqtt.properties import Properties
from paho.mqtt.subscribeoptions import SubscribeOptions

from ..broker.channels import BrokerChannel
from ..broker.client import Handle
from ..broker.exceptions import BrokerLost, BrokerUnavailable, MessageRefused
from ..broker.message import BrokerMessage

_log = logging.getLogger("mockc.mqtt")

__all__ = [
    "DEFAULT_URL",
    "MQTT_5",
    "MQTT_311",
    "SESSION_EXPIRY_S",
    "MqttClient",
    "MqttUrl",
    "parse_url",
    "quiet_late_socket_registrations",
]

DEFAULT_URL = "mqtt://127.0.0.1:1883"
SESSION_EXPIRY_S = 300
"""How long the broker keeps the mock's session (subscriptions, unacknowledged
messages) after the connection drops."""
CONNECT_TIMEOUT_S = 5.0
HANDLE_WINDOW = 32
"""Consumed messages being handled at once, at most."""
MQTT_5 = "5"
MQTT_311 = "3.1.1"
_SCHEMES = {"mqtt": (1883, False), "tcp": (1883, False), "mqtts": (8883, True), "ssl": (8883, True)}


class MqttUrl:
    """Where the broker is: host, port, TLS, credentials."""

    __slots__ = ("host", "password", "port", "tls", "username")

    def __init__(
        self, host: str, port: int, *, tls: bool, username: str | None, password: str | None
    ) -> None:
        self.host = host
        self.port = port
        self.tls = tls
        self.username = username
        self.password = password

    def describe(self) -> str:
        return f"mqtt{'s' if self.tls else ''} at {self.host}:{self.port}"


def parse_url(url: str) -> MqttUrl:
    """``mqtt://[user:password@]host[:port]`` (``mqtts://`` for TLS); ValueError if not."""
    parts = urlsplit(url if "://" in url else f"mqtt://{url}")
    scheme = parts.scheme.lower()
    if scheme not in _SCHEMES:
        raise ValueError(f"{url!r} is not an mqtt:// or mqtts:// URL")
    default_port, tls = _SCHEMES[scheme]
    try:
        port = parts.port or default_port
    except ValueError:
        raise ValueError(f"{url!r} has a port that is not a number") from None
    if not parts.hostname:
        raise ValueError(f"{url!r} names no host")
    return MqttUrl(
        parts.hostname,
        port,
        tls=tls,
        username=unquote(parts.username) if parts.username is not None else None,
        password=unquote(parts.password) if parts.password is not None else None,
    )


class MqttClient:
    """A :class:`~..broker.client.BrokerClient` for an MQTT 5 (or 3.1.1) broker."""

    protocol = "mqtt"
    publish_window = 64
    """Messages published before the first is confirmed: they leave in order on
    the one connection, and the broker keeps that order."""

    def __init__(
        self,
        url: str = DEFAULT_URL,
        *,
        client_id: str = "",
        version: str = MQTT_5,
        ca_file: str = "",
    ) -> None:
        self.url = parse_url(url)
        self.version = version
        self.ca_file = ca_file
        """CA certificates (PEM) of an ``mqtts://`` broker ("" for the system's)."""
        self.has_properties = version == MQTT_5
        """Whether messages carry properties (headers, correlation data, response
        topic): MQTT 5. Without them a reply's correlation id goes in its payload."""
        self.client_id = client_id or f"mockc-{os.getpid()}-{uuid.uuid4().hex[:8]}"
        self._client: aiomqtt.Client | None = None
        self._connected = False
        self._sessions = 0

    @property
    def connected(self) -> bool:
        return self._connected

    def describe(self) -> str:
        described = self.url.describe()
        return described if self.has_properties else f"{described} (MQTT 3.1.1)"

    async def connect(self) -> None:
        quiet_late_socket_registrations(asyncio.get_running_loop())
        url = self.url
        session: dict[str, Any]
        if self.has_properties:
            properties = Properties(PacketTypes.CONNECT)  # type: ignore[no-untyped-call]
            properties.SessionExpiryInterval = SESSION_EXPIRY_S
            session = {
                "protocol": aiomqtt.ProtocolVersion.V5,
                "clean_start": self._sessions == 0,
                "properties": properties,
            }
        else:  # a session kept across reconnections: the client id is this process's own
            session = {"protocol": aiomqtt.ProtocolVersion.V311, "clean_session": False}
        client = aiomqtt.Client(
            url.host,
            url.port,
            username=url.username,
            password=url.password,
            identifier=self.client_id,
            logger=_log,
            **session,
            timeout=CONNECT_TIMEOUT_S,
            tls_context=(
                ssl.create_default_context(cafile=self.ca_file or None) if url.tls else None
            ),
            # small messages go out at once: without it, Nagle's algorithm and
            # delayed acknowledgements stall request/reply by tens of milliseconds
            socket_options=((socket.IPPROTO_TCP, socket.TCP_NODELAY, 1),),
        )
        # acknowledge each message once handled, not on arrival (paho's manual acks)
        client._client.manual_ack_set(True)
        # many calls pending at once is how the windows work, not a problem to log
        client.pending_calls_threshold = self.publish_window + HANDLE_WINDOW + 16
        try:
            await client.__aenter__()
        except aiomqtt.MqttError as error:
            raise BrokerUnavailable(_reason(error)) from None
        self._client = client
        self._connected = True
        self._sessions += 1

    async def declare(self, channels: Sequence[BrokerChannel]) -> None:
        """Nothing to create: MQTT topics exist once used."""

    async def consume(self, channels: Sequence[BrokerChannel], handle: Handle) -> None:
        """Hand each message to ``handle``, up to :data:`HANDLE_WINDOW` at a time (a
        reply awaiting its broker's confirmation does not hold up the next
        message); acknowledge them in the order they came, each once handled."""
        client = self._connected_client()
        filters: list[tuple[str, Any]] = [
            (
                channel.pattern("+"),
                SubscribeOptions(qos=_qos(channel, 1), noLocal=True)
                if self.has_properties
                else _qos(channel, 1),
            )
            for channel in channels
        ]
        handled: asyncio.Queue[tuple[aiomqtt.Message, asyncio.Future[None] | None]] = asyncio.Queue(
            HANDLE_WINDOW
        )

        async def read() -> None:
            if filters:
                await client.subscribe(list(dict(filters).items()))
            async for message in client.messages:
                topic = str(message.topic)
                channel = next((c for c in channels if _matches(c, topic)), None)
                task = (
                    asyncio.ensure_future(handle(channel, _message_of(message, topic)))
                    if channel is not None
                    else None
                )
                await handled.put((message, task))

        reading = asyncio.create_task(read())
        acking = asyncio.create_task(self._acknowledge(client, handled))
        try:
            done, _ = await asyncio.wait((reading, acking), return_when=asyncio.FIRST_COMPLETED)
            for task in done:
                task.result()
            raise BrokerLost("the broker stopped delivering messages")
        except aiomqtt.MqttError as error:
            self._connected = False
            raise BrokerLost(_reason(error)) from None
        finally:
            for task in (reading, acking):
                task.cancel()
            await asyncio.gather(reading, acking, return_exceptions=True)
            while not handled.empty():  # not acknowledged: the broker delivers them again
                _, pending = handled.get_nowait()
                if pending is not None:
                    pending.cancel()

    async def _acknowledge(
        self,
        client: aiomqtt.Client,
        handled: asyncio.Queue[tuple[aiomqtt.Message, asyncio.Future[None] | None]],
    ) -> None:
        while True:
            message, task = await handled.get()
            if task is not None:
                try:
                    await task
                except BrokerLost:
                    raise
                except Exception as error:  # a bug must not redeliver the message forever
                    print(
                        f"mockc: a message on {message.topic} could not be handled: "
                        f"{type(error).__name__}: {error}",
                        file=sys.stderr,
                        flush=True,
                    )
            client._client.ack(message.mid, message.qos)

    async def publish(self, channel: BrokerChannel | None, message: BrokerMessage) -> None:
        topic = message.address
        if not topic or "+" in topic or "#" in topic or len(topic.encode("utf-8")) > 65535:
            raise MessageRefused(f"{topic!r} is not a topic one can publish to")
        client = self._connected_client()
        extras = message.extras
        qos = _qos(channel, 0) if channel is not None else int(extras.get("qos", 0) or 0)
        retain = bool(channel.options.get("retain")) if channel is not None else False
        properties: _PackedProperties | None = None
        if self.has_properties:
            correlation = extras.get("correlation_data")
            if not isinstance(correlation, bytes):
                correlation = (
                    message.correlation_id.encode("utf-8") if message.correlation_id else b""
                )
            properties = _publish_properties(
                message.content_type, correlation, message.reply_to, tuple(message.headers.items())
            )
        try:
            await client.publish(
                message.address, message.payload, qos=qos, retain=retain, properties=properties
            )
        except ValueError as error:  # paho's word on a topic or payload it cannot send
            raise MessageRefused(str(error)) from None
        except aiomqtt.MqttError as error:
            self._connected = False
            raise BrokerLost(_reason(error)) from None

    async def close(self) -> None:
        client, self._client = self._client, None
        self._connected = False
        if client is not None:
            with contextlib.suppress(Exception):
                await client.__aexit__(None, None, None)

    def _connected_client(self) -> aiomqtt.Client:
        if self._client is None or not self._connected:
            raise BrokerLost("not connected")
        return self._client


class _PackedProperties(Properties):
    """MQTT 5 PUBLISH properties packed once, when made: paho's own packing
    costs more than the rest of a publish."""

    def __init__(self, packed: bytes) -> None:
        object.__setattr__(self, "packetType", PacketTypes.PUBLISH)
        object.__setattr__(self, "_packed", packed)

    def pack(self) -> bytes:
        packed: bytes = self.__dict__["_packed"]
        return packed

    def __str__(self) -> str:
        return f"<{len(self.__dict__['_packed'])} bytes of properties>"


_CONTENT_TYPE = 3
_RESPONSE_TOPIC = 8
_CORRELATION_DATA = 9
_USER_PROPERTY = 38
_PROPERTIES_CACHE: dict[tuple[Any, ...], _PackedProperties] = {}
_PROPERTIES_CACHE_SIZE = 256


def _publish_properties(
    content_type: str,
    correlation: bytes,
    reply_to: str,
    headers: tuple[tuple[str, str], ...],
) -> _PackedProperties:
    """The PUBLISH properties of a message (those of produced messages are the same
    message after message: kept)."""
    key = (content_type, correlation, reply_to, headers)
    cached = _PROPERTIES_CACHE.get(key)
    if cached is not None:
        return cached
    body = bytearray()
    if content_type:
        body += bytes((_CONTENT_TYPE,)) + _text(content_type)
    if reply_to:
        body += bytes((_RESPONSE_TOPIC,)) + _text(reply_to)
    if correlation:
        body += bytes((_CORRELATION_DATA,)) + _binary(correlation)
    for name, value in headers:
        body += bytes((_USER_PROPERTY,)) + _text(str(name)) + _text(str(value))
    properties = _PackedProperties(_variable_length(len(body)) + bytes(body))
    if not correlation:  # replies carry their own correlation data: not kept
        if len(_PROPERTIES_CACHE) >= _PROPERTIES_CACHE_SIZE:
            _PROPERTIES_CACHE.clear()
        _PROPERTIES_CACHE[key] = properties
    return properties


def _binary(data: bytes) -> bytes:
    data = data[:65535]
    return len(data).to_bytes(2, "big") + data


def _text(text: str) -> bytes:
    return _binary(text.encode("utf-8"))


def _variable_length(number: int) -> bytes:
    """MQTT's variable byte integer."""
    out = bytearray()
    while True:
        byte, number = number % 128, number // 128
        out.append(byte | (0x80 if number else 0))
        if not number:
            return bytes(out)


def _qos(channel: BrokerChannel, default: int) -> int:
    qos = channel.options.get("qos")
    return qos if isinstance(qos, int) and 0 <= qos <= 2 else default


def _matches(channel: BrokerChannel, topic: str) -> bool:
    """Whether ``topic`` is one of ``channel``'s (MQTT filter rules for ``+``/``#``)."""
    return aiomqtt.Topic(topic).matches(channel.pattern("+"))


def _message_of(message: aiomqtt.Message, topic: str) -> BrokerMessage:
    properties: Any = message.properties
    headers: dict[str, str] = {}
    content_type = reply_to = correlation_id = ""
    extras: dict[str, Any] = {"qos": message.qos, "retain": message.retain}
    if properties is not None:
        for name, value in getattr(properties, "UserProperty", None) or ():
            headers[str(name)] = str(value)
        content_type = getattr(properties, "ContentType", "") or ""
        reply_to = getattr(properties, "ResponseTopic", "") or ""
        data = getattr(properties, "CorrelationData", None)
        if isinstance(data, bytes):
            extras["correlation_data"] = data
            correlation_id = data.decode("utf-8", "replace")
    payload = message.payload
    return BrokerMessage(
        address=topic,
        payload=payload if isinstance(payload, bytes) else str(payload or "").encode("utf-8"),
        headers=headers,
        content_type=content_type,
        correlation_id=correlation_id,
        reply_to=reply_to,
        message_id=str(message.mid),
        extras=extras,
    )


def _reason(error: BaseException) -> str:
    text = str(error) or type(error).__name__
    cause = error.__cause__
    if cause is not None and str(cause) and str(cause) not in text:
        text = f"{text}: {cause}"
    return text


def quiet_late_socket_registrations(loop: asyncio.AbstractEventLoop) -> None:
    """Keep aiomqtt's late socket registrations out of the output, once per loop.

    aiomqtt asks the loop, from paho's callbacks, to watch the connection's
    socket (``loop.add_reader``/``add_writer`` through ``call_soon_threadsafe``).
    When the connection drops before the loop runs that call (a broker going
    away under load), the socket is closed by then and the call fails in the
    loop with a traceback, although nothing is wrong: the client has already
    seen the connection drop and the service connects again. Those failures
    are logged as one debug line; anything else goes to the loop's handler as
    before."""
    previous = loop.get_exception_handler()
    if getattr(previous, "quiets_late_socket_registrations", False):
        return

    def handler(loop: asyncio.AbstractEventLoop, context: dict[str, Any]) -> None:
        if _is_late_socket_registration(loop, context):
            _log.debug(
                "mqtt: the socket closed before the loop watched it: %s", context["exception"]
            )
        elif previous is not None:
            previous(loop, context)
        else:
            loop.default_exception_handler(context)

    handler.quiets_late_socket_registrations = True  # type: ignore[attr-defined]
    loop.set_exception_handler(handler)


def _is_late_socket_registration(loop: asyncio.AbstractEventLoop, context: dict[str, Any]) -> bool:
    if not isinstance(context.get("exception"), (ValueError, OSError, KeyError)):
        return False
    callback = getattr(context.get("handle"), "_callback", None)
    watches = (loop.add_reader, loop.add_writer)
    return callback is not None and any(callback == watch for watch in watches)
