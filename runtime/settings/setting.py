"""One setting of a generated server: where it is read from, its default, who honours it."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from .values import text_value

__all__ = ["BROKER_PROTOCOLS", "EVERY_PROTOCOL", "PROTOCOL_NAMES", "Setting"]

PROTOCOL_NAMES = {
    "http": "HTTP",
    "graphql": "GraphQL",
    "grpc": "gRPC",
    "websocket": "WebSocket",
    "soap": "SOAP",
    "sse": "SSE",
    "mcp": "MCP",
    "mqtt": "MQTT",
    "amqp": "RabbitMQ",
    "kafka": "Kafka",
}
"""The protocols with a server, and how the documentation names them."""
EVERY_PROTOCOL: frozenset[str] = frozenset(PROTOCOL_NAMES)
BROKER_PROTOCOLS: frozenset[str] = frozenset(
    name for name in ("kafka", "amqp", "mqtt") if name in PROTOCOL_NAMES
)
"""The mock services that are clients of a broker (those with a server): no
port of their own, the admin API on ``MOCKC_ADMIN_PORT``."""


@dataclass(frozen=True, slots=True)
class Setting:
    """One setting: where it is read from, its default and who honours it."""

    name: str
    """The key of its value in what :func:`read_settings` returns."""
    env: str | None
    """Its environment variable (None: a flag only)."""
    flag: str | None
    """Its flag of ``server.py`` (None: the environment only, e.g. secrets)."""
    default: str
    """The default, as text read like a user's value."""
    meaning: str
    """What it does, one line (Markdown), as the README shows it."""
    protocols: frozenset[str] = EVERY_PROTOCOL
    """The protocols whose servers honour it; the others refuse it."""
    parse: Callable[[str], Any] = text_value
    choices: tuple[str, ...] = ()
    """The values it accepts (compared lower-cased), when a closed list."""
    shown_default: str | None = None
    """The default as the README shows it, when not ``default`` itself."""
    protocol_defaults: Mapping[str, str] = field(default_factory=dict)
    """Per-protocol defaults, overriding ``default``."""
    switch: bool = False
    """A flag without a value (``--access-log``)."""
    hint: str = ""
    """What a valid value looks like, for error messages."""

    def default_for(self, protocol: str) -> str:
        return self.protocol_defaults.get(protocol, self.default)

    def read(self, text: str) -> Any:
        if self.choices:
            text = text.strip().lower()
            if text not in self.choices:
                raise ValueError(text)
            return text
        return self.parse(text)

    def expects(self) -> str:
        if self.choices:
            return "one of " + ", ".join(self.choices)
        return self.hint
