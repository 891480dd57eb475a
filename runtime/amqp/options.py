"""What an AMQP channel's options say, read once from the contract's mapping.

The contract writes the ``amqp`` binding's options as the IR has them
(``exchange``, ``exchange_type``, ``routing_key``, ``queue``, ``durable``…);
:class:`AmqpChannelOptions` reads them with the defaults the client applies
when the contract says nothing.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ..broker.channels import BrokerChannel

__all__ = ["EXCHANGE_TYPES", "AmqpChannelOptions"]

EXCHANGE_TYPES = ("topic", "direct", "fanout", "headers")
DEFAULT_EXCHANGE_TYPE = "topic"
"""The type of a named exchange whose type the contract does not give
(a topic exchange routes literal keys as a direct one does, and patterns too)."""
_PARAMETER = re.compile(r"\{[^{}]+\}")


def _flag(value: Any, default: bool) -> bool:
    return value if isinstance(value, bool) else default


def _optional_int(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _texts(value: Any) -> tuple[str, ...]:
    if isinstance(value, str):
        return (value,) if value else ()
    if isinstance(value, Sequence):
        return tuple(str(item) for item in value if isinstance(item, str) and item)
    return ()


@dataclass(frozen=True, slots=True)
class AmqpChannelOptions:
    """One channel's exchange, queue and publishing properties."""

    exchange: str = ""
    """"" is the default exchange (routing key = queue name)."""
    exchange_type: str = DEFAULT_EXCHANGE_TYPE
    exchange_durable: bool = True
    exchange_auto_delete: bool = False
    routing_key: str = ""
    """The binding key the contract gives ("" : the channel's address)."""
    queue: str = ""
    """The queue the contract names ("" : none; may hold ``{param}``)."""
    durable: bool = True
    auto_delete: bool = False
    exclusive: bool = False
    ack: bool = True
    """Whether the mock acknowledges what it consumes (``ack: false``: the broker
    forgets a message once delivered)."""
    cc: tuple[str, ...] = ()
    """More routing keys of every published message (RabbitMQ's ``CC`` header)."""
    bcc: tuple[str, ...] = ()
    priority: int | None = None
    expiration_ms: int | None = None
    delivery_mode: int | None = None
    """1 transient, 2 persistent (None: the broker's default, transient)."""

    @classmethod
    def of(cls, options: Mapping[str, Any]) -> AmqpChannelOptions:
        exchange = str(options.get("exchange") or "")
        given_type = str(options.get("exchange_type") or "").lower()
        exchange_durable = options.get("exchange_durable")
        if exchange_durable is None and not options.get("queue"):
            exchange_durable = options.get("durable")
        exchange_auto_delete = options.get("exchange_auto_delete")
        if exchange_auto_delete is None and not options.get("queue"):
            exchange_auto_delete = options.get("auto_delete")
        return cls(
            exchange=exchange,
            exchange_type=given_type if given_type else DEFAULT_EXCHANGE_TYPE,
            exchange_durable=_flag(exchange_durable, True),
            exchange_auto_delete=_flag(exchange_auto_delete, False),
            routing_key=str(options.get("routing_key") or ""),
            queue=str(options.get("queue") or ""),
            durable=_flag(options.get("durable"), True),
            auto_delete=_flag(options.get("auto_delete"), False),
            exclusive=_flag(options.get("exclusive"), False),
            ack=_flag(options.get("ack"), True),
            cc=_texts(options.get("cc")),
            bcc=_texts(options.get("bcc")),
            priority=_optional_int(options.get("priority")),
            expiration_ms=_optional_int(options.get("expiration")),
            delivery_mode=_optional_int(options.get("delivery_mode")),
        )

    @property
    def named_queue(self) -> str:
        """The queue's fixed name; "" when the contract names none or the name
        is given at run time (``{queue}``: a server-named queue)."""
        return "" if _PARAMETER.search(self.queue) else self.queue

    @property
    def runtime_queue(self) -> bool:
        """Whether the queue's name is a parameter (the broker names it)."""
        return bool(self.queue) and not self.named_queue


def binding_key(channel: BrokerChannel, options: AmqpChannelOptions) -> str:
    """The key a queue is bound with to the channel's exchange."""
    if options.exchange_type in ("fanout", "headers"):
        return ""
    if options.routing_key:
        return options.routing_key
    return channel.pattern("*") if options.exchange_type == "topic" else channel.address
