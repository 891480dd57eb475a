"""The Kafka client of a mock service (aiokafka).

- ``connect`` starts one producer (``acks=all``: a reply counts as sent once
  every in-sync replica has it); a cluster that cannot be reached is
  :class:`~..broker.exceptions.BrokerUnavailable`.
- ``declare`` creates the contract's topics that are missing, named exactly as
  the channel addresses say, with the bindings' partitions and replicas (1
  each when not said), unless ``MOCKC_KAFKA_CREATE_TOPICS`` is off. Addresses
  with ``{parameters}`` name no one topic: they are left to the producers.
- ``consume`` reads the consumed channels in consumer groups (the binding's
  ``groupId``, else the service's group), one consumer per group; a channel
  with parameters is a pattern subscription. Offsets are committed only
  after every record of a fetched batch was handled (a crash redelivers);
  the records of a batch are handled up to :data:`HANDLE_WINDOW` at a time.
  New groups start from the earliest offset, so requests sent while the mock
  was away are answered.
- While idle, the client checks the cluster every :data:`PROBE_INTERVAL_S`:
  unreachable, or one of the declared topics gone (a broker restarted with
  empty storage), is :class:`~..broker.exceptions.BrokerLost`, so the service
  reconnects and declares again.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
import re
from collections.abc import Sequence
from typing import Any

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.errors import KafkaError
from aiokafka.partitioner import DefaultPartitioner

from ..broker.channels import BrokerChannel
from ..broker.client import Handle
from ..broker.exceptions import BrokerLost, BrokerUnavailable, MessageRefused
from ..broker.message import BrokerMessage
from .config import KafkaConfig
from .records import message_of, record_headers

__all__ = ["PROBE_INTERVAL_S", "KafkaClient", "topics_of"]

PROBE_INTERVAL_S = 2.0
REQUEST_TIMEOUT_MS = 10_000
FETCH_TIMEOUT_MS = 200
PUBLISH_WINDOW = 256
HANDLE_WINDOW = 64
"""Consumed records being handled at once, at most."""
SESSION_TIMEOUT_MS = 6_000
"""How long the group waits for a silent member (a crashed mock) before
its partitions go to another."""
MAX_RECORDS = 500
_ENVELOPE_BYTES = 64 * 1024
"""Room for a record's key, headers and framing above the largest payload."""
_BATCHED_BYTES = 4 * 1024
"""Payloads up to this size go out in the record batches of
:meth:`KafkaClient.begin_publish_many`; larger ones each on their own."""
_PARTITIONER = DefaultPartitioner()
"""The producer's choice of partition for a keyed record."""
_CHOICE = random.Random()
"""Picks the partition of a burst of keyless records (not the seeded fake data's)."""
_ALREADY_EXISTS = 36
_INVALID_REPLICATION = 38
_TOPIC = re.compile(r"[a-zA-Z0-9._-]{1,249}")
_KNOWN_TOPIC_NAMES = 1024
"""Valid topic names remembered at most (channels with parameters have many)."""

# aiokafka logs each failed connection attempt; the service says it once, in
# its own words. Its records still reach a logging configuration that wants them.
logging.getLogger("aiokafka").addHandler(logging.NullHandler())


def topics_of(channels: Sequence[BrokerChannel]) -> dict[str, tuple[int, int]]:
    """The concrete topics of ``channels`` (no ``{parameters}``), with their
    partitions and replicas."""
    found: dict[str, tuple[int, int]] = {}
    for channel in channels:
        if channel.parameters or not channel.address:
            continue
        partitions = _count(channel.options.get("partitions"))
        replicas = _count(channel.options.get("replicas"))
        found.setdefault(channel.address, (partitions, replicas))
    return found


class KafkaClient:
    """A :class:`~..broker.client.BrokerClient` for a Kafka cluster."""

    protocol = "kafka"
    publish_window = PUBLISH_WINDOW
    """Records the service may have in flight at once: the producer batches them
    (each still waits for its acknowledgement, in order)."""

    def __init__(self, config: KafkaConfig) -> None:
        self.config = config
        self._producer: AIOKafkaProducer | None = None
        self._consumers: list[AIOKafkaConsumer] = []
        self._declared: set[str] = set()
        self._lag: dict[tuple[str, str, int], int] = {}
        self._connected = False
        self._topic_names: set[str] = set()
        """Addresses already found to be valid topic names."""
        self._last_headers: tuple[BrokerMessage, list[tuple[str, bytes]]] | None = None
        self._handed: tuple[Any, tuple[str, int], asyncio.Future[Any]] | None = None
        """The batch last handed to the producer (:meth:`begin_publish_many`), its
        topic and partition, and its future: later records join it while it waits
        (aiokafka closes a batch once it writes its request, and the producer is not
        idempotent: no sequence number is fixed before)."""

    @property
    def connected(self) -> bool:
        return self._connected

    def describe(self) -> str:
        return self.config.describe()

    def lag(self) -> dict[str, int]:
        """Records not yet consumed, per consumed operation, as of the last batch
        (``mockc_broker_consumer_lag`` in ``/metrics``)."""
        lag: dict[str, int] = {}
        for (operation, _, _), behind in sorted(self._lag.items()):
            lag[operation] = lag.get(operation, 0) + behind
        return lag

    async def connect(self) -> None:
        producer = AIOKafkaProducer(
            **self.config.client_options(),
            client_id=self.config.client_id,
            acks="all",
            request_timeout_ms=REQUEST_TIMEOUT_MS,
            max_request_size=self.config.max_message_bytes + _ENVELOPE_BYTES,
        )
        try:
            await producer.start()
        except Exception as error:  # aiokafka's SCRAM exchange raises KeyError on a refusal
            with contextlib.suppress(Exception):
                await producer.stop()
            reason = await self.config.refusal(error) or _reason(error)
            raise BrokerUnavailable(reason) from None
        self._producer = producer
        self._handed = None
        self._connected = True

    async def declare(self, channels: Sequence[BrokerChannel]) -> None:
        wanted = topics_of(channels)
        if not self.config.create_topics or not wanted:
            self._declared = set(wanted) if self.config.create_topics else set()
            return
        admin = AIOKafkaAdminClient(
            **self.config.client_options(),
            client_id=self.config.client_id,
            request_timeout_ms=REQUEST_TIMEOUT_MS,
        )
        try:
            await admin.start()
            existing = set(await admin.list_topics())
            missing = {name: sizes for name, sizes in wanted.items() if name not in existing}
            if missing:
                await self._create(admin, missing)
        except (KafkaError, OSError) as error:
            raise BrokerUnavailable(_reason(error)) from None
        finally:
            with contextlib.suppress(Exception):
                await admin.close()
        self._declared = set(wanted)

    async def _create(self, admin: AIOKafkaAdminClient, topics: dict[str, tuple[int, int]]) -> None:
        response = await admin.create_topics(
            [
                NewTopic(name, partitions, replicas)
                for name, (partitions, replicas) in topics.items()
            ]
        )
        retry: dict[str, tuple[int, int]] = {}
        for error in response.topic_errors:
            name, code = error[0], error[1]
            if code in (0, _ALREADY_EXISTS):
                continue
            if code == _INVALID_REPLICATION and topics[name][1] > 1:
                retry[name] = (topics[name][0], 1)
                continue
            message = error[2] if len(error) > 2 and error[2] else f"error code {code}"
            raise BrokerUnavailable(f"cannot create topic {name!r}: {message}")
        if retry:
            await self._create(admin, retry)

    async def consume(self, channels: Sequence[BrokerChannel], handle: Handle) -> None:
        if self._producer is None or not self._connected:
            raise BrokerLost("not connected")
        groups: dict[str, list[BrokerChannel]] = {}
        for channel in channels:
            group = str(channel.options.get("group_id") or self.config.group)
            groups.setdefault(group, []).append(channel)
        tasks = [
            asyncio.ensure_future(self._consume_group(group, members, handle))
            for group, members in groups.items()
        ]
        tasks.append(asyncio.ensure_future(self._watch()))
        try:
            done, _ = await asyncio.wait(tasks, return_when=asyncio.FIRST_EXCEPTION)
            for task in done:
                task.result()
        finally:
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)

    async def _consume_group(
        self, group: str, channels: list[BrokerChannel], handle: Handle
    ) -> None:
        consumer = AIOKafkaConsumer(
            **self.config.client_options(),
            client_id=self.config.client_id,
            group_id=group,
            enable_auto_commit=False,
            auto_offset_reset="earliest",
            request_timeout_ms=REQUEST_TIMEOUT_MS,
            metadata_max_age_ms=2_000,
            session_timeout_ms=SESSION_TIMEOUT_MS,
            fetch_max_wait_ms=self.config.fetch_wait_ms,
            heartbeat_interval_ms=SESSION_TIMEOUT_MS // 3,
            max_partition_fetch_bytes=self.config.max_message_bytes + _ENVELOPE_BYTES,
        )
        fixed = [channel.address for channel in channels if not channel.parameters]
        if len(fixed) == len(channels):
            consumer.subscribe(topics=sorted(set(fixed)))
        else:
            patterns = [channel.regex().pattern for channel in channels]
            consumer.subscribe(pattern="^(?:" + "|".join(patterns) + ")$")
        try:
            await consumer.start()
        except (KafkaError, OSError) as error:
            with contextlib.suppress(Exception):
                await consumer.stop()
            raise BrokerLost(_reason(error)) from None
        self._consumers.append(consumer)
        try:
            while True:
                try:
                    batches = await consumer.getmany(
                        timeout_ms=FETCH_TIMEOUT_MS, max_records=MAX_RECORDS
                    )
                except KafkaError as error:
                    raise BrokerLost(_reason(error)) from None
                if batches:
                    await self._handle_batch(channels, batches, handle)
                    await self._commit(consumer, channels, batches)
        finally:
            self._consumers.remove(consumer)
            with contextlib.suppress(Exception):
                await consumer.stop()

    @staticmethod
    async def _handle_batch(
        channels: list[BrokerChannel], batches: dict[TopicPartition, list[Any]], handle: Handle
    ) -> None:
        """Hand the batch's records to ``handle``, up to :data:`HANDLE_WINDOW` at a time,
        started in the order of each partition (their replies go out in that order
        unless a mock delays one); any failure fails the batch, which is then not
        committed."""
        work = [
            (channel, record)
            for records in batches.values()
            for record in records
            if (channel := next((c for c in channels if c.matches(record.topic)), None))
        ]
        for start in range(0, len(work), HANDLE_WINDOW):
            tasks = [
                asyncio.ensure_future(handle(channel, message_of(record)))
                for channel, record in work[start : start + HANDLE_WINDOW]
            ]
            try:
                await asyncio.gather(*tasks)
            finally:
                for task in tasks:
                    task.cancel()

    async def _commit(
        self,
        consumer: AIOKafkaConsumer,
        channels: list[BrokerChannel],
        batches: dict[TopicPartition, list[Any]],
    ) -> None:
        """Commit the offsets after every record of ``batches`` (all handled)."""
        offsets = {partition: records[-1].offset + 1 for partition, records in batches.items()}
        try:
            await consumer.commit(offsets)
        except KafkaError as error:
            if _lost(error):
                raise BrokerLost(_reason(error)) from None
            # a rebalance took a partition away: its new owner reads from the last
            # committed offset, so nothing handled here is lost (it may come twice)
        for partition, offset in offsets.items():
            highwater = consumer.highwater(partition)
            channel = next((c for c in channels if c.matches(partition.topic)), None)
            if highwater is not None and channel is not None:
                where = (channel.operation, partition.topic, partition.partition)
                self._lag[where] = max(highwater - offset, 0)

    async def _watch(self) -> None:
        """Raise BrokerLost once the cluster is unreachable or lost a declared topic."""
        producer = self._producer
        assert producer is not None
        while True:
            await asyncio.sleep(PROBE_INTERVAL_S)
            try:
                metadata = await asyncio.wait_for(
                    producer.client.fetch_all_metadata(), REQUEST_TIMEOUT_MS / 1000
                )
            except (KafkaError, OSError, TimeoutError) as error:
                self._connected = False
                raise BrokerLost(_reason(error)) from None
            gone = sorted(self._declared - set(metadata.topics()))
            if gone:
                self._connected = False
                raise BrokerLost(f"topic {gone[0]!r} is gone (the broker lost its data?)")

    async def publish(self, channel: BrokerChannel | None, message: BrokerMessage) -> None:
        """Send ``message`` and wait for the cluster's acknowledgement. A record the
        cluster refuses for good (too large, an invalid topic name) is
        :class:`MessageRefused`; anything else is :class:`BrokerLost` (it is sent
        again once the service reconnects)."""
        ack = await self.begin_publish(channel, message)
        with contextlib.suppress(KafkaError):
            await ack
        self.confirm(ack)

    async def begin_publish(
        self, channel: BrokerChannel | None, message: BrokerMessage
    ) -> asyncio.Future[Any]:
        """Hand ``message`` to the producer, which batches it with the others in
        flight; the future is done once the cluster acknowledged it (see
        :meth:`confirm`). Fails as :meth:`publish` does."""
        self._check_topic(message.address)
        producer = self._producer
        if producer is None or not self._connected:
            raise BrokerLost("not connected")
        # a consumed record's extras carry its own partition: a reply never goes there
        partition = message.extras.get("partition") if "offset" not in message.extras else None
        try:
            ack: asyncio.Future[Any] = await producer.send(
                message.address,
                message.payload,
                key=message.key,
                headers=self._headers_of(message),
                partition=partition if isinstance(partition, int) else None,
            )
        except KafkaError as error:
            raise self._failure(error) from None
        return ack

    async def begin_publish_many(
        self, messages: Sequence[BrokerMessage]
    ) -> list[asyncio.Future[Any]]:
        """Hand ``messages`` to the producer, in order, as record batches: a record
        joins the batch last handed over for its partition while that batch waits
        for the sender and has room, else starts the next one; so each record costs
        an append, not a ``send``. Their futures, one per message (the records of a
        batch share its future), are done once the cluster acknowledged their batch
        (see :meth:`confirm`). A message without a key goes to the partition chosen
        for its topic in this call (at random, as the producer chooses for one
        record); a keyed one where the producer would put it. A message that cannot
        go (an invalid topic name, too large) gets a failed future, and so does
        every message after the cluster was lost: :meth:`confirm` raises for each in
        its turn. :class:`BrokerLost` when not connected (nothing handed over)."""
        producer = self._producer
        if producer is None or not self._connected:
            raise BrokerLost("not connected")
        loop = asyncio.get_running_loop()
        acks: list[asyncio.Future[Any]] = []
        chosen: dict[str, tuple[int, list[int], list[int]]] = {}
        lost: BrokerLost | None = None
        headers: list[tuple[str, bytes]] = []
        batched: BrokerMessage | None = None
        """The message last appended to the handed batch in this call."""
        for message in messages:
            if message is batched:  # the same message again (a burst of one fixed answer)
                joined = self._joined(message.key, message.payload, headers)
                if joined is not None:
                    acks.append(joined)
                    continue
            batched = None
            if lost is not None:
                acks.append(_failed(loop, lost))
                continue
            topic = message.address
            try:
                self._check_topic(topic)
                partitions = chosen.get(topic)
                if partitions is None:
                    partitions = chosen[topic] = await self._partitions(producer, topic)
            except (MessageRefused, KafkaError) as error:
                failure = error if isinstance(error, MessageRefused) else self._failure(error)
                lost = failure if isinstance(failure, BrokerLost) else None
                acks.append(_failed(loop, failure))
                continue
            extras = message.extras
            if len(message.payload) > _BATCHED_BYTES or (
                "partition" in extras and "offset" not in extras
            ):  # a large record (checked against the largest request), or a given partition
                ack = await self._begin_one(loop, message)
                if ack.done() and isinstance(ack.exception(), BrokerLost):
                    lost = ack.exception()  # type: ignore[assignment]
                acks.append(ack)
                continue
            key = message.key
            where = (
                topic,
                partitions[0] if key is None else _PARTITIONER(key, partitions[1], partitions[2]),
            )
            headers = self._headers_of(message)
            joined = self._joined(key, message.payload, headers, where)
            if joined is not None:
                acks.append(joined)
                batched = message
                continue
            batch = producer.create_batch()
            batch.append(timestamp=None, key=key, value=message.payload, headers=headers)
            try:
                ack = await producer.send_batch(batch, topic, partition=where[1])
            except KafkaError as error:
                failure = self._failure(error)
                lost = failure if isinstance(failure, BrokerLost) else None
                acks.append(_failed(loop, failure))
                continue
            self._handed = (batch, where, ack)
            acks.append(ack)
            batched = message
        return acks

    def _joined(
        self,
        key: bytes | None,
        payload: bytes,
        headers: list[tuple[str, bytes]],
        where: tuple[str, int] | None = None,
    ) -> asyncio.Future[Any] | None:
        """The future of the batch last handed over once the record joined it (it
        goes to ``where``, when given, and the batch has room); else None."""
        handed = self._handed
        if handed is None or (where is not None and handed[1] != where):
            return None
        if handed[0].append(timestamp=None, key=key, value=payload, headers=headers) is None:
            return None
        return handed[2]

    async def _partitions(
        self, producer: AIOKafkaProducer, topic: str
    ) -> tuple[int, list[int], list[int]]:
        """The partition keyless records of ``topic`` go to in this call (a random
        available one), all its partitions, and the available ones."""
        every = sorted(await producer.partitions_for(topic))
        available = sorted(producer.client.cluster.available_partitions_for_topic(topic) or ())
        return _CHOICE.choice(available or every), every, available

    async def _begin_one(
        self, loop: asyncio.AbstractEventLoop, message: BrokerMessage
    ) -> asyncio.Future[Any]:
        """:meth:`begin_publish`, its failure as a failed future."""
        try:
            return await self.begin_publish(None, message)
        except (MessageRefused, BrokerLost) as failure:
            return _failed(loop, failure)

    def _check_topic(self, address: str) -> None:
        """:class:`MessageRefused` unless ``address`` is a valid topic name."""
        if address not in self._topic_names:
            if not _valid_topic(address):
                raise MessageRefused(f"{address!r} is not a Kafka topic name")
            if len(self._topic_names) < _KNOWN_TOPIC_NAMES:
                self._topic_names.add(address)

    def _headers_of(self, message: BrokerMessage) -> list[tuple[str, bytes]]:
        """The record headers of ``message``; those of the last one again when it is
        the same message (a burst of one fixed answer)."""
        last = self._last_headers
        if last is not None and last[0] is message:
            return last[1]
        headers = record_headers(message)
        self._last_headers = (message, headers)
        return headers

    def confirm(self, ack: asyncio.Future[Any]) -> None:
        """Of a done acknowledgement (:meth:`begin_publish`): nothing when the cluster
        has the record, else :class:`MessageRefused` or :class:`BrokerLost`."""
        try:
            ack.result()
        except KafkaError as error:
            raise self._failure(error) from None

    def _failure(self, error: KafkaError) -> BrokerLost | MessageRefused:
        if getattr(error, "retriable", False) or _lost(error):
            self._connected = False
            return BrokerLost(_reason(error))
        return MessageRefused(_reason(error))

    async def close(self) -> None:
        producer, self._producer = self._producer, None
        self._connected = False
        self._handed = None
        consumers, self._consumers = list(self._consumers), []
        for consumer in consumers:
            with contextlib.suppress(Exception):
                await consumer.stop()
        if producer is not None:
            with contextlib.suppress(Exception):
                await producer.stop()


def _failed(loop: asyncio.AbstractEventLoop, failure: BaseException) -> asyncio.Future[Any]:
    """A future that failed with ``failure``."""
    future: asyncio.Future[Any] = loop.create_future()
    future.set_exception(failure)
    return future


def _valid_topic(name: str) -> bool:
    """Kafka's rule for topic names: 1 to 249 of ``[a-zA-Z0-9._-]``, not ``.`` or ``..``."""
    return _TOPIC.fullmatch(name) is not None and name not in (".", "..")


def _count(value: Any) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) and value > 0 else 1


def _lost(error: BaseException) -> bool:
    name = type(error).__name__
    return "Connection" in name or "Timeout" in name or "NodeNotReady" in name


def _reason(error: BaseException) -> str:
    text = str(error) or type(error).__name__
    if type(error).__name__ not in text:
        text = f"{type(error).__name__}: {text}"
    return text
