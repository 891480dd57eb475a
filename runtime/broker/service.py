"""A mock that is a client of a real broker: it consumes what the contract says
the application receives, answers on reply channels, and produces what the
application sends (schedules, reactions, the admin API).

:class:`BrokerService` runs one :class:`~.client.BrokerClient`:

- connects with exponential backoff, one line on stderr per failed attempt;
- declares the channels, consumes the ``receive`` channels: each message is
  decoded (JSON by default; Avro binary when the contract carries an Avro
  schema, :mod:`.avro`), checked against its payload and headers schemas,
  journaled (``received``, verdict ``valid``/``invalid``) and, when the
  operation replies, answered by the engine on the reply address (the
  message's ``reply_to``, else the contract's reply channel) with the
  request's correlation id (and key);
- publishes the emit path's messages of the ``send`` channels, in order, through
  its :class:`~.publisher.Publisher`; a message that could not go out waits
  for the next connection;
- reconnects when the broker is lost.

Faults of a mock's answer, per message: ``delay``; ``fault: {kind: empty}``
(or ``drop``) drops it; ``malformed`` sends half of it followed by bytes that
are not UTF-8; ``duplicate`` sends it twice; ``reset`` (or ``disconnect``)
drops the broker connection instead, which is then made again.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import operator
import sys
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..contract import Contract, engine_operations
from ..engine import Hook, Reply, Request
from ..engine.emit import EMIT_METHOD, contract_schedules
from ..events import Message, Subscription
from ..exceptions import RuntimeFailure
from ..journal.builder import EntryBuilder
from ..journal.entry import Entry
from ..json_codec import json_bytes, parse_json
from ..message_expressions import resolve_expression
from ..service import MockService, matched_of
from ..settings import CoreSettings
from .avro import AvroCodec, AvroError, avro_codec_of, key_codec_of, key_text
from .channels import BrokerChannel
from .client import BrokerClient
from .exceptions import BrokerLost, BrokerUnavailable
from .inbound import (
    Inbound,
    inbound_of,
    payload_value,
    with_payload_value,
)
from .message import BrokerMessage
from .metrics import RECEIVED, SENT, BrokerMetrics
from .outputs import OUTPUTS, encode_payload
from .publisher import InjectedDisconnect, Outgoing, Publisher
from .schema_registry import SchemaRegistry, framed, registry_of

__all__ = ["BrokerOptions", "BrokerService", "Outgoing"]

_MESSAGE_METHOD = "message"
"""The engine request method of a consumed message."""
_JOURNALED_TOO_BIG = 1024
"""Bytes of an oversized message the journal keeps."""
_entry_values = operator.attrgetter(*(field.name for field in dataclasses.fields(Entry)))
"""The values of an entry's fields, in order."""


@dataclass(frozen=True, slots=True)
class BrokerOptions:
    max_message_bytes: int = 4 * 1024 * 1024
    """Largest payload consumed; a larger one is journaled as invalid (0: no limit)."""
    retry_first_s: float = 0.5
    """Wait before the first reconnection attempt; doubles up to ``retry_max_s``."""
    retry_max_s: float = 30.0


class BrokerService:
    """The mock service of a broker contract, run as a client of ``client``."""

    def __init__(
        self,
        contract: Contract,
        directory: Path,
        client: BrokerClient,
        *,
        settings: CoreSettings | None = None,
        options: BrokerOptions | None = None,
        hooks: Mapping[str, Hook] | None = None,
    ) -> None:
        settings = settings or CoreSettings()
        self.options = options or BrokerOptions()
        self.client = client
        self.protocol = client.protocol
        api = contract["api"]
        self.title: str = api.get("title") or api.get("name") or "broker API"
        specs: list[Mapping[str, Any]] = list(contract["operations"])
        block: Mapping[str, Any] = contract.get("broker") or {}
        declared: Mapping[str, Any] = block.get("schedules") or {}
        defs: Mapping[str, Any] = contract.get("defs") or {}
        self.service = MockService(
            directory,
            engine_operations(contract, OUTPUTS),
            defs,
            encoder=encode_payload,
            settings=settings,
            protocol=self.protocol,
            name=api.get("name") or "api",
            hooks=hooks,
            outputs=OUTPUTS,
            schedules=contract_schedules(declared),
        )
        # the schedules start with run(), once their messages have somewhere to go
        self.service.emitter.schedule(())
        self.channels = tuple(
            BrokerChannel.from_spec(spec["id"], spec["binding"]) for spec in specs
        )
        self.by_operation = {channel.operation: channel for channel in self.channels}
        self.inbound: dict[str, Inbound] = inbound_of(specs, defs)
        self.parameter_defaults = {
            spec["id"]: _parameter_defaults(spec["binding"]) for spec in specs
        }
        self.media_types = {spec["id"]: _output_media_type(spec) for spec in specs}
        self.avro_in: dict[str, AvroCodec] = _avro_inputs(specs)
        self.avro_out: dict[str, AvroCodec] = _avro_outputs(specs)
        """The Avro codecs of consumed and produced payloads, by operation."""
        self.avro_keys: dict[str, AvroCodec] = {
            channel.operation: codec
            for channel in self.channels
            if (codec := key_codec_of(channel.options)) is not None
        }
        """The Avro codecs of record keys (Kafka), by operation."""
        self.schema_registry = registry_of(self.channels)
        """The service's schema registry when a channel's Avro data is framed."""
        if self.schema_registry is not None:
            self._frame_avro(self.schema_registry)
        self.journal = EntryBuilder(self.protocol, self.service.settings)
        self.metrics = BrokerMetrics(self.protocol)
        self.service.metrics.registry.register(self.metrics)
        self.metrics.lag = getattr(client, "lag", None)
        self.publisher = Publisher(client, self.metrics, self._journal_sent, lambda: self.connected)
        self._has_properties: bool = getattr(client, "has_properties", True)
        """Whether the client's messages carry properties (correlation data, headers)."""
        self._last_built: tuple[BrokerChannel, bytes, str | None, BrokerMessage] | None = None
        """The last message built from an engine answer (:meth:`outgoing`), kept for the
        next one when the answer is the same (a burst of a mock's fixed reply)."""
        self.ready = asyncio.Event()
        """Set once the channels are declared and consumed (tests wait on it)."""

    # -- properties ------------------------------------------------------------------

    @property
    def connected(self) -> bool:
        return self.client.connected and self.metrics.connected

    @property
    def consumed(self) -> tuple[BrokerChannel, ...]:
        return tuple(channel for channel in self.channels if channel.consumes)

    @property
    def produced(self) -> tuple[BrokerChannel, ...]:
        return tuple(channel for channel in self.channels if not channel.consumes)

    def close(self) -> None:
        self.service.close()

    def _frame_avro(self, registry: SchemaRegistry) -> None:
        """The Avro codecs of framed channels (``registry_framing``) in the
        registry's wire format, their schemas registered in the contract's
        order: each operation's consumed payload, produced payload (a reply's
        under its reply topic), then its key."""
        for channel in self.channels:
            operation = channel.operation
            reply_topic = channel.reply.channel if channel.reply is not None else ""
            if operation in self.avro_in:
                self.avro_in[operation] = framed(
                    registry, channel, self.avro_in[operation], "value"
                )
            if operation in self.avro_out:
                self.avro_out[operation] = framed(
                    registry, channel, self.avro_out[operation], "value", reply_topic
                )
            if operation in self.avro_keys:
                self.avro_keys[operation] = framed(
                    registry, channel, self.avro_keys[operation], "key"
                )

    # -- the connection loop ---------------------------------------------------------

    async def run(self, stop: asyncio.Event) -> None:
        """Connect, consume and publish until ``stop`` is set; reconnect when lost."""
        self.publisher.start()
        hub = self.service.events
        subscriptions: list[Subscription] = [
            hub.subscribe(channel.operation, self._emitted) for channel in self.produced
        ]
        self.service.mocks_changed()  # starts the schedules
        attempt = 0
        sessions = 0
        try:
            while not stop.is_set():
                try:
                    await self.client.connect()
                except Exception as error:  # unreachable: said in one line, tried again
                    reason = (
                        error.reason
                        if isinstance(error, BrokerUnavailable)
                        else f"{type(error).__name__}: {error}"
                    )
                    wait = self._backoff(attempt)
                    attempt += 1
                    _say(
                        f"{self.client.describe()} is unavailable ({reason}); "
                        f"retrying in {wait:g} s"
                    )
                    await _wait(stop, wait)
                    continue
                if sessions:
                    self.metrics.reconnects += 1
                    _say(f"connected again to {self.client.describe()}")
                elif attempt:
                    _say(f"connected to {self.client.describe()}")
                sessions += 1
                began = time.monotonic()
                try:
                    await self._session(stop)
                    attempt = 0
                except InjectedDisconnect:
                    attempt = 0
                    _say(f"disconnected from {self.client.describe()} (injected fault)")
                except Exception as error:  # lost: reconnect, backing off if it keeps failing
                    attempt = 0 if time.monotonic() - began > self.options.retry_max_s else attempt
                    wait = self._backoff(attempt)
                    attempt += 1
                    described = (
                        str(error)
                        if isinstance(error, BrokerLost | BrokerUnavailable)
                        else f"{type(error).__name__}: {error}"
                    )
                    _say(f"lost {self.client.describe()} ({described}); reconnecting in {wait:g} s")
                    await _wait(stop, wait)
                finally:
                    self.metrics.connected = False
                    self.ready.clear()
                    with contextlib.suppress(Exception):
                        await self.client.close()
        finally:
            for subscription in subscriptions:
                subscription.close()
            with contextlib.suppress(Exception):
                await self.client.close()

    def _backoff(self, attempt: int) -> float:
        """Seconds before attempt ``attempt + 1``: doubling from the first wait, capped."""
        return float(min(self.options.retry_first_s * 2**attempt, self.options.retry_max_s))

    async def _session(self, stop: asyncio.Event) -> None:
        """One connection: declare, consume, publish, until lost, stopped or dropped."""
        drop_connection = self.publisher.drop_connection
        assert drop_connection is not None
        await self.client.declare(self.channels)
        self.metrics.connected = True
        drop_connection.clear()
        tasks: list[asyncio.Task[Any]] = [
            asyncio.create_task(self.publisher.run()),
            asyncio.create_task(stop.wait()),
            asyncio.create_task(drop_connection.wait()),
        ]
        consuming = self.consumed
        if consuming:
            tasks.append(asyncio.create_task(self.client.consume(consuming, self._consumed)))
        self.ready.set()
        try:
            done, _ = await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
        finally:
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
        if drop_connection.is_set():
            raise InjectedDisconnect("injected fault")
        for task in done:
            error = task.exception()
            if error is not None:
                raise error
        if not stop.is_set():
            raise BrokerLost("the consumer stopped")

    # -- consuming -------------------------------------------------------------------

    async def _consumed(self, channel: BrokerChannel, message: BrokerMessage) -> None:
        """One consumed message: checked, journaled, answered (the client acknowledges
        it once this returns)."""
        arrived = time.time()
        self.metrics.count(channel.operation, channel.address, RECEIVED)
        inbound = self.inbound.get(channel.operation)
        raw = message.payload
        limit = self.options.max_message_bytes
        if limit and len(raw) > limit:
            problem = f"payload of {len(raw)} bytes over the {limit} limit"
            self._journal_received(channel, message, arrived, [problem], raw[:_JOURNALED_TOO_BIG])
            return
        codec = self._avro_codec_of(channel, inbound, message)
        payload, problem_text = self._decoded(inbound, message, codec)
        if problem_text:
            self._journal_received(channel, message, arrived, [problem_text])
            return
        # an Avro datum is journaled as its JSON form (as its key is), not its bytes
        shown = None if codec is None else json_bytes(payload)
        headers = {name.lower(): value for name, value in message.headers.items()}
        problems = inbound.problems(payload, headers) if inbound is not None else []
        if problems:
            self._journal_received(channel, message, arrived, problems, shown)
            return
        params = channel.params_of(message.address) or {}
        request = Request(
            channel.operation,
            path=dict(params),
            headers=headers,
            body=payload,
            raw_body=raw,
            media_type=message.content_type or (inbound.media_type if inbound else None),
            method=_MESSAGE_METHOD,
            target=message.address,
        )
        try:
            reply = self.service.handle(request)
        except RuntimeFailure as error:  # a failing hook: journaled, not a crash
            self._journal_received(
                channel, message, arrived, [], shown, source="error", status="error"
            )
            _say(f"{channel.operation}: {error}")
            return
        self._journal_received(channel, message, arrived, [], shown, request=request, reply=reply)
        if channel.reply is not None or reply.source == "hook":
            await self._answer(channel, message, payload, params, reply)

    def _avro_codec_of(
        self, channel: BrokerChannel, inbound: Inbound | None, message: BrokerMessage
    ) -> AvroCodec | None:
        """The codec ``message``'s payload is read with when it is Avro (the
        contract's payload is, and the message does not say it is JSON)."""
        codec = self.avro_in.get(channel.operation)
        if codec is None:
            return None
        media_type = message.content_type or (inbound.media_type if inbound else "")
        return None if "json" in media_type.lower() else codec

    def _decoded(
        self, inbound: Inbound | None, message: BrokerMessage, codec: AvroCodec | None
    ) -> tuple[Any, str]:
        """The payload as data (read with the Avro ``codec`` when there is one), or a
        problem saying why it cannot be read."""
        media_type = (message.content_type or (inbound.media_type if inbound else "")).lower()
        raw = message.payload
        if codec is not None:
            try:
                return codec.decode(raw), ""
            except AvroError as error:
                return None, str(error)
        if inbound is None or inbound.json or "json" in media_type:
            try:
                return parse_json(raw, max_depth=self.service.settings.json_max_depth), ""
            except (ValueError, RecursionError) as error:
                return None, f"payload is not JSON: {_short(error)}"
        if media_type.startswith("text/"):
            try:
                return raw.decode("utf-8"), ""
            except UnicodeDecodeError:
                return None, "payload is not UTF-8 text"
        return raw, ""

    async def _answer(
        self,
        channel: BrokerChannel,
        request: BrokerMessage,
        payload: Any,
        params: Mapping[str, str],
        reply: Reply,
    ) -> None:
        """Publish the engine's ``reply`` to ``request`` where the request says."""
        inbound = self.inbound.get(channel.operation)
        headers = {name.lower(): value for name, value in request.headers.items()}
        target = channel.reply
        address = request.reply_to
        if not address and target is not None and target.address_location:
            address = resolve_expression(target.address_location, headers, payload)
        reply_channel: BrokerChannel | None = None
        if not address and target is not None:
            reply_channel = self.by_operation.get(target.operation)
            address = _filled(target.channel, params) if target.channel else ""
            if not address and reply_channel is not None:
                address = _filled(reply_channel.address, params)
        if not address:
            self._journal_sent(
                (Outgoing(None, BrokerMessage(address=""), channel.operation, "no-reply-address"),)
            )
            return
        correlation = request.correlation_id
        reply_headers = {name: str(value) for name, value in reply.headers.items()}
        try:
            reply_payload, shown = self._payload_of(channel.operation, reply)
        except AvroError as error:
            self._unencodable(channel.operation, address, error)
            return
        if inbound is not None and inbound.correlation_id:
            found = resolve_expression(inbound.correlation_id, headers, payload)
            correlation = correlation or found
            source, _, pointer = inbound.correlation_id.partition("#")
            if source == "$message.header" and correlation and pointer.count("/") == 1:
                reply_headers.setdefault(pointer.strip("/"), correlation)
            elif source == "$message.payload" and found and not self._has_properties:
                # no message properties (MQTT 3.1.1): the reply names its request in its payload
                reply_payload = with_payload_value(
                    reply_payload, pointer, payload_value(payload, pointer)
                )
        outgoing = Outgoing(
            reply_channel,
            BrokerMessage(
                address=address,
                payload=reply_payload,
                key=request.key,
                headers=reply_headers,
                content_type=reply.media_type or self.media_types.get(channel.operation, ""),
                correlation_id=correlation,
                extras=request.extras,
                shown=shown,
            ),
            channel.operation,
            status=str(reply.status),
            source=reply.source or "fake",
            fault=reply.fault,
        )
        if reply.delay_ms > 0:
            await asyncio.sleep(reply.delay_ms / 1000.0)
        with contextlib.suppress(InjectedDisconnect):  # the session ends: the connection drops
            await self.publisher.send(outgoing)

    # -- producing -------------------------------------------------------------------

    def _emitted(self, message: Any) -> None:
        """A message of the emit path (on the loop): queued for the broker."""
        if not isinstance(message, Message):
            return
        channel = self.by_operation.get(message.operation)
        if channel is None:
            return
        reply = message.reply
        if reply is not None:
            built = self._built_before(channel, reply)
            if built is not None:  # no encoding to fail: straight to the publisher
                self.publisher.enqueue(_outgoing_of(channel, built, reply))
                return
        try:
            if reply is not None:
                self.enqueue(self.outgoing(channel, reply=reply))
            else:
                self.enqueue(self.outgoing(channel, data=message.data))
        except AvroError as error:
            self._unencodable(channel.operation, channel.address, error)

    def outgoing(
        self,
        channel: BrokerChannel,
        *,
        reply: Reply | None = None,
        data: Any = None,
        key: bytes | None = None,
        headers: Mapping[str, str] | None = None,
        params: Mapping[str, str] | None = None,
    ) -> Outgoing:
        """The message ``channel`` produces: the engine's ``reply``, else ``data``."""
        if reply is not None:
            plain = key is None and not headers and not params
            built = self._built_before(channel, reply) if plain else None
            if built is None:
                address, media_type = self._address_and_type(channel, params)
                payload, shown = self._payload_of(channel.operation, reply)
                built = BrokerMessage(
                    address=address,
                    payload=payload,
                    key=key,
                    headers={**{n: str(v) for n, v in reply.headers.items()}, **(headers or {})},
                    content_type=reply.media_type or media_type,
                    shown=shown,
                )
                if plain and not reply.headers and reply.content is not None:
                    self._last_built = (channel, reply.content, reply.media_type, built)
            return _outgoing_of(channel, built, reply)
        address, media_type = self._address_and_type(channel, params)
        codec = self.avro_out.get(channel.operation) if _is_avro(media_type) else None
        return Outgoing(
            channel,
            BrokerMessage(
                address=address,
                payload=encode_payload(data, media_type) if codec is None else codec.encode(data),
                key=key,
                headers=dict(headers or {}),
                content_type=media_type,
                shown=None if codec is None else json_bytes(data),
            ),
            channel.operation,
            status="data",
        )

    def _built_before(self, channel: BrokerChannel, reply: Reply) -> BrokerMessage | None:
        """The message last built for ``channel`` from this same answer (a fixed
        reply's content, no headers of its own): it is sent again as it is."""
        last = self._last_built
        if (
            last is not None
            and last[0] is channel
            and last[1] is reply.content
            and not reply.headers
            and last[2] == reply.media_type
        ):
            return last[3]
        return None

    def _payload_of(self, operation: str, reply: Reply) -> tuple[bytes, bytes | None]:
        """The payload of an engine answer of ``operation``: Avro binary when its
        media type and the contract say Avro (:class:`.avro.AvroError` if the data
        does not fit), else the engine's bytes."""
        codec = self.avro_out.get(operation)
        if codec is None or not _is_avro(reply.media_type):
            return _payload_of(reply), None
        body = reply.body
        if body is None and reply.content is not None:
            body = parse_json(reply.content, max_depth=self.service.settings.json_max_depth)
        return codec.encode(body), json_bytes(body)

    def _unencodable(self, operation: str, address: str, error: AvroError) -> None:
        """A message whose data the contract's Avro schema cannot write: said and
        journaled, not sent."""
        _say(f"{operation}: not published to {address!r}: {error}")
        self._journal_sent(
            (Outgoing(None, BrokerMessage(address=address), operation, "not-encodable"),)
        )

    def _address_and_type(
        self, channel: BrokerChannel, params: Mapping[str, str] | None
    ) -> tuple[str, str]:
        """The address a message of ``channel`` goes to (its parameters from ``params``,
        else their defaults), and the media type of its payload."""
        filled = {**self.parameter_defaults.get(channel.operation, {}), **(params or {})}
        media_type = self.media_types.get(channel.operation, "application/json")
        return channel.address_with(filled), media_type

    def enqueue(self, outgoing: Outgoing) -> None:
        """Queue ``outgoing`` for the broker (on the loop)."""
        self.publisher.enqueue(outgoing)

    def publish_now(self, outgoing: Outgoing, timeout_s: float = 5.0) -> str:
        """From another thread (the admin API): send ``outgoing``; what became of it
        (:meth:`.Publisher.publish_now`)."""
        return self.publisher.publish_now(outgoing, timeout_s)

    # -- the journal -----------------------------------------------------------------

    def _journal_received(
        self,
        channel: BrokerChannel,
        message: BrokerMessage,
        arrived: float,
        problems: Sequence[str],
        body: bytes | None = None,
        *,
        request: Request | None = None,
        reply: Reply | None = None,
        source: str | None = None,
        status: str | None = None,
    ) -> None:
        verdict = status or ("invalid" if problems else "valid")
        headers = dict(message.headers)
        if message.key is not None:
            headers["x-mockc-key"] = key_text(self.avro_keys.get(channel.operation), message.key)
        if message.correlation_id:
            headers["x-mockc-correlation-id"] = message.correlation_id
        if message.reply_to:
            headers["x-mockc-reply-to"] = message.reply_to
        self.service.record(
            self.journal.entry(
                time=arrived,
                duration_ms=(time.time() - arrived) * 1000.0,
                method=RECEIVED,
                target=message.address,
                operation=channel.operation,
                status=verdict,
                source=source or ("adapter" if problems else (reply.source if reply else "")),
                matched=matched_of(reply, request),
                near_miss=request.near_miss if request is not None else None,
                request_headers=headers,
                request_body=message.payload if body is None else body,
                response_body=json_bytes({"problems": list(problems)}) if problems else None,
            )
        )

    def _journal_sent(self, sent: Sequence[Outgoing]) -> None:
        """An entry for each of ``sent``, recorded together. The entries of a run of
        the same message (a burst of one fixed answer) are copies of the first."""
        now = time.time()
        entry = self.journal.entry
        entries: list[Entry] = []
        first: Entry | None = None
        same: tuple[BrokerMessage, str, str, str] | None = None
        for outgoing in sent:
            message = outgoing.message
            what = (message, outgoing.operation, outgoing.status, outgoing.source)
            if first is not None and what == same:
                entries.append(_copy_entry(first))
                continue
            headers = dict(message.headers)
            if message.correlation_id:
                headers["x-mockc-correlation-id"] = message.correlation_id
            first = entry(
                time=now,
                duration_ms=0.0,
                method=SENT,
                target=message.address,
                operation=outgoing.operation,
                status=outgoing.status,
                source=outgoing.source,
                response_headers=headers,
                response_body=message.payload if message.shown is None else message.shown,
            )
            same = what
            entries.append(first)
        self.service.record_all(entries)


def emit_request(operation: str, params: Mapping[str, str]) -> Request:
    """The engine request of a message the mock produces on demand."""
    return Request(operation, path=dict(params), method=EMIT_METHOD)


def _copy_entry(entry: Entry) -> Entry:
    """Another entry saying what ``entry`` says (the same headers: entries are
    not changed once made)."""
    return Entry(*_entry_values(entry))


def _outgoing_of(channel: BrokerChannel, message: BrokerMessage, reply: Reply) -> Outgoing:
    """``message``, the engine's ``reply`` on ``channel``, on its way to the broker."""
    return Outgoing(
        channel,
        message,
        channel.operation,
        str(reply.status),
        reply.source or "emit",
        reply.fault,
        reply.delay_ms,
    )


def _payload_of(reply: Reply) -> bytes:
    if reply.content is not None:
        return reply.content
    return encode_payload(reply.body, reply.media_type)


def _is_avro(media_type: str | None) -> bool:
    return "avro" in (media_type or "").lower()


def _avro_inputs(specs: Sequence[Mapping[str, Any]]) -> dict[str, AvroCodec]:
    found: dict[str, AvroCodec] = {}
    for spec in specs:
        for media_type, content in ((spec.get("input") or {}).get("contents") or {}).items():
            codec = avro_codec_of(content) if _is_avro(media_type) else None
            if codec is not None:
                found.setdefault(spec["id"], codec)
    return found


def _avro_outputs(specs: Sequence[Mapping[str, Any]]) -> dict[str, AvroCodec]:
    found: dict[str, AvroCodec] = {}
    for spec in specs:
        for output in spec.get("outputs") or ():
            for media_type, content in (output.get("contents") or {}).items():
                codec = avro_codec_of(content) if _is_avro(media_type) else None
                if codec is not None:
                    found.setdefault(spec["id"], codec)
    return found


def _filled(address: str, params: Mapping[str, str]) -> str:
    return BrokerChannel(operation="", action="send", address=address).address_with(params)


def _parameter_defaults(binding: Mapping[str, Any]) -> dict[str, str]:
    """A value for each channel parameter, for messages produced without one:
    the schema's example, default or first enum value, else ``1``."""
    values: dict[str, str] = {}
    for parameter in binding.get("parameters") or ():
        if isinstance(parameter, str):
            values[parameter] = "1"
            continue
        schema = parameter.get("schema") or {}
        value: Any = "1"
        if isinstance(schema, Mapping):
            examples = schema.get("examples")
            if isinstance(examples, list) and examples:
                value = examples[0]
            elif "example" in schema:
                value = schema["example"]
            elif "default" in schema:
                value = schema["default"]
            elif isinstance(schema.get("enum"), list) and schema["enum"]:
                value = schema["enum"][0]
        values[str(parameter.get("name"))] = str(value)
    return values


def _output_media_type(spec: Mapping[str, Any]) -> str:
    for output in spec.get("outputs") or ():
        for media_type in output.get("contents") or {}:
            return str(media_type)
    return "application/json"


async def _wait(stop: asyncio.Event, seconds: float) -> None:
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(stop.wait(), seconds)


def _say(line: str) -> None:
    print(f"mockc: {line}", file=sys.stderr, flush=True)


def _short(error: BaseException) -> str:
    text = str(error).splitlines()[0] if str(error) else type(error).__name__
    return text[:100]
