"""The channels of a broker contract: what the mock consumes and produces.

Each broker operation of ``contract.json`` has a ``channel`` binding::

    {"kind": "channel", "protocol": "mqtt", "address": "light/{id}/on",
     "action": "receive", "parameters": ["id"], "options": {"qos": 1},
     "reply": {"channel": "light/{id}/ack", "address_location": "",
               "operation": "ackLight"} | null}

:class:`BrokerChannel` is that binding as an object, with the subscription
pattern of a parameterised address and the parameters of a concrete one.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

__all__ = ["BrokerChannel", "BrokerReply"]

_PARAMETER = re.compile(r"\{([^{}]+)\}")
_EMPTY: Mapping[str, Any] = MappingProxyType({})


@dataclass(frozen=True, kw_only=True)
class BrokerReply:
    """Where the reply to a consumed message goes."""

    channel: str = ""
    """Fixed reply address (may hold ``{param}`` of the request's channel);
    "" when the request names it (``reply_to``)."""
    address_location: str = ""
    """Where the request carries the reply address, as an AsyncAPI runtime
    expression (``$message.header#/replyTo``); "" when not said."""
    operation: str = ""
    """Id of the operation that describes the reply, when the contract has one."""

    @classmethod
    def from_spec(cls, spec: Mapping[str, Any] | None) -> BrokerReply | None:
        if not spec:
            return None
        return cls(
            channel=str(spec.get("channel") or ""),
            address_location=str(spec.get("address_location") or ""),
            operation=str(spec.get("operation") or ""),
        )


@dataclass(frozen=True, kw_only=True)
class BrokerChannel:
    """One operation's channel on the broker."""

    operation: str
    """The operation id."""
    action: str
    """``receive`` (the mock consumes) or ``send`` (the mock produces)."""
    address: str
    """Topic, routing key or queue; may hold ``{param}`` placeholders."""
    options: Mapping[str, Any] = field(default_factory=lambda: _EMPTY)
    """The protocol's options (``qos``, ``retain``, ``exchange``, ``group_id``…)."""
    reply: BrokerReply | None = None
    """Set when the mock answers each consumed message."""
    protocol: str = ""

    @classmethod
    def from_spec(cls, operation: str, binding: Mapping[str, Any]) -> BrokerChannel:
        """The channel of a contract operation's ``binding``."""
        return cls(
            operation=operation,
            action=str(binding.get("action") or "receive"),
            address=str(binding.get("address") or binding.get("channel") or ""),
            options=MappingProxyType(dict(binding.get("options") or {})),
            reply=BrokerReply.from_spec(binding.get("reply")),
            protocol=str(binding.get("protocol") or ""),
        )

    @property
    def parameters(self) -> tuple[str, ...]:
        """The names of the address's ``{param}`` placeholders, in order."""
        return tuple(_PARAMETER.findall(self.address))

    @property
    def consumes(self) -> bool:
        return self.action == "receive"

    def pattern(self, wildcard: str = "+") -> str:
        """The address with each ``{param}`` replaced by ``wildcard`` (MQTT
        ``+``, AMQP topic ``*``): what to subscribe to."""
        return _PARAMETER.sub(lambda _: wildcard, self.address)

    def regex(self) -> re.Pattern[str]:
        """A regular expression matching the concrete addresses of the channel,
        one group per parameter (Kafka pattern subscriptions)."""
        names = list(dict.fromkeys(self.parameters))
        parts: list[str] = []
        last = 0
        seen: set[int] = set()
        for match in _PARAMETER.finditer(self.address):
            parts.append(re.escape(self.address[last : match.start()]))
            index = names.index(match.group(1))
            parts.append(f"(?P=p{index})" if index in seen else f"(?P<p{index}>[^/]+)")
            seen.add(index)
            last = match.end()
        parts.append(re.escape(self.address[last:]))
        return re.compile("".join(parts))

    def params_of(self, address: str) -> dict[str, str] | None:
        """The parameter values of a concrete ``address`` of this channel; None
        when it is not one."""
        names = list(dict.fromkeys(self.parameters))
        if not names:
            return {} if address == self.address else None
        match = self.regex().fullmatch(address)
        if match is None:
            return None
        return {name: match.group(f"p{index}") for index, name in enumerate(names)}

    def matches(self, address: str) -> bool:
        return self.params_of(address) is not None

    def address_with(self, params: Mapping[str, str]) -> str:
        """The address with its placeholders filled from ``params`` (unknown ones
        are left as they are)."""
        return _PARAMETER.sub(lambda m: str(params.get(m.group(1), m.group(0))), self.address)
