"""Kafka records as broker messages, and back.

Kafka has no reply address or correlation id of its own: the mock reads them
from headers. A consumed record's ``correlation_id`` is its header
``correlation_id`` (or Spring's ``kafka_correlationId``), its ``reply_to`` the
header ``reply_to`` (or ``kafka_replyTopic``); the contract's own locations
(``$message.header#/REQUEST_ID``) are resolved by the broker core. A published
message carries its correlation id in the ``correlation_id`` header unless a
header of the contract already holds it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from ..broker.message import BrokerMessage

__all__ = [
    "CORRELATION_HEADER",
    "REPLY_TO_HEADER",
    "headers_of",
    "message_of",
    "record_headers",
]

CORRELATION_HEADER = "correlation_id"
REPLY_TO_HEADER = "reply_to"
CONTENT_TYPE_HEADER = "content-type"
_CORRELATION_NAMES = ("correlation_id", "correlationid", "correlation-id", "kafka_correlationid")
_REPLY_NAMES = ("reply_to", "replyto", "reply-to", "kafka_replytopic")


def headers_of(pairs: Iterable[tuple[str, bytes | None]]) -> dict[str, str]:
    """Kafka's header pairs as text (undecodable bytes replaced; the last of a
    repeated name wins)."""
    return {
        str(name): (value or b"").decode("utf-8", "replace")
        for name, value in pairs
        if isinstance(name, str)
    }


def _first(headers: Mapping[str, str], names: Iterable[str]) -> str:
    lowered = {name.lower(): value for name, value in headers.items()}
    return next((lowered[name] for name in names if lowered.get(name)), "")


def message_of(record: Any) -> BrokerMessage:
    """An aiokafka ``ConsumerRecord`` as a :class:`BrokerMessage`."""
    headers = headers_of(record.headers or ())
    value = record.value
    return BrokerMessage(
        address=record.topic,
        payload=value if isinstance(value, bytes) else b"",
        key=record.key if isinstance(record.key, bytes) else None,
        headers=headers,
        content_type=_first(headers, (CONTENT_TYPE_HEADER, "contenttype", "content_type")),
        correlation_id=_first(headers, _CORRELATION_NAMES),
        reply_to=_first(headers, _REPLY_NAMES),
        message_id=f"{record.topic}/{record.partition}/{record.offset}",
        extras={
            "partition": record.partition,
            "offset": record.offset,
            "timestamp": record.timestamp,
        },
    )


def record_headers(message: BrokerMessage) -> list[tuple[str, bytes]]:
    """The Kafka headers of a message to publish: its headers, then its
    correlation id, reply address and content type unless already there."""
    pairs = [(str(name), str(value).encode("utf-8")) for name, value in message.headers.items()]
    present = {name.lower() for name, _ in pairs}
    correlation = message.correlation_id
    carried = correlation in {value.decode("utf-8", "replace") for _, value in pairs}
    if correlation and not carried and not present & set(_CORRELATION_NAMES):
        pairs.append((CORRELATION_HEADER, correlation.encode("utf-8")))
    if message.reply_to and not present & set(_REPLY_NAMES):
        pairs.append((REPLY_TO_HEADER, message.reply_to.encode("utf-8")))
    if message.content_type and CONTENT_TYPE_HEADER not in present:
        pairs.append((CONTENT_TYPE_HEADER, message.content_type.encode("utf-8")))
    return pairs
