"""The readers of settings' values: text in, a value out, ValueError when bad."""

from __future__ import annotations

from ..json_codec import MAX_DEPTH_CEILING

__all__ = [
    "ALWAYS_REDACTED",
    "OFF_WORDS",
    "flag_value",
    "interval",
    "json_depth",
    "milliseconds",
    "non_negative",
    "optional_port",
    "optional_text",
    "parse_delay",
    "port",
    "positive",
    "rate",
    "redacted_headers",
    "sync_origin",
    "text_value",
]

ALWAYS_REDACTED = ("authorization", "cookie", "proxy-authorization", "set-cookie")
"""Headers (gRPC: metadata keys) the journal never keeps, unless redaction is ``off``."""
OFF_WORDS = ("off", "0", "false", "no", "none")
"""What turns off a setting that is a file or a port."""


def parse_delay(text: str) -> tuple[float, float]:
    """``"100"`` → (100, 100); ``"50-200"`` → (50, 200); milliseconds, not negative."""
    low, _, high = text.strip().partition("-")
    first = float(low) if low else 0.0
    second = float(high) if high else first
    if first < 0 or second < first:
        raise ValueError(text)
    return first, second


def rate(text: str) -> float:
    value = float(text)
    if not 0.0 <= value <= 1.0:
        raise ValueError(text)
    return value


def non_negative(text: str) -> int:
    """A whole number, 0 or more."""
    value = int(text)
    if value < 0:
        raise ValueError(text)
    return value


def positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise ValueError(text)
    return value


def port(text: str) -> int:
    value = int(text)
    if not 0 <= value < 65536:
        raise ValueError(text)
    return value


def optional_port(text: str) -> int | None:
    if text.strip().lower() in OFF_WORDS:
        return None
    value = port(text)
    if value == 0:
        raise ValueError(text)
    return value


def milliseconds(text: str) -> float:
    value = float(text)
    if value < 0:
        raise ValueError(text)
    return value


def interval(text: str) -> float:
    low, high = parse_delay(text)
    if low != high:
        raise ValueError(text)
    return low


def json_depth(text: str) -> int:
    value = int(text)
    if not 1 <= value <= MAX_DEPTH_CEILING:
        raise ValueError(text)
    return value


def flag_value(text: str) -> bool:
    """``1``/``true``/``yes``/``on`` → True; ``0``/``false``/``no``/``off``/empty → False."""
    return text.strip().lower() not in ("0", "false", "no", "off", "")


def text_value(text: str) -> str:
    return text


def optional_text(text: str) -> str | None:
    return text or None


MQTT_VERSIONS = {"5": "5", "5.0": "5", "3.1.1": "3.1.1", "311": "3.1.1", "4": "3.1.1"}
"""The MQTT versions a mock service speaks, as written → as meant (4 is 3.1.1's
protocol level)."""


def mqtt_version(text: str) -> str | None:
    """``MOCKC_MQTT_VERSION``: ``5`` or ``3.1.1``; empty → None (the contract's)."""
    text = text.strip().lower()
    if not text:
        return None
    if text not in MQTT_VERSIONS:
        raise ValueError(text)
    return MQTT_VERSIONS[text]


def sync_origin(text: str) -> str | None:
    """``MOCKC_SYNC_FROM``: empty → None (no sync); else an http(s) URL."""
    text = text.strip()
    if not text:
        return None
    if not text.lower().startswith(("http://", "https://")) or len(text) <= len("http://"):
        raise ValueError(text)
    return text


def redacted_headers(text: str) -> frozenset[str]:
    """``MOCKC_JOURNAL_REDACT``: ``off`` → nothing redacted; else the headers of
    :data:`ALWAYS_REDACTED` and those of the comma list, lower-cased."""
    if text.strip().lower() == "off":
        return frozenset()
    named = (name.strip().lower() for name in text.split(","))
    return frozenset(ALWAYS_REDACTED).union(name for name in named if name)
