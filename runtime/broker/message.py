"""One message on a broker, whatever the broker."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

__all__ = ["BrokerMessage"]

_EMPTY: Mapping[str, Any] = MappingProxyType({})


@dataclass(frozen=True, kw_only=True)
class BrokerMessage:
    """A message consumed from or published to a broker."""

    address: str
    """The concrete address: Kafka topic, AMQP routing key, MQTT topic."""
    payload: bytes = b""
    key: bytes | None = None
    """The Kafka record key (None: no key)."""
    headers: Mapping[str, str] = field(default_factory=lambda: _EMPTY)
    """Application headers (Kafka headers, AMQP headers, MQTT 5 user properties)."""
    content_type: str = ""
    correlation_id: str = ""
    reply_to: str = ""
    """Where the reply goes ("" when the message names no reply address)."""
    message_id: str = ""
    extras: Mapping[str, Any] = field(default_factory=lambda: _EMPTY)
    """Protocol-specific facts: partition, offset, qos, retain, priority,
    expiration, exchange, routing_key…"""
    shown: bytes | None = None
    """What the journal shows of a produced payload that is not text: the JSON
    form of an Avro datum (None: the payload's own bytes)."""
